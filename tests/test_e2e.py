"""The installed `triage` in a real pseudo-terminal, answered by keystrokes derived from the loaded
questions (tests/keys.py), 100x50."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from triage.answer import contract_answers
from triage.pipeline import Triage

from .conftest import base_answers
from .keys import CTRL_B, ENTER, for_answers, part
from .screen import Pty, answer, flat, words

pytestmark = pytest.mark.e2e


def spawn(*args: str) -> Pty:
    return Pty.triage(*args, rows=50, columns=100, env={"PAGER": ""})


def through_the_review(term: Pty, triage: Triage) -> None:
    """Enter on each page of the review until the questionnaire ends."""
    term.see(words(triage.phrases("review.keys")))
    while term.child.isalive():
        before = term.text()
        term.send(ENTER)
        term.wait(
            lambda before=before: term.text() != before or not term.child.isalive(),
            "the next screen",
        )
        term.settle(0.3)


def test_whole_questionnaire_by_keystrokes(tmp_path: Path, triage: Triage) -> None:
    saved, sheet = tmp_path / "saved.yaml", tmp_path / "sheet.txt"
    term = spawn("--save-answers", str(saved), "--out", str(sheet))
    answer(term, for_answers(triage.questions, base_answers()))
    through_the_review(term, triage)
    assert term.finish() == 0
    assert yaml.safe_load(saved.read_text(encoding="utf-8")) == base_answers(
        answered_on=date.today()
    )
    tier = triage.knowledge.tiers["self-care"]
    assert sheet.read_text(encoding="utf-8").startswith("=" * 78 + f"\n{tier.label.upper()}: ")


def test_emergency_answer_stops_at_once(triage: Triage) -> None:
    term = spawn("--country", "uk")
    chest = base_answers(symptoms=["breathless_or_chest_pain"])
    pairs = for_answers(triage.questions, chest)
    at = next(n for n, (q, _) in enumerate(pairs) if q.key == "symptoms")  # the emergency screen
    answer(term, pairs[: at + 1])
    term.see("Call 999 now")
    assert term.finish() == 0
    assert pairs[at + 1][0].prompt not in flat(term.lines())
    assert triage.knowledge.tiers["emergency"].label in flat(term.lines())


VOMITING = {"vomiting_or_diarrhoea", "fluid_loss"}
# Every emergency rule of policy rev 3, as the answers a person gives (added to the ordinary case)
# and, written from the policy, when the answers so far decide it. The questionnaire must stop at
# the first question after which they do, whatever the order of rules/questions.yaml.
EARLY_STOPS: dict[str, tuple[dict[str, Any], Callable[[dict[str, Any]], bool]]] = {
    "dark urine, harder exercise": (
        {"symptoms": ["dark_urine", "unusual_exertion"]},
        lambda a: {"dark_urine", "unusual_exertion"} <= set(a.get("symptoms", ())),
    ),
    "dark urine, a fall": (
        {"symptoms": ["dark_urine", "recent_fall"]},
        lambda a: {"dark_urine", "recent_fall"} <= set(a.get("symptoms", ())),
    ),
    "dark urine, a statin": (
        {"symptoms": ["dark_urine"], "medications": ["statin"]},
        lambda a: "dark_urine" in a.get("symptoms", ()) and "statin" in a.get("medications", ()),
    ),
    "long cramp, new numbness": (
        {"symptoms": ["new_numbness"], "duration": "over_10_minutes"},
        lambda a: (
            "new_numbness" in a.get("symptoms", ()) and a.get("duration") == "over_10_minutes"
        ),
    ),
    "both legs worse": (
        {"symptoms": ["both_legs_worsening"]},
        lambda a: "both_legs_worsening" in a.get("symptoms", ()),
    ),
    "bladder, bowel, saddle": (
        {"symptoms": ["bladder_bowel_saddle"]},
        lambda a: "bladder_bowel_saddle" in a.get("symptoms", ()),
    ),
    "new confusion": (
        {"answering_for": "someone_else", "symptoms": ["new_confusion"]},
        lambda a: "new_confusion" in a.get("symptoms", ()),
    ),
    "65 and over, fallen, cannot stand": (
        {"age": 83, "sex": "female", "symptoms": ["recent_fall"], "can_bear_weight": "unable"},
        lambda a: (
            a.get("age", 0) >= 65
            and "recent_fall" in a.get("symptoms", ())
            and a.get("can_bear_weight") == "unable"
        ),
    ),
    "pregnancy emergency": (
        {
            "age": 30,
            "sex": "female",
            "pregnant": True,
            "pregnancy_weeks": 7,
            "symptoms": ["pregnancy_emergency"],
        },
        lambda a: "pregnancy_emergency" in a.get("symptoms", ()),
    ),
    "long event, vomiting": (
        {"symptoms": ["vomiting_or_diarrhoea", "endurance_overdrinking"]},
        lambda a: (
            "endurance_overdrinking" in a.get("symptoms", ())
            and bool(VOMITING & set(a.get("symptoms", ())))
        ),
    ),
    "under 18, thirst, vomiting": (
        {"age": 16, "symptoms": ["vomiting_or_diarrhoea", "thirst_urination"]},
        lambda a: (
            a.get("age", 99) < 18
            and "thirst_urination" in a.get("symptoms", ())
            and bool(VOMITING & set(a.get("symptoms", ())))
        ),
    ),
    "tetanus signs": (
        {"symptoms": ["dirty_wound", "tetanus_signs"]},
        lambda a: "tetanus_signs" in a.get("symptoms", ()),
    ),
}


@pytest.mark.parametrize("case", list(EARLY_STOPS))
def test_every_emergency_stops_the_questionnaire_where_it_is_decided(
    triage: Triage, case: str
) -> None:
    """Policy rev 3, "Early stop": the answer that makes it an emergency is the last question
    asked; the sheet shows at once (what to do now), with no review."""
    changes, decided = EARLY_STOPS[case]
    answers = base_answers(**changes)
    pairs = for_answers(triage.questions, answers)
    at = next(
        n
        for n in range(len(pairs))
        if decided(
            contract_answers(triage.questions, {q.id: part(q, answers) for q, _ in pairs[: n + 1]})
        )
    )
    term = spawn("--country", "uk")
    answer(term, pairs[: at + 1])
    term.see("Call 999 now")
    assert term.finish() == 0
    shown = bytes(term.raw).decode(errors="replace")

    def count(n: int) -> str:  # "Question n of at most "
        return triage.phrases("progress", n=n, most="{most}").split("{most}")[0]

    assert count(at + 1) in shown and count(at + 2) not in shown, (case, at)
    assert triage.phrases("review.keys") not in shown  # no review either


def test_going_back_to_change_an_answer(tmp_path: Path, triage: Triage) -> None:
    saved = tmp_path / "saved.yaml"
    term = spawn("--save-answers", str(saved), "--out", str(tmp_path / "sheet.txt"))
    keys: list[tuple[Any, str]] = for_answers(triage.questions, base_answers(age=70))
    at = next(n for n, (q, _) in enumerate(keys) if q.id == "age")
    age, sex = keys[at][0], keys[at + 1][0]
    answer(term, [*keys[:at], (age, "45" + ENTER), (sex, CTRL_B), *keys[at:]])
    through_the_review(term, triage)
    assert term.finish() == 0
    assert yaml.safe_load(saved.read_text(encoding="utf-8")) == base_answers(
        age=70, answered_on=date.today()
    )


def test_ctrl_c_mid_questionnaire_exits_130_and_saves_nothing(
    tmp_path: Path, triage: Triage
) -> None:
    saved = tmp_path / "saved.yaml"
    term = spawn("--save-answers", str(saved))
    keys = for_answers(triage.questions, base_answers())
    answer(term, keys[:5])
    term.wait(lambda: term.current().startswith(f"? {keys[5][0].prompt}"), "the sixth question")
    term.child.sendintr()
    assert term.finish() == 130
    assert "Stopped. Nothing was saved." in bytes(term.raw).decode() and not saved.exists()


@pytest.mark.parametrize("option", ["--save-answers", "--out"])
def test_an_output_that_cannot_be_written_stops_before_the_first_question(
    tmp_path: Path, triage: Triage, option: str
) -> None:
    """Issue 17: `--save-answers nope/me.yaml` used to ask all 19 questions, then lose them."""
    term = spawn(option, str(tmp_path / "nope" / "me.yaml"))
    assert term.finish() == 2
    shown = bytes(term.raw).decode()
    assert "does not exist" in shown and triage.questions[0].prompt not in shown


def test_a_number_int_refuses_and_a_pasted_escape_do_not_wedge_the_terminal(
    triage: Triage,
) -> None:
    """Issue 17: '4²' at the age question gave a traceback and then ignored every key; a pasted
    '\\x1b[0m' showed "Press ENTER to continue". Now both are shrugged off and Ctrl-C works."""
    term = spawn()
    keys = for_answers(triage.questions, base_answers())
    at = next(n for n, (q, _) in enumerate(keys) if q.type == "number")
    (first, first_keys), number = keys[0], keys[at][0]
    answer(term, [(first, "\x1b[0m" + first_keys), *keys[1:at]])
    term.wait(lambda: term.current().startswith(f"? {number.prompt}"), repr(number.prompt))
    term.settle(0.3)
    term.send("4²" + ENTER)
    term.see("Please type a whole number, like 42.")
    term.child.sendintr()
    assert term.finish() == 130
    shown = bytes(term.raw).decode()
    assert "Traceback" not in shown and "Press ENTER" not in shown
