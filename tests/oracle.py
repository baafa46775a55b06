"""The clinical oracle: what the policy (docs/policy.md, revision 2) requires, as a table.

Every expectation below is written by hand from the policy and the answers contract; nothing
is read from rules/. A clinician can review it as a table (`python -m tests.oracle` prints it
as Markdown). Each row is one policy line: the smallest change to an ordinary case (a 45-year-old
man with an occasional night calf cramp) that the line is about, and what the result must then
show. `rev` says which policy revision brought the behaviour (2: new in revision 2).

The checks are plain functions so that both the test suite (tests/test_oracle.py) and the
mutation tool (tests/mutate.py) run exactly the same expectations against the real pipeline.

Fields of a row:
- tier: the disposition exactly; "urgent+" means at least urgent.
- absent: remedy ids that must not be offered and must be listed as withheld (why it was left out).
- actions: action ids that must be in `withheld_actions` (revision 2 result field).
- offered: remedy ids that must be offered.
- cautioned: remedy ids that, if offered, carry a caution the same remedy does not carry for
  the row's `baseline` answers (withheld also satisfies it).
- warnings / no_warnings / consider: ids that must (not) be present.
- no_points: WHO point codes no offered remedy may press ("*": no acupressure at all).
- no_remedies: the emergency sheet offers nothing.
- sheet: (country, [texts]) the plain-text sheet for that country must contain (whitespace-folded).
- no_advice: action ids no sentence of the plain-text sheet may advise, outside "left out for you"
  (docs/policy.md, "One voice": no withheld action is advised on the same sheet); ADVICE below says,
  in words a clinician can check, what advising each action looks like.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

TIERS = ("self-care", "soon", "urgent", "emergency")  # the policy's four, lowest first
S = "symptoms"
M = "medications"
C = "conditions"


def base(**changes: Any) -> dict[str, Any]:
    """The ordinary self-care case: 45, male, an occasional night cramp in one calf, nothing else."""
    answers: dict[str, Any] = {
        "version": 1,
        "age": 45,
        "sex": "male",
        "locations": ["calf"],
        "sides": "one",
        "timing": ["night"],
        "frequency": "monthly",
        "duration": "minutes",
        "sleep_disrupted": False,
        "daily_life_affected": False,
        "stretching_not_helping": False,
        "symptoms": [],
        "medications": [],
        "conditions": [],
    }
    answers.update(changes)
    return answers


WOMAN = {"sex": "female", "age": 30}
PREGNANT = {**WOMAN, "pregnant": True, "pregnancy_weeks": 30}
POSTPARTUM = {**WOMAN, "pregnant": False, "postpartum": True}
ALL_PLACES = {
    "locations": ["calf", "foot", "toes", "thigh_front", "thigh_back"],
    "timing": ["night", "rest"],
}
CALF_POINTS = ("BL55", "BL56", "BL57", "BL58")  # acupressure points on the calf muscle (WHO codes)
HEAT = ("warmth", "hot_foot_soak", "epsom_bath")
LINKED_MEDICINES = (
    "thiazide_diuretic",
    "potassium_sparing_diuretic",
    "loop_diuretic",
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
)


# What advising each action looks like in a sentence of the sheet (a sentence that also says not,
# never, avoid ... is a warning, not advice).
ADVICE = {
    "rub_calf": r"\b(rub|massag|knead|squeez|pat|roll)\w*\b[^.]*\b(calf|calves|leg)\b",
    "knead_firmly": r"\bknead\w*\b[^.]*\b(firm|hard)\w*|\b(firm|hard)\w*\b[^.]*\bknead|\bpress\w*\b[^.]*\b(firm|hard)"
    r"\w*|\bsqueez\w*\b[^.]*\broll",  # firm pressing and squeeze-and-roll are hard kneading too
    "press_points": r"\bpress\w*\b[^.]*\b(point|groove|firmly)\b|\bacupressure\b",
    "supplement_by_mouth": r"\b(tablet|supplement|capsule|pill)s?\b",
    "magnesium_by_mouth": r"\bmagnesium\b[^.]*\b(tablet|supplement|capsule|pill)s?\b",
    "hot_soak": r"\bsoak\w*\b[^.]*\b(foot|feet)\b|\b(foot|feet)\b[^.]*\bsoak",
    "heating_pad": r"\b(heating pad|heat pad|hot water bottle|electric blanket)s?\b",
    "drink_sugar": r"\bsugar\b",
    "walk_in_dark": r"\bwalk\w*\b[^.]*\b(around|about)\b|\bwalk it off\b",
    "stand_one_leg": r"\bon one (leg|foot)\b",
    "drink_more_water": r"\bdrink\b[^.]*\bwater\b",
    "salty_drink": r"\b(sports drink|salt drink|salty|pickle juice)\b",
}
NEGATION = re.compile(r"\b(not|no|never|don't|avoid|instead|left out)\b", re.I)


class Row(NamedTuple):
    id: str
    policy: str
    answers: dict[str, Any]
    rev: int = 1
    tier: str | None = None
    absent: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    offered: tuple[str, ...] = ()
    cautioned: tuple[str, ...] = ()
    baseline: dict[str, Any] | None = None
    warnings: tuple[str, ...] = ()
    no_warnings: tuple[str, ...] = ()
    consider: tuple[str, ...] = ()
    no_points: tuple[str, ...] = ()
    no_remedies: bool = False
    sheet: tuple[str, tuple[str, ...]] | None = None
    no_advice: tuple[str, ...] = ()


def r(id: str, policy: str, rev: int = 1, **kw: Any) -> Row:
    changes = kw.pop("answers", {})
    baseline = kw.pop("baseline", None)
    answers = base(**changes)
    for key in kw.pop("without", ()):  # a key the row leaves out (not reported)
        answers.pop(key)
    return Row(
        id,
        policy,
        answers,
        rev,
        baseline=base(**baseline) if baseline is not None else None,
        **{k: tuple(v) if isinstance(v, list) else v for k, v in kw.items()},
    )


E = "emergency"
U = "urgent"
SN = "soon"
SC = "self-care"

ROWS: list[Row] = [
    # ---- emergency ------------------------------------------------------------------------------
    r(
        "E-lung-clot",
        "Leg pain with sudden breathlessness, chest pain or coughing blood",
        answers={S: ["breathless_or_chest_pain"]},
        tier=E,
        no_remedies=True,
        consider=["dvt"],
    ),
    r(
        "E-cold-leg",
        "A leg or foot suddenly cold, pale, blue or mottled",
        answers={S: ["cold_pale_leg"]},
        tier=E,
        no_remedies=True,
    ),
    r(
        "E-cannot-move-foot",
        "A foot that suddenly cannot be moved or feels numb",
        answers={S: ["cannot_move_foot"]},
        tier=E,
        no_remedies=True,
    ),
    r(
        "E-heat-stroke",
        "Confusion, fainting or very hot skin after heat or exertion",
        answers={S: ["confused_or_fainting"]},
        tier=E,
        no_remedies=True,
    ),
    r(
        "E-heat-stroke-first-aid",
        "Heat stroke: while waiting, cool the skin; nothing to drink if confused",
        rev=2,
        answers={S: ["confused_or_fainting"]},
        tier=E,
        sheet=("uk", ("cool",)),
    ),
    r(
        "E-compartment",
        "After an injury: tight swollen calf, worse moving the toes",
        answers={S: ["injury_tight_calf"]},
        tier=E,
        no_remedies=True,
    ),
    r(
        "E-muscle-breakdown",
        "Dark urine with severe muscle pain or weakness",
        answers={S: ["dark_urine", "severe_muscle_pain"]},
        tier=E,
        no_remedies=True,
    ),
    r(
        "E-feels-like",
        "The person says it feels like an emergency",
        answers={S: ["feels_like_emergency"]},
        tier=E,
        no_remedies=True,
    ),
    r(
        "E-all-withheld",
        "Emergency tier: every remedy withheld",
        answers={S: ["feels_like_emergency"], **ALL_PLACES},
        tier=E,
        no_remedies=True,
        absent=["stretch_during_cramp", "calf_massage", "warmth", "bedtime_stretching"],
    ),
    # ---- urgent ---------------------------------------------------------------------------------
    r(
        "U-one-leg-swollen",
        "One leg swollen (possible DVT)",
        answers={S: ["one_leg_swollen"]},
        tier=U,
        consider=["dvt"],
    ),
    r(
        "U-red-warm-patch",
        "A red or darkened, warm, tender patch (possible DVT)",
        answers={S: ["red_warm_skin"]},
        tier=U,
        consider=["dvt"],
    ),
    r(
        "U-dvt-pregnant",
        "Possible DVT: also in pregnancy",
        answers={**PREGNANT, S: ["one_leg_swollen"]},
        tier=U,
    ),
    r(
        "U-dvt-after-birth",
        "Possible DVT: also after birth",
        answers={**POSTPARTUM, S: ["red_warm_skin"]},
        tier=U,
    ),
    r(
        "U-long-cramp",
        "A cramp over 10 minutes that does not ease with stretching",
        answers={"duration": "over_10_minutes"},
        tier=U,
    ),
    r(
        "U-dirty-wound",
        "Cramps after a wound that may be dirty (tetanus)",
        answers={S: ["dirty_wound"]},
        tier=U,
    ),
    r(
        "U-toxin",
        "Cramps after lead, mercury or pesticides",
        answers={S: ["toxin_exposure"]},
        tier=U,
    ),
    r(
        "U-statin-severe-pain",
        "A statin with unexplained muscle pain: a doctor today",
        answers={M: ["statin"], S: ["severe_muscle_pain"]},
        tier=U,
        warnings=["statin_muscle"],
    ),
    r(
        "U-statin-weakness",
        "A statin with unexplained weakness: a doctor today",
        answers={M: ["statin"], S: ["new_weakness"]},
        tier=U,
        warnings=["statin_muscle"],
    ),
    r(
        "U-statin-dark-urine",
        "Dark urine on a statin",
        answers={M: ["statin"], S: ["dark_urine"]},
        tier=U,
        warnings=["statin_muscle"],
    ),
    r(
        "U-statin-aches",
        "A statin with unexplained aches or weakness between cramps",
        rev=2,
        answers={M: ["statin"], S: ["muscle_ache_or_weakness"]},
        tier=U,
        warnings=["statin_muscle"],
    ),
    r("U-new-weakness", "New weakness in the leg", answers={S: ["new_weakness"]}, tier=U),
    r("U-new-numbness", "New loss of feeling in the leg", answers={S: ["new_numbness"]}, tier=U),
    r("U-twitching", "Muscle twitching", answers={S: ["twitching"]}, tier=U),
    r(
        "U-cramps-elsewhere",
        "Cramps also in the chest, arms or belly",
        answers={S: ["cramps_elsewhere"]},
        tier=U,
    ),
    r(
        "U-fluid-loss",
        "Cramps after heavy vomiting, diarrhoea or sweating",
        answers={S: ["fluid_loss"]},
        tier=U,
    ),
    r(
        "U-heat-cramps-heart",
        "Heat cramps with heart disease or a low-salt diet",
        answers={S: ["heat_exertion"], C: ["heart_failure_or_low_salt_diet"]},
        tier=U,
    ),
    r(
        "U-pre-eclampsia",
        "Pregnant 20 weeks or more with warning signs (pre-eclampsia)",
        answers={**PREGNANT, S: ["pregnancy_warning_signs"]},
        tier=U,
    ),
    r(
        "U-pre-eclampsia-after-birth",
        "Warning signs in the 6 weeks after birth (pre-eclampsia)",
        answers={**POSTPARTUM, S: ["pregnancy_warning_signs"]},
        tier=U,
    ),
    r(
        "U-young-thirst",
        "Under 18 with thirst, more urine or weight loss (type 1 diabetes)",
        rev=2,
        answers={"age": 16, S: ["thirst_urination"]},
        tier=U,
    ),
    r(
        "U-foot-pain-rest",
        "Foot or toe pain at rest that eases with the leg hanging down",
        rev=2,
        answers={S: ["foot_pain_at_rest"]},
        tier=U,
    ),
    r(
        "U-calf-pain-between",
        "Calf pain that stays between cramps, in one leg",
        rev=2,
        answers={S: ["calf_pain_between_cramps"], "sides": "one"},
        tier=U,
    ),
    r(
        "U-injury-one-swollen",
        "A recent injury with swelling",
        answers={S: ["recent_injury", "one_leg_swollen"]},
        tier=U,
    ),
    r(
        "U-injury-both-swollen",
        "A recent injury with swelling (both legs)",
        answers={S: ["recent_injury", "swelling_both_legs"]},
        tier=U,
    ),
    r("U-dark-urine", "Dark urine on its own", answers={S: ["dark_urine"]}, tier=U),
    r(
        "U-severe-pain",
        "Severe muscle pain or weakness that does not pass (new weakness; err towards care)",
        answers={S: ["severe_muscle_pain"]},
        tier="urgent+",
    ),
    # ---- soon -----------------------------------------------------------------------------------
    r("S-most-days", "Cramps on most days", answers={"frequency": "most_days"}, tier=SN),
    r(
        "S-weekly-sleep",
        "Cramps weekly that disturb sleep",
        answers={"frequency": "weekly", "sleep_disrupted": True},
        tier=SN,
    ),
    r(
        "S-weekly-day",
        "Cramps weekly that disturb daily life",
        answers={"frequency": "weekly", "daily_life_affected": True},
        tier=SN,
    ),
    r(
        "S-most-days-sleep-pregnant",
        "Cramps in pregnancy that disturb sleep, most days",
        answers={**PREGNANT, "frequency": "most_days", "sleep_disrupted": True},
        tier=SN,
    ),
    r(
        "S-weekly-untroubled",
        "Weekly cramps that bother nobody stay self-care: mention at the next visit",
        answers={"frequency": "weekly"},
        tier=SC,
        warnings=["mention_at_checkup"],
    ),
    r(
        "S-pregnant-untroubled",
        "Cramps in pregnancy that do not disturb sleep stay self-care: mention at the antenatal visit",
        answers={**PREGNANT, "frequency": "most_days"},
        tier=SC,
        warnings=["mention_at_checkup"],
    ),
    r(
        "S-monthly-sleep",
        "Monthly cramps, even if they wake you, are not 'weekly or more'",
        answers={"frequency": "monthly", "sleep_disrupted": True},
        tier=SC,
    ),
    r("S-wasting", "Gradual muscle wasting or weakness", answers={S: ["gradual_wasting"]}, tier=SN),
    r(
        "S-tingling",
        "Numbness or tingling that is not sudden",
        answers={S: ["numbness_tingling"]},
        tier=SN,
        consider=["neuropathy"],
    ),
    r("S-both-swollen", "Swelling of both legs", answers={S: ["swelling_both_legs"]}, tier=SN),
    r(
        "S-both-swollen-late-pregnancy",
        "Swelling of both legs in late pregnancy is normal",
        answers={**PREGNANT, S: ["swelling_both_legs"]},
        tier=SC,
    ),
    r(
        "S-claudication",
        "Calf pain on walking that goes within minutes of rest",
        answers={S: ["walking_pain_eases_rest"]},
        tier=SN,
        consider=["claudication"],
    ),
    *[
        r(
            f"S-medicine-{m}",
            f"Cramps with a medicine known to cause them ({m}), not asked whether they began with it: soon",
            answers={
                M: [m],
                "sides": "both",
            },  # both legs: the one-sided clot rule must not stand in for this one
            tier=SN,
            warnings=["medication_review"],
        )
        for m in LINKED_MEDICINES
    ],
    r(
        "S-medicine-began",
        "Cramps began with a linked medicine: soon",
        rev=2,
        answers={M: ["laba_inhaler"], "cramps_began_with_medicine": True},
        tier=SN,
        warnings=["medication_review"],
    ),
    r(
        "S-medicine-not-began",
        "Linked medicine, cramps did not begin with it: tier not raised, review warning stays",
        rev=2,
        answers={M: ["laba_inhaler"], "cramps_began_with_medicine": False},
        tier=SC,
        warnings=["medication_review"],
    ),
    r(
        "S-one-calf-oestrogen",
        "One calf, oestrogens: possible clot, soon, no calf massage",
        answers={**WOMAN, M: ["oestrogen"], "sides": "one"},
        tier=SN,
        consider=["dvt"],
        absent=["calf_massage"],
        no_points=CALF_POINTS,
    ),
    r(
        "S-one-calf-raloxifene",
        "One calf, raloxifene: possible clot, soon, no calf massage",
        answers={**WOMAN, M: ["raloxifene"], "sides": "one"},
        tier=SN,
        consider=["dvt"],
        absent=["calf_massage"],
        no_points=CALF_POINTS,
    ),
    r(
        "S-one-calf-oestrogen-not-began",
        "One calf, oestrogen, cramps did not begin with it: still soon (clot risk)",
        rev=2,
        answers={**WOMAN, M: ["oestrogen"], "sides": "one", "cramps_began_with_medicine": False},
        tier=SN,
        consider=["dvt"],
    ),
    r(
        "S-one-calf-previous-clot-filter",
        "One calf after a previous clot: clot named, no calf massage",
        answers={C: ["previous_clot"], "sides": "one"},
        consider=["dvt"],
        absent=["calf_massage"],
        no_points=CALF_POINTS,
    ),
    r(
        "S-one-calf-previous-clot",
        "One calf after a previous clot: soon",
        rev=2,
        answers={C: ["previous_clot"], "sides": "one"},
        tier=SN,
        actions=["rub_calf"],
    ),
    r(
        "S-one-calf-after-birth",
        "One calf in the 6 weeks after birth: soon, no calf massage",
        rev=2,
        answers={**POSTPARTUM, "sides": "one"},
        tier=SN,
        consider=["dvt"],
        absent=["calf_massage"],
        actions=["rub_calf"],
    ),
    r(
        "S-one-calf-cancer",
        "One calf with active cancer: soon, no calf massage",
        rev=2,
        answers={C: ["active_cancer"], "sides": "one"},
        tier=SN,
        consider=["dvt"],
        absent=["calf_massage"],
        actions=["rub_calf"],
    ),
    r(
        "S-one-calf-surgery",
        "One calf after surgery or bed rest: soon, no calf massage",
        rev=2,
        answers={C: ["recent_surgery_or_bed_rest"], "sides": "one"},
        tier=SN,
        consider=["dvt"],
        absent=["calf_massage"],
        actions=["rub_calf"],
    ),
    r(
        "S-one-calf-pregnant",
        "One calf in pregnancy without clot signs stays self-care, with the clot signs named",
        answers={**PREGNANT, "sides": "one"},
        tier=SC,
        warnings=["pregnancy_signs"],
    ),
    r(
        "S-both-calves-oestrogen",
        "Oestrogen, both legs: the clot risk is still named",
        answers={**WOMAN, M: ["oestrogen"], "sides": "both"},
        warnings=["hormone_clot_risk"],
    ),
    r(
        "S-both-calves-raloxifene",
        "Raloxifene, both legs: the clot risk is still named",
        answers={**WOMAN, M: ["raloxifene"], "sides": "both"},
        warnings=["hormone_clot_risk"],
    ),
    r(
        "S-dialysis-timing",
        "Cramps during dialysis: tell the dialysis team",
        rev=2,
        answers={"timing": ["during_dialysis"]},
        tier=SN,
    ),
    r(
        "S-thyroid-signs",
        "Signs of an underactive thyroid with new cramps",
        rev=2,
        answers={S: ["thyroid_signs"]},
        tier=SN,
    ),
    *[
        r(f"S-condition-{c}", f"Known {c} with cramps: tell the team", answers={C: [c]}, tier=SN)
        for c in (
            "kidney_disease",
            "dialysis",
            "liver_disease",
            "thyroid_disease",
            "peripheral_artery_disease",
        )
    ],
    r(
        "S-thirst",
        "Thirst, more urine or weight loss (check for diabetes)",
        answers={S: ["thirst_urination"]},
        tier=SN,
    ),
    r("S-alcohol", "Heavy alcohol use", answers={C: ["heavy_alcohol"]}, tier=SN),
    r(
        "S-stretching-failed",
        "Not improved after 2-4 weeks of regular stretching",
        answers={"stretching_not_helping": True},
        tier=SN,
    ),
    r(
        "S-restless-sleep",
        "An urge to move that disturbs sleep (restless legs)",
        answers={S: ["urge_to_move"], "sleep_disrupted": True},
        tier=SN,
        consider=["restless_legs"],
    ),
    # ---- self-care and "this may not be a cramp" ------------------------------------------------
    r(
        "C-ordinary",
        "Occasional night calf cramps: self-care, quinine warning",
        answers={},
        tier=SC,
        warnings=["quinine"],
        offered=["stretch_during_cramp", "bedtime_stretching"],
    ),
    r(
        "C-exercise",
        "Cramps after exercise, seconds long",
        answers={"timing": ["after_exercise"], "duration": "seconds"},
        tier=SC,
    ),
    r("C-heat-cramps", "Heat cramps in a healthy person", answers={S: ["heat_exertion"]}, tier=SC),
    r(
        "C-pregnant",
        "Pregnancy cramps: self-care, the warning signs named",
        answers=PREGNANT,
        tier=SC,
        warnings=["pregnancy_signs"],
    ),
    r(
        "C-after-birth",
        "After birth: self-care, the warning signs named",
        answers={**POSTPARTUM, "sides": "both"},
        tier=SC,
        warnings=["pregnancy_signs"],
    ),
    r(
        "C-restless",
        "Urge to move, sleep fine: named, self-care",
        answers={S: ["urge_to_move"]},
        tier=SC,
        consider=["restless_legs"],
    ),
    r(
        "C-heel",
        "Heel pain on the first steps (plantar fasciitis)",
        answers={S: ["heel_pain_first_steps"]},
        tier=SC,
        consider=["plantar_fasciitis"],
    ),
    r(
        "C-neuropathy",
        "Known neuropathy: named",
        answers={C: ["neuropathy"]},
        consider=["neuropathy"],
    ),
    r(
        "C-new-numbness-named",
        "New numbness: neuropathy named",
        answers={S: ["new_numbness"]},
        consider=["neuropathy"],
    ),
    *[
        r(
            f"C-exercise-{t}",
            f"Cramps {t.replace('_', ' ')}: exercise advice (README: matched to when they come)",
            answers={"timing": [t]},
            offered=["warm_up"],
        )
        for t in ("during_exercise", "after_exercise")
    ],
    r(
        "C-foot-stretch",
        "Foot cramps: the foot stretch",
        answers={"locations": ["foot"]},
        offered=["stretch_foot_toes"],
    ),
    r(
        "C-toe-stretch",
        "Toe cramps: the foot stretch",
        answers={"locations": ["toes"]},
        offered=["stretch_foot_toes"],
    ),
    # ---- warnings -------------------------------------------------------------------------------
    r(
        "W-quinine-urgent",
        "Every non-emergency sheet warns against quinine (urgent)",
        answers={S: ["twitching"]},
        warnings=["quinine"],
    ),
    r(
        "W-quinine-soon",
        "Every non-emergency sheet warns against quinine (soon)",
        answers={"frequency": "most_days"},
        warnings=["quinine"],
    ),
    r(
        "W-quinine-in-use",
        "Prescribed quinine: do not stop alone, ask whether still needed",
        answers={M: ["quinine"]},
        sheet=("generic", ("still need",)),
    ),
    r(
        "W-statin-always",
        "Every statin user's sheet carries statin_muscle",
        rev=2,
        answers={M: ["statin"]},
        warnings=["statin_muscle"],
    ),
    r(
        "W-no-medicine-review",
        "No medicine linked to cramps: no review warning",
        answers={M: ["ace_inhibitor_or_arb"]},
        no_warnings=["medication_review"],
    ),
    # ---- safety filters -------------------------------------------------------------------------
    r(
        "F-pregnant-acupressure",
        "Pregnant: no acupressure",
        answers={**PREGNANT, **ALL_PLACES},
        no_points=["*"],
    ),
    r(
        "F-pregnant-acupressure-action",
        "Pregnant: pressing points is a withheld action",
        rev=2,
        answers={**PREGNANT, **ALL_PLACES},
        actions=["press_points"],
        no_advice=["press_points"],
    ),
    r(
        "F-pregnant-supplements",
        "Pregnant: no supplements by mouth",
        answers={**PREGNANT, **ALL_PLACES},
        absent=["magnesium_supplement"],
    ),
    r(
        "F-pregnant-supplements-action",
        "Pregnant: supplements by mouth withheld as an action",
        rev=2,
        answers={**PREGNANT, **ALL_PLACES},
        actions=["supplement_by_mouth"],
        no_advice=["supplement_by_mouth"],
    ),
    r(
        "F-pregnant-warm-not-hot",
        "Pregnant: warm, not hot, water",
        answers={**PREGNANT, **ALL_PLACES},
        baseline={**WOMAN, "pregnant": False, **ALL_PLACES},
        cautioned=HEAT,
    ),
    r(
        "F-diabetes-sugar",
        "Diabetes: no sugar water; heat tested with the elbow",
        answers={C: ["diabetes"], **ALL_PLACES},
        absent=["sugar_water"],
        cautioned=HEAT,
        baseline=ALL_PLACES,
    ),
    r(
        "F-prediabetes-sugar",
        "Prediabetes: no sugar water; heat tested with the elbow",
        answers={C: ["prediabetes"], **ALL_PLACES},
        absent=["sugar_water"],
        cautioned=HEAT,
        baseline=ALL_PLACES,
    ),
    r(
        "F-thirst-sugar",
        "Signs of diabetes: no sugar water",
        rev=2,
        answers={S: ["thirst_urination"]},
        absent=["sugar_water"],
        actions=["drink_sugar"],
    ),
    r(
        "F-diabetes-sugar-action",
        "Diabetes: sugar water withheld as an action",
        rev=2,
        answers={C: ["diabetes"]},
        actions=["drink_sugar"],
        no_advice=["drink_sugar"],
    ),
    *[
        r(
            f"F-numb-{k}-{v}",
            f"Numb feet ({v}): no hot soaks or heating pads",
            answers={k: [v], **ALL_PLACES},
            absent=["hot_foot_soak"],
            cautioned=["warmth", "epsom_bath"],
            baseline=ALL_PLACES,
        )
        for k, v in (
            (C, "neuropathy"),
            (C, "peripheral_artery_disease"),
            (S, "numbness_tingling"),
            (S, "new_numbness"),
        )
    ],
    *[
        r(
            f"F-numb-{v}",
            f"Signs of artery disease ({v}): no hot soaks or heating pads",
            rev=2,
            answers={S: [v], **ALL_PLACES},
            absent=["hot_foot_soak"],
            actions=["hot_soak", "heating_pad"],
        )
        for v in ("walking_pain_eases_rest", "foot_pain_at_rest")
    ],
    r(
        "F-numb-actions",
        "Neuropathy: hot soaks and heating pads withheld as actions",
        rev=2,
        answers={C: ["neuropathy"], **ALL_PLACES},
        actions=["hot_soak", "heating_pad"],
        no_advice=["hot_soak", "heating_pad"],
    ),
    *[
        r(
            f"F-kidney-{c}",
            f"{c}: no magnesium or potassium supplements; Epsom soaks: ask the kidney team",
            answers={C: [c], **ALL_PLACES},
            absent=["magnesium_supplement"],
            cautioned=[
                "potassium_foods",
                "epsom_bath",
                "hot_foot_soak",
            ],  # rev 2: Epsom soaks AND baths
            baseline=ALL_PLACES,
        )
        for c in ("kidney_disease", "dialysis")
    ],
    r(
        "F-kidney-action",
        "Kidney disease: magnesium by mouth withheld as an action",
        rev=2,
        answers={C: ["kidney_disease"]},
        actions=["magnesium_by_mouth"],
        no_advice=["magnesium_by_mouth"],
    ),
    r(
        "F-dialysis-fluid",
        "Dialysis: follow the fluid limit",
        answers={C: ["dialysis"]},
        cautioned=["hydration"],
        baseline={},
    ),
    r(
        "F-dialysis-water-action",
        "Dialysis: no 'drink more water'",
        rev=2,
        answers={C: ["dialysis"]},
        actions=["drink_more_water"],
        no_advice=["drink_more_water"],
    ),
    r(
        "F-liver",
        "Liver disease: no magnesium or potassium supplements",
        rev=2,
        answers={C: ["liver_disease"]},
        absent=["magnesium_supplement"],
        actions=["magnesium_by_mouth"],
    ),
    *[
        r(
            f"F-potassium-{m}",
            f"{m}: no potassium supplements; potassium foods with care",
            answers={M: [m]},
            cautioned=["potassium_foods"],
            baseline={},
        )
        for m in ("ace_inhibitor_or_arb", "potassium_sparing_diuretic")
    ],
    r(
        "F-potassium-foods-kept",
        "ACE inhibitor alone: potassium foods are not withheld",
        rev=2,
        answers={M: ["ace_inhibitor_or_arb"]},
        offered=["potassium_foods"],
    ),
    *[
        r(
            f"F-clot-{v}",
            f"Possible clot ({v}): no calf massage, kneading, patting or rolling",
            answers={S: [v]},
            absent=["calf_massage"],
            no_points=CALF_POINTS,
        )
        for v in ("one_leg_swollen", "red_warm_skin")
    ],
    r(
        "F-clot-action",
        "Possible clot: rubbing the calf is withheld wherever it appears",
        rev=2,
        answers={S: ["one_leg_swollen"], **ALL_PLACES},
        actions=["rub_calf"],
        no_advice=["rub_calf"],
    ),
    r(
        "F-anticoagulant",
        "Anticoagulant: no hard kneading; massage gently",
        rev=2,
        answers={M: ["anticoagulant"]},
        actions=["knead_firmly"],
        no_advice=["knead_firmly"],
        cautioned=["calf_massage"],
        baseline={},
    ),
    r(
        "F-anticoagulant-thigh",
        "Anticoagulant: massage gently only, the thigh too; no firm pressing anywhere",
        rev=2,
        answers={M: ["anticoagulant"], **ALL_PLACES},
        cautioned=["massage_muscle"],
        no_advice=["knead_firmly"],
        baseline=ALL_PLACES,
    ),
    r(
        "F-older-dark",
        "65 and over: no walking about in the dark; stretch seated, stand slowly",
        answers={"age": 65},
        absent=["walk_it_off"],
        cautioned=["stretch_during_cramp", "bedtime_stretching"],
    ),
    r(
        "F-older-actions",
        "65 and over: walking in the dark and one-leg stretches withheld as actions",
        rev=2,
        answers={
            "age": 70,
            "locations": ["calf", "thigh_front"],
        },  # a front-thigh cramp brings the standing stretch
        actions=["walk_in_dark", "stand_one_leg"],
        no_advice=["walk_in_dark", "stand_one_leg"],
    ),
    r(
        "F-younger-walks",
        "64: walking it off is still offered",
        answers={"age": 64},
        offered=["walk_it_off"],
    ),
    r(
        "F-low-salt",
        "Heart failure or low-salt diet: no salty drinks",
        answers={C: ["heart_failure_or_low_salt_diet"], S: ["heat_exertion"]},
        absent=["sports_drink"],
    ),
    r(
        "F-low-salt-action",
        "Heart failure or low-salt diet: salty drinks withheld as an action",
        rev=2,
        answers={C: ["heart_failure_or_low_salt_diet"], S: ["heat_exertion"]},
        actions=["salty_drink"],
        no_advice=["salty_drink"],
    ),
    # ---- numbers to call (common knowledge, not rules/countries.yaml) ----------------------------
    *[
        r(
            f"N-{c}-urgent",
            f"{c}: the urgent line on an urgent sheet",
            answers={S: ["one_leg_swollen"]},
            tier=U,
            sheet=(c, tuple(t)),
        )
        for c, t in (
            ("uk", ["NHS 111"]),
            ("ca", ["811"]),
            ("au", ["1800 022 222"]),
            ("nz", ["0800 611 116"]),
            ("ie", ["out-of-hours"]),
            ("eu", ["out-of-hours"]),
            ("us", ["nurse line"]),
            ("generic", ["nurse line"]),
        )
    ],  # the policy's "urgent-care or nurse line"
    *[
        r(
            f"N-{c}-emergency",
            f"{c}: the emergency number",
            answers={S: ["feels_like_emergency"]},
            tier=E,
            sheet=(c, tuple(t)),
        )
        for c, t in (
            ("uk", ["999"]),
            ("ie", ["112", "999"]),
            ("us", ["911"]),
            ("ca", ["911"]),
            ("eu", ["112"]),
            ("au", ["000"]),
            ("nz", ["111"]),
            ("generic", ["999", "911", "112", "000"]),
        )
    ],
    # ---- rev 3: follow-up (policy "Follow-up and the cramp diary") ------------------------------
    r(
        "F-stretching-tried",
        "stretching_tried not_helped (replaces the rev 2 key): regular stretching has not helped",
        rev=3,
        answers={"stretching_tried": "not_helped"},
        without=["stretching_not_helping"],
        tier=SN,
    ),
    r(
        "F-stretching-not-sure",
        "stretching_tried not_sure counts as not tried, not as not helped",
        rev=3,
        answers={"stretching_tried": "not_sure"},
        without=["stretching_not_helping"],
        tier=SC,
    ),
    r(
        "F-recheck-no-better",
        "Re-check 14+ days after the saved answers, stretching not helped: soon, with the reason",
        rev=3,
        answers={
            "stretching_tried": "not_helped",
            "answered_on": "2026-12-01",
            "days_since_previous": 21,
            "previous_frequency": "monthly",
        },
        without=["stretching_not_helping"],
        tier=SN,
        sheet=("generic", ("Your cramps are no better after weeks of stretching",)),
    ),
    # issue 22 (an independent clinician's re-review, H5 and M1): a re-check never quietly drops
    # the last sheet's advice. Unless a doctor or nurse has checked the person since
    # (checked_since: checked; absent counts as not sure), the tier is at least the last one.
    *[
        r(
            f"F-still-{was}-{answer or 'absent'}",
            f"Re-check after a {was} sheet, checked since: {answer or 'not said'}; the signs have"
            " gone: the last tier stands, and the sheet says to do what it said",
            rev=3,
            answers={
                "previous_disposition": was,
                **({"checked_since": answer} if answer else {}),
                "answered_on": "2026-12-01",
                "days_since_previous": 7,
            },
            tier=was,
            sheet=("generic", (line,)),
        )
        for was, line in (
            (E, "If you have not been checked yet, do that now."),
            (U, "If you have not been checked yet, do that today."),
            (SN, "If you have not booked yet, book now."),
        )
        for answer in (None, "not_checked", "not_sure")
    ],
    *[
        r(
            f"F-checked-after-{was}",
            f"Re-check after a {was} sheet, checked by a doctor or nurse since, no sign now:"
            " the answers' own tier",
            rev=3,
            answers={"previous_disposition": was, "checked_since": "checked"},
            tier=SC,
        )
        for was in (E, U, SN)
    ],
    r(
        "F-unchecked-no-rubbing",
        "Re-check after an urgent sheet, not checked since: rubbing the calf stays out, as with a"
        " possible clot (an emergency sheet, kept, offers no remedies at all)",
        rev=3,
        answers={"previous_disposition": U, "checked_since": "not_checked"},
        absent=["calf_massage"],
        actions=["rub_calf"],
    ),
    r(
        "F-more-often",
        "Re-check: frequency two or more steps higher than saved (rare -> weekly): at least soon",
        rev=3,
        answers={"frequency": "weekly", "previous_frequency": "rare"},
        tier=SN,
    ),
    r(
        "F-more-often-most-days",
        "Re-check: monthly -> most days is two steps: at least soon, dated from the saved answers",
        rev=3,
        answers={
            "frequency": "most_days",
            "previous_frequency": "monthly",
            "answered_on": "2026-12-01",
            "days_since_previous": 21,
        },
        tier=SN,
        sheet=("generic", ("more often than on 10 November 2026",)),
    ),
    r(
        "F-more-often-pregnant",
        "Re-check in pregnancy: rare -> most days is still at least soon (frequent cramps alone are not)",
        rev=3,
        answers={**PREGNANT, "frequency": "most_days", "previous_frequency": "rare"},
        tier=SN,
    ),
    r(
        "F-more-often-pregnant-monthly",
        "Re-check in pregnancy: monthly -> most days, two steps: at least soon",
        rev=3,
        answers={**PREGNANT, "frequency": "most_days", "previous_frequency": "monthly"},
        tier=SN,
    ),
    r(
        "F-better-weekly-monthly",
        "Re-check: less often than saved (weekly -> monthly), nothing else: keep going",
        rev=3,
        answers={"frequency": "monthly", "previous_frequency": "weekly"},
        tier=SC,
        sheet=("generic", ("Keep going",)),
    ),
    r(
        "F-better-most_days-weekly",
        "Re-check: less often than saved (most_days -> weekly), nothing else: keep going",
        rev=3,
        answers={"frequency": "weekly", "previous_frequency": "most_days"},
        tier=SC,
        sheet=("generic", ("Keep going",)),
    ),
    r(
        "F-better-most_days-monthly",
        "Re-check: less often than saved (most_days -> monthly), nothing else: keep going",
        rev=3,
        answers={"frequency": "monthly", "previous_frequency": "most_days"},
        tier=SC,
        sheet=("generic", ("Keep going",)),
    ),
    r(
        "F-better-most_days-rare",
        "Re-check: less often than saved (most_days -> rare), nothing else: keep going",
        rev=3,
        answers={"frequency": "rare", "previous_frequency": "most_days"},
        tier=SC,
        sheet=("generic", ("Keep going",)),
    ),
    r(
        "F-better-monthly-rare",
        "Re-check: less often than saved (monthly -> rare), nothing else: keep going",
        rev=3,
        answers={"frequency": "rare", "previous_frequency": "monthly"},
        tier=SC,
        sheet=("generic", ("Keep going",)),
    ),
    r(
        "F-better-stretching",
        "Re-check (dated): stretching has helped, as often as before: keep going",
        rev=3,
        answers={
            "stretching_tried": "helped",
            "answered_on": "2026-12-01",
            "days_since_previous": 21,
        },
        without=["stretching_not_helping"],
        tier=SC,
        sheet=("generic", ("Keep going",)),
    ),
    r(
        "F-one-step",
        "Re-check: one step more often (monthly -> weekly), untroubled: not raised by the re-check",
        rev=3,
        answers={"frequency": "weekly", "previous_frequency": "monthly"},
        tier=SC,
    ),
    r(
        "F-better",
        "Re-check: less often than saved, no other rule: self-care, keep going, and the next date",
        rev=3,
        answers={
            "frequency": "rare",
            "previous_frequency": "weekly",
            "answered_on": "2026-12-01",
            "days_since_previous": 21,
        },
        tier=SC,
        sheet=("generic", ("Keep going", "no better by 29 December 2026")),
    ),
    r(
        "F-date-self-care",
        "A self-care sheet with answered_on says when to re-check: that date + 28 days",
        rev=3,
        answers={"answered_on": "2026-11-10"},
        tier=SC,
        sheet=("generic", ("If your cramps are no better by 8 December 2026",)),
    ),
    r(
        "F-date-soon",
        "A soon (2 weeks) sheet with answered_on: if not seen by that date + 14 days, book again",
        rev=3,
        answers={"answered_on": "2026-11-10", S: ["numbness_tingling"]},
        tier=SN,
        sheet=("generic", ("If you have not been seen by 24 November 2026",)),
    ),
]

# What no sheet of a country may show: another country's emergency number instead of its own.
WRONG_NUMBERS = {
    "uk": ("911", "000"),
    "us": ("999", "000", "111"),
    "ca": ("999", "000", "111"),
    "au": ("999", "911", "111"),
    "nz": ("999", "911", "000"),
    "eu": ("911", "000"),
    "ie": ("911", "000"),
}


class Question(NamedTuple):
    id: str
    policy: str
    person: dict[str, Any]
    asks: tuple[str, ...] = ()  # contract keys or values that must be asked (offered as a choice)
    skips: tuple[str, ...] = ()  # ... that must not be asked
    rev: int = 1


QUESTIONS: list[Question] = [
    Question(
        "Q-pregnant-woman",
        "Pregnancy asked when sex is not male and age 12-55",
        {**WOMAN},
        ("pregnant", "postpartum"),
    ),
    Question(
        "Q-pregnant-other",
        "... sex 'other' too",
        {"sex": "other", "age": 40},
        ("pregnant", "postpartum"),
    ),
    Question(
        "Q-pregnant-12", "... from age 12", {"sex": "female", "age": 12}, ("pregnant", "postpartum")
    ),
    Question(
        "Q-pregnant-55", "... to age 55", {"sex": "female", "age": 55}, ("pregnant", "postpartum")
    ),
    Question(
        "Q-pregnant-man",
        "Never asked of a man",
        {"sex": "male", "age": 30},
        (),
        ("pregnant", "postpartum", "pregnancy_warning_signs"),
    ),
    Question(
        "Q-pregnant-56",
        "Not asked over 55",
        {"sex": "female", "age": 56},
        (),
        ("pregnant", "postpartum"),
    ),
    Question("Q-weeks", "Weeks asked when pregnant", {**PREGNANT}, ("pregnancy_weeks",)),
    Question(
        "Q-weeks-not",
        "Weeks not asked when not pregnant",
        {**WOMAN, "pregnant": False},
        (),
        ("pregnancy_weeks",),
    ),
    Question(
        "Q-pre-eclampsia-20",
        "Pre-eclampsia signs asked from 20 weeks",
        {**PREGNANT, "pregnancy_weeks": 20},
        ("pregnancy_warning_signs",),
    ),
    Question(
        "Q-pre-eclampsia-after-birth",
        "Pre-eclampsia signs asked after birth",
        {**POSTPARTUM},
        ("pregnancy_warning_signs",),
    ),
    Question(
        "Q-pre-eclampsia-early",
        "Not before 20 weeks (vomiting is then usually morning sickness)",
        {**PREGNANT, "pregnancy_weeks": 19},
        (),
        ("pregnancy_warning_signs",),
    ),
    Question(
        "Q-pre-eclampsia-none",
        "Not asked when neither pregnant nor after birth",
        {**WOMAN, "pregnant": False, "postpartum": False},
        (),
        ("pregnancy_warning_signs",),
    ),
    *[
        Question(
            f"Q-began-{m}",
            f"Asked whether cramps began with {m}",
            {M: [m]},
            ("cramps_began_with_medicine",),
            rev=2,
        )
        for m in LINKED_MEDICINES
    ],
    Question(
        "Q-began-none",
        "Not asked without a linked medicine",
        {M: ["ace_inhibitor_or_arb"]},
        (),
        ("cramps_began_with_medicine",),
        rev=2,
    ),
    Question(
        "Q-statin-aches",
        "Statin users are asked about aches between cramps",
        {M: ["statin"]},
        ("muscle_ache_or_weakness",),
        rev=2,
    ),
]


# ---- the checks ------------------------------------------------------------------------------


def _at_least(tier: str, wanted: str) -> bool:
    return tier in TIERS and TIERS.index(tier) >= TIERS.index(wanted)


def _fold(text: str) -> str:
    return " ".join(text.split())


def advised(action: str, sheet: str) -> list[str]:
    """Sentences of a plain-text sheet that advise `action`: not in the 'left out for you', 'not
    advised' or sources sections, nor on source and evidence lines."""
    items: list[str] = []
    skipping = False
    for line in sheet.splitlines():
        text = line.strip().lstrip("#").strip()
        if not text or set(text) <= set("=-"):
            continue
        if re.fullmatch(r"[A-Z][A-Z ,:'()-]+", text):  # a heading
            skipping = bool(
                re.search(r"left out|not advised|sources|references|told us", text, re.I)
            )
            continue
        if skipping:
            continue
        if re.match(r"(\d+\.|[-*!]|Evidence:|Source:|When:|Why:)\s", text + " ") or not items:
            items.append(text)
        else:
            items[-1] += " " + text
    pattern = re.compile(ADVICE[action], re.I)
    return [
        s
        for item in items
        if not item.startswith(("Source:", "Evidence:"))
        for s in re.split(r"(?<=[.!?])\s+", item)
        if pattern.search(s) and not NEGATION.search(s)
    ]


def wrong_numbers(country: str, sheet: str) -> list[str]:
    """Other countries' emergency numbers that a sheet for `country` tells the person to call."""
    return [
        n
        for n in WRONG_NUMBERS.get(country, ())
        if re.search(rf"\b(call|dial|ring|phone)\s+{n}(?!\d)", sheet, re.I)
    ]


def check_row(triage: Any, row: Row) -> list[tuple[str, str]]:
    """Every expectation of one row against the real pipeline: a list of (check id, what went wrong)."""
    from triage.errors import TriageError

    try:
        answers = triage.contract.check(row.answers)
        result = triage.evaluate(answers).to_dict()
    except TriageError as exc:
        return [(f"{row.id}:answers", f"not accepted or not evaluated: {exc}")]
    fails: list[tuple[str, str]] = []

    def need(what: str, ok: bool, detail: str) -> None:
        if not ok:
            fails.append((f"{row.id}:{what}", detail))

    tier = result["disposition"]
    if row.tier:
        if row.tier.endswith("+"):
            need(
                "tier",
                _at_least(tier, row.tier[:-1]),
                f"tier {tier}, wanted at least {row.tier[:-1]}",
            )
        else:
            need("tier", tier == row.tier, f"tier {tier}, wanted {row.tier}")
    remedies = {m["id"]: m for m in result["remedies"]}
    withheld = {w["id"] for w in result["withheld"]}
    for rid in row.absent:
        need(
            f"absent:{rid}",
            rid not in remedies and rid in withheld,
            f"{rid} {'offered' if rid in remedies else 'not listed as withheld'}",
        )
    actions = {a["id"] for a in result.get("withheld_actions", [])}
    for aid in row.actions:
        need(
            f"action:{aid}",
            aid in actions,
            f"action {aid} not in withheld_actions {sorted(actions)}",
        )
    for rid in row.offered:
        need(f"offered:{rid}", rid in remedies, f"{rid} not offered")
    if row.cautioned:
        before = triage.evaluate(triage.contract.check(row.baseline or base())).to_dict()
        plain = {m["id"]: set(m["cautions"]) for m in before["remedies"]}
        for rid in row.cautioned:
            if rid in remedies:
                need(
                    f"caution:{rid}",
                    bool(set(remedies[rid]["cautions"]) - plain.get(rid, set())),
                    f"{rid} offered without a caution of its own",
                )
    warnings = {w["id"] for w in result["warnings"]}
    for wid in row.warnings:
        need(f"warning:{wid}", wid in warnings, f"warning {wid} missing from {sorted(warnings)}")
    for wid in row.no_warnings:
        need(f"no-warning:{wid}", wid not in warnings, f"warning {wid} present")
    consider = {c["id"] for c in result["consider"]}
    for cid in row.consider:
        need(f"consider:{cid}", cid in consider, f"{cid} not named under 'this may not be a cramp'")
    for code in row.no_points:
        pressed = [
            m["id"]
            for m in result["remedies"]
            if (m["points"] if code == "*" else code in m["points"])
        ]
        need(f"points:{code}", not pressed, f"{pressed} press {code}")
    if row.no_remedies:
        need(
            "no-remedies",
            result["remedies"] == [],
            f"{len(result['remedies'])} remedies on an emergency",
        )
    if row.no_advice:
        sheet_text = triage.sheet(
            triage.evaluate(answers), answers, "text", full=True
        )  # page one and the rest
        for aid in row.no_advice:
            said = advised(aid, sheet_text)
            need(f"advice:{aid}", not said, f"the sheet still advises {aid}: {said[:2]}")
    if row.sheet:
        country, texts = row.sheet
        sheet = _fold(triage.sheet(triage.evaluate(answers, country), answers, "text"))
        for text in texts:
            need(
                f"sheet:{country}:{text}",
                re.search(rf"(?<![\w-]){re.escape(text)}(?![\w-])", sheet, re.I) is not None,
                f"the {country} sheet lacks {text!r}",
            )
        for wrong in wrong_numbers(country, sheet):
            need(f"sheet:{country}:not-{wrong}", False, f"the {country} sheet shows {wrong}")
        need(f"sheet:{country}:placeholders", "{" not in sheet, "an unfilled placeholder")
    return fails


def asked(triage: Any, person: Mapping[str, Any]) -> set[str]:
    """Contract keys asked, and choice values offered, when this person answers the real questionnaire."""
    from triage.questionnaire import Interview

    seen: set[str] = set()
    answers = base(**person)

    def ask(q: Any, default: Any) -> Any:
        seen.add(q.key)
        seen.update(str(c.value) for c in q.choices)
        if q.type == "checkbox":
            return [c.value for c in q.choices if c.value in answers.get(q.key, [])]
        if q.type == "confirm":
            return bool(answers.get(q.key, False))
        if q.type == "number":
            return answers.get(q.key, 30)
        return answers.get(q.key, q.choices[0].value if q.choices else None)

    Interview(triage.questions, ask).run()
    return seen


def check_question(triage: Any, q: Question) -> list[tuple[str, str]]:
    from triage.errors import TriageError

    try:
        seen = asked(triage, q.person)
    except TriageError as exc:
        return [(f"{q.id}:run", str(exc))]
    fails = [(f"{q.id}:asks:{k}", f"{k} not asked") for k in q.asks if k not in seen]
    fails += [(f"{q.id}:skips:{k}", f"{k} asked") for k in q.skips if k in seen]
    return fails


def all_checks(triage: Any) -> dict[str, list[tuple[str, str]]]:
    """Row id -> failures, for every row and question row."""
    out = {row.id: check_row(triage, row) for row in ROWS}
    out.update({q.id: check_question(triage, q) for q in QUESTIONS})
    return out


def markdown() -> str:
    """The table a clinician reviews."""

    def cell(row: Row) -> str:
        parts = []
        for name in (
            "absent",
            "actions",
            "offered",
            "cautioned",
            "warnings",
            "no_warnings",
            "consider",
            "no_points",
            "no_advice",
        ):
            if getattr(row, name):
                parts.append(f"{name}: {', '.join(getattr(row, name))}")
        if row.no_remedies:
            parts.append("no remedies")
        if row.sheet:
            parts.append(f"{row.sheet[0]} sheet shows: {', '.join(row.sheet[1])}")
        return "; ".join(parts)

    usual = base()
    lines = [
        "| row | rev | policy | answers (changes to the ordinary case) | tier | must show |",
        "|---|---|---|---|---|---|",
    ]
    for row in ROWS:
        changes = {k: v for k, v in row.answers.items() if usual.get(k) != v}
        lines.append(
            f"| {row.id} | {row.rev} | {row.policy} | `{changes}` | {row.tier or ''} | {cell(row)} |"
        )
    lines += [
        "",
        "| question row | rev | policy | person | asked | not asked |",
        "|---|---|---|---|---|---|",
    ]
    for q in QUESTIONS:
        lines.append(
            f"| {q.id} | {q.rev} | {q.policy} | `{q.person}` | {', '.join(q.asks)} | {', '.join(q.skips)} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
