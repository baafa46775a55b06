"""Honesty about evidence (docs/policy.md, "Evidence grades", rev 3): each remedy's grade, its
sources and its words, written here by hand from the policy's table and notes."""

from __future__ import annotations

from typing import Any

import pytest

from triage.pipeline import Triage

from .conftest import base_answers

# The policy's table: which grade each remedy of the contract's fixed ids (and the project's
# others) carries. A remedy added to rules/ without a row here fails loudly below.
GRADES = {
    "some-evidence": {"bedtime_stretching"},
    "expert-advice": {
        "stretch_during_cramp", "towel_stretch", "stretch_foot_toes", "stretch_thigh_front",
        "stretch_thigh_back", "calf_massage", "massage_muscle", "warmth", "walk_it_off",
        "cool_down", "sports_drink", "painkillers", "bedtime_thigh_front", "bedtime_thigh_back",
        "loosen_bed_covers", "rest_ice_raise", "daily_stretching", "warm_up", "hydration",
    },
    "observational": {"stay_active"},
    "traditional": {
        "squeeze_roll_calf", "elevate_leg", "rub_soles", "sugar_water", "upper_lip_point",
        "acupressure_calf", "acupressure_foot", "acupressure_thigh_front",
        "acupressure_thigh_back", "acupressure_hand", "hot_foot_soak", "epsom_bath",
        "magnesium_spray", "magnesium_foods", "potassium_foods",
    },
    "not-recommended": {"magnesium_supplement"},
}  # fmt: skip
WORDS = {  # the words shown for each grade (policy table, rev 3)
    "some-evidence": "Some evidence from studies",
    "expert-advice": "Advised by health services or medical bodies, not tested in trials",
    "observational": "Linked to fewer cramps in a study, not tested as a treatment",
    "traditional": "Traditional remedy, not shown to work",
    "not-recommended": "Studies found it does not help most people",
}


def test_every_remedy_has_the_policy_grade(triage: Triage) -> None:
    graded = {rid: grade for grade, ids in GRADES.items() for rid in ids}
    remedies = triage.knowledge.remedies
    unclassified = sorted(set(remedies) - set(graded))
    assert not unclassified, f"remedies with no grade in the policy table here: {unclassified}"
    wrong = {rid: m.evidence for rid, m in remedies.items() if m.evidence != graded[rid]}
    assert not wrong, wrong


def test_grades_rank_and_read_as_the_policy_says(triage: Triage) -> None:
    assert list(triage.knowledge.evidence) == list(WORDS)  # strongest first: the sheet's order
    assert triage.knowledge.evidence == WORDS


def test_warm_up_is_not_cited_to_the_pickle_juice_study(triage: Triage) -> None:
    """F28: Miller 2010 tested pickle juice in a laboratory, not warming up."""
    warm_up = triage.knowledge.remedies["warm_up"]
    assert "miller_2010" not in warm_up.sources
    cites = [triage.knowledge.sources[s].cite for s in warm_up.sources]
    assert any("Orthopaedic Surgeons" in c for c in cites), cites


def sheet(triage: Triage, **changes: Any) -> str:
    answers = triage.contract.check(base_answers(**changes))
    return " ".join(triage.sheet(triage.evaluate(answers), answers, "text", full=True).split())


def test_staying_active_says_what_the_study_found(triage: Triage) -> None:
    text = sheet(triage, timing=["rest"])
    assert "People who sit a lot have more night cramps in one study" in text
    assert "not been tested as a treatment" in text


def test_magnesium_tablets_are_unlikely_to_help_not_harmful(triage: Triage) -> None:
    text = sheet(triage)
    assert "unlikely to help most adults" in text and "diarrhoea" in text
    assert "may harm" not in text


@pytest.mark.parametrize("timing", [["during_exercise"], ["after_exercise"], ["during_work"]])
def test_exercise_cramps_drink_to_thirst(triage: Triage, timing: list[str]) -> None:
    """M11: with exercise, extra water does not prevent cramps; tired muscles do."""
    text = sheet(triage, timing=timing)
    assert (
        "Drink water when you are thirsty" in text and "Extra water does not prevent cramps" in text
    )
    assert "Drink water through the day" not in text


def test_night_cramps_keep_drinking_enough_through_the_day(triage: Triage) -> None:
    text = sheet(triage, timing=["night"])
    assert "Drink water through the day" in text
    assert "Extra water does not prevent cramps" not in text
