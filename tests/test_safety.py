"""Safety invariants of docs/policy.md, checked over the whole answer space.

Every combination of the 23 red flags is covered (test_every_red_flag_combination: about 25,000
sets checked one by one, the rest by an argument whose premises are tests here); everything else
is sampled with hypothesis. The normal run samples a few thousand answer sets per invariant;
TRIAGE_EXHAUSTIVE=1 (./dev exhaustive) 20,000, and checks thousands more red-flag sets one by one.
"""

from __future__ import annotations

import functools
import itertools
import os
import random
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage import conditions as language
from triage.conditions import holds
from triage.model import TIERS, tier_rank
from triage.pipeline import Triage
from triage.result import RECORD_LISTS, Result
from triage.result import _fill as fill

from . import oracle
from .conftest import QUICK, UNMEASURED, base_answers

EXHAUSTIVE = bool(os.environ.get("TRIAGE_EXHAUSTIVE"))
ROOT = Path(__file__).resolve().parent.parent
SAMPLES = (
    20_000 if EXHAUSTIVE else 200 if QUICK else 2_000
)  # for the main invariant test; the others take a quarter

EMERGENCY_FLAGS = [
    "breathless_or_chest_pain",
    "cold_pale_leg",
    "cannot_move_foot",
    "confused_or_fainting",
    "injury_tight_calf",
    "feels_like_emergency",
    # rev 3
    "both_legs_worsening",
    "bladder_bowel_saddle",
    "new_confusion",
    "tetanus_signs",
]  # and pregnancy_emergency, which needs a pregnancy or a birth (checked on its own, below)
URGENT_FLAGS = [
    "one_leg_swollen",
    "red_warm_skin",
    "new_weakness",
    "new_numbness",
    "twitching",  # a red flag of the urgent screen, but alone soon (rev 3, F12): NOT_URGENT_ALONE
    "cramps_elsewhere",
    "dirty_wound",
    "toxin_exposure",
    "vomiting_or_diarrhoea",  # rev 3: asked instead of fluid_loss (still urgent: CLASSIFIED)
    "pregnancy_warning_signs",
    "dark_urine",
    "severe_muscle_pain",
]  # and a cramp over 10 minutes
# Asked on the urgent screen, but alone not urgent: twitching with cramps and nothing else is
# soon (rev 3, F12); with weakness, widespread cramps or lithium those rules make it urgent.
NOT_URGENT_ALONE = {"twitching"}
ACUPRESSURE = {
    "acupressure_calf",
    "acupressure_foot",
    "acupressure_thigh_front",
    "acupressure_thigh_back",
    "acupressure_hand",
    "upper_lip_point",
}
SUPPLEMENTS = {"magnesium_supplement"}  # taken by mouth; a spray on the skin is not a supplement
HOT_WATER = {"warmth", "hot_foot_soak", "epsom_bath"}
MASSAGE = {
    "calf_massage",
    "squeeze_roll_calf",
    "massage_muscle",
    "acupressure_calf",
    "acupressure_thigh_back",
}
# Words of advice that rub, press or knead the leg, and of heat on numb skin, read from the steps
# a person is given (the policy's actions, found in the text itself, not in the rules' tags).
RUBBING = re.compile(r"\b(rub|squeeze|knead|roll)\b.*\b(calf|muscle|leg|thigh)\b|\bpat it\b", re.I)
FIRM = re.compile(r"\b(knead|firmly|hard)\b", re.I)
HEAT_PAD = re.compile(r"heat pad|hot water bottle|soak", re.I)
CRAMP_MEDICINES = {
    "thiazide_diuretic",
    "potassium_sparing_diuretic",
    "loop_diuretic",
    "diuretic_unknown",  # rev 3: a water tablet, not sure which, counts as every kind
    "statin",
    "laba_inhaler",
    "raloxifene",
    "oestrogen",
    "teriparatide",
    "naproxen",
    "iron_infusion",
    "calcium_channel_blocker",
    "gabapentinoid",
    "lithium",
}  # docs/policy.md, "Medicines linked to cramps"
CLOT_RISKS = {"previous_clot", "active_cancer", "recent_surgery_or_bed_rest"}
WATER_TABLETS = {
    "thiazide_diuretic",
    "loop_diuretic",
    "potassium_sparing_diuretic",
    "diuretic_unknown",
}
# An instruction to stop a medicine; "do not stop" and "never stop" are the opposite, and allowed.
STOP_MEDICINE = re.compile(
    r"(?<!not )(?<!never )\b(stop (taking|using)\b|stop (your|the|this|a) "
    r"(medicine|statin|tablets?|pills?|inhaler))",
    re.I,
)
# "If you bought it, stop it": a painkiller bought over the counter; and the general line
BOUGHT_STOPPED = re.compile(r"\bbought\b[^.]*\bstop it\b", re.I)
NEVER_STOP_ANY = re.compile(r"\bdo not stop a medicine on your own\b", re.I)
LITHIUM_RAISERS = set(oracle.LITHIUM_RAISERS)  # docs/policy.md, "Medicines and interactions"
COUNT = {"checked": 0}
LONG = pytest.mark.timeout(3600 if EXHAUSTIVE else 900)  # a hang guard for the long tests
# rev 3: signs the contract accepts only with pregnant true or not_sure
PREGNANCY_ONLY = ("pregnancy_belly_pain", "pregnancy_tightenings", "reduced_movements")


# rev 3 (docs/policy.md, "Emergency rules"): with dark urine, any muscle symptom or cause of
# muscle breakdown is an emergency
MUSCLE_CAUSES = {
    "severe_muscle_pain",
    "muscle_ache_or_weakness",
    "new_weakness",
    "heat_exertion",
    "unusual_exertion",
    "recent_fall",
    "recent_injury",
}
VOMITING = {"vomiting_or_diarrhoea", "fluid_loss"}  # fluid_loss (rev 2) may be vomiting


def flags_of(answers: dict[str, Any]) -> tuple[bool, bool]:
    """(emergency, urgent): what the policy says these answers must at least be."""
    symptoms = set(answers.get("symptoms", []))
    over_10 = answers.get("duration") == "over_10_minutes"
    dark_urine = "dark_urine" in symptoms and bool(
        symptoms & MUSCLE_CAUSES
        or "statin" in answers.get("medications", [])
        or {"during_exercise", "after_exercise"} & set(answers.get("timing", []))
    )
    emergency = (
        bool(symptoms & set(EMERGENCY_FLAGS))
        or "pregnancy_emergency" in symptoms
        or dark_urine
        # rev 3: a long cramp with new numbness or weakness; vomiting after drinking a lot at a
        # long event; thirst with vomiting under 18 (possible ketoacidosis)
        or (over_10 and bool(symptoms & {"new_numbness", "new_weakness"}))
        or ("endurance_overdrinking" in symptoms and bool(symptoms & VOMITING))
        or (
            answers.get("age", 99) < 18
            and "thirst_urination" in symptoms
            and bool(symptoms & VOMITING)
        )
    )
    # rev 3: tummy pain or belly cramps in a pregnancy (or maybe one) are urgent at any weeks
    urgent = over_10 or bool(
        symptoms & ((set(URGENT_FLAGS) - NOT_URGENT_ALONE) | {"fluid_loss", "pregnancy_belly_pain"})
    )
    return emergency, urgent


def check_invariants(triage: Triage, answers: dict[str, Any]) -> Result:
    """Every invariant of the policy on one answer set (raises AssertionError naming it)."""
    answers = triage.contract.check(answers)
    result = triage.evaluate(answers)
    COUNT["checked"] += 1
    # rev 3 ("Not sure"): a sign the person was not sure of counts as yes, for every invariant
    if answers.get("symptoms_not_sure"):
        both = [*answers.get("symptoms", []), *answers["symptoms_not_sure"]]
        answers = {**answers, "symptoms": list(dict.fromkeys(both))}
    k = triage.knowledge
    symptoms = answers.get("symptoms", [])
    meds = set(answers.get("medications", []))
    conditions = set(answers.get("conditions", []))
    remedies = {r.id: r for r in result.remedies}
    warnings = {w.id for w in result.warnings}
    emergency, urgent = flags_of(answers)
    # rev 3 ("Early stop"): an emergency or an "urgent, now" sheet says only what to do now: no
    # remedies, no named causes, no warnings but the quinine line
    stopped = result.disposition == "emergency" or (
        result.disposition == "urgent" and result.act_within == "now"
    )

    if emergency:
        assert result.disposition == "emergency", "emergency sign without emergency"
        assert result.remedies == [], "remedies on an emergency"
    elif urgent:
        assert tier_rank(result.disposition) >= tier_rank("urgent"), "urgent sign below urgent"
    # A sheet that says to ask about a blood clot has the possible-clot column's withholds (the
    # safety table, "possible clot": no rubbing or kneading the calf): a new clot sign whose rule
    # names the clot but that nobody added to the column fails here (a maintainer's review).
    if "dvt" in {c.id for c in result.consider} and result.disposition != "emergency":
        assert "possible_clot" in result.columns, "asks about a clot, not in the clot column"
    # compound rules of the policy: two answers together raise the tier
    if "heat_exertion" in symptoms and "heart_failure_or_low_salt_diet" in conditions:
        assert tier_rank(result.disposition) >= tier_rank("urgent"), (
            "heat cramps with heart disease below urgent"
        )
    injured = bool({"recent_injury", "recent_fall"} & set(symptoms))
    if injured and {"one_leg_swollen", "swelling_both_legs"} & set(symptoms):
        assert tier_rank(result.disposition) >= tier_rank("urgent"), (
            "injury with swelling below urgent"
        )
    # rev 3 (H2): cannot put weight on the leg is urgent; 65 and over after a fall or injury is
    # urgent, and an emergency when they cannot put weight on it
    cannot_stand = answers.get("can_bear_weight") in ("unable", "not_sure")
    if cannot_stand:
        assert tier_rank(result.disposition) >= tier_rank("urgent"), (
            "cannot bear weight, not urgent"
        )
    if injured and answers.get("age", 0) >= 65:
        assert tier_rank(result.disposition) >= tier_rank("urgent"), "65+ after a fall, not urgent"
        if cannot_stand:
            assert result.disposition == "emergency", "65+ after a fall, cannot stand: not 999"
    if answers.get("sides") == "one" and (
        "previous_clot" in conditions or meds & {"oestrogen", "raloxifene"}
    ):
        assert "calf_massage" not in remedies, "calf massage with a clot risk and one-sided cramps"
    # rev 3 (F04): potassium-keeping medicines withhold potassium and magnesium foods; an ACE
    # inhibitor or ARB alone keeps them (rev 2)
    if meds & {"potassium_sparing_diuretic", "diuretic_unknown"} or (
        "ace_inhibitor_or_arb" in meds and conditions & {"kidney_disease", "dialysis"}
    ):
        assert not {"potassium_foods", "magnesium_foods"} & set(remedies), (
            "potassium or magnesium foods on a potassium-keeping medicine"
        )
    if "dialysis" in conditions and "hydration" in remedies:
        assert remedies["hydration"].cautions, (
            "drink-more-water advice on dialysis without the fluid limit"
        )
    steps = [s for r in result.remedies for s in r.steps]
    calf_one_side = answers.get("sides") == "one" and "calf" in answers.get("locations", [])
    clot_risk = (answers.get("sides") == "one" and bool(meds & {"raloxifene", "oestrogen"})) or (
        calf_one_side and (bool(conditions & CLOT_RISKS) or answers.get("postpartum") is True)
    )
    possible_clot = bool(set(symptoms) & {"one_leg_swollen", "red_warm_skin"}) or (
        "calf_pain_between_cramps" in symptoms and answers.get("sides") == "one"
    )
    if answers.get("pregnant"):
        assert not ACUPRESSURE & set(remedies), "acupressure in pregnancy"
        assert not any(r.points for r in result.remedies), "points in pregnancy"
        assert not SUPPLEMENTS & set(remedies), "supplements in pregnancy"
        for rid in HOT_WATER & set(remedies):
            assert any("not hot" in c for c in remedies[rid].cautions), (
                f"{rid} uncautioned in pregnancy"
            )
    if conditions & {"diabetes", "prediabetes"} or "thirst_urination" in symptoms:
        assert "sugar_water" not in remedies, "sugar water with diabetes or its signs"
    if conditions & {"neuropathy", "peripheral_artery_disease"} or set(symptoms) & {
        "numbness_tingling",
        "new_numbness",
        "walking_pain_eases_rest",
        "foot_pain_at_rest",
    }:
        assert "hot_foot_soak" not in remedies, "hot soak with numb feet"
        assert not any(HEAT_PAD.search(s) for s in steps), "heating with numb feet"
    if conditions & {"kidney_disease", "dialysis"}:
        assert not (SUPPLEMENTS | {"potassium_foods"}) & set(remedies), (
            "magnesium or potassium with kidney disease"
        )
    if "dialysis" in conditions:
        assert "hydration" not in remedies and not any("Drink water" in s for s in steps), (
            "drink more on dialysis"
        )
    if possible_clot or clot_risk:
        assert not MASSAGE & set(remedies), "massage with a possible clot"
        assert not any(RUBBING.search(s) for s in steps), "rubbing the leg with a possible clot"
    if clot_risk:
        assert tier_rank(result.disposition) >= tier_rank("soon"), (
            "clot risk factor, one-sided cramps, below soon"
        )
        assert "dvt" in {c.id for c in result.consider} or emergency or stopped, (
            "clot risk factor without naming the clot"
        )
    if "anticoagulant" in meds:
        pressing = steps + [k.points[p].press for r in result.remedies for p in r.points]
        assert not any(FIRM.search(s) for s in pressing), "firm kneading on a blood thinner"
    if answers.get("age", 0) >= 65:
        assert "walk_it_off" not in remedies, "walking in the dark at 65+"
        assert not any(s.startswith("Stand ") for s in steps), "standing stretch at 65+"
    if answers.get("age", 99) < 18 and "thirst_urination" in symptoms:
        assert tier_rank(result.disposition) >= tier_rank("urgent"), (
            "diabetes signs under 18 below urgent"
        )
    if "statin" in meds and set(symptoms) & {"muscle_ache_or_weakness", "severe_muscle_pain"}:
        assert tier_rank(result.disposition) >= tier_rank("urgent"), (
            "statin with muscle symptoms below urgent"
        )
    # rev 3 (M6): heavy sweating is urgent with a water tablet, an ACE inhibitor or ARB, lithium,
    # kidney disease or dialysis, or heart failure or a low-salt diet
    if "heavy_sweating" in symptoms and (
        meds & {*WATER_TABLETS, "ace_inhibitor_or_arb", "lithium"}
        or conditions & {"kidney_disease", "dialysis", "heart_failure_or_low_salt_diet"}
    ):
        assert tier_rank(result.disposition) >= tier_rank("urgent"), (
            "heavy sweating with a medicine or condition at risk, below urgent"
        )
    if meds & CRAMP_MEDICINES and not stopped:
        assert "medication_review" in warnings, "cramp medicine without review warning"
    if stopped and result.disposition == "urgent":
        assert result.remedies == [], "remedies on an 'urgent, now' sheet"
        quinine_lines = {"quinine", "pregnancy_medicine", "quinine_blood_thinner"}
        assert warnings <= quinine_lines, f"warnings beyond quinine on 'urgent, now': {warnings}"
    if result.disposition != "emergency":
        # one quinine message (policy rev 3): with quinine and a blood thinner, or in pregnancy,
        # the interaction's warning is it
        replaced = "quinine_blood_thinner" in warnings or (
            "quinine" in meds and answers.get("pregnant") in (True, "not_sure")  # not sure: yes
        )
        if replaced:
            assert warnings & {"quinine_blood_thinner", "pregnancy_medicine"}
        assert ("quinine" in warnings) != replaced, "no quinine message, or two"
        assert result.safety_net, "no safety-netting"
        if "statin" in meds and not stopped:  # an "urgent, now" sheet: the quinine line only
            assert "statin_muscle" in warnings, "statin user without the muscle warning"
    for text in texts_of(result):
        assert not STOP_MEDICINE.search(text), f"tells someone to stop a medicine: {text}"
    # One voice (clinical review of issue 22, H1): a sheet that tells someone to stop a painkiller
    # they bought never also tells them not to stop "a medicine" on their own.
    said = " ".join(texts_of(result))
    if result.disposition != "emergency" and BOUGHT_STOPPED.search(said):
        assert not NEVER_STOP_ANY.search(said), "stop the bought painkiller, and never stop any"
    # Lithium with a medicine or diet that raises its level: a lithium test within 2 days, said
    # (the pairs of docs/policy.md, "Medicines and interactions").
    if "lithium" in meds and (
        meds & LITHIUM_RAISERS or "heart_failure_or_low_salt_diet" in conditions
    ):
        assert tier_rank(result.disposition) >= tier_rank("soon"), "lithium pair below soon"
        if result.disposition == "soon":
            assert "2 days" in result.advice.timeframe, "lithium pair: no 2-day limit"
    return result


def texts_of(result: Result) -> list[str]:
    """Every sentence of a result a person reads, but its tier's own words (the headline,
    action and timeframe): reasons, warnings, cautions, why things were left out, what else it
    could be, the safety-netting and the remedies' steps."""
    texts = [r.text for r in result.reasons] + [w.text for w in result.warnings]
    texts += [c for r in result.remedies for c in r.cautions] + [w.because for w in result.withheld]
    texts += [w.because for w in result.withheld_actions] + [c.text for c in result.consider]
    return texts + list(result.safety_net) + [s for r in result.remedies for s in r.steps]


# ---- every combination of the red flags --------------------------------------------------------
EVERY_FLAG = EMERGENCY_FLAGS + URGENT_FLAGS  # 22 signs; with a cramp over 10 minutes, 23 flags
PREGNANT = {"sex": "female", "age": 30, "pregnant": True, "pregnancy_weeks": 30}
WITNESSES = [(flag,) for flag in EMERGENCY_FLAGS]  # a set not checked one by one has one
CHUNKS = 4 if EXHAUSTIVE else 2  # the checked sets in parts, so xdist spreads them over cores


def red_flag_answers(symptoms: Iterable[str], over_10: bool) -> dict[str, Any]:
    """One answer set of the red-flag space: the ordinary case of base_answers with these signs
    (in EVERY_FLAG's order), a cramp over 10 minutes or not, and pregnant when one of the signs is
    pregnancy_warning_signs (which needs a pregnancy). Nothing but the signs differs between the
    sets of one family (pregnant or not, a long cramp or not)."""
    chosen = set(symptoms)
    extra = PREGNANT if "pregnancy_warning_signs" in chosen else {}
    return base_answers(
        symptoms=[f for f in EVERY_FLAG if f in chosen],
        duration="over_10_minutes" if over_10 else "minutes",
        **extra,
    )


DRAWN = 8192  # sets drawn at random from the whole space under ./dev exhaustive


def red_flag_sets(
    exhaustive: bool = EXHAUSTIVE, quick: bool = QUICK
) -> list[tuple[tuple[str, ...], bool]]:
    """The red-flag sets checked one by one, each once: (signs, a cramp over 10 minutes)."""
    sets: dict[tuple[frozenset[str], bool], None] = {}
    for n in range(3 if quick else len(URGENT_FLAGS) + 1):
        # every combination of the urgent signs, with and without a long cramp: every set
        # without an emergency sign (some are emergencies all the same: dark urine with severe
        # muscle pain, a long cramp with new numbness)
        for combo in itertools.combinations(URGENT_FLAGS, n):
            sets[frozenset(combo), False] = sets[frozenset(combo), True] = None
    for n in (1, 2):  # each emergency sign and each pair of them, alone and with each urgent flag
        for combo in itertools.combinations(EMERGENCY_FLAGS, n):
            for extra in [(), *((flag,) for flag in URGENT_FLAGS)]:
                sets[frozenset(combo + extra), False] = None
    for n in range(4 if exhaustive else 3):  # every set of at most two flags (three: exhaustive)
        for combo in itertools.combinations(EVERY_FLAG, n):
            for pregnant in ((), ("pregnancy_warning_signs",)):  # so every witness, in each family
                for over_10 in (False, True):
                    sets[frozenset(combo + pregnant), over_10] = None
    for over_10 in (False, True):  # every flag at once, pregnant and not
        sets[frozenset(EVERY_FLAG), over_10] = None
        sets[frozenset(EVERY_FLAG) - {"pregnancy_warning_signs"}, over_10] = None
    if exhaustive:  # and DRAWN sets drawn from all 2^23 (seeded), as a check on the argument
        rng = random.Random(19)
        for mask in rng.sample(range(2 ** len(EVERY_FLAG) * 2), DRAWN):
            chosen = frozenset(f for i, f in enumerate(EVERY_FLAG) if mask >> i & 1)
            sets[chosen, bool(mask >> len(EVERY_FLAG) & 1)] = None
    return [(tuple(f for f in EVERY_FLAG if f in signs), over_10) for signs, over_10 in sets]


@LONG
@UNMEASURED
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_every_red_flag_combination(triage: Triage, chunk: int) -> None:
    """Every combination of the 23 red flags (the 22 signs above and a cramp over 10 minutes:
    2^23 = 8,388,608 answer sets, made by red_flag_answers) meets every invariant of
    check_invariants.

    Checked one by one (red_flag_sets): every set without an emergency sign (2^12 sets of the
    urgent signs, each with and without a long cramp: 8,192, whatever flags_of makes of them),
    every set of at most two flags alone and with pregnancy_warning_signs, every flag at once, and
    more. The rest, every set S with an emergency sign, by this argument:

    1. S contains a witness W: one emergency sign (WITNESSES), in S's family. Every witness is
       checked here, in every family: its result is an emergency, so some rule of tier emergency
       fired for W.
    2. Within a family only `symptoms` changes, and every rule reads `symptoms` only through
       `has` or `has_any` (the condition language has no way to say a sign is absent): a sign
       added never makes a rule's condition false. The engine fires exactly the rules whose
       condition holds (tests/test_engine.py; here also compared on every set of up to three
       signs and on the full sets). So every rule fired for W fires for S.
    3. Assembler.build gives the highest tier of the rules that fired, and an emergency result
       offers no remedy, so no step, point or caution either; every sentence it carries is one
       of the wordings of rules/, filled in as result.py fills them (checked on any set of fired
       rules, and on every result here). So S's result is an emergency without remedies.
    4. Of check_invariants, an emergency result without remedies in this space is asked only
       that it is an emergency and that no sentence tells anyone to stop a medicine: its other
       lines ask for a tier that an emergency meets, are about remedies, steps or points (none
       here), are for the tiers below, or need a medicine (none here). A bare emergency result,
       and one carrying every wording of rules/ at once, both pass for every flag ticked, in
       each family: so no wording of rules/ says to stop a medicine either.
    So check_invariants passes for S. Each premise is a test below that fails by name when it
    stops holding (test_the_red_flag_argument_*); under TRIAGE_QUICK the sets checked one by one
    are fewer, and the argument does not cover the space.
    """
    rules = triage.knowledge.rules
    said = wordings(triage)
    checked = 0
    for symptoms, over_10 in red_flag_sets()[chunk::CHUNKS]:
        answers = red_flag_answers(symptoms, over_10)
        result = check_invariants(triage, answers)
        unsaid = set(texts_of(result)) - said
        assert not unsaid, f"not a wording of rules/: {sorted(unsaid)[0]}"
        if len(symptoms) <= 3 or len(symptoms) >= len(EVERY_FLAG) - 1:
            answers = triage.contract.check(answers)
            holding = tuple(sorted(r.id for r in rules if holds(r.when, answers)))
            assert triage.engine.fired(answers) == holding, symptoms
        checked += 1
    assert checked >= (10_000 if EXHAUSTIVE else 100 if QUICK else 8_192) // CHUNKS
    print(f"\nred-flag combinations checked one by one: {checked}")


def conditions_tested(cond: language.Condition) -> Iterator[language.Test]:
    if isinstance(cond, (language.All, language.AnyOf)):
        for part in cond.parts:
            yield from conditions_tested(part)
    else:
        yield cond


def wordings(triage: Triage) -> set[str]:
    """Every sentence a result can carry in the red-flag space: each wording of rules/, every
    variant, filled in as result.py fills it for answers without medicines (with the emergency
    number as said first and as said again, and a never-advised action's placeholder by any of
    its reasons), every remedy step, and every word of the safety table behind any prefix of a
    way into a column; "" for a reason not given."""
    k = triage.knowledge
    numbers = triage.numbers("generic")
    numbered = [
        numbers,
        {**numbers, "emergency": numbers.get("emergency_again", numbers["emergency"])},
    ]
    prefixes = {""} | {w.prefix for c in k.columns for w in c.ways}
    table = {
        a.id: {p + cell.words for p in prefixes for cell in a.cells if cell.words}
        for a in k.actions.values()
    }
    placeholders = {
        "{" + a.id + "}": sorted(table[a.id] | {a.otherwise})
        for a in k.actions.values()
        if a.message
    }
    every = [*k.reasons.values(), *k.warnings.values(), *k.consider.values()]
    every += list(itertools.chain(*k.safety_net.values()))
    said = {"", k.tiers["emergency"].withheld_because}
    said |= {s.text for m in k.remedies.values() for s in m.steps}
    said |= set(itertools.chain(*table.values()))
    for v in itertools.chain(*every):
        named = [p for p in placeholders if p in v.text]
        for choice in itertools.product(*(placeholders[p] for p in named)):
            fills = dict(zip(named, choice, strict=True))
            said |= {fill(v.text, k, {}, n, fills) for n in numbered}
    return said


def test_the_readme_states_the_red_flag_figures() -> None:
    """The README's figures for the red-flag space are the ones of this file: how many flags and
    sets, how many are checked one by one in the normal and the exhaustive run, how many drawn."""
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    flags = len(EVERY_FLAG) + 1
    for figure in (
        f"all {flags} red flags ({2**flags:,} answer sets)",
        f"{len(red_flag_sets(False, False)):,} are checked one by one",
        f"checks {len(red_flag_sets(True, False)):,} one by one",
        f"{DRAWN:,} drawn from all of them",
    ):
        assert figure in readme, f"README.md does not say {figure!r}"


def test_the_red_flag_argument_checks_every_set_it_needs() -> None:
    """Premise 1, and the direct checks: every set without an emergency sign, and every
    witness alone in every family, is among the sets checked one by one."""
    checked = set(red_flag_sets())
    if QUICK:
        pytest.skip("TRIAGE_QUICK checks fewer sets; the argument is made in the full-size runs")
    for n in range(len(URGENT_FLAGS) + 1):
        for combo in itertools.combinations(URGENT_FLAGS, n):
            assert (combo, False) in checked and (combo, True) in checked, combo
    assert set(EVERY_FLAG) - set(URGENT_FLAGS) == {w for (w,) in WITNESSES}, "a sign is neither"
    for witness in WITNESSES:
        for pregnant in ((), ("pregnancy_warning_signs",)):
            signs = tuple(f for f in EVERY_FLAG if f in {*witness, *pregnant})
            assert flags_of(red_flag_answers(signs, False))[0], signs
            assert (signs, False) in checked and (signs, True) in checked, signs


def test_the_red_flag_argument_rules_only_ever_add(triage: Triage) -> None:
    """Premise 2: every rule reads `symptoms` only by `has` or `has_any`, so within a family of
    the red-flag space (where nothing else changes) ticking one more sign never un-fires a rule."""
    # `absent` (rev 3, warning_signs_not_checked) is false on every set of the space, which
    # always gives `symptoms` (empty for no sign): no sign ticked or not changes it
    assert all("symptoms" in red_flag_answers(signs, False) for signs in ((), tuple(EVERY_FLAG)))
    for rule in triage.knowledge.rules:
        for test in conditions_tested(rule.when):
            assert test.field != "symptoms" or test.op in ("has", "has_any", "absent"), (
                f"rule {rule.id} tests symptoms with {test.op!r}: a sign added could make it "
                "false, and test_every_red_flag_combination's argument no longer holds"
            )
    families = {}
    for symptoms, over_10 in red_flag_sets():
        answers = red_flag_answers(symptoms, over_10)
        key = ("pregnancy_warning_signs" in symptoms, over_10)
        rest = {k: v for k, v in answers.items() if k != "symptoms"}
        assert families.setdefault(key, rest) == rest, "more than the signs differ in a family"
    assert len(families) == 4


@settings(
    max_examples=2000 if EXHAUSTIVE else 50 if QUICK else 300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_red_flag_argument_highest_tier_wins(triage: Triage, data: Any) -> None:
    """Premise 3, for any set of rules fired together (not only sets the engine can fire): the
    result's tier is the highest tier among them; an emergency result offers no remedy and
    leaves no action out; every sentence is a wording of rules/."""
    k = triage.knowledge
    fired = data.draw(st.sets(st.sampled_from([r.id for r in k.rules])))
    symptoms = data.draw(st.sets(st.sampled_from(EVERY_FLAG)))
    answers = triage.contract.check(red_flag_answers(symptoms, data.draw(st.booleans())))
    result = triage.assembler.build(answers, fired, triage.numbers("generic"))
    tiers = [r.tier for r in k.rules if r.id in fired and r.tier]
    assert result.disposition == max(tiers, key=tier_rank, default=TIERS[0])
    if result.disposition == "emergency":
        assert result.remedies == [] and result.withheld_actions == []
    unsaid = set(texts_of(result)) - wordings(triage)
    assert not unsaid, f"not a wording of rules/: {sorted(unsaid)[0]}"


def test_the_red_flag_argument_asks_an_emergency_only_its_tier_and_words(triage: Triage) -> None:
    """Premise 4: check_invariants asks no more of an emergency result without remedies in the
    red-flag space than its tier and its words. A bare one (nothing but its tier) and one that
    carries every wording of rules/ both pass with every flag ticked, in each family. An
    invariant added that asks more of an emergency sheet fails here: extend the argument of
    test_every_red_flag_combination to cover it (or check every set again, one by one)."""
    said = sorted(wordings(triage))
    for pregnant in (False, True):
        for over_10 in (False, True):
            signs = [f for f in EVERY_FLAG if pregnant or f != "pregnancy_warning_signs"]
            answers = red_flag_answers(signs, over_10)
            real = triage.evaluate(triage.contract.check(answers))
            assert real.disposition == "emergency" and not real.remedies
            empty: dict[str, Any] = {key: [] for key in RECORD_LISTS if key != "remedies"}
            for shown in (
                real._replace(**empty, safety_net=[]),
                real._replace(**empty, safety_net=said),
            ):
                triage.evaluate = lambda a, country="generic", r=shown: r  # type: ignore[method-assign]
                try:
                    check_invariants(triage, answers)
                finally:
                    del triage.evaluate


@pytest.mark.parametrize(
    "where",
    [
        {"pregnant": True, "pregnancy_weeks": 7},
        {"pregnant": True},
        {"pregnant": "not_sure"},
        {"pregnant": False, "postpartum": True},
        {"pregnant": False, "postpartum": False, "weeks_since_birth": 10},
    ],
)
def test_pregnancy_emergency_with_each_urgent_sign(triage: Triage, where: dict[str, Any]) -> None:
    """rev 3: the pregnancy emergency item, in pregnancy at any weeks, not sure, or after a birth,
    is an emergency alone and with each urgent sign (it cannot be given without a pregnancy)."""
    for extra in [None, *URGENT_FLAGS]:
        symptoms = ["pregnancy_emergency", *([extra] if extra else [])]
        answers = base_answers(sex="female", age=30, symptoms=symptoms, **where)
        assert check_invariants(triage, answers).disposition == "emergency"


@pytest.mark.parametrize(
    "flag", [f for f in [*EMERGENCY_FLAGS, *URGENT_FLAGS] if f != "feels_like_emergency"]
)
@pytest.mark.parametrize(
    "where",
    [{}, {"age": 70, "conditions": ["diabetes"]}, {"sex": "female", "age": 30, "pregnant": True}],
)
def test_a_red_flag_not_sure_gives_at_least_its_tier_for_sure(
    triage: Triage, flag: str, where: dict[str, Any]
) -> None:
    """rev 3 ("Not sure"): a red flag only in symptoms_not_sure gives at least the tier it gives
    in symptoms, leaves out at least the same advice, and the sheet says it was treated as yes."""
    sure = check_invariants(triage, base_answers(symptoms=[flag], **where))
    unsure = check_invariants(triage, base_answers(symptoms=[], symptoms_not_sure=[flag], **where))
    assert tier_rank(unsure.disposition) >= tier_rank(sure.disposition)
    assert {w.id for w in sure.withheld} <= {w.id for w in unsure.withheld}
    assert {r.id for r in unsure.remedies} <= {r.id for r in sure.remedies}
    assert any("treated it as yes" in line for line in unsure.read_as), unsure.read_as
    assert not any("treated" in line for line in sure.read_as)


@functools.cache
def _drawn(triage: Triage) -> dict[str, Any]:
    """The strategies any_answers draws from, built once per loaded rules: built afresh on every
    draw, their construction and validation took most of a sampled test's time."""
    f = triage.contract.fields
    one = {key: st.sampled_from(f[key].values) for key in _SCALARS}
    lists = {
        key: st.lists(
            st.sampled_from(f[key].values),
            unique=True,
            max_size=most,
            min_size=1 if key in ("locations", "timing") else 0,
        )
        for key, most in _LISTS
    }
    return {
        "one": one,
        "lists": lists,
        "mobility": st.lists(st.sampled_from(f["mobility"].values), unique=True, max_size=2),
        # rev 3: signs the person was not sure of (never "feels like an emergency")
        "not_sure": st.lists(
            st.sampled_from([v for v in f["symptoms"].values if v != "feels_like_emergency"]),
            unique=True,
            max_size=3,
        ),
        "stretching_tried": {
            True: st.sampled_from(["not_helped", "not_sure"]),
            False: st.sampled_from(["helped", "not_tried", "not_sure"]),
            None: st.sampled_from(f["stretching_tried"].values),
        },
    }


_SCALARS = (
    "sex",
    "sides",
    "frequency",
    "duration",
    "can_bear_weight",
    "previous_frequency",
    "answering_for",
    "cramps_began_with_medicine",  # rev 3: or not_sure
)
_LISTS = (("locations", 5), ("timing", 4), ("symptoms", 6), ("medications", 5), ("conditions", 4))
_IN_10 = st.integers(0, 9)  # kept 9 times in 10
_DAYS = st.sampled_from(["2026-01-31", "2026-11-10", "2026-02-28"])


def _one_in(n: int) -> st.SearchStrategy[bool]:
    return st.integers(0, n - 1).map(lambda k: k == 0)


_ONE_IN = {n: _one_in(n) for n in (2, 3, 4, 5)}


@st.composite
def any_answers(draw: Any, triage: Triage) -> dict[str, Any]:
    """Valid answers from anywhere in the contract, keys left out at random."""
    s = _drawn(triage)
    one, lists = s["one"], s["lists"]
    a: dict[str, Any] = {"version": 1}
    sex = draw(one["sex"])
    age = draw(st.integers(12, 120))
    for key, value in (("sex", sex), ("age", age)):
        if draw(_IN_10):
            a[key] = value
    for key in ("sides", "frequency", "duration"):
        if draw(_IN_10):
            a[key] = draw(one[key])
    for key in ("sleep_disrupted", "daily_life_affected", "stretching_not_helping"):
        if draw(_IN_10):
            a[key] = draw(st.booleans())
    if draw(_ONE_IN[3]):
        a["cramps_began_with_medicine"] = draw(one["cramps_began_with_medicine"])
    for key, _ in _LISTS:
        values = draw(lists[key])
        if draw(_IN_10):
            a[key] = values
    if sex != "male" and 12 <= age <= 55 and draw(st.booleans()):
        a["pregnant"] = draw(st.booleans())
        if a["pregnant"] and draw(st.booleans()):
            a["pregnancy_weeks"] = draw(st.integers(1, 42))
        elif not a["pregnant"]:
            a["postpartum"] = draw(st.booleans())
    # rev 3 keys the safety table reads (mobility, weight-bearing, breastfeeding, weeks since a
    # birth, pregnancy not sure), each now and then
    if draw(_ONE_IN[4]):
        a["mobility"] = draw(s["mobility"])
    if draw(_ONE_IN[4]):
        a["can_bear_weight"] = draw(one["can_bear_weight"])
    woman = sex != "male" and 12 <= age <= 55
    if woman and a.get("pregnant") is not True and draw(_ONE_IN[5]):
        a["breastfeeding"] = True
    if a.get("pregnant") is False and a.get("postpartum") is False and draw(_ONE_IN[5]):
        a["weeks_since_birth"] = draw(st.integers(7, 12))
    if woman and "pregnant" in a and draw(_ONE_IN[5]):
        a["pregnant"] = "not_sure"
        a.pop("pregnancy_weeks", None)
    # rev 3, the follow-up: the day answered (which adds a dated line to self-care and soon
    # sheets), what stretching has done (agreeing with the rev 2 key), and a re-check's keys
    if draw(_ONE_IN[3]):
        a["answered_on"] = draw(_DAYS)
    if draw(_ONE_IN[4]):
        a["stretching_tried"] = draw(s["stretching_tried"][a.get("stretching_not_helping")])
    if draw(_ONE_IN[4]):
        a["previous_frequency"] = draw(one["previous_frequency"])
        if "answered_on" in a and draw(st.booleans()):
            a["days_since_previous"] = draw(st.integers(0, 60))
    # rev 3: who is answering (someone else: the sheet's first line), now and then
    if draw(_ONE_IN[3]):
        a["answering_for"] = draw(one["answering_for"])
    # rev 3: signs the person was not sure of, now and then
    if draw(_ONE_IN[3]):
        a["symptoms_not_sure"] = draw(s["not_sure"])
    return allowed(a)


def allowed(a: dict[str, Any]) -> dict[str, Any]:
    """The contract refuses pregnancy_emergency without a pregnancy (or not sure) or a birth, and
    for a man or over 60: drop it from answers that cannot carry it."""
    pregnancy = a.get("pregnant") in (True, "not_sure") or a.get("postpartum") is True
    possible = a.get("sex") != "male" and a.get("age", 0) <= 60
    for key in ("symptoms", "symptoms_not_sure"):  # rev 3: and tummy pain only in a pregnancy
        if not (possible and (pregnancy or "weeks_since_birth" in a)) and key in a:
            a[key] = [s for s in a[key] if s not in ("pregnancy_emergency", "pregnancy_bleeding")]
        if not (possible and a.get("pregnant") in (True, "not_sure")) and key in a:
            a[key] = [s for s in a[key] if s not in PREGNANCY_ONLY]
    return a


# The sampled tests in parts, so xdist spreads them over the cores (each part draws its own
# answer sets: hypothesis seeds a parametrized case apart from its siblings, also derandomized).
PARTS = 4 if EXHAUSTIVE else 2


@LONG
@UNMEASURED
@pytest.mark.parametrize("part", range(PARTS))
@settings(
    max_examples=SAMPLES // PARTS, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=st.data())
def test_invariants_on_sampled_answers(triage: Triage, part: int, data: Any) -> None:
    """Every invariant, and the same answers give the same result byte for byte (a copy of the
    answers, evaluated again), on each sampled answer set."""
    answers = data.draw(any_answers(triage))
    result = check_invariants(triage, answers)
    again = triage.evaluate(triage.contract.check(dict(answers)))
    assert again == result, answers


@LONG
@UNMEASURED
@pytest.mark.parametrize("part", range(PARTS))
@settings(
    max_examples=SAMPLES // 4 // PARTS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_adding_answers_never_lowers_the_tier(triage: Triage, part: int, data: Any) -> None:
    """More symptoms, medicines, conditions or troubles can raise the tier, never lower it."""
    before = data.draw(any_answers(triage))
    after = dict(before)
    f = triage.contract.fields
    key = data.draw(
        st.sampled_from(
            [
                "symptoms",
                "medications",
                "conditions",
                "sleep_disrupted",
                "daily_life_affected",
                "stretching_not_helping",
            ]
        )
    )
    if f[key].kind == "list":
        after[key] = sorted(
            set(before.get(key, []))
            | set(data.draw(st.lists(st.sampled_from(f[key].values), min_size=1)))
        )
    else:
        after[key] = True
        if key == "stretching_not_helping" and after.get("stretching_tried") in (
            "helped",
            "not_tried",
        ):
            after["stretching_tried"] = (
                "not_helped"  # rev 3: the newer key says the same, or it is refused
            )
    after = allowed(after)
    low = triage.evaluate(triage.contract.check(before)).disposition
    high = check_invariants(triage, after).disposition
    assert tier_rank(high) >= tier_rank(low), (key, before, after)


@LONG
@UNMEASURED
@settings(max_examples=200 if not EXHAUSTIVE else 2000, deadline=None)
@given(data=st.data())
def test_no_sheet_tells_anyone_to_stop_a_medicine(triage: Triage, data: Any) -> None:
    """The rendered sheet too: only the statin warning may say to stop a medicine."""
    answers = triage.contract.check(data.draw(any_answers(triage)))
    result = triage.evaluate(answers)
    text = triage.sheet(result, answers, "markdown", full=True)
    assert not STOP_MEDICINE.search(text)
    if result.disposition != "emergency":
        assert "quinine" in text and "## Get help if things change" in text


def test_the_checks_can_fail(triage: Triage) -> None:
    """The invariant checker is not toothless: a result that breaks a rule is caught."""
    answers = base_answers(conditions=["diabetes"])
    result = triage.evaluate(triage.contract.check(answers))
    pick = triage.knowledge.remedies["sugar_water"]
    from triage.result import RemedyPick

    bad = result._replace(
        remedies=[
            *result.remedies,
            RemedyPick(
                "sugar_water",
                pick.title,
                pick.when,
                pick.evidence,
                ("Sip it.",),
                (),
                (),
                "x",
            ),
        ]
    )
    original = triage.evaluate
    triage.evaluate = lambda a, country="generic": bad  # type: ignore[method-assign]
    try:
        with pytest.raises(AssertionError, match="sugar water with diabetes"):
            check_invariants(triage, answers)
    finally:
        del triage.evaluate
    assert triage.evaluate == original, "the real evaluate was not restored"
    assert "sugar_water" not in {r.id for r in check_invariants(triage, answers).remedies}
    assert STOP_MEDICINE.search("Stop taking your tablets.") and STOP_MEDICINE.search(
        "stop the statin"
    )
    assert not STOP_MEDICINE.search("Stop exercising.") and not STOP_MEDICINE.search(
        "Do not stop a medicine."
    )


# ---- every contract value is classified ----------------------------------------------------
# Each value a person can tick is put by hand, from the policy, in the lowest tier it must bring
# on its own (added to the ordinary self-care case of conftest.base_answers: an adult man with
# occasional one-sided night calf cramps), with the answers it needs where it counts only
# together with another (for example statin muscle aches). "none": no tier of its own (it changes
# the advice, a safety filter or a warning). A value added to the contract that nobody classified
# fails test_every_contract_value_is_classified, by name: the invariants above cover a value only
# once someone has decided what it means.
SOON_SIGNS = [
    "gradual_wasting",
    "numbness_tingling",
    "swelling_both_legs",
    "walking_pain_eases_rest",
    "thyroid_signs",
    "thirst_urination",
    "recent_injury",
]
CLASSIFIED: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {
    "symptoms": {
        **{s: ("emergency", {}) for s in EMERGENCY_FLAGS},
        **{
            s: ("urgent", {})
            for s in URGENT_FLAGS
            if s not in NOT_URGENT_ALONE | {"pregnancy_warning_signs"}
        },
        **{s: ("soon", {}) for s in NOT_URGENT_ALONE},
        "pregnancy_warning_signs": (
            "urgent",
            {"sex": "female", "age": 30, "pregnant": True, "pregnancy_weeks": 30},
        ),
        "foot_pain_at_rest": ("urgent", {}),
        "calf_pain_between_cramps": ("urgent", {}),  # base answers: one side
        **{s: ("soon", {}) for s in SOON_SIGNS},
        "urge_to_move": ("soon", {"sleep_disrupted": True}),
        "muscle_ache_or_weakness": ("urgent", {"medications": ["statin"]}),
        "heat_exertion": ("none", {}),  # heat cramps in a healthy person: home care
        "heel_pain_first_steps": ("none", {}),  # named under "may not be a cramp"
        # rev 3
        "recent_fall": ("soon", {}),  # like a recent injury; 65 and over: urgent (invariants)
        "endurance_overdrinking": ("none", {}),  # alone: home care; with vomiting, 999 (invariants)
        "pregnancy_emergency": ("emergency", {**PREGNANT, "pregnancy_weeks": 8}),
        "unusual_exertion": ("none", {}),  # a cause: with dark urine, 999 (invariants)
        "fluid_loss": ("urgent", {}),  # rev 2 files: vomiting, diarrhoea or sweating
        "heavy_sweating": ("none", {}),  # alone expected; urgent with a risk (invariants)
        "weight_loss": ("soon", {}),
        "pregnancy_belly_pain": ("urgent", {**PREGNANT, "pregnancy_weeks": 8}),  # early: today
        # rev 3 (policy "urgent, now" and "urgent, today"): in pregnancy any bleeding is urgent
        # (under 20 weeks today, from 20 weeks now); tightenings and fewer movements from 20 weeks
        "pregnancy_bleeding": ("urgent", {**PREGNANT, "pregnancy_weeks": 8}),
        "pregnancy_tightenings": ("urgent", {**PREGNANT, "pregnancy_weeks": 30}),
        "reduced_movements": ("urgent", {**PREGNANT, "pregnancy_weeks": 30}),
        # under 18: a fever or a limp today; bone pain, a lump, day-and-night pain within 2 days;
        # a fever with leg pain is urgent at any age (the base answers are an adult)
        "fever": ("urgent", {}),
        "limp": ("urgent", {"age": 14}),
        "bone_pain_one_spot": ("soon", {"age": 14}),
        "lump_or_swelling": ("soon", {"age": 14}),
        "day_and_night_pain": ("soon", {"age": 14}),  # base answers: one side
    },
    "medications": {
        **{m: ("soon", {}) for m in sorted(CRAMP_MEDICINES)},  # began with them: not reported
        "quinine": ("soon", {}),
        "ace_inhibitor_or_arb": ("none", {}),  # safety filters only
        "anticoagulant": ("none", {}),
        # rev 3: the safety table's columns; their interaction rows (rules/interactions.yaml)
        # are not yet applied by the engine
        "other_nsaid": ("none", {}),
        "antiplatelet": ("none", {}),
        "another_medicine": ("none", {}),
        "not_sure_which": ("none", {}),
    },
    "conditions": {
        **{
            c: ("soon", {})
            for c in (
                "kidney_disease",
                "dialysis",
                "liver_disease",
                "thyroid_disease",
                "peripheral_artery_disease",
                "heavy_alcohol",
            )
        },
        **{c: ("soon", {}) for c in sorted(CLOT_RISKS)},  # base answers: always the one calf
        "diabetes": ("none", {}),
        "prediabetes": ("none", {}),
        "neuropathy": ("none", {}),
        "heart_failure_or_low_salt_diet": ("none", {}),
        "not_sure": ("none", {}),  # rev 3: the "not reported or not sure" column
    },
}


def test_every_contract_value_is_classified(triage: Triage) -> None:
    """Every value of symptoms, medications and conditions has a tier decided for it here."""
    for key, classes in CLASSIFIED.items():
        values = set(triage.contract.fields[key].values)
        unclassified = sorted(values - set(classes))
        assert not unclassified, (
            f"{key}: {', '.join(unclassified)} not classified in tests/test_safety.py CLASSIFIED"
        )
        assert not set(classes) - values, f"{key}: classified but not in the contract"


@pytest.mark.parametrize(
    ("key", "value"), [(key, value) for key, classes in CLASSIFIED.items() for value in classes]
)
def test_each_value_alone_brings_its_tier(triage: Triage, key: str, value: str) -> None:
    """A value added to an ordinary self-care case brings at least the tier it is classified in."""
    tier, needs = CLASSIFIED[key][value]
    answers = base_answers(**needs)
    answers[key] = [*answers.get(key, []), value]
    result = check_invariants(triage, answers)
    if tier == "none":
        assert result.disposition != "emergency", f"{value} alone is an emergency"
    else:
        assert tier_rank(result.disposition) >= tier_rank(tier), (
            f"{key} {value}: {result.disposition}, below {tier}"
        )
