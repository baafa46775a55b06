"""The real questionary prompts, driven by keystrokes through prompt_toolkit's pipe input."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest

from triage import conditions, terminal
from triage.answer import answer_words, contract_answers
from triage.errors import Aborted
from triage.interview import BACK, Interview, number_check
from triage.model import Question
from triage.pipeline import Triage
from triage.wrapping import wrap

from .conftest import VIGNETTES, base_answers
from .keys import BACKSPACE, CTRL_B, ENTER, for_answers, part, terminal_keys, typed

CTRL_C = "\x03"


def today() -> str:
    """The day the questionnaire writes as answered_on: asked when needed, so a run across
    midnight compares with the same day the interview saw."""
    return date.today().isoformat()


pytestmark = pytest.mark.timeout(20)  # a prompt waiting for keys that never come fails here, fast


def test_whole_questionnaire(triage: Triage, pipe: Any) -> None:
    """Answering every question by keys gives exactly the contract answers expected."""
    pipe.send_text(typed(triage.questions, base_answers()) + ENTER)  # Enter: the review is right
    assert triage.interview() == base_answers(answered_on=today())


def test_pregnancy_questions_only_when_they_apply(triage: Triage, pipe: Any) -> None:
    """A 30-year-old woman is asked about pregnancy; weeks and warning signs follow 'yes'."""
    wanted = base_answers(age=30, sex="female", pregnant=True, pregnancy_weeks=28)
    asked = [q.id for q, _ in for_answers(triage.questions, wanted)]
    assert "pregnancy_weeks" in asked and "postpartum" not in asked
    pipe.send_text(typed(triage.questions, wanted) + ENTER)
    answers = triage.interview()
    assert answers == {**wanted, "answered_on": today()}
    assert triage.evaluate(answers).disposition == "self-care"


def test_postpartum_question_and_its_warning_signs(triage: Triage, pipe: Any) -> None:
    """A woman not pregnant is asked about the 6 weeks after birth; 'yes' brings the pre-eclampsia signs."""
    wanted = base_answers(
        age=30,
        sex="female",
        pregnant=False,
        postpartum=True,
        weeks_since_birth=3,  # rev 3
        breastfeeding=False,  # rev 3
        symptoms=["pregnancy_warning_signs"],
    )
    pipe.send_text(typed(triage.questions, wanted) + ENTER)
    answers = triage.interview()
    # rev 3: the pre-eclampsia signs after a birth are "urgent, now" (call the maternity unit):
    # the questionnaire stops there, as for an emergency
    kept = {"version", "answering_for", "age", "sex", "pregnant", "postpartum"}
    kept |= {"weeks_since_birth", "breastfeeding", "symptoms"}
    assert answers == {**{k: wanted[k] for k in kept}, "answered_on": today()}
    assert triage.evaluate(answers).disposition == "urgent"


def test_emergency_answer_stops_at_once(triage: Triage, pipe: Any) -> None:
    """Ticking chest pain ends the questionnaire after the emergency question (the first one
    after who is answering)."""
    asked: list[str] = []
    ask = terminal.Terminal(triage.phrases)

    def spy(q: Question, default: Any) -> Any:
        asked.append(q.id)
        return ask(q, default)

    wanted = {"version": 1, "answering_for": "self", "symptoms": ["breathless_or_chest_pain"]}
    pipe.send_text(typed(triage.questions, wanted))
    answers = triage.interview(spy)
    assert asked == ["answering_for", "emergency_signs"]
    assert answers == {**wanted, "answered_on": today()}
    assert triage.evaluate(answers).disposition == "emergency"


def test_urgent_answer_does_not_stop(triage: Triage, pipe: Any) -> None:
    """Only an emergency stops early: an urgent sign still gets the whole terminal."""
    wanted = base_answers(symptoms=["one_leg_swollen"])
    pipe.send_text(typed(triage.questions, wanted) + ENTER)
    assert triage.interview() == {**wanted, "answered_on": today()}


def test_ctrl_b_goes_back_and_the_number_is_typed_afresh(triage: Triage, pipe: Any) -> None:
    """Ctrl-B at 'sex' goes back to the age, which starts empty: typing 50 gives 50, not 4550."""
    keys = for_answers(triage.questions, base_answers(age=50))
    at = next(n for n, (q, _) in enumerate(keys) if q.id == "age")
    before = "".join(k for _, k in keys[:at])
    after = "".join(k for _, k in keys[at:])  # from the age on, answered as wanted
    pipe.send_text(before + "45" + ENTER + CTRL_B + after + ENTER)
    assert triage.interview() == base_answers(age=50, answered_on=today())


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
    first_answer = for_answers(triage.questions, base_answers())[0][1]
    pipe.send_text(first_answer + CTRL_C)
    with pytest.raises(Aborted):
        triage.interview()


def test_bad_numbers_are_refused_with_help(triage: Triage, pipe: Any) -> None:
    """'abc' and 8 are refused (8 with the child message); 45 is then accepted."""
    age = next(q for q in triage.questions if q.id == "age")
    check = number_check(age, triage.phrases)
    assert check("abc") == "Please type a whole number, like 42."
    assert "aged 12 and over" in str(check("8"))
    assert check("121") == "Please type a number from 12 to 120."
    keys = for_answers(triage.questions, base_answers())
    at = next(n for n, (q, _) in enumerate(keys) if q.id == "age")
    refused = "abc" + ENTER + BACKSPACE * 3 + "8" + ENTER + BACKSPACE
    pipe.send_text(
        "".join(k for _, k in keys[:at]) + refused + "".join(k for _, k in keys[at:]) + ENTER
    )
    assert triage.interview()["age"] == 45


def test_none_of_these_cannot_be_ticked_with_others(triage: Triage) -> None:
    q = next(q for q in triage.questions if q.id == "other_signs")
    say = triage.phrases
    check = terminal._checkbox_check(q, say)
    assert check([]) == say("enter.checkbox_none", none=q.none_label)
    assert q.none_label in str(check([])) and "Space" in str(check([]))
    assert check(["urge_to_move", terminal._NONE]) == say("enter.both", none=q.none_label)
    assert check([terminal._NONE]) is True and check(["urge_to_move"]) is True


# Written by the program, never asked (answers contract rev 3: answered_on by the questionnaire;
# the re-check's comparison keys by the re-check).
WRITTEN = {"answered_on", "previous_frequency", "days_since_previous", "previous_disposition"}
# Read from files but no longer asked (answers contract rev 3): the rev 2 stretching_not_helping,
# replaced by stretching_tried.
READ_ONLY = {"stretching_not_helping"}
# Values read in files but not asked (contract rev 3): fluid_loss, split into vomiting_or_diarrhoea
# and heavy_sweating.
# pregnancy_belly_pain: read in files (rev 3, tummy pain in pregnancy); the pregnancy signs'
# question comes with the pregnancy slice.
NOT_ASKED = {
    ("symptoms", "fluid_loss"),
}
# symptoms_not_sure is asked only after a red-flag list (test_not_sure_asks_the_lists_items).
NOT_SURE_KEY = "symptoms_not_sure"
# Values the contract asks twice (rev 3): dark urine's causes, at once, and again where they are
# asked of everyone (a fall), of statin users (aches) or in the medicines lists (a statin).
ASKED_TWICE = {
    ("symptoms", "recent_fall"),
    ("symptoms", "muscle_ache_or_weakness"),
    ("medications", "statin"),
    # rev 3: what stretching has done, in the questionnaire and in the re-check's own words
    *(("stretching_tried", v) for v in ("helped", "not_helped", "not_tried", "not_sure")),
}


def test_questions_cover_the_contract_exactly(triage: Triage) -> None:
    """Every contract key is asked (by the questionnaire or the re-check) or written, and each
    list's choices across its questions are its values."""
    fields = triage.contract.fields
    recheck, gate = triage.recheck_questions
    asked = {q.key for q in triage.questions} | {q.key for q in recheck if q.key != gate}
    assert asked | WRITTEN | READ_ONLY == {name for name, f in fields.items() if f.kind != "const"}
    assert not asked & (WRITTEN | READ_ONLY)
    own = [q for q in recheck if q.id not in {p.id for p in triage.questions}]
    for name, field in fields.items():
        values = [c.value for q in (*triage.questions, *own) if q.key == name for c in q.choices]
        if field.kind in ("list", "choice") and name not in WRITTEN | READ_ONLY | {NOT_SURE_KEY}:
            wanted = [v for v in field.values if (name, v) not in NOT_ASKED]
            assert sorted(set(values), key=repr) == sorted(wanted, key=repr), name
            twice = {v for v in values if values.count(v) > 1}
            assert twice == {v for k, v in ASKED_TWICE if k == name}, f"{name}: offered twice"


def test_emergency_questions_come_first(triage: Triage) -> None:
    """Who is answering comes first (rev 3), then the emergency screen: every emergency sign of
    the contract's "everyone (emergency screen)" is asked of everyone before any other question,
    so one answer can end it; dark urine's causes follow it at once."""
    first, *rest = triage.questions
    always = (None, conditions.ALWAYS)
    assert first.key == "answering_for" and first.when in always
    emergency_values = {
        "breathless_or_chest_pain",
        "cold_pale_leg",
        "cannot_move_foot",
        "both_legs_worsening",  # rev 3
        "bladder_bowel_saddle",  # rev 3
        "confused_or_fainting",
        "new_confusion",  # rev 3
        "injury_tight_calf",
        "dark_urine",
        "severe_muscle_pain",
        "feels_like_emergency",
    }
    taken = list(itertools.takewhile(lambda q: q.when in always, rest))
    screen = [q for q in taken if not q.not_sure_of]  # not the "which ones, not sure?" (rev 3)
    assert {c.value for q in screen for c in q.choices} == emergency_values
    assert all(q.key == "symptoms" for q in screen)
    follow_ups = [q for q in rest[len(taken) :] if not q.not_sure_of][:2]  # right after it
    # rev 3: dark urine ticked, or not sure
    dark = conditions.AnyOf(
        (
            conditions.Test("symptoms", "has", "dark_urine"),
            conditions.Test("symptoms_not_sure", "has", "dark_urine"),
        )
    )
    assert all(q.when == dark for q in follow_ups)
    assert {c.value for q in follow_ups for c in q.choices} == {
        "muscle_ache_or_weakness",
        "unusual_exertion",
        "recent_fall",
        "statin",
    }


def test_contract_answers_merge_list_answers_in_order(triage: Triage) -> None:
    given = {
        "emergency_signs": ["dark_urine"],
        "urgent_signs": ["twitching", "dark_urine"],
        "age": 50,
    }
    assert contract_answers(triage.questions, given) == {
        "version": 1,
        "symptoms": ["dark_urine", "twitching"],
        "age": 50,
    }


def test_help_text_stays_short(triage: Triage) -> None:
    """Prompts and choices fit on an 80-column line pair (the loader keeps to word limits)."""
    for q in triage.questions:
        assert len(q.prompt) <= 90, q.id
        assert all(len(c.label) <= 160 for c in q.choices), q.id


def test_every_question_has_a_short_name_that_says_what_these_are(triage: Triage) -> None:
    """The review and the sheet name each question in a few words; "these" is never left for
    the reader to guess, and no two questions share a name."""
    shorts = [q.short for q in triage.questions]
    assert all(shorts) and len(set(shorts)) == len(shorts)
    for q in triage.questions:
        assert "these" not in q.short.lower().split(), q.id
        assert len(q.short) <= 70, q.id


class Scripted:
    """An ask function with a review, as Terminal has: answers from `script` (lists, popped in
    order), else from `answers` (contract form), else a plain default; the review returns the
    next id in `changes`, then None."""

    def __init__(
        self,
        script: dict[str, list[Any]],
        changes: list[str],
        answers: dict[str, Any] | None = None,
    ) -> None:
        self.script, self.changes, self.answers = script, changes, answers or {}
        self.asked: list[str] = []
        self.reviews: list[list[str]] = []
        self.positions: list[tuple[int, int, bool]] = []
        self.span: tuple[int, int] | None = None

    def __call__(self, q: Question, default: Any) -> Any:
        self.asked.append(q.id)
        if self.script.get(q.id):
            return self.script[q.id].pop(0)
        if q.key in self.answers:
            return part(q, self.answers)
        defaults = {"checkbox": [], "confirm": False, "number": 40}
        return defaults[q.type] if q.type in defaults else q.choices[0].value

    def start(self, least: int, most: int) -> None:
        self.span = (least, most)

    def progress(self, n: int, most: int, can_go_back: bool) -> None:
        self.positions.append((n, most, can_go_back))

    def review(self, asked: list[tuple[Question, Any]]) -> str | None:
        self.reviews.append([q.id for q, _ in asked])
        return self.changes.pop(0) if self.changes else None


def test_review_change_drops_questions_that_no_longer_apply(triage: Triage) -> None:
    """A woman of 30, not pregnant, changes her sex to male at the review: the pregnancy
    questions go, nothing else is asked again, and the review is shown once more."""
    ask = Scripted({"age": [30], "sex": ["female", "male"], "pregnant": [False]}, changes=["sex"])
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
    after = ask.asked[ask.asked.index("mobility") + 1 :]
    assert after == [
        "pregnant",
        "pregnancy_weeks",
        "pregnancy_emergency",
        "pregnancy_tummy",  # rev 3: tummy pain or belly cramps, any weeks
        "pregnancy_later_signs",  # rev 3: from 20 weeks, tightenings and the baby's movements
        "pregnancy_signs",
    ]
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


@pytest.mark.parametrize("case", [v["id"] for v in VIGNETTES])
def test_the_question_count_never_goes_up_and_is_never_passed(triage: Triage, case: str) -> None:
    """ "Question n of at most m": n counts 1, 2, 3...; m never rises, is never below the
    questions this person is in fact asked, and the intro's range holds the total."""
    answers = triage.contract.check(next(v["answers"] for v in VIGNETTES if v["id"] == case))
    ask = Scripted({}, changes=[], answers=answers)
    Interview(triage.questions, ask).run()
    total = len(ask.asked)
    assert [n for n, _, _ in ask.positions] == list(range(1, total + 1))
    bounds = [most for _, most, _ in ask.positions]
    assert all(a >= b for a, b in itertools.pairwise(bounds)), bounds
    assert min(bounds) >= total
    assert ask.span is not None and ask.span[0] <= total <= ask.span[1] == bounds[0]
    assert [back for _, _, back in ask.positions] == [False] + [True] * (total - 1)


def test_review_by_keys_changes_an_answer(triage: Triage, pipe: Any) -> None:
    """At the review, 'x' is refused; the age's number re-asks it (empty, the old answer
    said); Enter alone ends it."""
    keys = for_answers(triage.questions, base_answers())
    number = str(next(n for n, (q, _) in enumerate(keys, 1) if q.id == "age"))
    pipe.send_text(
        "".join(k for _, k in keys)
        + "x"
        + ENTER
        + BACKSPACE
        + number
        + ENTER
        + "52"
        + ENTER
        + ENTER
    )
    assert triage.interview() == base_answers(age=52, answered_on=today())


def test_long_labels_wrap_with_a_hanging_indent() -> None:
    text = wrap(
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
    labels = {c.value: c.label for c in q.choices}
    words = answer_words(q, ["one_leg_swollen", "twitching"])
    assert words == f"{labels['one_leg_swollen']}; {labels['twitching']}"
    assert answer_words(q, []) == q.none_label


# -- issue 17: what int() refuses, pasted escape sequences, Ctrl-C after a refusal -----------------

CTRL_U = "\x15"  # erases the line
PASTE = "\x1b[200~{}\x1b[201~"  # a terminal's bracketed paste
# isdigit() says yes to the first two, int() says no; int() refuses more than 4,300 digits.
NOT_NUMBERS = ["4²", "①", "4x", PASTE.format("9" * 5000)]


@pytest.mark.parametrize(
    "typed", NOT_NUMBERS, ids=["superscript", "circled", "mixed", "5000-digits"]
)
def test_a_number_int_refuses_is_refused_and_the_prompt_goes_on(
    triage: Triage, pipe: Any, typed: str
) -> None:
    """Defect: '4²' (AltGr+2 on German and French keyboards), '①' or 4,300+ digits at 'How old
    are you?' gave a traceback, then every key (Ctrl-C too) was ignored. Now the number is
    refused under the prompt, and the right one is then accepted."""
    for q in (q for q in triage.questions if q.type == "number"):
        wanted = q.minimum if q.minimum is not None else 1
        pipe.send_text(typed + ENTER + CTRL_U + str(wanted) + ENTER)
        assert terminal.ask_terminal(q, triage.phrases) == wanted
        shown = typed.removeprefix("\x1b[200~").removesuffix("\x1b[201~")
        assert number_check(q, triage.phrases)(shown) == "Please type a whole number, like 42."


def test_ctrl_c_still_stops_after_a_refused_number(triage: Triage, pipe: Any) -> None:
    age = next(q for q in triage.questions if q.type == "number")
    pipe.send_text("4²" + ENTER + CTRL_C)
    with pytest.raises(Aborted):
        terminal.ask_terminal(age, triage.phrases)


def test_digits_of_other_scripts_are_read(triage: Triage, pipe: Any) -> None:
    """What isdecimal() accepts int() reads: full-width digits from an IME are a number."""
    age = next(q for q in triage.questions if q.type == "number")
    pipe.send_text("\uff14\uff15" + ENTER)  # FULLWIDTH DIGIT FOUR, FIVE
    assert terminal.ask_terminal(age, triage.phrases) == 45


PASTED = ["\x1b[0m", "\x1b[31;1m", "\x1b[<0;1m"]  # each is read as a (malformed) mouse report


def first_answer(q: Question) -> tuple[str, Any]:
    """Keys that answer `q` with its first choice (or its minimum), and that answer: the keys
    from tests/keys.py, so they follow the prompts' own rules (no answer by Enter alone)."""
    if q.type == "number":
        value: Any = q.minimum if q.minimum is not None else 1
    elif q.type == "confirm":
        value = True
    elif q.type == "select":
        value = q.choices[0].value
    else:
        value = [q.choices[0].value]
    return terminal_keys(q, value), value


@pytest.mark.parametrize("pasted", PASTED, ids=["reset", "colour", "sgr-mouse"])
def test_a_pasted_escape_sequence_is_ignored_at_every_prompt(
    triage: Triage, pipe: Any, pasted: str
) -> None:
    """Defect: pasting '\\x1b[0m' at any prompt showed prompt_toolkit's traceback and "Press
    ENTER to continue" (it reads as a malformed mouse report). One prompt of each kind, and the
    review, take the paste and then their answer as if it had not been there."""
    kinds = {q.type: q for q in reversed(triage.questions)}
    for q in kinds.values():
        keys, expected = first_answer(q)
        pipe.send_text(pasted + keys)
        assert terminal.ask_terminal(q, triage.phrases) == expected, q.id
    age = kinds["number"]
    pipe.send_text(pasted + "1" + ENTER)
    assert terminal.Terminal(triage.phrases).review([(age, 40)]) == age.id


def test_the_review_refuses_what_int_refuses(triage: Triage, pipe: Any) -> None:
    age = next(q for q in triage.questions if q.type == "number")
    pipe.send_text("1²" + ENTER + BACKSPACE * 2 + ENTER)
    assert terminal.Terminal(triage.phrases).review([(age, 40)]) is None


# Policy rev 3, "Question order and early stop": what a sign opens is asked at once, so an answer
# that decides "now" comes before any other question (written from the policy: the sign, and the
# contract keys or values asked right after it).
AT_ONCE = [
    ("dark_urine", {"unusual_exertion", "muscle_ache_or_weakness", "recent_fall", "statin"}),
    ("dirty_wound", {"tetanus_signs"}),
    ("heavy_sweating", {"endurance_overdrinking"}),
    ("vomiting_or_diarrhoea", {"endurance_overdrinking"}),
    ("heat_exertion", {"endurance_overdrinking"}),
    ("new_numbness", {"duration"}),
    ("new_weakness", {"duration"}),
]


@pytest.mark.parametrize(("sign", "then"), AT_ONCE, ids=[sign for sign, _ in AT_ONCE])
def test_what_a_sign_opens_is_asked_at_once(triage: Triage, sign: str, then: set[str]) -> None:
    questions = triage.questions
    opens = next(
        n
        for n, q in enumerate(questions)
        if sign in {c.value for c in q.choices} and not q.not_sure_of
    )
    first = {
        x: next(
            n
            for n, q in enumerate(questions)
            if q.key == x or (n > opens and x in {c.value for c in q.choices})
        )
        for x in then
    }
    assert all(n > opens for n in first.values()), first
    # nothing else comes between: only questions that ask one of these (or the other follow-ups
    # of the same sign's question)
    # (a list's "which ones are you not sure about?" is asked only after its "not sure")
    between = [q for q in questions[opens + 1 : max(first.values())] if not q.not_sure_of]
    assert all(q.key == "symptoms" or q.key in then or q.key == "medications" for q in between)
    assert all(
        (q.when is not None and q.when != conditions.ALWAYS) or q.key in then for q in between
    ), [q.id for q in between]
