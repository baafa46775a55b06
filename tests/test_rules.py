"""One case per rule of rules/logic/, run through the real durable-rules engine.

Each row gives the smallest change to an ordinary self-care case that should fire the rule,
and EXPECT says, hard-coded, what the rule must conclude: its tier, the remedies it offers,
withholds and cautions, its warnings and "this may not be a cramp" ids. Nothing is read back
from the rule under test, so weakening a rule (a lower tier, a dropped withhold) fails here.
The policy-level expectations, independent of how the rules are cut, are in tests/oracle.py.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from triage.model import TIERS, tier_rank
from triage.pipeline import Triage
from triage.reading import read

from .conftest import base_answers

S = "symptoms"
ABSENT = "(left out)"  # a key the case leaves out of the answers (rev 3: not reported)
PREGNANT = {"sex": "female", "age": 30, "pregnant": True, "pregnancy_weeks": 30}

CASES: dict[str, dict[str, Any]] = {
    # emergency
    "still_emergency": {"previous_disposition": "emergency"},  # checked_since not given
    "clot_in_lung": {S: ["breathless_or_chest_pain"]},
    "blocked_artery": {S: ["cannot_move_foot"]},
    "heat_stroke": {S: ["confused_or_fainting"]},
    "compartment_syndrome": {S: ["injury_tight_calf"]},
    "muscle_breakdown": {S: ["dark_urine", "unusual_exertion"]},  # rev 3: any cause, not only pain
    "feels_like_emergency": {S: ["feels_like_emergency"]},
    "both_legs_worsening": {S: ["both_legs_worsening"]},
    "overdrinking_with_vomiting": {S: ["endurance_overdrinking", "fluid_loss"]},
    "broken_bone_older": {"age": 70, S: ["recent_fall"], "can_bear_weight": "not_sure"},
    # rev 3: the emergency rules that came with the emergency slice of issue 20
    "new_confusion": {S: ["new_confusion"]},
    "long_cramp_numb_or_weak": {"duration": "over_10_minutes", S: ["new_weakness"]},
    "bladder_bowel_saddle": {S: ["bladder_bowel_saddle"]},
    "pregnancy_emergency": {**PREGNANT, "pregnancy_weeks": 8, S: ["pregnancy_emergency"]},
    "child_ketoacidosis": {"age": 14, S: ["thirst_urination", "vomiting_or_diarrhoea"]},
    "tetanus": {S: ["dirty_wound", "tetanus_signs"]},
    # urgent
    "possible_dvt": {S: ["red_warm_skin"]},
    "calf_pain_one_side": {S: ["calf_pain_between_cramps"]},
    "child_diabetes_signs": {"age": 15, S: ["thirst_urination"]},
    "adult_diabetes_signs": {S: ["thirst_urination", "weight_loss"]},
    "foot_pain_at_rest": {S: ["foot_pain_at_rest"]},
    "long_cramp": {"duration": "over_10_minutes"},
    "tetanus_or_toxin": {S: ["toxin_exposure"]},
    "statin_muscle_symptoms": {"medications": ["statin"], S: ["new_weakness"]},
    "new_weakness_or_numbness": {S: ["new_numbness"]},
    "cramps_elsewhere": {S: ["cramps_elsewhere"]},
    "lithium_level": {"medications": ["lithium"], S: ["heat_exertion"]},
    "sick_day": {"medications": ["ace_inhibitor_or_arb"], S: ["vomiting_or_diarrhoea"]},
    "injury_blood_thinner": {"medications": ["anticoagulant"], S: ["recent_fall"]},
    "fluid_loss": {S: ["vomiting_or_diarrhoea"]},
    "sweating_at_risk": {S: ["heavy_sweating"], "medications": ["ace_inhibitor_or_arb"]},
    "heat_cramps_at_risk": {S: ["heat_exertion"], "conditions": ["heart_failure_or_low_salt_diet"]},
    "pre_eclampsia_signs": {**PREGNANT, S: ["pregnancy_warning_signs"]},
    "injury_with_swelling": {S: ["recent_injury", "swelling_both_legs"]},
    "dark_urine": {S: ["dark_urine"]},
    "severe_muscle_pain": {S: ["severe_muscle_pain"]},
    "fall_or_injury_older": {"age": 65, S: ["recent_fall"], "can_bear_weight": "able"},
    "cannot_bear_weight": {S: ["recent_injury"], "can_bear_weight": "unable"},
    # rev 3: tummy pain in pregnancy (P49)
    "early_pregnancy_pain": {
        **PREGNANT,
        "pregnant": "not_sure",
        "pregnancy_weeks": ABSENT,
        S: ["pregnancy_belly_pain"],
    },
    "later_pregnancy_pain": {**PREGNANT, S: ["pregnancy_belly_pain"]},
    # rev 3 (issue 20, round 3): pregnancy and after-birth signs, the recent clot risk, children
    "later_pregnancy_signs": {**PREGNANT, S: ["reduced_movements"]},
    "after_birth_bleeding": {
        "sex": "female",
        "age": 30,
        "pregnant": False,
        "weeks_since_birth": 9,
        "postpartum": False,
        S: ["pregnancy_bleeding"],
    },
    "recent_clot_risk_one_calf": {"conditions": ["recent_surgery_or_bed_rest"]},
    "child_fever_or_limp": {"age": 13, S: ["limp"]},
    "fever_leg_pain": {S: ["fever"]},
    # soon
    "still_urgent": {"previous_disposition": "urgent", "checked_since": "not_sure"},
    "still_soon": {"previous_disposition": "soon", "checked_since": "not_checked"},
    "cramps_most_days": {"frequency": "most_days"},
    "frequent_and_disruptive": {"frequency": "weekly", "daily_life_affected": True},
    "stretching_not_helping": {"stretching_not_helping": True, "stretching_tried": ABSENT},
    "more_often_than_before": {"frequency": "weekly", "previous_frequency": "rare"},
    "gradual_wasting": {S: ["gradual_wasting"]},
    "numbness_tingling": {S: ["numbness_tingling"]},
    "swelling_both_legs": {S: ["swelling_both_legs"]},
    "claudication": {S: ["walking_pain_eases_rest"]},
    "medicine_linked": {"medications": ["laba_inhaler"]},
    "medicine_unknown_linked": {
        "medications": ["not_sure_which"],
        "cramps_began_with_medicine": "not_sure",
    },
    "taking_quinine": {"medications": ["quinine"]},
    "nsaid_blood_thinner": {"medications": ["antiplatelet", "naproxen"]},
    "lithium_interaction": {"medications": ["lithium", "loop_diuretic"]},
    # rev 3: the interaction rows (rules/interactions.yaml)
    "calcium_or_lithium_thirst": {"medications": ["teriparatide"], S: ["thirst_urination"]},
    "kidney_combination": {"medications": ["ace_inhibitor_or_arb", "diuretic_unknown", "naproxen"]},
    "quinine_pregnancy": {"sex": "female", "age": 30, "pregnant": True, "medications": ["quinine"]},
    "nsaid_pregnancy": {
        "sex": "female",
        "age": 30,
        "pregnant": True,
        "medications": ["other_nsaid"],
    },
    "quinine_blood_thinner": {"medications": ["anticoagulant", "quinine"]},
    "nsaid_with_condition": {"medications": ["naproxen"], "conditions": ["liver_disease"]},
    "long_term_condition": {"conditions": ["thyroid_disease"]},
    "dialysis_cramps": {"conditions": ["dialysis"], "timing": ["during_dialysis"]},
    "thyroid_signs": {S: ["thyroid_signs"]},
    "twitching": {S: ["twitching"]},
    "thirst_or_weight_loss": {S: ["thirst_urination"]},
    "weight_loss": {S: ["weight_loss"]},
    "heavy_alcohol": {"conditions": ["heavy_alcohol"]},
    "restless_legs_sleep": {S: ["urge_to_move"], "sleep_disrupted": True},
    "recent_injury": {S: ["recent_injury"]},
    "clot_risk_one_side": {"sex": "female", "pregnant": False, "medications": ["oestrogen"]},
    "child_bone_signs": {"age": 12, S: ["lump_or_swelling"]},
    "adult_child_signs": {S: ["limp"]},
    # self-care
    "no_warning_signs": {},
    "warning_signs_not_checked": {S: ABSENT},
    "exercise_cramps": {"timing": ["after_exercise"]},
    "heat_cramps": {S: ["heat_exertion"]},
    "pregnancy_cramps": PREGNANT,
    "after_birth": {"sex": "female", "age": 30, "pregnant": False, "postpartum": True},
    "weekly_untroubled": {"frequency": "weekly"},
    "pregnant_frequent_untroubled": {**PREGNANT, "frequency": "most_days"},
    # rev 3, the follow-up (a re-check's answers)
    "better_than_before": {"frequency": "rare", "previous_frequency": "weekly"},
    "growing_pains": {"age": 12, "sides": "both"},
    # remedies
    "offer_for_everyone": {},
    "offer_for_calf": {"locations": ["calf"]},
    "offer_for_foot": {"locations": ["toes"]},
    "offer_for_thigh_front": {"locations": ["thigh_front"]},
    "offer_for_thigh_back": {"locations": ["thigh_back"]},
    "offer_bedtime_routine": {"timing": ["rest"]},
    "offer_bedtime_calf_stretch": {"timing": ["rest"], "locations": ["foot"]},
    "offer_bedtime_thigh_front": {"timing": ["night"], "locations": ["thigh_front"]},
    "offer_bedtime_thigh_back": {"timing": ["night"], "locations": ["thigh_back"]},
    "offer_for_frail": {"mobility": ["walking_aid"]},
    "offer_after_injury": {S: ["recent_fall"]},
    "offer_for_night": {"timing": ["night"]},
    "offer_for_exercise": {"timing": ["during_exercise"]},
    "offer_for_heat": {S: ["heat_exertion"]},
    # warnings and "this may not be a cramp"
    "quinine_warning": {},
    "medicine_review_warning": {"medications": ["statin"], "cramps_began_with_medicine": False},
    "statin_warning": {"medications": ["statin"]},
    # rev 3: the warnings with no tier of their own (rules/interactions.yaml)
    "potassium_keeping": {"medications": ["potassium_sparing_diuretic"]},
    "ace_inhibitor_alone": {"medications": ["ace_inhibitor_or_arb"]},
    "low_sodium": {"medications": ["loop_diuretic"]},
    "diabetes_hypo": {"conditions": ["diabetes"]},
    "hormone_clot_risk": {"sex": "female", "medications": ["raloxifene"], "sides": "both"},
    "pregnancy_not_known": {"sex": "female", "age": 30, "pregnant": "not_sure"},
    "restless_legs_pattern": {S: ["urge_to_move"]},
    "heel_pain_pattern": {S: ["heel_pain_first_steps"]},
    "neuropathy_pattern": {"conditions": ["neuropathy"]},
    "skin_infection_pattern": {S: ["red_warm_skin"]},
    "long_cramp_one_leg_pattern": {"duration": "over_10_minutes"},
    "twitching_salts_pattern": {S: ["twitching"], "medications": ["lithium"]},
}


class E(NamedTuple):
    """What a rule concludes, written here by hand."""

    tier: str | None = None
    offer: tuple[str, ...] = ()
    withhold: tuple[str, ...] = ()
    caution: tuple[str, ...] = ()
    warn: tuple[str, ...] = ()
    consider: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()  # withheld anywhere (docs/policy.md, "The safety table")


EXPECT: dict[str, E] = {
    "still_emergency": E(tier="emergency"),
    "still_urgent": E(tier="urgent"),
    "still_soon": E(tier="soon"),
    "clot_in_lung": E(tier="emergency", consider=("dvt",)),
    "blocked_artery": E(tier="emergency"),
    "heat_stroke": E(tier="emergency"),
    "compartment_syndrome": E(tier="emergency"),
    "muscle_breakdown": E(tier="emergency"),
    "feels_like_emergency": E(tier="emergency"),
    "both_legs_worsening": E(tier="emergency"),
    "overdrinking_with_vomiting": E(tier="emergency"),
    "broken_bone_older": E(tier="emergency", consider=("broken_bone",)),
    "new_confusion": E(tier="emergency"),
    "long_cramp_numb_or_weak": E(tier="emergency"),
    "bladder_bowel_saddle": E(tier="emergency"),
    "pregnancy_emergency": E(tier="emergency"),
    "child_ketoacidosis": E(tier="emergency"),
    "tetanus": E(tier="emergency"),
    "possible_dvt": E(tier="urgent", consider=("dvt",)),
    "calf_pain_one_side": E(tier="urgent", consider=("dvt",)),
    "child_diabetes_signs": E(tier="urgent", withhold=("sugar_water",), actions=("drink_sugar",)),
    "adult_diabetes_signs": E(tier="urgent", consider=("diabetes",), actions=("drink_sugar",)),
    "foot_pain_at_rest": E(tier="urgent", consider=("claudication",), actions=("heating_pad",)),
    "long_cramp": E(tier="urgent"),
    "tetanus_or_toxin": E(tier="urgent"),
    "statin_muscle_symptoms": E(tier="urgent", warn=("statin_muscle",)),
    "new_weakness_or_numbness": E(tier="urgent", consider=("trapped_nerve",)),
    "cramps_elsewhere": E(tier="urgent", consider=("blood_salts",)),
    "lithium_level": E(tier="urgent", warn=("lithium_level",)),
    "sick_day": E(tier="urgent", warn=("sick_day",)),
    "injury_blood_thinner": E(tier="urgent"),
    "fluid_loss": E(tier="urgent"),
    "sweating_at_risk": E(tier="urgent"),
    "heat_cramps_at_risk": E(tier="urgent"),
    "pre_eclampsia_signs": E(tier="urgent"),
    "injury_with_swelling": E(tier="urgent"),
    "dark_urine": E(tier="urgent"),
    "severe_muscle_pain": E(tier="urgent"),
    "fall_or_injury_older": E(tier="urgent", offer=("rest_ice_raise",), consider=("broken_bone",)),
    "early_pregnancy_pain": E(tier="urgent"),
    "later_pregnancy_pain": E(tier="urgent"),
    "cannot_bear_weight": E(
        tier="urgent",
        consider=("broken_bone",),
        withhold=("stretch_during_cramp", "walk_it_off"),
        actions=("stretch_sitting",),
    ),
    "cramps_most_days": E(tier="soon"),
    "frequent_and_disruptive": E(tier="soon"),
    "stretching_not_helping": E(tier="soon"),
    "more_often_than_before": E(tier="soon"),
    "gradual_wasting": E(tier="soon"),
    "numbness_tingling": E(tier="soon", consider=("neuropathy",)),
    "swelling_both_legs": E(tier="soon"),
    "claudication": E(tier="soon", consider=("claudication",)),
    "medicine_linked": E(tier="soon", warn=("medication_review",)),
    "medicine_unknown_linked": E(tier="soon", warn=("not_checked",)),
    "taking_quinine": E(tier="soon", warn=("quinine",)),
    "nsaid_blood_thinner": E(tier="soon", warn=("nsaid_bleeding",)),
    "lithium_interaction": E(tier="soon", warn=("lithium_level",)),
    "calcium_or_lithium_thirst": E(tier="soon", warn=("calcium_or_lithium_thirst",)),
    "kidney_combination": E(tier="soon", warn=("kidney_combination",)),
    "quinine_pregnancy": E(tier="soon", warn=("pregnancy_medicine",)),
    "nsaid_pregnancy": E(tier="soon", warn=("pregnancy_medicine",)),
    "quinine_blood_thinner": E(tier="soon", warn=("quinine_blood_thinner",)),
    "nsaid_with_condition": E(tier="soon", warn=("kidney_combination",)),
    "long_term_condition": E(tier="soon"),
    "dialysis_cramps": E(tier="soon"),
    "thyroid_signs": E(tier="soon", consider=("underactive_thyroid",)),
    "twitching": E(tier="soon"),
    "thirst_or_weight_loss": E(tier="soon"),
    "weight_loss": E(tier="soon"),
    "heavy_alcohol": E(tier="soon"),
    "restless_legs_sleep": E(tier="soon"),
    "recent_injury": E(tier="soon"),
    "clot_risk_one_side": E(
        tier="soon",
        withhold=(
            "calf_massage",
            "squeeze_roll_calf",
            "massage_muscle",
            "acupressure_calf",
            "acupressure_thigh_back",
        ),
        consider=("dvt",),
        actions=("rub_muscle",),
    ),
    "no_warning_signs": E(tier="self-care"),
    "warning_signs_not_checked": E(tier="self-care"),
    "exercise_cramps": E(tier="self-care"),
    "heat_cramps": E(tier="self-care"),
    "pregnancy_cramps": E(tier="self-care", warn=("pregnancy_signs",)),
    "after_birth": E(tier="self-care", warn=("pregnancy_signs",)),
    "weekly_untroubled": E(tier="self-care", warn=("mention_at_checkup",)),
    "pregnant_frequent_untroubled": E(tier="self-care", warn=("mention_at_checkup",)),
    "better_than_before": E(tier="self-care"),
    "growing_pains": E(tier="self-care", consider=("growing_pains",)),
    "later_pregnancy_signs": E(tier="urgent"),
    "after_birth_bleeding": E(tier="urgent"),
    "recent_clot_risk_one_calf": E(
        tier="urgent",
        withhold=(
            "calf_massage",
            "squeeze_roll_calf",
            "massage_muscle",
            "acupressure_calf",
            "acupressure_thigh_back",
        ),
        consider=("dvt",),
        actions=("rub_muscle",),
    ),
    "child_fever_or_limp": E(tier="urgent", consider=("bone_or_hip_problem",)),
    "fever_leg_pain": E(tier="urgent"),
    "child_bone_signs": E(tier="soon", consider=("bone_or_hip_problem",)),
    "adult_child_signs": E(tier="soon"),
    "offer_for_everyone": E(
        offer=(
            "stretch_during_cramp",
            "warmth",
            "walk_it_off",
            "elevate_leg",
            "rub_soles",
            "sugar_water",
            "upper_lip_point",
            "acupressure_hand",
            "painkillers",
            "daily_stretching",
            "hydration",
            "stay_active",
            "magnesium_foods",
            "potassium_foods",
            "magnesium_supplement",
        )
    ),
    "offer_for_calf": E(offer=("calf_massage", "squeeze_roll_calf", "acupressure_calf")),
    "offer_for_foot": E(offer=("stretch_foot_toes", "acupressure_foot")),
    "offer_for_thigh_front": E(
        offer=("stretch_thigh_front", "massage_muscle", "acupressure_thigh_front")
    ),
    "offer_for_thigh_back": E(
        offer=("stretch_thigh_back", "massage_muscle", "acupressure_thigh_back")
    ),
    "offer_bedtime_routine": E(offer=("hot_foot_soak", "epsom_bath", "magnesium_spray")),
    "offer_bedtime_calf_stretch": E(offer=("bedtime_stretching",)),
    "offer_bedtime_thigh_front": E(offer=("bedtime_thigh_front",)),
    "offer_bedtime_thigh_back": E(offer=("bedtime_thigh_back",)),
    "offer_for_frail": E(offer=("towel_stretch",)),
    "offer_after_injury": E(offer=("rest_ice_raise",)),
    "offer_for_night": E(offer=("loosen_bed_covers",)),
    "offer_for_exercise": E(offer=("warm_up",)),
    "offer_for_heat": E(offer=("cool_down", "sports_drink")),
    "quinine_warning": E(warn=("quinine",)),
    "medicine_review_warning": E(warn=("medication_review",)),
    "statin_warning": E(warn=("statin_muscle",)),
    "potassium_keeping": E(warn=("potassium_keeping",)),
    "ace_inhibitor_alone": E(warn=("potassium_keeping",)),
    "low_sodium": E(warn=("low_sodium",)),
    "diabetes_hypo": E(warn=("hypo_at_night",)),
    "hormone_clot_risk": E(warn=("hormone_clot_risk",)),
    "pregnancy_not_known": E(warn=("pregnancy_test",)),
    "restless_legs_pattern": E(consider=("restless_legs",)),
    "heel_pain_pattern": E(consider=("plantar_fasciitis",)),
    "neuropathy_pattern": E(consider=("neuropathy",)),
    "skin_infection_pattern": E(consider=("cellulitis",)),
    "long_cramp_one_leg_pattern": E(consider=("dvt", "blocked_artery")),
    "twitching_salts_pattern": E(consider=("blood_salts",)),
}


def test_every_rule_has_a_case(triage: Triage) -> None:
    """Adding a rule without a case and an expectation here fails, and so does one for a rule that is gone."""
    assert set(CASES) == {r.id for r in triage.knowledge.rules} == set(EXPECT)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule(triage: Triage, rule_id: str) -> None:
    """The rule fires on its case, and the result shows everything EXPECT says it concludes."""
    expect = EXPECT[rule_id]
    given = {k: v for k, v in base_answers(**CASES[rule_id]).items() if v != ABSENT}
    answers = triage.contract.check(given)
    result = triage.evaluate(answers)
    answers = read(triage.knowledge, answers).answers  # what the rules read (rev 3)
    assert rule_id in triage.engine.fired(answers)
    if expect.tier:
        assert tier_rank(result.disposition) >= tier_rank(expect.tier)
        if expect.tier != TIERS[0] or result.disposition == TIERS[0]:
            assert (rule_id, expect.tier) in [(r.rule, r.tier) for r in result.reasons]
    offered = {m.id: m for m in result.remedies}
    withheld = {w.id for w in result.withheld}
    assert set(expect.offer) <= set(offered) | withheld
    for rid in expect.withhold:
        assert rid not in offered, f"{rid} offered"
    plain = {
        m.id: set(m.cautions)
        for m in triage.evaluate(triage.contract.check(base_answers())).remedies
    }
    for rid in expect.caution:
        if rid in offered:
            assert set(offered[rid].cautions) - plain.get(rid, set()), (
                f"{rid} offered without its caution"
            )
    assert set(expect.warn) <= {w.id for w in result.warnings}
    assert set(expect.consider) <= {c.id for c in result.consider}
    assert set(expect.actions) <= {w.id for w in result.withheld_actions}


def test_each_withhold_is_reported(triage: Triage) -> None:
    """Where a withheld remedy would otherwise be offered, the sheet says it was left out (and why)."""
    answers = triage.contract.check(
        base_answers(**CASES["clot_risk_one_side"], locations=["calf", "thigh_back"])
    )
    result = triage.evaluate(answers)
    left_out = {w.id: w.because for w in result.withheld}
    for rid in EXPECT["clot_risk_one_side"].withhold:
        assert left_out.get(rid) == "Not safe when there could be a clot."


def test_base_case_is_plain_self_care(triage: Triage) -> None:
    """The ordinary case fires only the always-on rules: no tier above self-care, nothing withheld."""
    result = triage.evaluate(triage.contract.check(base_answers()))
    assert result.disposition == "self-care"
    assert [r.rule for r in result.reasons] == ["no_warning_signs"]
    assert result.withheld == [] and [w.id for w in result.warnings] == ["quinine"]


@pytest.mark.parametrize(
    ("rule_id", "changes"),
    [
        ("cramps_most_days", {**PREGNANT, "frequency": "most_days"}),
        ("swelling_both_legs", {**PREGNANT, S: ["swelling_both_legs"]}),
        ("frequent_and_disruptive", {"frequency": "monthly", "sleep_disrupted": True}),
        ("muscle_breakdown", {S: ["dark_urine"]}),
        ("statin_muscle_symptoms", {S: ["new_weakness"]}),
        ("clot_risk_one_side", {"sex": "female", "medications": ["oestrogen"], "sides": "both"}),
        ("clot_risk_one_side", {"conditions": ["previous_clot"], "locations": ["thigh_front"]}),
        ("child_diabetes_signs", {"age": 18, S: ["thirst_urination"]}),
        ("adult_diabetes_signs", {"age": 17, S: ["thirst_urination", "weight_loss"]}),
        ("adult_diabetes_signs", {S: ["thirst_urination"]}),
        ("frequent_and_disruptive", {**PREGNANT, "frequency": "weekly", "sleep_disrupted": True}),
        ("medicine_linked", {"medications": ["statin"], "cramps_began_with_medicine": False}),
        ("calf_pain_one_side", {S: ["calf_pain_between_cramps"], "sides": "both"}),
        ("fall_or_injury_older", {"age": 64, S: ["recent_fall"]}),
        ("broken_bone_older", {"age": 70, S: ["recent_fall"], "can_bear_weight": "painful"}),
        ("overdrinking_with_vomiting", {S: ["endurance_overdrinking", "heat_exertion"]}),
        ("offer_bedtime_calf_stretch", {"timing": ["night"], "locations": ["thigh_back"]}),
        ("heat_cramps_at_risk", {S: ["heat_exertion"]}),
        # rev 3
        ("long_cramp_numb_or_weak", {"duration": "over_10_minutes", S: ["numbness_tingling"]}),
        ("long_cramp_numb_or_weak", {"duration": "minutes", S: ["new_numbness"]}),
        ("child_ketoacidosis", {"age": 18, S: ["thirst_urination", "vomiting_or_diarrhoea"]}),
        ("child_ketoacidosis", {"age": 15, S: ["thirst_urination", "heavy_sweating"]}),
        ("sweating_at_risk", {S: ["heavy_sweating", "heat_exertion"]}),
        ("sweating_at_risk", {S: ["vomiting_or_diarrhoea"], "medications": ["lithium"]}),
        ("tetanus", {S: ["dirty_wound"]}),
        ("muscle_breakdown", {S: ["dark_urine", "heavy_sweating", "twitching"]}),
        ("overdrinking_with_vomiting", {S: ["endurance_overdrinking", "heavy_sweating"]}),
    ],
)
def test_rule_does_not_fire_outside_its_case(
    triage: Triage, rule_id: str, changes: dict[str, Any]
) -> None:
    """Near misses: the boundary of each rule with an exception or a threshold holds."""
    assert rule_id not in triage.engine.fired(triage.contract.check(base_answers(**changes)))
