"""The interview without a terminal: order, branching, going back, "not sure" follow-ups, the
early stop and the review, driven by an asker that answers from a table (triage.interview);
and one answer in its question's words, and tick lists merged into contract keys
(triage.answer)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from triage import conditions
from triage.answer import answer_words, contract_answers, merge_answer
from triage.interview import BACK, Interview, number_check, review_pick
from triage.model import NOT_SURE, Choice, Question
from triage.pipeline import Triage

from .conftest import base_answers
from .keys import part

WORDS = {"yes": "Oui", "no": "Non"}  # not the shipped words: these must come from the question
SEX = Question(
    "sex",
    "sex",
    "select",
    "Sex?",
    choices=(Choice("female", "Female"), Choice("male", "Male")),
    **WORDS,
)
PREGNANT = Question(
    "pregnant",
    "pregnant",
    "confirm",
    "Pregnant?",
    when=conditions.Test("sex", "eq", "female"),
    **WORDS,
)
SIGNS = Question(
    "signs",
    "symptoms",
    "checkbox",
    "Any of these?",
    choices=(Choice("chest_pain", "Chest pain"), Choice("dark_urine", "Dark urine")),
    none_label="None of these",
    not_sure="Not sure about one",
    **WORDS,
)
WHICH = Question(
    "signs_not_sure",
    "symptoms_not_sure",
    "checkbox",
    "Which ones?",
    choices=SIGNS.choices,
    none_label="None: I am sure",
    not_sure_of="signs",
    **WORDS,
)
MORE = Question(
    "more",
    "symptoms",
    "checkbox",
    "And these?",
    choices=(Choice("twitching", "Twitching"), Choice("dark_urine", "Dark urine")),
    none_label="None of these",
    **WORDS,
)
AGE = Question("age", "age", "number", "Age?", minimum=12, maximum=120, **WORDS)
MINI = (SEX, PREGNANT, SIGNS, WHICH, MORE, AGE)


class Seq(list[Any]):
    """Answers to one question, given one after another as it is asked again (a tick list's
    answer is a list too, so a sequence has its own type)."""


class Table:
    """An asker answering from `script` by question id: a `Seq` is popped in order (BACK goes
    back), anything else is the answer every time. It records each question asked with the
    answer it offered; `changes` are the review's picks, in order, then None."""

    def __init__(self, script: Mapping[str, Any], changes: list[str] | None = None) -> None:
        self.script = dict(script)
        self.changes = list(changes or [])
        self.asked: list[tuple[str, Any]] = []
        self.reviews: list[list[tuple[str, Any]]] = []
        self.positions: list[tuple[int, int, bool]] = []
        self.span: tuple[int, int] | None = None

    def __call__(self, q: Question, default: Any) -> Any:
        self.asked.append((q.id, default))
        answer = self.script[q.id]
        return answer.pop(0) if isinstance(answer, Seq) else answer

    def start(self, least: int, most: int) -> None:
        self.span = (least, most)

    def progress(self, n: int, most: int, can_go_back: bool) -> None:
        self.positions.append((n, most, can_go_back))

    def review(self, asked: list[tuple[Question, Any]]) -> str | None:
        self.reviews.append([(q.id, value) for q, value in asked])
        return self.changes.pop(0) if self.changes else None

    def ids(self) -> list[str]:
        return [qid for qid, _ in self.asked]


def script(**answers: Any) -> dict[str, Any]:
    """Every question of MINI answered plainly, but as given."""
    plain = {"sex": "male", "pregnant": False, "signs": [], "signs_not_sure": [], "more": []}
    return {**plain, "age": 40, **answers}


def test_questions_come_in_order_and_a_when_that_fails_skips_one() -> None:
    man = Table(script())
    assert Interview(MINI, man).run() == {
        "version": 1,
        "sex": "male",
        "symptoms": [],
        "age": 40,
    }
    assert man.ids() == ["sex", "signs", "more", "age"]
    woman = Table(script(sex="female", pregnant=True))
    assert Interview(MINI, woman).run()["pregnant"] is True
    assert woman.ids() == ["sex", "pregnant", "signs", "more", "age"]


def test_going_back_undoes_the_answer_before_and_offers_it_again() -> None:
    """Back at 'pregnant' asks the sex again, offering 'female'; 'male' then skips 'pregnant',
    whose answer is gone."""
    ask = Table(script(sex=Seq(["female", "male"]), pregnant=Seq([BACK])))
    answers = Interview(MINI, ask).run()
    assert ask.asked[:4] == [("sex", None), ("pregnant", None), ("sex", "female"), ("signs", None)]
    assert answers["sex"] == "male" and "pregnant" not in answers


def test_going_back_at_the_first_question_stays_there() -> None:
    ask = Table(script(sex=Seq([BACK, "male"])))
    Interview(MINI, ask).run()
    assert ask.ids()[:2] == ["sex", "sex"]


def test_not_sure_asks_which_ones_and_is_never_a_value_of_the_list() -> None:
    ask = Table(script(signs=[NOT_SURE, "dark_urine"], signs_not_sure=["dark_urine"]))
    answers = Interview(MINI, ask).run()
    assert ask.ids() == ["sex", "signs", "signs_not_sure", "more", "age"]
    assert answers["symptoms"] == ["dark_urine"]  # and not NOT_SURE
    assert answers["symptoms_not_sure"] == ["dark_urine"]
    sure = Table(script(signs=["dark_urine"]))
    Interview(MINI, sure).run()
    assert "signs_not_sure" not in sure.ids()


def test_tick_lists_of_one_key_merge_in_order_each_value_once() -> None:
    ask = Table(script(signs=["dark_urine"], more=["twitching", "dark_urine"]))
    assert Interview(MINI, ask).run()["symptoms"] == ["dark_urine", "twitching"]


def test_the_early_stop_ends_at_once_without_a_review() -> None:
    ask = Table(script(signs=["chest_pain"]), changes=["sex"])
    interview = Interview(MINI, ask, stop=lambda a: "chest_pain" in a.get("symptoms", ()))
    answers = interview.run()
    assert interview.stopped_early and ask.ids() == ["sex", "signs"] and ask.reviews == []
    assert answers == {"version": 1, "sex": "male", "symptoms": ["chest_pain"]}


def test_the_review_shows_every_answer_and_a_change_asks_only_what_it_changes() -> None:
    """A woman, not pregnant, changes her sex to male at the review: 'pregnant' goes (not
    asked, not shown), nothing else is asked again, and the review is shown again."""
    ask = Table(script(sex=Seq(["female", "male"])), changes=["sex"])
    answers = Interview(MINI, ask).run()
    first, second = ask.reviews
    assert [qid for qid, _ in first] == ["sex", "pregnant", "signs", "more", "age"]
    assert ("pregnant", False) in first and ("age", 40) in first
    assert [qid for qid, _ in second] == ["sex", "signs", "more", "age"]
    assert ask.asked[-1] == ("sex", "female")  # the change offers the answer it replaces
    assert ask.ids().count("age") == 1
    assert answers == {"version": 1, "sex": "male", "symptoms": [], "age": 40}


def test_a_change_at_the_review_asks_the_questions_that_now_apply() -> None:
    ask = Table(script(sex=Seq(["male", "female"]), pregnant=True), changes=["sex"])
    answers = Interview(MINI, ask).run()
    assert ask.ids()[-2:] == ["sex", "pregnant"]
    assert answers["pregnant"] is True and len(ask.reviews) == 2


def test_going_back_from_a_changed_question_goes_through_the_answers_before_it() -> None:
    ask = Table(script(more=Seq([[], BACK, ["twitching"]])), changes=["more"])
    Interview(MINI, ask).run()
    after = ask.ids()[ask.ids().index("age") + 1 :]
    assert after == ["more", "signs", "more"]  # back from 'more' reaches 'signs', kept answers on


def test_the_count_is_told_before_each_question() -> None:
    ask = Table(script(sex="female", signs=[NOT_SURE], signs_not_sure=["chest_pain"]))
    Interview(MINI, ask).run()
    assert ask.span == (4, 6)  # sex, signs, more, age; at most with 'pregnant' and 'which ones'
    assert [n for n, _, _ in ask.positions] == [1, 2, 3, 4, 5, 6]
    assert [back for _, _, back in ask.positions] == [False] + [True] * 5


def test_review_pick_names_the_answer_by_its_number_and_back_is_the_last() -> None:
    asked = [(SEX, "male"), (SIGNS, []), (AGE, 40)]
    assert review_pick(asked, 1) == "sex" and review_pick(asked, 3) == "age"
    assert review_pick(asked, BACK) == "age"
    assert review_pick(asked, 0) is None and review_pick(asked, 4) is None
    assert review_pick(asked, None) is None


def test_an_answer_in_its_questions_own_words() -> None:
    assert answer_words(PREGNANT, True) == "Oui" and answer_words(PREGNANT, False) == "Non"
    assert answer_words(SEX, "female") == "Female"
    assert answer_words(SIGNS, ["dark_urine", NOT_SURE]) == "Dark urine; Not sure about one"
    assert answer_words(SIGNS, []) == "None of these"
    assert answer_words(SIGNS._replace(none_label=""), []) == "Non"
    assert answer_words(AGE, 40) == "40"


def test_merge_answer_puts_each_answer_under_its_key() -> None:
    answers: dict[str, Any] = {}
    merge_answer(answers, SIGNS, ["dark_urine", NOT_SURE])
    merge_answer(answers, MORE, ["twitching", "dark_urine"])
    merge_answer(answers, AGE, 40)
    merge_answer(answers, AGE, 41)
    assert answers == {"symptoms": ["dark_urine", "twitching"], "age": 41}
    assert contract_answers(MINI, {"more": ["twitching"], "signs": ["chest_pain"]}) == {
        "version": 1,
        "symptoms": ["chest_pain", "twitching"],  # in the questions' order, not the table's
    }


def test_a_typed_number_is_checked_in_the_words_of_ui_yaml(triage: Triage) -> None:
    say = triage.phrases
    check = number_check(AGE, say)
    assert check("45") is True
    assert check("4²") == say("enter.number")
    assert check("121") == say("enter.range", minimum=12, maximum=120) != say("enter.number")
    assert (
        number_check(AGE._replace(below_minimum="Ask a grown-up."), say)("8") == "Ask a grown-up."
    )


def test_the_real_questions_asked_from_a_table_give_its_answers(triage: Triage) -> None:
    wanted = base_answers(age=30, sex="female", pregnant=True, pregnancy_weeks=28)
    ask = Table({q.id: part(q, wanted) for q in triage.questions if q.key in wanted})
    assert Interview(triage.questions, ask).run() == wanted
    assert "pregnancy_weeks" in ask.ids() and "postpartum" not in ask.ids()


def test_every_loaded_question_has_the_yes_and_no_of_ui_yaml(triage: Triage) -> None:
    """The words of a yes and a no, and a tick list's "None of these" when questions.yaml gives
    none, come from rules/ui.yaml through the loader, for the re-check's questions too."""
    say = triage.phrases
    recheck, _ = triage.recheck_questions
    for q in (*triage.questions, *recheck):
        assert (q.yes, q.no) == (say("answer.yes"), say("answer.no")), q.id
    assert any(q.none_label == say("answer.none") for q in triage.questions)
