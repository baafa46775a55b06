"""One case per rule of rules/logic/, run through the real durable-rules engine.

Each row gives the smallest change to an ordinary self-care case that should fire the rule;
the test checks the rule fires and that everything it concludes reaches the result.
"""

from __future__ import annotations

from typing import Any

import pytest

from triage.model import TIERS, tier_rank
from triage.pipeline import Triage

from .conftest import base_answers

S = "symptoms"
PREGNANT = {"sex": "female", "age": 30, "pregnant": True, "pregnancy_weeks": 30}

CASES: dict[str, dict[str, Any]] = {
    # emergency
    "clot_in_lung": {S: ["breathless_or_chest_pain"]},
    "blocked_artery": {S: ["cannot_move_foot"]},
    "heat_stroke": {S: ["confused_or_fainting"]},
    "compartment_syndrome": {S: ["injury_tight_calf"]},
    "muscle_breakdown": {S: ["dark_urine", "severe_muscle_pain"]},
    "feels_like_emergency": {S: ["feels_like_emergency"]},
    # urgent
    "possible_dvt": {S: ["red_warm_skin"]},
    "long_cramp": {"duration": "over_10_minutes"},
    "tetanus_or_toxin": {S: ["toxin_exposure"]},
    "statin_muscle_symptoms": {"medications": ["statin"], S: ["new_weakness"]},
    "nerve_signs": {S: ["cramps_elsewhere"]},
    "fluid_loss": {S: ["fluid_loss"]},
    "heat_cramps_at_risk": {S: ["heat_exertion"], "conditions": ["heart_failure_or_low_salt_diet"]},
    "pre_eclampsia_signs": {**PREGNANT, S: ["pregnancy_warning_signs"]},
    "injury_with_swelling": {S: ["recent_injury", "swelling_both_legs"]},
    "dark_urine": {S: ["dark_urine"]},
    "severe_muscle_pain": {S: ["severe_muscle_pain"]},
    # soon
    "cramps_most_days": {"frequency": "most_days"},
    "frequent_and_disruptive": {"frequency": "weekly", "daily_life_affected": True},
    "stretching_not_helping": {"stretching_not_helping": True},
    "gradual_wasting": {S: ["gradual_wasting"]},
    "numbness_tingling": {S: ["numbness_tingling"]},
    "swelling_both_legs": {S: ["swelling_both_legs"]},
    "claudication": {S: ["walking_pain_eases_rest"]},
    "medicine_linked": {"medications": ["laba_inhaler"]},
    "taking_quinine": {"medications": ["quinine"]},
    "long_term_condition": {"conditions": ["thyroid_disease"]},
    "thirst_or_weight_loss": {S: ["thirst_urination"]},
    "heavy_alcohol": {"conditions": ["heavy_alcohol"]},
    "restless_legs_sleep": {S: ["urge_to_move"], "sleep_disrupted": True},
    "recent_injury": {S: ["recent_injury"]},
    "clot_risk_one_side": {"sex": "female", "medications": ["oestrogen"]},
    # self-care
    "no_warning_signs": {},
    "exercise_cramps": {"timing": ["after_exercise"]},
    "heat_cramps": {S: ["heat_exertion"]},
    "pregnancy_cramps": PREGNANT,
    "after_birth": {"sex": "female", "age": 30, "pregnant": False, "postpartum": True},
    "weekly_untroubled": {"frequency": "weekly"},
    "pregnant_frequent_untroubled": {**PREGNANT, "frequency": "most_days"},
    # remedies
    "offer_for_everyone": {},
    "offer_for_calf": {"locations": ["calf"]},
    "offer_for_foot": {"locations": ["toes"]},
    "offer_for_thigh_front": {"locations": ["thigh_front"]},
    "offer_for_thigh_back": {"locations": ["thigh_back"]},
    "offer_bedtime_routine": {"timing": ["rest"]},
    "offer_for_exercise": {"timing": ["during_exercise"]},
    "offer_for_heat": {S: ["heat_exertion"]},
    # safety filters
    "pregnancy_acupressure_filter": PREGNANT,
    "pregnancy_supplement_filter": PREGNANT,
    "pregnancy_heat_filter": PREGNANT,
    "sugar_filter": {"conditions": ["prediabetes"]},
    "numb_feet_filter": {"conditions": ["peripheral_artery_disease"]},
    "kidney_filter": {"conditions": ["dialysis"]},
    "potassium_medicine_filter": {"medications": ["ace_inhibitor_or_arb"]},
    "clot_filter": {S: ["one_leg_swollen"]},
    "older_adult_filter": {"age": 65},
    "low_salt_filter": {"conditions": ["heart_failure_or_low_salt_diet"], S: ["heat_exertion"]},
    # warnings and "this may not be a cramp"
    "quinine_warning": {},
    "hormone_clot_risk": {"sex": "female", "medications": ["raloxifene"], "sides": "both"},
    "restless_legs_pattern": {S: ["urge_to_move"]},
    "heel_pain_pattern": {S: ["heel_pain_first_steps"]},
    "neuropathy_pattern": {"conditions": ["neuropathy"]},
    "previous_clot_one_side": {"conditions": ["previous_clot"]},
}


def test_every_rule_has_a_case(triage: Triage) -> None:
    """Adding a rule without a case here fails, and so does a case for a rule that is gone."""
    assert set(CASES) == {r.id for r in triage.knowledge.rules}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule(triage: Triage, rule_id: str) -> None:
    """The rule fires on its case, and each of its conclusions reaches the result."""
    rule = next(r for r in triage.knowledge.rules if r.id == rule_id)
    answers = triage.contract.check(base_answers(**CASES[rule_id]))
    assert rule_id in triage.engine.fired(answers)
    result = triage.evaluate(answers)
    if rule.tier:
        assert tier_rank(result.disposition) >= tier_rank(rule.tier)
        if rule.tier != TIERS[0] or result.disposition == TIERS[0]:
            assert rule_id in [r.rule for r in result.reasons]
    shown = {m.id for m in result.remedies} | {w.id for w in result.withheld}
    assert set(rule.offer) <= shown
    withheld = {w.id for w in result.withheld}
    assert {rid for rid, _ in rule.withhold if rid in shown} <= withheld
    for rid, caution in rule.caution:
        pick = next((m for m in result.remedies if m.id == rid), None)
        assert pick is None or triage.knowledge.cautions[caution] in pick.cautions
    assert set(rule.warn) <= {w.id for w in result.warnings}
    assert set(rule.consider) <= {c.id for c in result.consider}


def test_base_case_is_plain_self_care(triage: Triage) -> None:
    """The ordinary case fires only the always-on rules: no tier above self-care, nothing withheld."""
    result = triage.evaluate(triage.contract.check(base_answers()))
    assert result.disposition == "self-care"
    assert [r.rule for r in result.reasons] == ["no_warning_signs"]
    assert result.withheld == [] and [w.id for w in result.warnings] == ["quinine"]


@pytest.mark.parametrize(("rule_id", "changes"), [
    ("cramps_most_days", {**PREGNANT, "frequency": "most_days"}),
    ("swelling_both_legs", {**PREGNANT, S: ["swelling_both_legs"]}),
    ("frequent_and_disruptive", {"frequency": "monthly", "sleep_disrupted": True}),
    ("muscle_breakdown", {S: ["dark_urine"]}),
    ("statin_muscle_symptoms", {S: ["new_weakness"]}),
    ("clot_risk_one_side", {"sex": "female", "medications": ["oestrogen"], "sides": "both"}),
    ("older_adult_filter", {"age": 64}),
    ("heat_cramps_at_risk", {S: ["heat_exertion"]}),
])
def test_rule_does_not_fire_outside_its_case(triage: Triage, rule_id: str, changes: dict[str, Any]) -> None:
    """Near misses: the boundary of each rule with an exception or a threshold holds."""
    assert rule_id not in triage.engine.fired(triage.contract.check(base_answers(**changes)))
