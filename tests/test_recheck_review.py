"""The re-check against an independent clinician's follow-up personas (issue 22). Each persona's
own files are in tests/recheck_personas.yaml; what each must and must not do is written here by
hand, from the findings (H5, M1, H3, M5, H1, H9, M10, M4, C1, C3), never from the code's output.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from triage.diary import Entry, fill
from triage.pipeline import Triage
from triage.recheck import Recheck, Rechecker

from .conftest import base_answers
from .test_recheck import FOLLOWUP, Scripted, run, write

ROOT = Path(__file__).resolve().parent.parent
PERSONAS = yaml.safe_load((ROOT / "tests" / "recheck_personas.yaml").read_text(encoding="utf-8"))
WORDS = FOLLOWUP["recheck"]["changes"]
TIERS = ("self-care", "soon", "urgent", "emergency")  # the policy's, least first
NO_SIGNS = "You did not report any warning signs"
FRESH_SOON = "Within 2 weeks"  # the soon sheet's timeframe for a first visit


def persona(triage: Triage, pid: str, **follow_up: Any) -> Recheck:
    """The persona's re-check as `triage recheck SAVED --answers FOLLOW_UP [--diary]` runs it."""
    p = PERSONAS[pid]
    r = Rechecker(triage)
    saved = triage.contract.check(p["saved"])
    later = r.follow_up_from_data({**p["follow_up"], **follow_up}, "followup.yaml")
    entries = [
        Entry(n, datetime.datetime.fromisoformat(e["at"]), e["muscle"], e["duration"], e["pain"],
              e["woke"])
        for n, e in enumerate(p.get("diary", ()), 1)
    ]  # fmt: skip
    day = datetime.date.fromisoformat(later["answered_on"])
    return r.from_file(saved, later, fill(entries, day) if entries else None, "followup.yaml")


def why(done: Recheck) -> str:
    return " ".join(r.text for r in done.result.reasons)


def offered(done: Recheck) -> set[str]:
    return {pick.id for pick in done.result.remedies}


# -- H5: a re-check never quietly drops urgent, emergency or soon advice -------------------------


def test_h5_last_sheet_urgent_not_checked_since_stays_urgent_and_says_do_it_today(
    triage: Triage,
) -> None:
    """P23: urgent (possible clot) 7 days ago, the signs gone, nothing said about being
    checked (counts as not sure): still urgent, one line naming the last advice, no rubbing."""
    done = persona(triage, "P23")
    assert done.previous.disposition == "urgent"
    assert done.result.disposition == "urgent"
    assert "the advice was to get medical help" in why(done)
    assert "If you have not been checked yet, do that today." in why(done)
    assert "calf_massage" not in offered(done) and "massage_muscle" not in offered(done)
    assert any(w.id == "rub_muscle" for w in done.result.withheld_actions)


@pytest.mark.parametrize("answer", ["not_checked", "not_sure"])
def test_h5_no_or_not_sure_keeps_the_last_tier(triage: Triage, answer: str) -> None:
    done = persona(triage, "P23", checked_since=answer)
    assert done.result.disposition == "urgent"


def test_h5_checked_since_lets_the_new_tier_stand_and_says_so(triage: Triage) -> None:
    done = persona(triage, "P23", checked_since="checked")
    assert done.result.disposition == "self-care"  # no sign now, and a doctor has seen them
    assert WORDS["checked"] in done.summary
    assert "If you have not been checked yet" not in why(done)


@pytest.mark.parametrize(
    "symptoms",
    [["breathless_or_chest_pain"], ["one_leg_swollen"], ["numbness_tingling"]],
    ids=["emergency", "urgent", "soon"],
)
def test_h5_every_tier_above_self_care_is_kept_when_the_signs_have_gone(
    triage: Triage, symptoms: list[str]
) -> None:
    """Whatever the last sheet's tier, a re-check with the signs gone and no check since gives
    at least that tier; a check since gives the answers' own (self-care here)."""
    r = Rechecker(triage)
    saved = triage.contract.check(base_answers(answered_on="2026-11-10", symptoms=symptoms))
    before = triage.evaluate(saved).disposition
    assert before != "self-care"
    gone = {"version": 1, "answered_on": "2026-11-17", "symptoms": []}
    kept = r.from_file(saved, r.follow_up_from_data(gone, "f"), None, "f")
    assert TIERS.index(kept.result.disposition) >= TIERS.index(before)
    seen = r.follow_up_from_data({**gone, "checked_since": "checked"}, "f")
    assert r.from_file(saved, seen, None, "f").result.disposition == "self-care"


def test_h5_the_terminal_asks_checked_since_after_the_signs_and_a_saved_emergency_stops_then(
    triage: Triage,
) -> None:
    saved = triage.contract.check(
        base_answers(answered_on="2026-11-10", symptoms=["breathless_or_chest_pain"])
    )
    ask = Scripted(triage, {"emergency_signs": [], "checked_since": "not_checked"})
    done = Rechecker(triage).interview(saved, ask, None, datetime.date(2026, 11, 12))
    assert ask.asked[-1] == "checked_since" and done.stopped_early
    assert ask.asked[0] == "emergency_signs"
    assert done.result.disposition == "emergency"
    assert "If you have not been checked yet, do that now." in why(done)


def test_h5_no_checked_since_question_after_a_self_care_sheet(triage: Triage) -> None:
    saved = triage.contract.check(base_answers(answered_on="2026-11-10"))
    ask = Scripted(
        triage,
        {"changed": False, "frequency": "monthly", "duration": "minutes",
         "sleep_disrupted": False, "stretching_tried": "not_tried"},
    )  # fmt: skip
    Rechecker(triage).interview(saved, ask, None, datetime.date(2026, 12, 1))
    assert "checked_since" not in ask.asked


# -- M1: soon again is "still", not a fresh 2 weeks ----------------------------------------------


@pytest.mark.parametrize("pid", ["P01", "P24"])
def test_m1_soon_again_says_still_and_book_now_not_a_fresh_two_weeks(
    triage: Triage, pid: str
) -> None:
    done = persona(triage, pid)
    assert done.previous.disposition == "soon" and done.result.disposition == "soon"
    assert "The advice is still" in why(done) and "If you have not booked yet, book now." in why(
        done
    )
    assert done.result.advice.timeframe != FRESH_SOON


def test_m1_in_pregnancy_the_soon_line_names_the_midwife(triage: Triage) -> None:
    """The policy routes pregnancy to the midwife at every tier: the "still" line too."""
    r = Rechecker(triage)
    saved = triage.contract.check(
        # rev 3 (C1): frequent cramps in pregnancy stay self-care; a long-term condition is soon
        PERSONAS["P19"]["saved"] | {"conditions": ["thyroid_disease"]}
    )
    assert triage.evaluate(saved).disposition == "soon"
    later = {"version": 1, "answered_on": "2026-12-01", "pregnancy_weeks": 30}
    done = r.from_file(saved, r.follow_up_from_data(later, "f"), None, "f")
    assert "midwife" in why(done) and "If you have not booked yet, book now." in why(done)


def test_m1_after_a_visit_the_soon_advice_starts_again(triage: Triage) -> None:
    done = persona(triage, "P01", checked_since="checked")
    assert done.result.disposition == "soon"  # no better after weeks of stretching
    assert done.result.advice.timeframe == FRESH_SOON
    assert "The advice is still" not in why(done)


# -- H3 and M5: the diary and the person disagree ------------------------------------------------


def test_h3_a_diary_with_more_cramps_than_said_wins_and_the_sheet_says_so(triage: Triage) -> None:
    """P27 says "rare"; the diary has 12 cramps (3 a week: weekly) and 10 woken nights in the
    4 weeks, 9 of the cramps in the last 14 days (4.5 a week: most days, issue 22c): the more
    frequent answer is used, and the sheet says the diary shows more."""
    done = persona(triage, "P27")
    assert done.answers["frequency"] == "most_days" and done.answers["sleep_disrupted"] is True
    assert done.result.disposition == "soon"
    assert "better_than_before" not in {r.rule for r in done.result.reasons}
    assert "your diary shows more than you said" in done.summary


def test_m5_a_diary_with_fewer_cramps_keeps_what_was_said_and_says_so(triage: Triage) -> None:
    """P28 says most days; the diary has 2 in 4 weeks: "most days" is kept (the safer)."""
    done = persona(triage, "P28")
    assert done.answers["frequency"] == "most_days"
    assert done.result.disposition == "soon"
    assert "your diary shows fewer than you said" in done.summary


# -- H1: a re-check never contradicts itself -----------------------------------------------------


def test_h1_a_new_calf_pain_without_a_side_is_read_as_one_leg_and_is_urgent(
    triage: Triage,
) -> None:
    """P32: the saved `sides: both` was about the cramps; the new calf pain's side was not
    given, so it is read as one leg (the safe reading): urgent, no calf rubbing."""
    done = persona(triage, "P32")
    assert done.result.disposition == "urgent"
    assert "calf_massage" not in offered(done)
    assert WORDS["side_assumed"] in done.summary
    assert NO_SIGNS not in why(done)


def test_h1_with_the_side_given_as_both_the_calf_pain_is_not_a_clot_sign(triage: Triage) -> None:
    done = persona(triage, "P32", sides="both")
    assert WORDS["side_assumed"] not in done.summary
    assert not ("warning sign" in done.summary and NO_SIGNS in why(done))


def test_h1_the_terminal_asks_the_side_again_for_a_new_calf_pain(triage: Triage) -> None:
    saved = triage.contract.check(PERSONAS["P32"]["saved"])
    ask = Scripted(
        triage,
        {"urgent_signs": ["calf_pain_between_cramps"], "sides": "one", "changed": False,
         "frequency": "weekly", "duration": "minutes", "sleep_disrupted": False,
         "stretching_tried": "not_sure"},
    )  # fmt: skip
    done = Rechecker(triage).interview(saved, ask, None, datetime.date(2026, 12, 1))
    assert ask.asked.index("sides") > ask.asked.index("urgent_signs")
    assert done.answers["sides"] == "one" and done.result.disposition == "urgent"


def test_h1_c1_no_new_sign_is_named_a_warning_sign_above_no_warning_signs(
    triage: Triage,
) -> None:
    """Every sign the re-check can add, alone, to a saved self-care sheet: if the summary calls
    it a warning sign, the "why" does not say there were none; and the sign's words are in
    lower case mid-sentence (C1), unless they start with an abbreviation."""
    r = Rechecker(triage)
    saved = triage.contract.check(base_answers(answered_on="2026-11-03"))
    signs: dict[str, str] = {}  # a value asked twice (rev 3) is named as its first question asks it
    for q in r.questions:
        for c in q.choices if q.key == "symptoms" else ():
            signs.setdefault(c.value, c.label)
    assert len(signs) > 10
    pregnant = triage.contract.check(
        base_answers(answered_on="2026-11-03", sex="female", age=30, pregnant=True)
    )
    for value, label in signs.items():
        later = r.follow_up_from_data(
            {"version": 1, "answered_on": "2026-12-01", "symptoms": [value]}, "f"
        )
        # rev 3: the pregnancy items are refused for a man; a pregnant woman's saved sheet gains them
        in_pregnancy = value.startswith("pregnancy_") or value == "reduced_movements"
        done = r.from_file(pregnant if in_pregnancy else saved, later, None, "f")
        assert not ("warning sign" in done.summary and NO_SIGNS in why(done)), value
        first = label.split(" ", 1)[0]
        said = label if len(first) > 1 and first.isupper() else label[0].lower() + label[1:]
        assert f": {said}" in done.summary, value


# -- H9 and M10: merging keeps what still applies ------------------------------------------------


def test_h9_given_birth_drops_the_pregnancy_weeks_and_says_so(triage: Triage) -> None:
    done = persona(triage, "P21")
    assert "pregnancy_weeks" not in done.answers
    assert done.answers["pregnant"] is False and done.answers["postpartum"] is True
    assert done.result.disposition == "urgent"  # one leg swollen after birth
    assert WORDS["gave_birth"] in done.summary


def test_h9_the_command_takes_the_follow_up_file(tmp_path: Path) -> None:
    p = PERSONAS["P21"]
    saved = write(tmp_path / "saved.yaml", p["saved"])
    later = write(tmp_path / "followup.yaml", p["follow_up"])
    done = run("recheck", str(saved), "--answers", str(later), "--json")
    assert done.returncode == 0, done.stderr
    assert '"disposition": "urgent"' in done.stdout


@pytest.mark.parametrize(("pid", "weeks"), [("P19", 30), ("P20", 28)])
def test_m10_only_the_new_weeks_keep_the_saved_pregnancy(
    triage: Triage, pid: str, weeks: int
) -> None:
    done = persona(triage, pid)
    assert done.answers["pregnant"] is True and done.answers["pregnancy_weeks"] == weeks
    assert WORDS["weeks_pregnant"].format(value=weeks) in done.summary


def test_m10_pregnancy_warning_signs_at_28_weeks_are_urgent(triage: Triage) -> None:
    assert persona(triage, "P20").result.disposition == "urgent"


def test_h9_the_terminal_drops_the_weeks_once_no_longer_pregnant(triage: Triage) -> None:
    """Interactively: a saved answer whose question no longer applies goes too."""
    from triage.recheck import merge_asked

    saved = triage.contract.check(PERSONAS["P21"]["saved"])
    merged = merge_asked(saved, {"pregnant": False}, triage.questions, {}, triage.questions)
    assert "pregnancy_weeks" not in merged and merged["pregnant"] is False


# -- M4: stretching needs 14 days ----------------------------------------------------------------


def test_m4_one_day_of_stretching_not_helped_is_too_soon_and_changes_no_tier(
    triage: Triage,
) -> None:
    done = persona(triage, "P26c")
    assert done.result.disposition == "self-care"
    assert "stretching_not_helping" not in {r.rule for r in done.result.reasons}
    assert WORDS["too_soon"] in done.summary


def test_m4_one_day_of_stretching_helped_is_too_soon_too(triage: Triage) -> None:
    done = persona(triage, "P26", frequency="weekly")  # the frequency alone unchanged
    assert WORDS["too_soon"] in done.summary
    assert "better_than_before" not in {r.rule for r in done.result.reasons}


def test_m4_at_14_days_stretching_not_helped_is_soon(triage: Triage) -> None:
    r = Rechecker(triage)
    saved = triage.contract.check(base_answers(answered_on="2026-11-17"))
    later = {"version": 1, "answered_on": "2026-12-01", "stretching_tried": "not_helped"}
    done = r.from_file(saved, r.follow_up_from_data(later, "f"), None, "f")
    assert done.result.disposition == "soon"


# -- C3: one wording of the longest cramp --------------------------------------------------------


def test_c3_the_diary_line_words_the_longest_cramp_as_the_diary_does(triage: Triage) -> None:
    done = persona(triage, "P27")
    assert done.diary_line is not None
    diary_words = {
        c["value"]: c["label"] for c in FOLLOWUP["diary"]["questions"]["duration"]["choices"]
    }
    assert diary_words["minutes"].lower() in done.diary_line.lower()
    question = next(q for q in triage.questions if q.key == "duration")
    other = next(c.label for c in question.choices if c.value == "minutes")
    assert other.lower() not in done.diary_line.lower()
