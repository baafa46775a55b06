"""The real questionary prompts, driven by keystrokes through prompt_toolkit's pipe input."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from triage import questionnaire
from triage.errors import Aborted
from triage.model import Question
from triage.pipeline import Triage
from triage.questionnaire import BACK, Interview, compose

from .conftest import base_answers

TODAY = date.today().isoformat()  # the questionnaire writes the day the answers were given

ENTER, SPACE, UP, DOWN, CTRL_B, CTRL_C, BACKSPACE = (
    "\r",
    " ",
    "\x1b[A",
    "\x1b[B",
    "\x02",
    "\x03",
    "\x7f",
)
NONE_OF_THESE = UP + SPACE + ENTER  # the pointer wraps to the last choice, "None of these"
pytestmark = pytest.mark.timeout(20)  # a prompt waiting for keys that never come fails here, fast

# An ordinary 45-year-old man with monthly night calf cramps: base_answers() as keystrokes.
SAFETY = NONE_OF_THESE * 3
ABOUT_HIM = "45" + ENTER + DOWN + ENTER  # age, then sex: Female -> Male
CRAMPS = (
    SPACE
    + ENTER  # where: calf
    + ENTER  # sides: one leg
    + SPACE
    + ENTER  # timing: night
    + DOWN
    + ENTER  # frequency: monthly
    + DOWN
    + ENTER  # duration: minutes
    + "n"
    + "n"
    + "n"
)  # sleep, daily life, stretching
THE_REST = (
    NONE_OF_THESE * 6 + ENTER
)  # other signs, 3 medicine groups, 2 condition groups; review: right


def test_whole_questionnaire(triage: Triage, pipe: Any) -> None:
    """Answering every question by keys gives exactly the contract answers expected."""
    pipe.send_text(SAFETY + ABOUT_HIM + CRAMPS + THE_REST)
    assert triage.interview() == base_answers(answered_on=TODAY)


def test_pregnancy_questions_only_when_they_apply(triage: Triage, pipe: Any) -> None:
    """A 30-year-old woman is asked about pregnancy; weeks and warning signs follow 'yes'."""
    pipe.send_text(
        SAFETY
        + "30"
        + ENTER
        + ENTER  # female
        + "y"
        + "28"
        + ENTER
        + NONE_OF_THESE  # pregnant, weeks, warning signs
        + CRAMPS
        + THE_REST
    )
    answers = triage.interview()
    assert answers["pregnant"] is True and answers["pregnancy_weeks"] == 28
    assert "postpartum" not in answers and answers["symptoms"] == []
    assert triage.evaluate(answers).disposition == "self-care"


def test_postpartum_question_and_its_warning_signs(triage: Triage, pipe: Any) -> None:
    """A woman not pregnant is asked about the 6 weeks after birth; 'yes' brings the pre-eclampsia signs."""
    pipe.send_text(
        SAFETY
        + "30"
        + ENTER
        + ENTER  # female
        + "n"
        + "y"  # not pregnant; gave birth in the last 6 weeks
        + SPACE
        + ENTER  # warning signs: ticked
        + CRAMPS
        + THE_REST
    )
    answers = triage.interview()
    assert answers["pregnant"] is False and answers["postpartum"] is True
    assert "pregnancy_warning_signs" in answers["symptoms"] and "pregnancy_weeks" not in answers
    assert triage.evaluate(answers).disposition == "urgent"


def test_emergency_answer_stops_at_once(triage: Triage, pipe: Any) -> None:
    """Ticking chest pain ends the questionnaire after the first question."""
    asked: list[str] = []

    def ask(q: Question, default: Any) -> Any:
        asked.append(q.id)
        return questionnaire.ask_terminal(q, default)

    pipe.send_text(SPACE + ENTER)
    answers = triage.interview(ask)
    assert asked == ["emergency_signs"]
    assert answers == {"version": 1, "symptoms": ["breathless_or_chest_pain"], "answered_on": TODAY}
    assert triage.evaluate(answers).disposition == "emergency"


def test_urgent_answer_does_not_stop(triage: Triage, pipe: Any) -> None:
    """Only an emergency stops early: an urgent sign still gets the whole questionnaire."""
    pipe.send_text(NONE_OF_THESE + SPACE + ENTER + NONE_OF_THESE + ABOUT_HIM + CRAMPS + THE_REST)
    answers = triage.interview()
    assert answers == base_answers(symptoms=["one_leg_swollen"], answered_on=TODAY)


def test_ctrl_b_goes_back_and_keeps_the_old_answer_as_default(triage: Triage, pipe: Any) -> None:
    pipe.send_text(
        SAFETY
        + "45"
        + ENTER
        + CTRL_B  # at 'sex', go back to age
        + BACKSPACE * 2
        + "50"
        + ENTER  # age shows 45; change it to 50
        + DOWN
        + ENTER
        + CRAMPS
        + THE_REST
    )
    assert triage.interview()["age"] == 50


def test_going_back_past_a_branch_drops_its_answer(triage: Triage) -> None:
    """Change sex from female to male after answering 'pregnant': the pregnancy answers go."""
    script = {
        "age": [30],
        "sex": ["female", "male"],
        "pregnant": [True, BACK],
        "pregnancy_weeks": [BACK],
    }
    asked: list[str] = []

    def ask(q: Question, default: Any) -> Any:
        asked.append(q.id)
        if script.get(q.id):
            return script[q.id].pop(0)
        defaults = {"checkbox": [], "confirm": False, "number": 40}
        return defaults[q.type] if q.type in defaults else q.choices[0].value

    answers = Interview(triage.questions, ask).run()
    assert asked[3:9] == ["age", "sex", "pregnant", "pregnancy_weeks", "pregnant", "sex"]
    assert (
        answers["sex"] == "male" and "pregnant" not in answers and "pregnancy_weeks" not in answers
    )


def test_ctrl_c_raises_aborted(triage: Triage, pipe: Any) -> None:
    pipe.send_text(NONE_OF_THESE + CTRL_C)
    with pytest.raises(Aborted):
        triage.interview()


def test_bad_numbers_are_refused_with_help(triage: Triage, pipe: Any) -> None:
    """'abc' and 8 are refused (8 with the child message); 45 is then accepted."""
    age = next(q for q in triage.questions if q.id == "age")
    check = questionnaire._number_check(age)
    assert check("abc") == "Please type a whole number, like 42."
    assert "aged 12 and over" in str(check("8"))
    assert check("121") == "Please type a number from 12 to 120."
    pipe.send_text(
        SAFETY
        + "abc"
        + ENTER
        + BACKSPACE * 3
        + "8"
        + ENTER
        + BACKSPACE
        + "45"
        + ENTER
        + DOWN
        + ENTER
        + CRAMPS
        + THE_REST
    )
    assert triage.interview()["age"] == 45


def test_none_of_these_cannot_be_ticked_with_others(triage: Triage) -> None:
    q = next(q for q in triage.questions if q.id == "other_signs")
    check = questionnaire._checkbox_check(q)
    assert check([]) == "Tick at least one (or 'None of these')."
    assert "Untick" in str(check(["urge_to_move", questionnaire._NONE]))
    assert check([questionnaire._NONE]) is True and check(["urge_to_move"]) is True


# Written by the program, never asked (answers contract rev 3: answered_on by the questionnaire;
# the re-check's comparison keys by the re-check).
WRITTEN = {"answered_on", "previous_frequency", "days_since_previous"}


def test_questions_cover_the_contract_exactly(triage: Triage) -> None:
    """Every contract key is asked (by the questionnaire or the re-check) or written, and each
    list's choices across its questions are its values."""
    fields = triage.contract.fields
    recheck, gate = triage.recheck_questions
    asked = {q.key for q in triage.questions} | {q.key for q in recheck if q.key != gate}
    assert asked | WRITTEN == {name for name, f in fields.items() if f.kind != "const"}
    assert not asked & WRITTEN
    own = [q for q in recheck if q.id not in {p.id for p in triage.questions}]
    for name, field in fields.items():
        values = [c.value for q in (*triage.questions, *own) if q.key == name for c in q.choices]
        if field.kind in ("list", "choice") and name not in WRITTEN:
            assert sorted(values) == sorted(field.values), name
            assert len(values) == len(set(values)), f"{name}: a choice is offered twice"


def test_emergency_questions_come_first(triage: Triage) -> None:
    """Every emergency symptom is in the first question, so one answer can end it."""
    first = triage.questions[0]
    emergency_values = {
        "breathless_or_chest_pain",
        "cold_pale_leg",
        "cannot_move_foot",
        "confused_or_fainting",
        "injury_tight_calf",
        "dark_urine",
        "severe_muscle_pain",
        "feels_like_emergency",
    }
    assert first.when is None or first.when.parts == ()
    assert {c.value for c in first.choices} == emergency_values


def test_compose_merges_list_answers_in_order(triage: Triage) -> None:
    given = {
        "emergency_signs": ["dark_urine"],
        "urgent_signs": ["twitching", "dark_urine"],
        "age": 50,
    }
    assert compose(triage.questions, given) == {
        "version": 1,
        "symptoms": ["dark_urine", "twitching"],
        "age": 50,
    }


def test_help_text_stays_short(triage: Triage) -> None:
    """Prompts and choices fit on an 80-column line pair (the loader keeps to word limits)."""
    for q in triage.questions:
        assert len(q.prompt) <= 90, q.id
        assert all(len(c.label) <= 160 for c in q.choices), q.id


class Scripted:
    """An ask function with a review, as Terminal has: answers from `script` (lists, popped in
    order), else a plain default; the review returns the next id in `changes`, then None."""

    def __init__(self, script: dict[str, list[Any]], changes: list[str]) -> None:
        self.script, self.changes = script, changes
        self.asked: list[str] = []
        self.reviews: list[list[str]] = []
        self.positions: list[tuple[int, int, bool]] = []

    def __call__(self, q: Question, default: Any) -> Any:
        self.asked.append(q.id)
        if self.script.get(q.id):
            return self.script[q.id].pop(0)
        defaults = {"checkbox": [], "confirm": False, "number": 40}
        return defaults[q.type] if q.type in defaults else q.choices[0].value

    def progress(self, n: int, about: int, can_go_back: bool) -> None:
        self.positions.append((n, about, can_go_back))

    def review(self, asked: list[tuple[Question, Any]]) -> str | None:
        self.reviews.append([q.id for q, _ in asked])
        return self.changes.pop(0) if self.changes else None


def test_review_change_drops_questions_that_no_longer_apply(triage: Triage) -> None:
    """A woman of 30, not pregnant, changes her sex to male at the review: the pregnancy
    questions go, nothing else is asked again, and the review is shown once more."""
    ask = Scripted({"age": [30], "sex": ["female", "male"]}, changes=["sex"])
    answers = Interview(triage.questions, ask).run()
    assert "pregnant" in ask.reviews[0] and "postpartum" in ask.reviews[0]
    assert ask.asked.count("sex") == 2 and ask.asked[-1] == "sex"  # only the changed question
    assert "pregnant" not in ask.reviews[1] and "postpartum" not in ask.reviews[1]
    assert answers["sex"] == "male" and "pregnant" not in answers and "postpartum" not in answers


def test_review_change_asks_questions_that_now_apply(triage: Triage) -> None:
    """'Pregnant' changed to yes at the review: weeks and the warning signs are asked, postpartum goes."""
    ask = Scripted(
        {"age": [30], "pregnant": [False, True], "pregnancy_weeks": [28]}, changes=["pregnant"]
    )
    answers = Interview(triage.questions, ask).run()
    after = ask.asked[ask.asked.index("conditions_organs") + 1 :]
    assert after == ["pregnant", "pregnancy_weeks", "pregnancy_signs"]
    assert (
        answers["pregnant"] is True
        and answers["pregnancy_weeks"] == 28
        and "postpartum" not in answers
    )
    assert len(ask.reviews) == 2


def test_an_emergency_given_at_the_review_stops_at_once(triage: Triage) -> None:
    ask = Scripted({"emergency_signs": [[], ["cold_pale_leg"]]}, changes=["emergency_signs", "age"])
    interview = Interview(
        triage.questions,
        ask,
        stop=lambda answers: triage.evaluate(answers).disposition == "emergency",
    )
    answers = interview.run()
    assert interview.stopped_early and len(ask.reviews) == 1 and ask.asked[-1] == "emergency_signs"
    assert triage.evaluate(answers).disposition == "emergency"


def test_question_n_of_about_m(triage: Triage) -> None:
    """For a man of 45 the estimate is exact from the start: 19 questions, numbered 1 to 19;
    going back is offered from the second question on."""
    ask = Scripted({"age": [45], "sex": ["male"]}, changes=[])
    Interview(triage.questions, ask).run()
    assert [n for n, _, _ in ask.positions] == list(range(1, 20))
    assert {about for _, about, _ in ask.positions} == {19}
    assert [back for _, _, back in ask.positions] == [False] + [True] * 18


def test_review_by_keys_changes_an_answer(triage: Triage, pipe: Any) -> None:
    """At the review, '4' Enter re-asks the age (shown with the old answer); Enter alone ends it."""
    pipe.send_text(
        SAFETY
        + ABOUT_HIM
        + CRAMPS
        + THE_REST[:-1]
        + "x"
        + ENTER
        + BACKSPACE
        + "4"
        + ENTER  # 'x' is refused; 4 is the age
        + BACKSPACE * 2
        + "52"
        + ENTER
        + ENTER
    )
    assert triage.interview() == base_answers(age=52, answered_on=TODAY)


def test_long_labels_wrap_with_a_hanging_indent() -> None:
    text = questionnaire._wrap(
        "After an injury: a tight, swollen calf that hurts a lot more when you move your toes",
        80,
        first=5,
        indent=5,
    )
    lines = text.split("\n")
    assert (
        len(lines) == 2
        and lines[1].startswith("     your")
        and all(len(line) < 80 for line in lines)
    )
    assert " ".join(line.strip() for line in lines).endswith("move your toes")


def test_answers_echo_in_the_questions_words(triage: Triage) -> None:
    q = next(q for q in triage.questions if q.id == "urgent_signs")
    assert (
        questionnaire.answer_words(q, ["one_leg_swollen", "twitching"])
        == "One leg more swollen than the other; Muscle twitching you can see or feel"
    )
    assert questionnaire.answer_words(q, []) == "None of these"
