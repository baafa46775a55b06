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
- not_on_sheet: texts the same plain-text sheet (the generic country's, if `sheet` names none)
  must not contain (rev 3: "not neuropathy", no heat-stroke words without heat, no "sip").
- within / route: (rev 3) the result's `act_within` and `route`, exactly.
- blood_tests: (rev 3) test ids the result's `blood_tests` must hold; no_blood_tests: it is [].
- said: (rev 3) words that some warning or reason of the result must hold (case-insensitive),
  wherever the sheet places it.
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
)


# What advising each action looks like in a sentence of the sheet (a sentence that also says not,
# never, avoid ... is a warning, not advice).
ADVICE = {
    "rub_muscle": r"\b(rub|massag|knead|squeez|pat|roll)\w*\b[^.]*\b(calf|calves|leg)\b",
    "knead_firmly": r"\bknead\w*\b[^.]*\b(firm|hard)\w*|\b(firm|hard)\w*\b[^.]*\bknead|\bpress\w*\b[^.]*\b(firm|hard)"
    r"\w*|\bsqueez\w*\b[^.]*\broll",  # firm pressing and squeeze-and-roll are hard kneading too
    "press_points": r"\bpress\w*\b[^.]*\b(point|groove|firmly)\b|\bacupressure\b",
    "mineral_supplement": r"\bmagnesium\b[^.]*\b(tablet|supplement|capsule|pill)s?\b",
    "hot_soak": r"\bsoak\w*\b[^.]*\b(foot|feet)\b|\b(foot|feet)\b[^.]*\bsoak",
    "heating_pad": r"\b(heating pad|heat pad|hot water bottle|electric blanket)s?\b",
    "drink_sugar": r"(?<!blood )\bsugar\b(?!-free)",  # "blood sugar", "sugar-free": not sugar water
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
    not_on_sheet: tuple[str, ...] = ()
    within: str | None = None  # rev 3: the result's act_within exactly
    route: str | None = None  # rev 3: the result's route exactly
    blood_tests: tuple[str, ...] = ()  # rev 3: ids that must be in the result's blood_tests
    no_blood_tests: bool = False  # rev 3: blood_tests must be []
    said: tuple[str, ...] = ()  # rev 3: words some warning or reason of the result must hold
    # rev 3 ("Not sure and not reported"): keys the result's not_reported must list; what its
    # `inferred` must hold (key, value); reason rule ids it must not give
    not_reported: tuple[str, ...] = ()
    inferred: tuple[tuple[str, Any], ...] = ()
    no_reasons: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()  # reason rule ids it must give
    # rev 3 ("Named causes"): consider ids it must not name; words some consider text must hold
    no_consider: tuple[str, ...] = ()
    consider_said: tuple[str, ...] = ()


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


# The medicines that raise the lithium level (docs/policy.md, "Medicines and interactions":
# lithium_level_raised), with a low-salt diet
LITHIUM_RAISERS = (
    "thiazide_diuretic",
    "loop_diuretic",
    "potassium_sparing_diuretic",
    "diuretic_unknown",
    "ace_inhibitor_or_arb",
    "naproxen",
    "other_nsaid",
)

# "NSAID" and "water tablet" in the policy's words (rev 3, "Rules by tier")
NSAIDS = ("naproxen", "other_nsaid")
WATER_TABLETS = (
    "thiazide_diuretic",
    "loop_diuretic",
    "potassium_sparing_diuretic",
    "diuretic_unknown",
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
        "U-statin-aches",
        "A statin with unexplained aches or weakness between cramps",
        rev=2,
        answers={M: ["statin"], S: ["muscle_ache_or_weakness"]},
        tier=U,
        warnings=["statin_muscle"],
    ),
    r("U-new-weakness", "New weakness in the leg", answers={S: ["new_weakness"]}, tier=U),
    r("U-new-numbness", "New loss of feeling in the leg", answers={S: ["new_numbness"]}, tier=U),
    # rev 3 (F12): twitching with cramps and nothing else is soon (NC-twitching-* rows below)
    r(
        "U-twitching",
        "Muscle twitching with cramps and nothing else",
        3,
        answers={S: ["twitching"]},
        tier=SN,
    ),
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
        "U-vomiting",
        "Heavy vomiting or diarrhoea (rev 3: its own item; fluid_loss keeps its rev 2 tier)",
        rev=3,
        answers={S: ["vomiting_or_diarrhoea"]},
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
        "U-dark-urine-sweating",
        "Dark urine on its own: heavy sweating or twitching is not a cause of muscle breakdown",
        rev=3,
        answers={S: ["dark_urine", "heavy_sweating", "twitching"]},
        tier=U,
    ),
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
        "Cramps in pregnancy that disturb sleep, most days: rev 3 (C1) keeps them self-care, "
        "told to the midwife at the next antenatal appointment",
        answers={**PREGNANT, "frequency": "most_days", "sleep_disrupted": True},
        tier=SC,
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
        actions=["rub_muscle"],
    ),
    r(
        "S-one-calf-after-birth",
        "One calf after birth (12 weeks): urgent today (rev 3, H4; rev 2: soon), no calf massage",
        rev=3,
        answers={**POSTPARTUM, "sides": "one"},
        tier=U,
        within="today",
        consider=["dvt"],
        absent=["calf_massage"],
        actions=["rub_muscle"],
    ),
    r(
        "S-one-calf-cancer",
        "One calf with active cancer: soon, no calf massage",
        rev=2,
        answers={C: ["active_cancer"], "sides": "one"},
        tier=SN,
        consider=["dvt"],
        absent=["calf_massage"],
        actions=["rub_muscle"],
    ),
    r(
        "S-one-calf-surgery",
        "One calf after surgery or bed rest: urgent today (rev 3, H4, C8; rev 2: soon), no calf massage",
        rev=3,
        answers={C: ["recent_surgery_or_bed_rest"], "sides": "one"},
        tier=U,
        within="today",
        consider=["dvt"],
        absent=["calf_massage"],
        actions=["rub_muscle"],
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
    # rev 3 (named causes, F13): new numbness in one leg names a trapped nerve, not neuropathy
    r(
        "C-new-numbness-named",
        "New numbness in one leg: a trapped nerve named, not neuropathy",
        3,
        answers={S: ["new_numbness"]},
        consider=["trapped_nerve"],
        no_consider=["neuropathy"],
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
        actions=["mineral_supplement"],
        no_advice=["mineral_supplement"],
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
        actions=["mineral_supplement"],
        no_advice=["mineral_supplement"],
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
        actions=["mineral_supplement"],
    ),
    r(
        "F-potassium-potassium_sparing_diuretic",
        "Potassium-sparing water tablet: no potassium or magnesium foods, no supplements (rev 3 "
        "withholds the foods it only cautioned)",
        rev=3,
        answers={M: ["potassium_sparing_diuretic"]},
        absent=["potassium_foods", "magnesium_foods", "magnesium_supplement"],
        actions=["potassium_foods", "magnesium_foods", "mineral_supplement"],
    ),
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
        actions=["rub_muscle"],
        no_advice=["rub_muscle"],
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
        "65 and over: no walking about in the dark; hold on to stand and stretch (rev 3: the "
        "sitting stretch carries no caution)",
        answers={"age": 65},
        absent=["walk_it_off"],
        cautioned=["bedtime_stretching"],
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
    # ---- revision 3: the tier rules the safety table's new answers need ---------------------------
    r(
        "E-both-legs-worsening",
        "Weakness or numbness in both legs that is getting worse",
        rev=3,
        answers={S: ["both_legs_worsening"]},
        tier=E,
        no_remedies=True,
    ),
    r(
        "E-overdrinking-vomiting",
        "After a long event with a lot of drinking, vomiting (fluid_loss stands for vomiting)",
        rev=3,
        answers={S: ["endurance_overdrinking", "fluid_loss"]},
        tier=E,
        no_remedies=True,
    ),
    r(
        "C-overdrinking-alone",
        "After a long event with a lot of drinking and no vomiting: home care, no plain water",
        rev=3,
        answers={S: ["endurance_overdrinking"]},
        tier=SC,
        actions=["drink_more_water"],
    ),
    *[
        r(
            f"E-older-{what}-{weight}",
            f"65 or over after a {what}, cannot put weight on the leg ({weight})",
            rev=3,
            answers={"age": 65, S: [what], "can_bear_weight": weight},
            tier=E,
            no_remedies=True,
        )
        for what in ("recent_injury", "recent_fall")
        for weight in ("unable", "not_sure")
    ],
    *[
        r(
            f"U-older-{what}",
            f"65 or over after a {what}, even able to walk",
            rev=3,
            answers={"age": 65, S: [what], "can_bear_weight": "painful"},
            tier=U,
            offered=["rest_ice_raise"],
        )
        for what in ("recent_injury", "recent_fall")
    ],
    r(
        "S-younger-fall",
        "64 after a fall, able to walk: a recent injury (soon)",
        rev=3,
        answers={"age": 64, S: ["recent_fall"], "can_bear_weight": "able"},
        tier=SN,
        offered=["rest_ice_raise"],
    ),
    *[
        r(
            f"U-cannot-bear-{weight}",
            f"Cannot put weight on the leg ({weight}), under 65",
            rev=3,
            answers={S: ["recent_injury"], "can_bear_weight": weight},
            tier=U,
        )
        for weight in ("unable", "not_sure")
    ],
    r(
        "U-fall-with-swelling",
        "A fall, and now the leg is swollen",
        rev=3,
        answers={"age": 40, S: ["recent_fall", "swelling_both_legs"]},
        tier=U,
    ),
    r(
        "S-water-tablet-unknown",
        "A water tablet, not sure which (began with it not reported): linked to cramps",
        rev=3,
        answers={M: ["diuretic_unknown"]},
        tier=SN,
        warnings=["medication_review"],
    ),
    # ---- revision 3: every emergency rule of the policy ("### emergency"; issue 20) ---------------
    *[
        r(
            f"E-dark-urine-{cause}",
            f"Dark urine with a muscle symptom or cause of muscle breakdown: {cause}",
            rev=3,
            answers={S: ["dark_urine", cause]},
            tier=E,
            no_remedies=True,
        )
        for cause in (
            "muscle_ache_or_weakness",
            "new_weakness",
            "heat_exertion",
            "unusual_exertion",
            "recent_fall",
            "recent_injury",
        )
    ],
    *[
        r(
            f"E-dark-urine-{when}",
            f"Dark urine with cramps {when.replace('_', ' ')}",
            rev=3,
            answers={S: ["dark_urine"], "timing": [when]},
            tier=E,
            no_remedies=True,
        )
        for when in ("during_exercise", "after_exercise")
    ],
    r(
        "E-dark-urine-statin",
        "Dark urine on a statin: muscle breakdown; do not take the next statin dose until seen",
        rev=3,
        answers={M: ["statin"], S: ["dark_urine"]},
        tier=E,
        no_remedies=True,
        sheet=("uk", ("Do not take your next statin dose until a doctor has seen you",)),
    ),
    *[
        r(
            f"E-long-cramp-{sign}",
            f"A cramp over 10 minutes not eased by stretching, with {sign}: artery or clot, "
            "not neuropathy",
            rev=3,
            answers={"duration": "over_10_minutes", S: [sign]},
            tier=E,
            no_remedies=True,
            sheet=("generic", ("blocked artery", "blood clot")),
            not_on_sheet=("neuropathy", "nerve problem"),
        )
        for sign in ("new_numbness", "new_weakness")
    ],
    r(
        "E-heat-stroke-cooling",
        "Heat stroke: cool the whole body fast (cold water, ice or cold towels on neck, armpits, "
        "groin, fanning), nothing to drink while confused, tell the crew how much they drank",
        rev=3,
        answers={S: ["confused_or_fainting"]},
        tier=E,
        sheet=(
            "generic",
            ("cold water", "whole body", "armpits", "groin", "fan", "how much they drank"),
        ),
        not_on_sheet=("Move to a cool place",),
    ),
    r(
        "E-new-confusion",
        "New confusion or drowsiness, not after heat: a serious illness; nothing to drink, lie them "
        "on their side if very sleepy, check the sugar with diabetes; no heat-stroke words, no cooling",
        rev=3,
        answers={S: ["new_confusion"]},
        tier=E,
        no_remedies=True,
        sheet=("generic", ("serious illness", "nothing to drink", "side", "blood sugar")),
        not_on_sheet=("heat stroke", "cold water", "fan them", "ice"),
    ),
    *[
        r(
            f"E-new-confusion-{name}",
            f"New confusion with {name.replace('-', ' ')}: low sodium or losing too much fluid",
            rev=3,
            answers=changes,
            tier=E,
            sheet=("generic", ("sodium", "fluid")),
            not_on_sheet=("heat stroke",),
        )
        for name, changes in (
            ("a-water-tablet", {S: ["new_confusion"], M: ["thiazide_diuretic"]}),
            ("an-unknown-water-tablet", {S: ["new_confusion"], M: ["diuretic_unknown"]}),
            ("vomiting", {S: ["new_confusion", "vomiting_or_diarrhoea"]}),
            ("a-long-event", {S: ["new_confusion", "endurance_overdrinking"]}),
        )
    ],
    r(
        "E-new-confusion-lithium",
        "New confusion on lithium: a high lithium level",
        rev=3,
        answers={S: ["new_confusion"], M: ["lithium"]},
        tier=E,
        sheet=("generic", ("lithium level",)),
    ),
    r(
        "E-new-confusion-diabetes",
        "New confusion with diabetes: a low blood sugar",
        rev=3,
        answers={S: ["new_confusion"], C: ["diabetes"]},
        tier=E,
        sheet=("generic", ("low blood sugar",)),
    ),
    r(
        "E-new-confusion-heat",
        "New confusion after heat exertion: the cooling first aid may be given",
        rev=3,
        answers={S: ["new_confusion", "heat_exertion"]},
        tier=E,
        sheet=("generic", ("cold water",)),
    ),
    *[
        r(
            f"E-spine-{sign}",
            f"{sign}: pressure on the nerves at the bottom of the spine, or Guillain-Barré syndrome",
            rev=3,
            answers={S: [sign]},
            tier=E,
            no_remedies=True,
            sheet=("uk", ("bottom of the spine", "Guillain-Barré")),
            not_on_sheet=("nerve problem",),
        )
        for sign in ("both_legs_worsening", "bladder_bowel_saddle")
    ],
    r(
        "E-older-fall-words",
        "65 or over after a fall, cannot bear weight: older bones can break; do not get up or walk "
        "on it; keep warm",
        rev=3,
        answers={"age": 83, S: ["recent_fall"], "can_bear_weight": "unable"},
        tier=E,
        sheet=("generic", ("break", "Do not try to get up", "warm")),
    ),
    r(
        "S-older-fall-weight-not-asked",
        "Under 65, a fall and unable to bear weight is urgent, not an emergency",
        rev=3,
        answers={"age": 64, S: ["recent_fall"], "can_bear_weight": "unable"},
        tier=U,
    ),
    *[
        r(
            f"E-pregnancy-emergency-{name}",
            f"Severe tummy pain, shoulder-tip pain, heavy bleeding or feeling faint: {name}",
            rev=3,
            answers={**WOMAN, S: ["pregnancy_emergency"], **changes},
            tier=E,
            no_remedies=True,
        )
        for name, changes in (
            ("7-weeks", {"pregnant": True, "pregnancy_weeks": 7}),
            ("30-weeks", {"pregnant": True, "pregnancy_weeks": 30}),
            ("weeks-not-given", {"pregnant": True}),
            ("not-sure", {"pregnant": "not_sure"}),
            ("after-birth", {"pregnant": False, "postpartum": True}),
            (
                "10-weeks-after-birth",
                {"pregnant": False, "postpartum": False, "weeks_since_birth": 10},
            ),
        )
    ],
    r(
        "E-pregnant-tell-the-crew",
        "An emergency in pregnancy: tell the crew about the pregnancy",
        rev=3,
        answers={**PREGNANT, S: ["breathless_or_chest_pain"]},
        tier=E,
        sheet=("uk", ("pregnant",)),
    ),
    r(
        "E-overdrinking-vomiting-words",
        "A long event with a lot of drinking, and vomiting: low sodium; no more to drink, not even "
        "sports drinks; tell the crew how much was drunk; no sips of water",
        rev=3,
        answers={S: ["endurance_overdrinking", "vomiting_or_diarrhoea"]},
        tier=E,
        no_remedies=True,
        sheet=("generic", ("sodium", "not even sports drinks", "how much you drank")),
        not_on_sheet=("sip",),
        no_advice=["drink_more_water", "salty_drink"],
    ),
    *[
        r(
            f"E-young-thirst-{v}",
            f"Under 18 with thirst or passing a lot of urine, and {v}: possible ketoacidosis",
            rev=3,
            answers={"age": 16, S: ["thirst_urination", v]},
            tier=E,
            no_remedies=True,
            sheet=("generic", ("tell an adult",)),
        )
        for v in ("vomiting_or_diarrhoea", "fluid_loss")
    ],
    r(
        "U-adult-thirst-vomiting",
        "18 with thirst and vomiting: not the under-18 ketoacidosis rule (vomiting is urgent)",
        rev=3,
        answers={"age": 18, S: ["thirst_urination", "vomiting_or_diarrhoea"]},
        tier=U,
    ),
    r(
        "E-tetanus",
        "After a dirty wound, a stiff jaw or neck, trouble swallowing or spreading spasms "
        "(tetanus): tell the crew about the wound and the last tetanus jab; no stretching or rubbing",
        rev=3,
        answers={S: ["dirty_wound", "tetanus_signs"]},
        tier=E,
        no_remedies=True,
        sheet=("uk", ("wound", "tetanus jab")),
        no_advice=["rub_muscle"],
    ),
    r(
        "U-dirty-wound-no-signs",
        "A dirty wound without tetanus signs stays urgent",
        rev=3,
        answers={S: ["dirty_wound"]},
        tier=U,
    ),
    r(
        "A-someone-else",
        "Someone answering for the person with the cramps: the sheet's first line says it is "
        "written to that person, to read with them",
        rev=3,
        answers={"answering_for": "someone_else"},
        tier=SC,
        sheet=("generic", ("This advice is written to the person with the cramps",)),
    ),
    r(
        "A-self",
        "The person answering for themselves: no such line",
        rev=3,
        answers={"answering_for": "self"},
        tier=SC,
        not_on_sheet=("written to the person with the cramps",),
    ),
    r(
        "A-someone-else-emergency",
        "Someone answering for the person, in an emergency: the first line, and first aid for a helper",
        rev=3,
        answers={"answering_for": "someone_else", S: ["new_confusion"]},
        tier=E,
        sheet=("generic", ("written to the person with the cramps", "lie them on their side")),
    ),
    # The rest of "### urgent" that heavy sweating and vomiting, now separate, need (rev 3, M6)
    r(
        "C-heavy-sweating-alone",
        "Heavy sweating alone, at work or sport in the heat: no tier of its own",
        rev=3,
        answers={S: ["heavy_sweating"]},
        tier=SC,
    ),
    *[
        r(
            f"U-heavy-sweating-{risk}",
            f"Heavy sweating with {risk}: dehydration, a kidney injury, a salt or lithium problem",
            rev=3,
            answers={S: ["heavy_sweating"], key: [risk]},
            tier=U,
        )
        for key, risk in (
            (M, "thiazide_diuretic"),
            (M, "loop_diuretic"),
            (M, "potassium_sparing_diuretic"),
            (M, "diuretic_unknown"),
            (M, "ace_inhibitor_or_arb"),
            (M, "lithium"),
            (C, "kidney_disease"),
            (C, "dialysis"),
            (C, "heart_failure_or_low_salt_diet"),
        )
    ],
    r(
        "S-weight-loss",
        "Losing weight without trying (adult): soon",
        rev=3,
        answers={S: ["weight_loss"]},
        tier=SN,
    ),
    # ---- revision 3: remedies matched to the muscle and to the person (rule 9) -------------------
    *[
        r(
            f"R-bedtime-calf-{place}-{time}",
            f"The bedtime calf stretch for {place} cramps ({time})",
            rev=3,
            answers={"locations": [place], "timing": [time]},
            offered=["bedtime_stretching"],
        )
        for place in ("calf", "foot", "toes")
        for time in ("night", "rest")
    ],
    r(
        "R-bedtime-calf-not-for-thigh",
        "No calf stretch before bed for cramps only in the thigh",
        rev=3,
        answers={"locations": ["thigh_front", "thigh_back"], "timing": ["night"]},
        offered=["bedtime_thigh_front", "bedtime_thigh_back"],
    ),
    *[
        r(
            f"R-bedtime-{place}-{time}",
            f"The bedtime stretch for the {place} ({time})",
            rev=3,
            answers={"locations": [place], "timing": [time]},
            offered=[f"bedtime_{place}"],
        )
        for place in ("thigh_front", "thigh_back")
        for time in ("night", "rest")
    ],
    *[
        r(
            f"R-towel-{way}-{place}",
            f"The towel stretch sitting, for the 80+ or frail column ({way}, {place} cramps)",
            rev=3,
            answers={"locations": [place], "mobility": [way]},
            offered=["towel_stretch"],
        )
        for way in ("walking_aid", "wheelchair", "fell_past_year", "lives_alone")
        for place in ("calf", "foot", "toes")
    ],
    r(
        "R-towel-age-80",
        "The towel stretch sitting at 80",
        rev=3,
        answers={"age": 80},
        offered=["towel_stretch"],
    ),
    *[
        r(
            f"R-rest-ice-raise-{what}",
            f"Rest, ice and raise after a {what}",
            rev=3,
            answers={S: [what], "can_bear_weight": "able"},
            offered=["rest_ice_raise"],
        )
        for what in ("recent_injury", "recent_fall")
    ],
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
    # ---- the clinical review of issue 19 (rev 3 addendum, docs/policy.md "The safety table") ----
    r(
        "CR-H1-diabetes-heat",
        "Diabetes: no applied heat (warm towel, warm shower or bath, Epsom bath, pad, soak)",
        3,
        answers={C: ["diabetes"]},
        tier=SC,
        absent=["warmth", "epsom_bath", "hot_foot_soak"],
        actions=["heat_on_skin", "warm_shower_or_bath", "heating_pad", "hot_soak"],
        no_advice=["heating_pad", "hot_soak"],
    ),
    r(
        "CR-H1-arteries-heat",
        "Narrowed leg arteries: no applied heat",
        3,
        answers={C: ["peripheral_artery_disease"], "age": 70},
        absent=["warmth", "epsom_bath", "hot_foot_soak"],
        actions=["heat_on_skin", "warm_shower_or_bath"],
    ),
    r(
        "CR-H1-numb-heat",
        "Numb feet (neuropathy): no applied heat",
        3,
        answers={C: ["neuropathy"]},
        absent=["warmth", "epsom_bath", "hot_foot_soak"],
        actions=["heat_on_skin", "warm_shower_or_bath"],
    ),
    r(
        "CR-H1-H2-dialysis",
        "Dialysis: no applied heat, and no acupressure on the arm (a fistula or line)",
        3,
        answers={C: ["kidney_disease", "dialysis"], "timing": ["night", "during_dialysis"]},
        tier=SN,
        absent=["warmth", "epsom_bath", "hot_foot_soak", "acupressure_hand"],
        actions=["heat_on_skin", "warm_shower_or_bath", "press_arm_points"],
        no_points=["LU7", "SI3"],
    ),
    r(
        "CR-H3-nsaid-blood-thinner",
        "An anti-inflammatory painkiller with a blood thinner: a warning, soon (2 days)",
        3,
        answers={M: ["anticoagulant", "other_nsaid"]},
        tier=SN,
        warnings=["nsaid_bleeding"],
        sheet=("uk", ("serious bleeding", "Call 999 now if you vomit blood", "Within 2 days")),
    ),
    r(
        "CR-H3-naproxen-antiplatelet",
        "Naproxen with an antiplatelet: the same warning",
        3,
        answers={M: ["antiplatelet", "naproxen"]},
        tier=SN,
        warnings=["nsaid_bleeding"],
    ),
    # clinical review of the rev 3 emergency slice (issue 20) and of the follow-up (issue 22):
    # harmful findings
    r(
        "CR20-diabetes-confusion",
        "New confusion with diabetes: first aid for a low blood sugar (a sugary drink if they can"
        " swallow), not 'nothing to drink'",
        3,
        answers={S: ["new_confusion"], C: ["diabetes"]},
        tier=E,
        sheet=("uk", ("sugary drink", "too drowsy to swallow", "on their side")),
        not_on_sheet=("Give nothing to drink",),
    ),
    r(
        "CR20-heat-stroke-diabetes",
        "Heat stroke with diabetes: cooled, the sugary-drink line, and the crew told what they drank",
        3,
        answers={S: ["confused_or_fainting", "heat_exertion"], C: ["diabetes"]},
        tier=E,
        sheet=("uk", ("Cool them fast", "sugary drink", "how much they drank")),
        not_on_sheet=("Give nothing to drink",),
    ),
    r(
        "CR20-heat-stroke",
        "Heat stroke without diabetes: nothing to drink while confused",
        3,
        answers={S: ["confused_or_fainting", "heat_exertion"]},
        tier=E,
        sheet=("uk", ("Give nothing to drink", "how much they drank")),
        not_on_sheet=("sugary drink",),
    ),
    r(
        "CR20-chest-cramp",
        "Cramps in the chest, arms or belly: urgent, and a chest cramp that feels like pain is 999",
        3,
        answers={S: ["cramps_elsewhere"]},
        tier=U,
        sheet=("uk", ("cramp in your chest feels like pain, pressure or tightness, call 999",)),
    ),
    r(
        "CR20-heat-vomiting",
        "Heat with vomiting already reported: being sick is not given back as a future 999 sign",
        3,
        answers={S: ["heat_exertion", "vomiting_or_diarrhoea"]},
        tier=U,
        sheet=("uk", ("cannot keep drinks down",)),
        not_on_sheet=("dizzy, sick or confused",),
    ),
    r(
        "CR20-pregnancy-fit",
        "A pregnancy emergency at 30 weeks: 999, first aid for a fit, no pregnancy outside the womb",
        3,
        answers={**PREGNANT, S: ["pregnancy_emergency"]},
        tier=E,
        sheet=("uk", ("If she has a fit", "left side", "fits from high blood pressure")),
        not_on_sheet=("outside the womb",),
    ),
    r(
        "CR20-early-pregnancy",
        "A pregnancy emergency at 8 weeks: a pregnancy outside the womb is named",
        3,
        answers={**WOMAN, "pregnant": True, "pregnancy_weeks": 8, S: ["pregnancy_emergency"]},
        tier=E,
        sheet=("uk", ("outside the womb",)),
    ),
    r(
        "CR20-after-birth-crew",
        "A pregnancy emergency after a birth: the crew is told about the birth",
        3,
        answers={**POSTPARTUM, S: ["pregnancy_emergency"]},
        tier=E,
        sheet=("uk", ("about the birth",)),
    ),
    r(
        "CR20-pre-eclampsia-fit",
        "Pre-eclampsia signs: the maternity unit now, and 999 for a fit (policy rev 3, M1)",
        3,
        answers={**PREGNANT, S: ["pregnancy_warning_signs"]},
        tier=U,
        sheet=("uk", ("Call 999 now if you have a fit",)),
    ),
    *[
        r(
            f"CR22-lithium-{other}",
            f"Lithium with {other}: soon, a lithium blood test within 2 days, the bought painkiller"
            " stopped and prescribed medicines kept",
            3,
            answers={M: ["lithium", other]},
            tier=SN,
            warnings=["lithium_level"],
            sheet=("uk", ("lithium blood test in the next day or two", "Within 2 days")),
        )
        for other in ("naproxen", "other_nsaid", "thiazide_diuretic", "ace_inhibitor_or_arb")
    ],
    *[
        r(
            f"CR22-lithium-{other}-alone",
            f"Lithium with {other}, cramps not begun with a medicine: still soon, within 2 days,"
            " by the lithium pair itself (F03)",
            3,
            answers={M: ["lithium", other], "cramps_began_with_medicine": False},
            tier=SN,
            warnings=["lithium_level"],
            sheet=("uk", ("lithium blood test in the next day or two", "Within 2 days")),
        )
        for other in LITHIUM_RAISERS
    ],
    r(
        "CR22-lithium-low-salt",
        "Lithium with a low-salt diet: the same 2-day lithium test",
        3,
        answers={M: ["lithium"], C: ["heart_failure_or_low_salt_diet"]},
        tier=SN,
        warnings=["lithium_level"],
        sheet=("uk", ("Within 2 days",)),
    ),
    *[
        r(
            f"CR22-spine-signs-{sign}",
            f"{sign}: urgent, and the signs of pressure on the nerves of the spine are 999",
            3,
            answers={S: [sign]},
            tier=U,
            sheet=(
                "uk",
                ("spreads to both legs", "bladder or bowel trouble", "around your bottom"),
            ),
        )
        for sign in ("new_weakness", "new_numbness")
    ],
    # clinical review of the safety table build (issue 19, second round): harmful findings
    r(
        "CR19-overdrinking",
        "After a long event with a lot of drinking, no vomiting or confusion: self-care, no drink"
        " of any kind offered (a sports drink is a drink), and the low-sodium 999 signs",
        3,
        answers={S: ["heat_exertion", "endurance_overdrinking"], "timing": ["during_exercise"]},
        tier=SC,
        absent=["sports_drink"],
        sheet=("uk", ("not even sports drinks", "Call 999 now if you get a headache")),
    ),
    r(
        "CR19-lithium-fluid-loss",
        "Lithium with vomiting, diarrhoea or sweating: urgent, a lithium blood test today, and"
        " the signs of too much lithium",
        3,
        answers={M: ["lithium"], S: ["fluid_loss"]},
        tier=U,
        sheet=("uk", ("lithium blood test today", "too much lithium")),
    ),
    *[
        r(
            f"CR19-lithium-{sign}",
            f"Lithium with {sign}: urgent, a lithium blood test today",
            3,
            answers={M: ["lithium"], S: [sign]},
            tier=U,
            sheet=("uk", ("lithium blood test today",)),
        )
        for sign in (
            "heat_exertion",
            "twitching",
            "new_weakness",
            "cramps_elsewhere",
            "vomiting_or_diarrhoea",  # rev 3: vomiting and sweating are asked apart
            "heavy_sweating",
        )
    ],
    r(
        "CR19-dirty-wound",
        "Cramps or stiffness after a dirty wound: urgent, and the tetanus signs that mean 999",
        3,
        answers={S: ["dirty_wound"]},
        tier=U,
        sheet=("uk", ("jaw or neck gets stiff", "Say you had a dirty wound")),
    ),
    r(
        "CR19-heart-failure",
        "Heart failure: the signs of it getting worse mean help today",
        3,
        answers={C: ["heart_failure_or_low_salt_diet"]},
        sheet=("uk", ("cannot lie flat", "2 kg in 3 days")),
    ),
    r(
        "CR19-dark-urine",
        "Dark urine already there: the sheet says so, and what makes it 999",
        3,
        answers={S: ["dark_urine"]},
        tier=U,
        sheet=("uk", ("Your urine is already dark",)),
    ),
    r(
        "CR19-statin-aches",
        "A statin with unexplained muscle aches: urgent, and do not take the next statin dose"
        " until a doctor or pharmacist has been spoken to today (rev 3)",
        3,
        answers={M: ["statin"], S: ["muscle_ache_or_weakness"]},
        tier=U,
        sheet=("uk", ("Do not take your next statin dose",)),
    ),
    r(
        "CR19-dialysis-one-voice",
        "Cramps during dialysis: tell the dialysis team at the next session, in the headline, the"
        " action and the When line alike (rev 3: next_session)",
        3,
        answers={C: ["dialysis"], "timing": ["during_dialysis"]},
        tier=SN,
        sheet=("uk", ("Tell your dialysis team", "When: At your next dialysis session")),
    ),
    r(
        "CR19-floor",
        "65 or over, after a fall, cannot bear weight: emergency, told to stay where they are",
        3,
        answers={"age": 82, S: ["recent_fall"], "can_bear_weight": "unable"},
        tier=E,
        no_remedies=True,
        sheet=("uk", ("Stay where you are", "do not get up to open the door")),
    ),
    r(
        "CR-H3-other-nsaid-antiplatelet",
        "Another anti-inflammatory with an antiplatelet (neither linked to cramps): soon, warned",
        3,
        answers={M: ["antiplatelet", "other_nsaid"]},
        tier=SN,
        warnings=["nsaid_bleeding"],
    ),
    r(
        "CR-H3-naproxen-not-the-cause",
        "Naproxen with a blood thinner, cramps not begun with it: still soon (the pair alone)",
        3,
        answers={M: ["anticoagulant", "naproxen"], "cramps_began_with_medicine": False},
        tier=SN,
        warnings=["nsaid_bleeding"],
    ),
    r(
        "CR-H3-blood-thinner-alone",
        "A blood thinner without a painkiller: no painkiller warning",
        3,
        answers={M: ["anticoagulant"]},
        no_warnings=["nsaid_bleeding"],
    ),
    r(
        "CR-H5-injury-safety-net",
        "A recent leg injury short of an emergency: the compartment-syndrome safety net",
        3,
        answers={S: ["recent_injury"], "can_bear_weight": "painful"},
        tier=SN,
        sheet=(
            "uk",
            ("Call 999 now if the calf becomes tight, swollen and much more painful",),
        ),
    ),
    r(
        "CR-H5-H6-fall-blood-thinner",
        "A fall on a blood thinner: the compartment and head-injury lines",
        3,
        answers={S: ["recent_fall"], M: ["anticoagulant"], "age": 80},
        tier=U,
        sheet=(
            "generic",
            (
                "now if the calf becomes tight, swollen and much more painful",
                "If you hit your head when you fell, go to the emergency department today",
                "bleeding inside the head can show days later",
            ),
        ),
    ),
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
        actions=["rub_muscle"],
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
    # -- rev 3: act_within, route, blood tests, and the interaction rows (docs/policy.md,
    # "Dispositions", "Routing", "Blood tests", "Medicines and interactions"), written from the
    # policy text. Medicines answered "did not start the cramps", so only the row itself decides.
    r(
        "R3-self-care-fields",
        "Self-care: act_within none, no visit (route none), no blood tests",
        3,
        tier=SC,
        within="none",
        route="none",
        no_blood_tests=True,
    ),
    r(
        "R3-soon-fields",
        "An ordinary soon rule (cramps most days): within 2 weeks, the GP",
        3,
        answers={"frequency": "most_days"},
        tier=SN,
        within="2_weeks",
        route="gp",
        sheet=("uk", ("Within 2 weeks",)),
    ),
    r(
        "R3-emergency-fields",
        "Every emergency: now, the emergency services, no blood tests",
        3,
        answers={
            S: ["cold_pale_leg"],
            M: ["thiazide_diuretic"],
            "cramps_began_with_medicine": False,
        },
        tier=E,
        within="now",
        route="emergency_services",
        no_blood_tests=True,
    ),
    r(
        "R3-urgent-fields",
        "An ordinary urgent rule: today, a doctor (same-day visit)",
        3,
        answers={S: ["one_leg_swollen"]},
        tier=U,
        within="today",
        route="gp",
    ),
    r(
        "R3-pre-eclampsia-now",
        "Pre-eclampsia signs in pregnancy: urgent, now, the maternity unit (never the urgent line)",
        3,
        answers={**PREGNANT, S: ["pregnancy_warning_signs"]},
        tier=U,
        within="now",
        route="maternity_unit",
        sheet=("uk", ("Call your maternity unit now",)),
    ),
    r(
        "R3-pre-eclampsia-after-birth-now",
        "Pre-eclampsia signs after a birth: urgent, now, the maternity unit",
        3,
        answers={**POSTPARTUM, S: ["pregnancy_warning_signs"]},
        tier=U,
        within="now",
        route="maternity_unit",
    ),
    r(
        "R3-pre-eclampsia-signs-not-pregnant",
        "The pre-eclampsia item without a pregnancy: a check today (rev 2 wording), not now",
        3,
        answers={**WOMAN, "pregnant": False, S: ["pregnancy_warning_signs"]},
        tier=U,
        within="today",
        route="gp",
    ),
    r(
        "R3-urgent-pregnant-late",
        "Urgent today in pregnancy from 20 weeks: the maternity service, never the urgent line",
        3,
        answers={**PREGNANT, S: ["one_leg_swollen"]},
        tier=U,
        within="today",
        route="maternity_unit",
    ),
    r(
        "R3-urgent-pregnant-early",
        "Urgent today in pregnancy under 20 weeks: the early pregnancy unit",
        3,
        answers={**PREGNANT, "pregnancy_weeks": 12, S: ["one_leg_swollen"]},
        tier=U,
        within="today",
        route="early_pregnancy_unit",
        sheet=("uk", ("early pregnancy unit",)),
    ),
    r(
        "R3-urgent-dialysis",
        "Urgent today on dialysis: the dialysis unit first",
        3,
        answers={C: ["kidney_disease", "dialysis"], S: ["one_leg_swollen"]},
        tier=U,
        within="today",
        route="dialysis_unit",
        sheet=("uk", ("dialysis unit",)),
    ),
    r(
        "R3-dialysis-cramps-next-session",
        "Cramps during dialysis: soon, at the next session, the dialysis team (F20)",
        3,
        answers={C: ["kidney_disease", "dialysis"], "timing": ["during_dialysis"]},
        tier=SN,
        within="next_session",
        route="dialysis_team",
        sheet=("uk", ("Tell your dialysis team", "At your next dialysis session")),
        not_on_sheet=("Within 2 weeks",),
    ),
    r(
        "R3-dialysis-condition-next-session",
        "On dialysis, the kidney reason alone: the dialysis team at the next session",
        3,
        answers={C: ["kidney_disease", "dialysis"]},
        tier=SN,
        within="next_session",
        route="dialysis_team",
    ),
    r(
        "R3-dialysis-and-most-days",
        "On dialysis with another soon reason (cramps most days): the dialysis team at the next "
        "session, which is days away (session 7 decision: one plan, not 'within 2 weeks' beside it)",
        3,
        answers={C: ["kidney_disease", "dialysis"], "frequency": "most_days"},
        tier=SN,
        within="next_session",
        route="dialysis_team",
    ),
    r(
        "R3-dialysis-and-liver",
        "On dialysis with liver disease: that team or the GP, within 2 weeks",
        3,
        answers={C: ["kidney_disease", "dialysis", "liver_disease"]},
        tier=SN,
        within="2_weeks",
        blood_tests=["liver_and_salts", "kidneys_and_salts"],
    ),
    *[
        r(
            f"R3-dialysis-and-{condition}",
            f"On dialysis with {condition}: that team or the GP, within 2 weeks",
            3,
            answers={C: ["kidney_disease", "dialysis", condition]},
            tier=SN,
            within="2_weeks",
        )
        for condition in ("thyroid_disease", "peripheral_artery_disease")
    ],
    r(
        "R3-kidney-disease-2-weeks",
        "Kidney disease without dialysis: within 2 weeks, kidneys and salts test",
        3,
        answers={C: ["kidney_disease"]},
        tier=SN,
        within="2_weeks",
        blood_tests=["kidneys_and_salts"],
    ),
    r(
        "IX-nsaid-anticoagulant",
        "A blood thinner with naproxen: soon within 2 days, the anticoagulant clinic, the"
        " bleeding warning, paracetamol, an INR check (F02)",
        3,
        answers={M: ["anticoagulant", "naproxen"], "cramps_began_with_medicine": False},
        tier=SN,
        within="2_days",
        route="anticoagulant_clinic",
        warnings=["nsaid_bleeding"],
        blood_tests=["inr"],
        sheet=("uk", ("paracetamol", "Within 2 days")),
    ),
    *[
        r(
            f"IX-nsaid-{thinner}-{nsaid}",
            f"{thinner} with {nsaid}: soon within 2 days, the bleeding warning (F02)",
            3,
            answers={M: [thinner, nsaid], "cramps_began_with_medicine": False},
            tier=SN,
            within="2_days",
            warnings=["nsaid_bleeding"],
        )
        for thinner in ("anticoagulant", "antiplatelet")
        for nsaid in ("naproxen", "other_nsaid")
    ],
    r(
        "IX-quinine-anticoagulant",
        "A blood thinner with quinine or tonic water: soon, the anticoagulant clinic, an INR"
        " check, one quinine message (F02)",
        3,
        answers={M: ["anticoagulant", "quinine"], "cramps_began_with_medicine": False},
        tier=SN,
        within="2_weeks",
        route="anticoagulant_clinic",
        warnings=["quinine_blood_thinner"],
        no_warnings=["quinine"],
        blood_tests=["inr"],
        sheet=("uk", ("anticoagulant clinic",)),
    ),
    *[
        r(
            f"IX-injury-anticoagulant-{event}",
            f"A blood thinner after {event} (under 65): urgent today, INR if warfarin (F09)",
            3,
            answers={M: ["anticoagulant"], S: [event], "can_bear_weight": "able"},
            tier=U,
            within="today",
            blood_tests=["inr"],
        )
        for event in ("recent_injury", "recent_fall")
    ],
    r(
        "IX-lithium-raiser-fields",
        "Lithium with a water tablet: within 2 days, the doctor who looks after the lithium, a"
        " lithium level and kidneys and salts test",
        3,
        answers={M: ["lithium", "thiazide_diuretic"], "cramps_began_with_medicine": False},
        tier=SN,
        within="2_days",
        route="lithium_prescriber",
        blood_tests=["lithium_level", "kidneys_and_salts"],
    ),
    r(
        "IX-lithium-vomiting",
        "Lithium with vomiting: urgent today, the lithium warning and the sick-day line",
        3,
        answers={M: ["lithium"], S: ["vomiting_or_diarrhoea"], "cramps_began_with_medicine": False},
        tier=U,
        within="today",
        warnings=["lithium_level", "sick_day"],
        blood_tests=["lithium_level"],
    ),
    *[
        r(
            f"IX-thirst-{medicine}",
            f"{medicine} with thirst and passing a lot of urine: soon within 2 days, a calcium"
            " test, not diabetes alone (F17)",
            3,
            answers={M: [medicine], S: ["thirst_urination"], "cramps_began_with_medicine": False},
            tier=SN,
            within="2_days",
            warnings=["calcium_or_lithium_thirst"],
            blood_tests=["calcium", "blood_sugar"],
        )
        for medicine in ("lithium", "teriparatide")
    ],
    r(
        "IX-thirst-teriparatide-route",
        "Teriparatide with thirst: the prescriber first",
        3,
        answers={M: ["teriparatide"], S: ["thirst_urination"], "cramps_began_with_medicine": False},
        route="prescriber",
        sheet=("uk", ("calcium",)),
    ),
    *[
        r(
            f"IX-potassium-keeping-{medicine}",
            f"{medicine}: potassium-keeping, no salt substitutes, potassium and magnesium foods"
            " left out, the low-sodium line (F04, F15)",
            3,
            answers={M: [medicine], "cramps_began_with_medicine": False},
            tier=SC,
            warnings=["potassium_keeping", "low_sodium"],
            absent=["potassium_foods", "magnesium_foods"],
        )
        for medicine in ("potassium_sparing_diuretic", "diuretic_unknown")
    ],
    *[
        r(
            f"IX-potassium-keeping-ace-{condition}",
            f"An ACE inhibitor or ARB with {condition}: potassium-keeping (F04)",
            3,
            answers={
                M: ["ace_inhibitor_or_arb"],
                C: [condition],
                "cramps_began_with_medicine": False,
            },
            warnings=["potassium_keeping"],
            absent=["potassium_foods"],
            said=["keeps potassium"],
        )
        for condition in ("kidney_disease", "dialysis")
    ],
    r(
        "IX-ace-alone",
        "An ACE inhibitor or ARB alone: potassium foods stay, no salt substitutes unless the"
        " doctor says so",
        3,
        answers={M: ["ace_inhibitor_or_arb"]},
        tier=SC,
        warnings=["potassium_keeping"],
        offered=["potassium_foods"],
        no_blood_tests=True,
    ),
    *[
        r(
            f"IX-low-sodium-{medicine}",
            f"{medicine}: the low-sodium safety net (F15)",
            3,
            answers={M: [medicine], "cramps_began_with_medicine": False},
            warnings=["low_sodium"],
        )
        for medicine in WATER_TABLETS
    ],
    *[
        r(
            f"IX-kidney-combination-{water}-{nsaid}",
            f"An ACE inhibitor or ARB with {water} and {nsaid}: soon within 2 days, a pharmacist,"
            " a kidney test",
            3,
            answers={
                M: ["ace_inhibitor_or_arb", water, nsaid],
                "cramps_began_with_medicine": False,
            },
            tier=SN,
            within="2_days",
            route="pharmacist",
            warnings=["kidney_combination"],
            blood_tests=["kidneys_and_salts"],
        )
        for water in WATER_TABLETS
        for nsaid in NSAIDS
    ],
    r(
        "IX-two-without-ace",
        "A water tablet and a painkiller without an ACE inhibitor or ARB: not the three-medicine"
        " row",
        3,
        answers={M: ["thiazide_diuretic", "other_nsaid"], "cramps_began_with_medicine": False},
        no_warnings=["kidney_combination"],
    ),
    *[
        r(
            f"IX-nsaid-condition-{nsaid}-{condition}",
            f"{nsaid} with {condition}: soon, a pharmacist, stop a bought painkiller",
            3,
            answers={M: [nsaid], C: [condition]},
            tier=SN,
            warnings=["kidney_combination"],
        )
        for nsaid in NSAIDS
        for condition in (
            "kidney_disease",
            "dialysis",
            "liver_disease",
            "heart_failure_or_low_salt_diet",
        )
    ],
    r(
        "IX-nsaid-heart-failure-fields",
        "A bought painkiller with heart failure: within 2 weeks, a pharmacist first",
        3,
        answers={M: ["other_nsaid"], C: ["heart_failure_or_low_salt_diet"]},
        tier=SN,
        within="2_weeks",
        route="pharmacist",
    ),
    *[
        r(
            f"IX-sick-day-{medicine}-{loss}",
            f"{medicine} with {loss}: urgent, the sick-day line (M4)",
            3,
            answers={M: [medicine], S: [loss], "cramps_began_with_medicine": False},
            tier=U,
            warnings=["sick_day"],
        )
        for medicine in (*WATER_TABLETS, "ace_inhibitor_or_arb", *NSAIDS, "lithium")
        for loss in ("vomiting_or_diarrhoea", "fluid_loss")
    ],
    r(
        "IX-no-sick-day-without-medicine",
        "Vomiting without those medicines: urgent, no sick-day line",
        3,
        answers={S: ["vomiting_or_diarrhoea"]},
        tier=U,
        no_warnings=["sick_day"],
    ),
    r(
        "IX-hypo-at-night",
        "Diabetes: what to do when waking shaky or sweaty (M10)",
        3,
        answers={C: ["diabetes"]},
        warnings=["hypo_at_night"],
    ),
    r(
        "IX-quinine-pregnancy",
        "Quinine in pregnancy: soon within 2 days, the midwife, one quinine message (F02)",
        3,
        answers={**PREGNANT, M: ["quinine"], "cramps_began_with_medicine": False},
        tier=SN,
        within="2_days",
        route="midwife",
        warnings=["pregnancy_medicine"],
        no_warnings=["quinine"],
    ),
    *[
        r(
            f"IX-nsaid-pregnancy-{nsaid}",
            f"{nsaid} in pregnancy: soon within 2 days, the midwife (F02)",
            3,
            answers={**PREGNANT, M: [nsaid], "cramps_began_with_medicine": False},
            tier=SN,
            within="2_days",
            route="midwife",
            warnings=["pregnancy_medicine"],
        )
        for nsaid in NSAIDS
    ],
    # not sure whether pregnant counts as pregnant ("Not sure"): the same two rows
    r(
        "IX-quinine-maybe-pregnant",
        "Quinine, not sure whether pregnant: as in pregnancy, soon within 2 days, one quinine"
        " message (F02; not sure counts as pregnant)",
        3,
        answers={
            **WOMAN,
            "pregnant": "not_sure",
            M: ["quinine"],
            "cramps_began_with_medicine": False,
        },
        tier=SN,
        within="2_days",
        warnings=["pregnancy_medicine"],
        no_warnings=["quinine"],
    ),
    *[
        r(
            f"IX-nsaid-maybe-pregnant-{nsaid}",
            f"{nsaid}, not sure whether pregnant: as in pregnancy, soon within 2 days (F02)",
            3,
            answers={
                **WOMAN,
                "pregnant": "not_sure",
                M: [nsaid],
                "cramps_began_with_medicine": False,
            },
            tier=SN,
            within="2_days",
            warnings=["pregnancy_medicine"],
        )
        for nsaid in NSAIDS
    ],
    r(
        "IX-statin-muscle-tests",
        "A statin with muscle aches: urgent today, the CK, kidneys and thyroid tests (F16)",
        3,
        answers={M: ["statin"], S: ["muscle_ache_or_weakness"]},
        tier=U,
        within="today",
        warnings=["statin_muscle"],
        blood_tests=["ck", "kidneys_and_salts", "thyroid"],
    ),
    *[
        r(
            f"BT-{test}-{key}",
            f"Blood test {test} on a soon sheet with {key}",
            3,
            answers=changes,
            tier=SN,
            blood_tests=[test],
        )
        for test, key, changes in (
            ("thyroid", "thyroid_signs", {S: ["thyroid_signs"]}),
            ("thyroid", "thyroid_disease", {C: ["thyroid_disease"]}),
            ("liver_and_salts", "liver_disease", {C: ["liver_disease"]}),
            ("liver_and_salts", "heavy_alcohol", {C: ["heavy_alcohol"]}),
            ("ferritin", "urge_to_move", {S: ["urge_to_move"], "sleep_disrupted": True}),
            ("blood_sugar", "diabetes", {C: ["diabetes"], "frequency": "most_days"}),
            ("blood_sugar", "thirst_urination", {S: ["thirst_urination"]}),
            ("phosphate", "iron_infusion", {M: ["iron_infusion"], "frequency": "most_days"}),
            ("kidneys_and_salts", "water_tablet", {M: ["loop_diuretic"]}),
        )
    ],
    r(
        "BT-urgent-cramps-elsewhere",
        "Cramps in several places: urgent, kidneys and blood salts test",
        3,
        answers={S: ["cramps_elsewhere"]},
        tier=U,
        blood_tests=["kidneys_and_salts"],
    ),
    r(
        "BT-not-on-self-care",
        "A water tablet on a self-care sheet: no blood test (no visit is advised)",
        3,
        answers={M: ["thiazide_diuretic"], "cramps_began_with_medicine": False},
        tier=SC,
        no_blood_tests=True,
    ),
    r(
        "R3-cool-down-diabetes-long-event",
        "Heat cramps with diabetes after a long event with a lot of drinking: the cool-down's"
        " sugar-free drink is still a drink, so it is left out (H5, F22)",
        3,
        answers={S: ["heat_exertion", "endurance_overdrinking"], C: ["diabetes"]},
        no_advice=["drink_more_water"],
    ),
    r(
        "R3-cool-down-diabetes-heart-failure",
        "Heat cramps with diabetes and heart failure: no salty drink, sugar-free or not",
        3,
        answers={S: ["heat_exertion"], C: ["diabetes", "heart_failure_or_low_salt_diet"]},
        no_advice=["salty_drink"],
    ),
    r(
        "IX-calcium-channel-blocker-swelling",
        "A calcium-channel blocker with both legs swollen: soon, and the ankle-swelling line (N3)",
        3,
        answers={M: ["calcium_channel_blocker"], S: ["swelling_both_legs"]},
        tier=SN,
        said=["often cause ankle swelling"],
    ),
    r(
        "R3-during-work-dark-urine",
        "Dark urine with cramps during physical work: an emergency (during_work counts as"
        " during exercise)",
        3,
        answers={S: ["dark_urine"], "timing": ["during_work"]},
        tier=E,
    ),
    r(
        "R3-during-work-warm-up",
        "Cramps during physical work: the warm-up advice, as for exercise",
        3,
        answers={"timing": ["during_work"]},
        tier=SC,
        offered=["warm_up"],
    ),
    # ---- rev 3: "not sure" (docs/policy.md, "Not sure and not reported") ---------------------
    r(
        "NS-sign-one-leg",
        "A sign in symptoms_not_sure counts as present: one leg perhaps swollen is urgent, a clot is named, the calf is not rubbed, and the sheet says it was treated as yes, with the check",
        3,
        answers={S: [], "symptoms_not_sure": ["one_leg_swollen"]},
        tier=U,
        consider=["dvt"],
        absent=["calf_massage"],
        sheet=("generic", ["We treated it as yes", "both legs side by side"]),
    ),
    r(
        "NS-sign-cold-foot",
        "A cold or pale foot, not sure: an emergency, with the check to look at both feet side by side",
        3,
        answers={S: [], "symptoms_not_sure": ["cold_pale_leg"]},
        tier=E,
        no_remedies=True,
        sheet=("generic", ["not sure about", "both feet side by side"]),
    ),
    r(
        "NS-sign-sure-wins",
        "A sign in both lists is the sure answer: no not-sure line",
        3,
        answers={S: ["one_leg_swollen"], "symptoms_not_sure": ["one_leg_swollen"]},
        tier=U,
        not_on_sheet=["treated it as yes"],
    ),
    r(
        "NS-pregnant",
        "pregnant: not_sure counts as pregnant under 20 weeks: tummy pain is urgent via the early pregnancy unit, a pregnancy test, no pre-eclampsia words",
        3,
        answers={**WOMAN, "pregnant": "not_sure", S: ["pregnancy_belly_pain"]},
        tier=U,
        warnings=["pregnancy_test"],
        sheet=("generic", ["early pregnancy unit", "pregnancy test"]),
        not_on_sheet=["pre-eclampsia", "maternity unit now"],
    ),
    r(
        "NS-pregnant-alone",
        "pregnant: not_sure without a sign: the pregnancy column, and the pregnancy test line",
        3,
        answers={**WOMAN, "pregnant": "not_sure"},
        tier=SC,
        warnings=["pregnancy_test"],
        absent=["magnesium_supplement"],
    ),
    r(
        "NS-later-pregnancy-pain",
        "Tummy pain from 20 weeks: the maternity unit now (urgent), not the early pregnancy unit",
        3,
        answers={**PREGNANT, S: ["pregnancy_belly_pain"]},
        tier=U,
        sheet=("generic", ["maternity unit now"]),
        not_on_sheet=["early pregnancy unit"],
    ),
    r(
        "NS-medicine-began",
        "cramps_began_with_medicine: not_sure counts as yes: the medicine rule gives soon, in the words for a medicine taken",
        3,
        answers={M: ["laba_inhaler"], "cramps_began_with_medicine": "not_sure"},
        tier=SN,
        warnings=["medication_review"],
        not_on_sheet=["started or got worse with"],
    ),
    r(
        "NS-iron-drip",
        "The iron drip is a one-off: 'you had', a phosphate test, never 'do not stop'; not sure if the cramps began with it: soon",
        3,
        answers={M: ["iron_infusion"], "cramps_began_with_medicine": "not_sure"},
        tier=SN,
        warnings=["medication_review"],
        sheet=("generic", ["You had an iron drip", "phosphate"]),
        not_on_sheet=["do not stop"],
    ),
    r(
        "NS-cannot-bear-weight",
        "can_bear_weight: not_sure counts as unable: urgent under 65 (an X-ray), a broken bone named, no walking it off",
        3,
        answers={S: ["recent_injury"], "can_bear_weight": "not_sure"},
        tier=U,
        consider=["broken_bone"],
        absent=["walk_it_off"],
        sheet=("generic", ["X-ray"]),
    ),
    r(
        "NS-cannot-bear-weight-older",
        "can_bear_weight: not_sure at 65 or over after a fall: an emergency",
        3,
        answers={"age": 70, S: ["recent_fall"], "can_bear_weight": "not_sure"},
        tier=E,
        no_remedies=True,
    ),
    r(
        "NS-stretching",
        "stretching_tried: not_sure counts as not tried: no tier, the nightly stretch",
        3,
        answers={"stretching_tried": "not_sure"},
        without=["stretching_not_helping"],
        tier=SC,
        offered=["bedtime_stretching"],
    ),
    r(
        "NS-medicines-unknown",
        "not_sure_which and another_medicine: the not-checked column and 'ask a pharmacist to check your medicines'",
        3,
        answers={M: ["another_medicine", "not_sure_which"], "cramps_began_with_medicine": False},
        tier=SC,
        warnings=["not_checked"],
        absent=["magnesium_supplement"],
        sheet=("generic", ["Ask a pharmacist to check your medicines"]),
    ),
    r(
        "NS-medicines-unknown-began",
        "An unknown medicine with cramps that began with it (or not sure): soon, with the generic words",
        3,
        answers={M: ["not_sure_which"], "cramps_began_with_medicine": "not_sure"},
        tier=SN,
        warnings=["not_checked"],
        sheet=("generic", ["which of your medicines could cause cramps"]),
    ),
    r(
        "NS-medicines-unknown-not-reported",
        "An unknown medicine, with whether the cramps began with it not reported: counted as yes (as for a linked medicine): soon",
        3,
        answers={M: ["not_sure_which"]},
        tier=SN,
        reasons=["medicine_unknown_linked"],
    ),
    r(
        "NS-conditions",
        "conditions: not_sure: the not-checked column",
        3,
        answers={C: ["not_sure"]},
        tier=SC,
        absent=["magnesium_supplement"],
    ),
    # ---- rev 3: not reported (absent keys) -------------------------------------------------------
    r(
        "NR-symptoms",
        "Warning signs not answered: never 'no warning signs'; the self-care headline says to check the warning signs first, and page one checks them before any remedy",
        3,
        without=[S],
        tier=SC,
        not_reported=[S],
        no_reasons=["no_warning_signs"],
        sheet=(
            "generic",
            ["check warning signs first", "did not answer the questions about warning signs"],
        ),
        not_on_sheet=["did not report any warning signs", "no warning signs"],
    ),
    r(
        "NR-symptoms-urgent",
        "Warning signs not answered on a sheet of another tier: the headline keeps its tier, and the check still comes",
        3,
        answers={"duration": "over_10_minutes"},
        without=[S],
        tier=U,
        not_reported=[S],
        sheet=(
            "generic",
            ["did not answer the questions about warning signs", "Get help today if"],
        ),
    ),
    r(
        "NR-medications",
        "Medicines not reported: the medicines line, the not-checked column",
        3,
        without=[M],
        tier=SC,
        not_reported=[M],
        warnings=["not_checked"],
        absent=["magnesium_supplement"],
        sheet=("generic", ["We could not check your medicines", "bring your medicines or a list"]),
    ),
    r(
        "NR-conditions",
        "Conditions not reported: the conditions line, the not-checked column",
        3,
        without=[C],
        tier=SC,
        not_reported=[C],
        warnings=["not_checked"],
        sheet=(
            "generic",
            [
                "We could not check your health conditions",
                "ask a pharmacist before trying the remedies",
            ],
        ),
    ),
    r(
        "NR-age",
        "Age not reported: the age line; no under-18 lines",
        3,
        without=["age"],
        tier=SC,
        not_reported=["age"],
        warnings=["not_checked"],
        sheet=("generic", ["We did not know your age"]),
        not_on_sheet=["parent or carer"],
    ),
    r(
        "NR-pregnant",
        "Pregnancy not reported where it is possible: listed, with the pregnancy column",
        3,
        answers={**WOMAN},
        tier=SC,
        not_reported=["pregnant"],
        warnings=["not_checked"],
        sheet=("generic", ["could be pregnant"]),
    ),
    r(
        "NR-pregnant-man",
        "Pregnancy not reported for a man: not listed",
        3,
        tier=SC,
        no_warnings=["not_checked"],
    ),
    r(
        "NR-all-answered",
        "Every key the rules need answered: not_reported is empty, no not-checked warning",
        3,
        answers={"stretching_tried": "not_tried", "mobility": []},
        without=["stretching_not_helping"],
        tier=SC,
        no_warnings=["not_checked"],
    ),
    # ---- rev 3: contradictory files, read with the fact inferred --------------------------------
    r(
        "CF-dialysis-inferred",
        "Cramps during dialysis without dialysis in conditions: dialysis (and kidney disease) inferred, and the sheet says so",
        3,
        answers={"timing": ["during_dialysis"]},
        inferred=[(C, "dialysis"), (C, "kidney_disease")],
        absent=["magnesium_foods"],
        sheet=("generic", ["so we took it that you have dialysis"]),
    ),
    r(
        "CF-dialysis-cramps-reason",
        "Cramps during dialysis, dialysis inferred: the sheet still tells the person to tell their dialysis team at the next session",
        3,
        answers={"timing": ["during_dialysis"]},
        tier=SN,
        reasons=["dialysis_cramps"],
        sheet=("generic", ["dialysis team"]),
    ),
    r(
        "CF-kidney-inferred",
        "Dialysis without kidney disease: kidney disease inferred, silently",
        3,
        answers={C: ["dialysis"]},
        tier=SN,
        inferred=[(C, "kidney_disease")],
        not_on_sheet=["we took it that"],
    ),
    r(
        "CF-another-medicine-inferred",
        "Cramps began with a medicine, none linked named: another_medicine inferred; soon with the generic words",
        3,
        answers={"cramps_began_with_medicine": True},
        tier=SN,
        inferred=[(M, "another_medicine")],
        warnings=["not_checked"],
    ),
    r(
        "CF-postpartum-inferred",
        "weeks_since_birth without postpartum: postpartum inferred from the weeks",
        3,
        answers={**WOMAN, "pregnant": False, "weeks_since_birth": 3},
        inferred=[("postpartum", True)],
    ),
    # ---- issue 20 (R2): named causes in plain words (policy rev 3, "Named causes"), and rev 2's
    # nerve_signs split ("urgent, today": new weakness or numbness, cramps in several places;
    # "soon": twitching with cramps and nothing else)
    *[
        r(
            f"NC-trapped-nerve-{sign}",
            f"{sign} in one leg: urgent; a trapped nerve, often from the lower back, or poor blood "
            "flow; never 'a nerve problem'",
            3,
            answers={S: [sign]},
            tier=U,
            within="today",
            consider=["trapped_nerve"],
            consider_said=["trapped nerve", "lower back"],
            said=["a trapped nerve", "poor blood flow"],
            no_consider=["neuropathy"],
            not_on_sheet=["nerve problem", "neuropathy"],
        )
        for sign in ("new_weakness", "new_numbness")
    ],
    r(
        "NC-neuropathy-diagnosed-new-weakness",
        "New weakness with a diagnosed neuropathy: 'Your neuropathy may be part of this; tell the "
        "doctor it has changed', never 'ask about neuropathy'",
        3,
        answers={S: ["new_weakness"], C: ["neuropathy"]},
        tier=U,
        consider=["trapped_nerve"],
        said=["your neuropathy may be part of this", "tell the doctor it has changed"],
        not_on_sheet=["nerve problem", "ask about neuropathy", "ask about: nerve damage"],
    ),
    r(
        "NC-neuropathy-diagnosed",
        "A diagnosed neuropathy: 'Your neuropathy may be part of this.'",
        3,
        answers={C: ["neuropathy"]},
        consider=["neuropathy"],
        consider_said=["your neuropathy may be part of this"],
        not_on_sheet=["ask about neuropathy"],
    ),
    r(
        "NC-neuropathy-undiagnosed",
        "Numbness or tingling for a while, no diagnosis: nerve damage (neuropathy), for example "
        "from diabetes or low vitamin B12",
        3,
        answers={S: ["numbness_tingling"]},
        tier=SN,
        consider=["neuropathy"],
        consider_said=["nerve damage", "vitamin b12"],
    ),
    r(
        "NC-cramps-elsewhere",
        "Cramps in the chest, arms or belly, outside pregnancy: urgent; blood salts too low or too "
        "high; a blood test (kidneys and salts) today",
        3,
        answers={S: ["cramps_elsewhere"]},
        tier=U,
        within="today",
        consider=["blood_salts"],
        consider_said=["sodium, potassium, calcium or magnesium"],
        blood_tests=["kidneys_and_salts"],
        said=["salts in your blood", "blood test today"],
        no_consider=["trapped_nerve"],
        not_on_sheet=["nerve problem"],
    ),
    r(
        "NC-cramps-elsewhere-operation",
        "Cramps in several places after an operation: 'especially after an operation on the neck "
        "(thyroid)', and a calcium test",
        3,
        answers={S: ["cramps_elsewhere"], C: ["recent_surgery_or_bed_rest"]},
        tier=U,
        blood_tests=["kidneys_and_salts", "calcium"],
        said=["operation on the neck"],
    ),
    r(
        "NC-cramps-elsewhere-heat",
        "Cramps in several places after heavy sweating in the heat: 'you may have lost a lot of "
        "salt'; it stays urgent",
        3,
        answers={S: ["cramps_elsewhere", "heat_exertion", "heavy_sweating"]},
        tier=U,
        said=["lost a lot of salt"],
    ),
    r(
        "NC-twitching-alone",
        "Twitching with cramps and nothing else: soon (2 weeks), usually harmless, a doctor should "
        "check it; help today for weakness, thinning muscles, trouble speaking or swallowing",
        3,
        answers={S: ["twitching"]},
        tier=SN,
        within="2_weeks",
        blood_tests=["kidneys_and_salts"],
        said=[
            "usually harmless (caffeine, exercise, stress)",
            "a doctor should check it",
            "weakness, muscles getting thinner, or trouble speaking or swallowing",
        ],
        no_consider=["blood_salts", "trapped_nerve"],
        not_on_sheet=["nerve problem"],
    ),
    *[
        r(
            f"NC-twitching-with-{sign}",
            f"Twitching with {sign}: stays urgent through that rule",
            3,
            answers={S: ["twitching", sign]},
            tier=U,
            within="today",
            not_on_sheet=["nerve problem", "usually harmless"],
        )
        for sign in ("new_weakness", "cramps_elsewhere")
    ],
    r(
        "NC-twitching-lithium",
        "Twitching on lithium: stays urgent (a lithium blood test today)",
        3,
        answers={S: ["twitching"], M: ["lithium"]},
        tier=U,
        within="today",
        blood_tests=["lithium_level"],
        consider=["blood_salts"],
        not_on_sheet=["usually harmless"],
    ),
    *[
        r(
            f"NC-twitching-salts-{key}-{value}",
            f"Twitching with {value}: blood salts named",
            3,
            answers={S: ["twitching", *extra], key: [value]}
            if key != S
            else {S: ["twitching", value]},
            consider=["blood_salts"],
        )
        for key, value, extra in (
            *((M, w, ()) for w in WATER_TABLETS),
            (S, "vomiting_or_diarrhoea", ()),
            (S, "fluid_loss", ()),
            (C, "recent_surgery_or_bed_rest", ()),
        )
    ],
    r(
        "NC-cellulitis",
        "A red, warm, sore patch: a skin infection (cellulitis) is named beside the clot",
        3,
        answers={S: ["red_warm_skin"]},
        tier=U,
        consider=["cellulitis", "dvt"],
        consider_said=["skin infection (cellulitis)"],
    ),
    r(
        "NC-one-leg-swollen-not-cellulitis",
        "One leg swollen without a red patch: the clot, not cellulitis",
        3,
        answers={S: ["one_leg_swollen"]},
        consider=["dvt"],
        no_consider=["cellulitis"],
    ),
    r(
        "NC-long-cramp-one-leg",
        "A long cramp in one leg: a blood clot or a blocked artery named",
        3,
        answers={"duration": "over_10_minutes"},
        tier=U,
        consider=["dvt", "blocked_artery"],
    ),
    r(
        "NC-long-cramp-sides-not-reported",
        "A long cramp, sides not reported: counted as one leg (clot or blocked artery named)",
        3,
        answers={"duration": "over_10_minutes"},
        without=["sides"],
        tier=U,
        consider=["dvt", "blocked_artery"],
    ),
    r(
        "NC-long-cramp-both-legs",
        "A long cramp in both legs: not the one-leg clot or artery",
        3,
        answers={"duration": "over_10_minutes", "sides": "both"},
        tier=U,
        no_consider=["dvt", "blocked_artery"],
    ),
    r(
        "NC-short-cramp-one-leg",
        "An ordinary cramp in one leg names no clot or artery",
        3,
        answers={},
        no_consider=["dvt", "blocked_artery"],
    ),
    *[
        r(
            f"NC-blocked-artery-{sign}",
            f"{sign}: a blocked artery (named in the result)",
            3,
            answers={S: [sign]},
            tier=E,
            consider=["blocked_artery"],
        )
        for sign in ("cold_pale_leg", "cannot_move_foot")
    ],
    r(
        "NC-long-cramp-numb",
        "A long cramp with new numbness: a blocked artery or a blood clot (in the result)",
        3,
        answers={"duration": "over_10_minutes", S: ["new_numbness"]},
        tier=E,
        consider=["blocked_artery", "dvt"],
    ),
    *[
        r(
            f"NC-muscle-damage-statin-{sign}",
            f"A statin with {sign}: muscle damage, which statins can rarely cause",
            3,
            answers={M: ["statin"], S: [sign]},
            tier=U,
            consider=["muscle_damage"],
            consider_said=["muscle damage, which statins can rarely cause"],
            blood_tests=["ck", "kidneys_and_salts", "thyroid"],
        )
        for sign in ("muscle_ache_or_weakness", "new_weakness", "severe_muscle_pain")
    ],
    r(
        "NC-muscle-damage-dark-urine",
        "Dark urine: muscle damage",
        3,
        answers={S: ["dark_urine"]},
        tier=U,
        consider=["muscle_damage"],
        consider_said=["muscle damage"],
        not_on_sheet=["statins can rarely cause"],
    ),
    r(
        "NC-muscle-damage-dark-urine-statin",
        "Dark urine on a statin: an emergency, muscle damage (in the result)",
        3,
        answers={S: ["dark_urine"], M: ["statin"]},
        tier=E,
        consider=["muscle_damage"],
    ),
    r(
        "NC-bleeding-into-muscle",
        "An injury on a blood thinner: bleeding into the muscle",
        3,
        answers={S: ["recent_injury"], M: ["anticoagulant"]},
        tier=U,
        consider=["bleeding_into_muscle"],
        consider_said=["bleeding into the muscle"],
    ),
    r(
        "NC-injury-no-blood-thinner",
        "An injury without a blood thinner: no bleeding into the muscle named",
        3,
        answers={S: ["recent_injury"]},
        no_consider=["bleeding_into_muscle"],
    ),
    r(
        "NC-underactive-thyroid",
        "Tired, cold, gaining weight: an underactive thyroid, and a thyroid test",
        3,
        answers={S: ["thyroid_signs"]},
        tier=SN,
        consider=["underactive_thyroid"],
        consider_said=["underactive thyroid"],
        blood_tests=["thyroid"],
    ),
    r(
        "NC-diabetes",
        "Thirst and passing more urine: diabetes, and a blood sugar test",
        3,
        answers={S: ["thirst_urination"]},
        consider=["diabetes"],
        consider_said=["diabetes"],
        blood_tests=["blood_sugar"],
    ),
    r(
        "NC-diabetes-child",
        "Under 18, thirst and passing more urine: diabetes named",
        3,
        answers={"age": 14, S: ["thirst_urination"]},
        tier=U,
        consider=["diabetes"],
    ),
    *[
        r(
            f"NC-diabetes-{medicine}",
            f"Thirst on {medicine}: a high calcium (or lithium) level, not diabetes alone",
            3,
            answers={S: ["thirst_urination"], M: [medicine]},
            consider=["diabetes"],
            consider_said=[words],
        )
        for medicine, words in (
            ("lithium", "high calcium or lithium level"),
            ("teriparatide", "high calcium level from teriparatide"),
        )
    ],
    r(
        "NC-claudication-young-exercise",
        "Under 50, walking pain during exercise: pressure in the calf muscles or a trapped artery, "
        "a sports-medicine or vascular referral",
        3,
        answers={"age": 30, S: ["walking_pain_eases_rest"], "timing": ["during_exercise"]},
        tier=SN,
        consider=["claudication"],
        consider_said=[
            "pressure building up in the calf muscles",
            "artery trapped behind the knee",
        ],
    ),
    *[
        r(
            f"NC-claudication-{label}",
            f"Walking pain that eases with rest ({label}): narrowed leg arteries",
            3,
            answers={S: ["walking_pain_eases_rest"], **changes},
            tier=SN,
            consider=["claudication"],
            consider_said=["narrowed leg arteries"],
        )
        for label, changes in (
            ("50-exercise", {"age": 50, "timing": ["during_exercise"]}),
            ("young-at-night", {"age": 30}),
        )
    ],
    # ---- issue 20 (R2), findings of the earlier clinical review (b, e)
    *[
        r(
            f"NC-bear-weight-not-sure-age-{age}",
            "Not sure whether they can put weight on the leg: counted as unable, and 'why' says so",
            3,
            answers={"age": age, S: ["recent_injury"], "can_bear_weight": "not_sure"},
            tier=tier,
            said=["not sure you could put weight on the leg", "treated it as no"],
        )
        for age, tier in ((40, U), (70, E))
    ],
    r(
        "NC-lithium-kidney-test",
        "Lithium with an ACE inhibitor and naproxen: the lithium level with kidneys and salts",
        3,
        answers={
            M: ["lithium", "ace_inhibitor_or_arb", "naproxen"],
            "cramps_began_with_medicine": False,
        },
        tier=SN,
        blood_tests=["lithium_level", "kidneys_and_salts"],
    ),
    # ---- session 7: thirst (F18), pregnancy cramps (C1), restless legs (M2)
    r(
        "T-thirst-age-not-given",
        "Thirst and passing more urine, age not given: read as an adult (a blood sugar test "
        "within 2 days), never left without a rule",
        3,
        answers={S: ["thirst_urination"]},
        without=("age",),
        tier=SN,
        within="2_days",
        said=["blood sugar test in the next day or two"],
    ),
    r(
        "T-thirst-child",
        "Under 18, thirst and passing more urine: today (the child rule), not 'in the next day or two'",
        3,
        answers={"age": 15, S: ["thirst_urination"]},
        tier=U,
        not_on_sheet=["next day or two"],
    ),
    r(
        "S7-most-days-and-sleep",
        "Cramps most days that disturb sleep: soon, and the reason says they disturb sleep",
        3,
        answers={"frequency": "most_days", "sleep_disrupted": True},
        tier=SN,
        said=["disturb your sleep or your day"],
    ),
    *[
        r(
            f"S7-stroke-signs-{sign}",
            "New weakness or numbness in a leg: call the emergency number if it came on suddenly "
            "or the face, arm or speech is affected (independent clinical review, session 7)",
            3,
            answers={S: [sign]},
            tier=U,
            sheet=(
                "uk",
                [
                    "Call 999 now if the weakness or numbness came on suddenly",
                    "face, arm or speech",
                ],
            ),
        )
        for sign in ("new_weakness", "new_numbness")
    ],
    r(
        "F29-the-chosen-medicine",
        "Cramps began with one of two linked medicines: the sheet names the one chosen",
        3,
        answers={
            M: ["statin", "thiazide_diuretic"],
            "cramps_began_with_medicine": True,
            "cramps_began_with": ["thiazide_diuretic"],
        },
        tier=SN,
        said=["started or got worse with a thiazide water tablet, which"],
        not_on_sheet=["got worse with a thiazide water tablet and a statin"],
    ),
    r(
        "F29-not-sure-which",
        "Not sure which medicine: the linked ones taken are named, any of them may be it",
        3,
        answers={
            M: ["statin", "thiazide_diuretic"],
            "cramps_began_with_medicine": True,
            "cramps_began_with": ["not_sure_which"],
        },
        tier=SN,
        said=["after one of your medicines. any of these can cause cramps"],
    ),
    r(
        "F21-heavy-alcohol",
        "Heavy drinking: cut down safely with the GP; do not stop suddenly if drinking every day",
        3,
        answers={C: ["heavy_alcohol"]},
        tier=SN,
        said=["cut down safely", "do not stop suddenly"],
    ),
    r(
        "T-thirst-weight-loss-adult",
        "An adult very thirsty, passing more urine and losing weight: a blood sugar test today",
        3,
        answers={S: ["thirst_urination", "weight_loss"]},
        tier=U,
        within="today",
        consider=["diabetes"],
        blood_tests=["blood_sugar"],
        said=["blood sugar test today"],
        sheet=("uk", ["breathe fast or deep"]),
    ),
    r(
        "T-thirst-alone-adult",
        "An adult very thirsty and passing more urine, no weight loss: a blood sugar test within 2 days",
        3,
        answers={S: ["thirst_urination"]},
        tier=SN,
        within="2_days",
        blood_tests=["blood_sugar"],
        said=["next day or two"],
        sheet=("uk", ["breathe fast or deep"]),
    ),
    r(
        "T-thirst-pregnancy",
        "Thirst and passing more urine in pregnancy: tell the midwife in the next day or two",
        3,
        answers={
            "sex": "female",
            "age": 30,
            "pregnant": True,
            "pregnancy_weeks": 26,
            S: ["thirst_urination"],
        },
        tier=SN,
        within="2_days",
        said=["midwife", "diabetes in pregnancy"],
    ),
    *[
        r(
            f"C1-pregnancy-frequent-{label}",
            "In pregnancy, frequent or sleep-disturbing cramps with nothing else stay self-care; "
            "the midwife is told at the next antenatal appointment",
            3,
            answers={
                "sex": "female",
                "age": 30,
                "pregnant": True,
                "pregnancy_weeks": 28,
                **changes,
            },
            tier=SC,
            said=["next antenatal appointment"],
        )
        for label, changes in (
            ("weekly-waking", {"frequency": "weekly", "sleep_disrupted": True}),
            ("most-days-daily-life", {"frequency": "most_days", "daily_life_affected": True}),
        )
    ],
    r(
        "C1-not-pregnant-frequent",
        "Outside pregnancy, weekly cramps that wake the person are soon",
        3,
        answers={"frequency": "weekly", "sleep_disrupted": True},
        tier=SN,
    ),
    r(
        "M2-restless-legs-ferritin",
        "Restless legs that spoil sleep: low iron is a common, treatable cause; ferritin test",
        3,
        answers={S: ["urge_to_move"], "sleep_disrupted": True},
        tier=SN,
        blood_tests=["ferritin"],
        said=["low iron is a common, treatable cause"],
    ),
    r(
        "M2-restless-legs-pregnancy",
        "Restless legs in pregnancy: low iron is common in pregnancy; the midwife; it often goes after the birth",
        3,
        answers={
            "sex": "female",
            "age": 30,
            "pregnant": True,
            "pregnancy_weeks": 30,
            S: ["urge_to_move"],
            "sleep_disrupted": True,
        },
        said=["low iron is common in pregnancy", "after the birth"],
    ),
    # issue 20 (clinical round 3): pregnancy, after-birth and children's rules, from the policy's
    # "Rules by tier", "Named causes", "Routing" and "Early stop" (R1-*)
    r(
        "R1-later-reduced-movements",
        "Pregnancy from 20 weeks, the baby moving less: urgent, now; the maternity unit now; early stop (no remedies)",
        3,
        answers={**PREGNANT, S: ["reduced_movements"]},
        tier=U,
        within="now",
        route="maternity_unit",
        no_remedies=True,
        sheet=("generic", ["maternity unit", "now", "quinine"]),
    ),
    r(
        "R1-later-tightenings",
        "Pregnancy from 20 weeks, regular tightenings: urgent, now",
        3,
        answers={**PREGNANT, "pregnancy_weeks": 20, S: ["pregnancy_tightenings"]},
        tier=U,
        within="now",
        route="maternity_unit",
    ),
    r(
        "R1-later-bleeding",
        "Pregnancy from 20 weeks, any bleeding: urgent, now",
        3,
        answers={**PREGNANT, S: ["pregnancy_bleeding"]},
        tier=U,
        within="now",
        route="maternity_unit",
    ),
    r(
        "R1-weeks-not-given-tightenings",
        "Pregnancy with the weeks not reported counts as from 20 weeks: tightenings are urgent, now, and both services are named",
        3,
        answers={**PREGNANT, S: ["pregnancy_tightenings"]},
        without=["pregnancy_weeks"],
        tier=U,
        within="now",
        sheet=("generic", ["maternity unit", "early pregnancy unit"]),
    ),
    r(
        "R1-later-not-sure-movements",
        "A pregnancy sign the person is not sure of counts as yes: the baby maybe moving less from 20 weeks is urgent, now",
        3,
        answers={**PREGNANT, "symptoms_not_sure": ["reduced_movements"]},
        tier=U,
        within="now",
    ),
    r(
        "R1-early-bleeding",
        "Pregnant under 20 weeks with bleeding: urgent today, the early pregnancy unit",
        3,
        answers={**PREGNANT, "pregnancy_weeks": 19, S: ["pregnancy_bleeding"]},
        tier=U,
        within="today",
        route="early_pregnancy_unit",
        sheet=("generic", ["early pregnancy unit"]),
    ),
    r(
        "R1-not-sure-bleeding",
        "Pregnant not sure counts as under 20 weeks: bleeding is urgent today, the early pregnancy unit",
        3,
        answers={**WOMAN, "pregnant": "not_sure", S: ["pregnancy_bleeding"]},
        tier=U,
        within="today",
        route="early_pregnancy_unit",
    ),
    r(
        "R1-early-cramps-elsewhere",
        "Under 20 weeks, cramps in the chest, arms or belly count as tummy pain: urgent today, the early pregnancy unit",
        3,
        answers={**PREGNANT, "pregnancy_weeks": 10, S: ["cramps_elsewhere"]},
        tier=U,
        within="today",
        route="early_pregnancy_unit",
        not_on_sheet=["nerve problem"],
    ),
    r(
        "R1-later-cramps-elsewhere",
        "From 20 weeks, cramps in the chest, arms or belly count as tummy pain: urgent, now, the maternity unit, with the blood-salts words, never a nerve problem",
        3,
        answers={**PREGNANT, S: ["cramps_elsewhere"]},
        tier=U,
        within="now",
        route="maternity_unit",
        sheet=("generic", ["maternity unit", "blood salts"]),
        not_on_sheet=["nerve problem"],
    ),
    r(
        "R1-not-pregnant-cramps-elsewhere",
        "Outside pregnancy, cramps in the chest, arms or belly are not read as pregnancy tummy pain",
        3,
        answers={**WOMAN, "pregnant": False, S: ["cramps_elsewhere"]},
        tier=U,
        within="today",
        no_reasons=["early_pregnancy_pain", "later_pregnancy_pain"],
    ),
    r(
        "R1-after-birth-bleeding",
        "After birth (up to 6 weeks) with heavier bleeding or large clots: urgent, now, the maternity unit",
        3,
        answers={**POSTPARTUM, S: ["pregnancy_bleeding"]},
        tier=U,
        within="now",
        route="maternity_unit",
    ),
    r(
        "R1-after-birth-late-bleeding",
        "7 to 12 weeks after birth with heavier bleeding: urgent, now, the GP or the urgent line",
        3,
        answers={
            **WOMAN,
            "pregnant": False,
            "postpartum": False,
            "weeks_since_birth": 10,
            S: ["pregnancy_bleeding"],
        },
        tier=U,
        within="now",
        route="gp",
        sheet=("generic", ["GP"]),
    ),
    r(
        "R1-clot-weeks-since-birth",
        "One calf 9 weeks after birth (postpartum false): urgent today, the clot words, no calf rubbing",
        3,
        answers={
            **WOMAN,
            "pregnant": False,
            "postpartum": False,
            "weeks_since_birth": 9,
            "sides": "one",
        },
        tier=U,
        within="today",
        consider=["dvt"],
        absent=["calf_massage"],
        actions=["rub_muscle"],
        said=[
            "This raises the chance of a blood clot. Get it checked today, so a scan can rule a clot out."
        ],
    ),
    r(
        "R1-clot-surgery-ward",
        "One calf after an operation: urgent today, and the ward or team that did the operation is named",
        3,
        answers={C: ["recent_surgery_or_bed_rest"]},
        tier=U,
        said=["ward or team that did your operation"],
    ),
    r(
        "R1-clot-pregnant-past-clot",
        "One calf in pregnancy with a past clot: urgent today",
        3,
        answers={**PREGNANT, C: ["previous_clot"]},
        tier=U,
        within="today",
        consider=["dvt"],
        absent=["calf_massage"],
    ),
    r(
        "R1-clot-not-sure-past-clot",
        "One calf, maybe pregnant (counts as pregnant), with a past clot: urgent today",
        3,
        answers={**WOMAN, "pregnant": "not_sure", C: ["previous_clot"]},
        tier=U,
        within="today",
        consider=["dvt"],
    ),
    r(
        "R1-clot-pregnant-cancer",
        "One calf in pregnancy with active cancer: urgent today",
        3,
        answers={**PREGNANT, C: ["active_cancer"]},
        tier=U,
        within="today",
    ),
    r(
        "R1-clot-both-legs-after-birth",
        "Cramps in both legs after birth are not the one-calf clot rule: self-care",
        3,
        answers={**POSTPARTUM, "sides": "both"},
        tier=SC,
    ),
    r(
        "R1-clot-thigh-surgery",
        "One thigh (not the calf) after an operation is not the one-calf clot rule",
        3,
        answers={C: ["recent_surgery_or_bed_rest"], "locations": ["thigh_front"]},
        no_reasons=["recent_clot_risk_one_calf"],
    ),
    r(
        "R1-child-limp",
        "Under 18 with a limp: urgent today; a hip or bone problem that needs an X-ray",
        3,
        answers={"age": 13, S: ["limp"]},
        tier=U,
        within="today",
        consider=["bone_or_hip_problem"],
        sheet=("generic", ["parent or carer", "x-ray"]),
    ),
    r(
        "R1-child-fever",
        "Under 18 with a fever: urgent today; a hip or bone problem that needs an X-ray",
        3,
        answers={"age": 17, S: ["fever"]},
        tier=U,
        within="today",
        consider=["bone_or_hip_problem"],
    ),
    r(
        "R1-adult-fever",
        "A fever with leg pain is urgent at any age",
        3,
        answers={"age": 40, S: ["fever"]},
        tier=U,
    ),
    r(
        "R1-child-bone-pain",
        "Under 18, pain in one spot or in the bone: soon, within 2 days, an X-ray may be needed",
        3,
        answers={"age": 12, S: ["bone_pain_one_spot"]},
        tier=SN,
        within="2_days",
        consider=["bone_or_hip_problem"],
        sheet=("generic", ["within 2 days", "x-ray", "parent or carer"]),
    ),
    r(
        "R1-child-lump",
        "Under 18, a lump or swelling: soon, within 2 days",
        3,
        answers={"age": 15, S: ["lump_or_swelling"], "sides": "both"},
        tier=SN,
        within="2_days",
    ),
    r(
        "R1-child-day-night-one-leg",
        "Under 18, pain in one leg in the day as well as at night: soon, within 2 days",
        3,
        answers={"age": 14, S: ["day_and_night_pain"]},
        tier=SN,
        within="2_days",
    ),
    r(
        "R1-child-day-night-both-legs",
        "Under 18, day-and-night pain in both legs is not the 2-day rule, and not growing pains",
        3,
        answers={"age": 14, S: ["day_and_night_pain"], "sides": "both"},
        no_reasons=["child_bone_signs"],
        not_on_sheet=["growing pains"],
    ),
    r(
        "R1-adult-child-item",
        "18 or over with a child-screen item in a file: soon (within 2 weeks)",
        3,
        answers={"age": 30, S: ["lump_or_swelling"]},
        tier=SN,
        within="2_weeks",
    ),
    r(
        "R1-adult-bone-pain",
        "18 or over with pain in one spot or in the bone in a file: soon (within 2 weeks)",
        3,
        answers={"age": 50, S: ["bone_pain_one_spot"]},
        tier=SN,
        within="2_weeks",
    ),
    r(
        "R1-adult-day-night",
        "18 or over with pain in the day as well as at night in a file: soon",
        3,
        answers={"age": 25, S: ["day_and_night_pain"]},
        tier=SN,
    ),
    r(
        "R1-adult-limp",
        "18 or over with a limp: soon, not urgent",
        3,
        answers={"age": 18, S: ["limp"]},
        tier=SN,
    ),
    r(
        "R1-growing-pains",
        "Under 18, both legs, at night, none of the child signs: self-care, growing pains named, and the parent or carer line",
        3,
        answers={"age": 12, "sides": "both"},
        tier=SC,
        consider=["growing_pains"],
        sheet=("generic", ["growing pains", "parent or carer"]),
    ),
    r(
        "R1-growing-pains-evening",
        "Under 18, both legs, in the evening at rest, none of the child signs: growing pains named",
        3,
        answers={"age": 13, "sides": "both", "timing": ["rest"]},
        tier=SC,
        consider=["growing_pains"],
    ),
    r(
        "R1-growing-pains-not-checked",
        "Under 18, both legs, at night, with the warning signs not answered: not called growing pains",
        3,
        answers={"age": 12, "sides": "both"},
        without=[S],
        not_on_sheet=["growing pains"],
    ),
    r(
        "R1-growing-pains-one-leg",
        "Under 18, one leg: not growing pains",
        3,
        answers={"age": 12},
        not_on_sheet=["growing pains"],
    ),
    r(
        "R1-adult-both-legs",
        "18 or over, both legs at night: not growing pains",
        3,
        answers={"age": 18, "sides": "both"},
        not_on_sheet=["growing pains"],
    ),
    r(
        "R1-parent-line-soon",
        "Under 18 on a soon sheet: the parent or carer line, book the visit together",
        3,
        answers={"age": 16, "frequency": "most_days"},
        tier=SN,
        sheet=("generic", ["parent or carer, and book the visit together"]),
    ),
    r(
        "R1-parent-line-urgent",
        "Under 18 on an urgent sheet: show this to a parent or carer now",
        3,
        answers={"age": 16, S: ["one_leg_swollen"]},
        tier=U,
        sheet=("generic", ["show this to a parent or carer now"]),
    ),
    r(
        "R1-parent-line-adult",
        "18 or over: no parent or carer line",
        3,
        answers={"age": 18, "frequency": "most_days"},
        not_on_sheet=["parent or carer"],
    ),
    r(
        "R1-early-stop-rerun",
        "The early-stop sheet says the person can run the questionnaire again later for cramp advice; no cramp advice, no blood tests",
        3,
        answers={**PREGNANT, S: ["pregnancy_tightenings"]},
        no_remedies=True,
        no_blood_tests=True,
        sheet=("generic", ["run this again"]),
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
        ("pregnant", "postpartum", "pregnancy_warning_signs", "pregnancy_emergency"),
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
    *[
        Question(
            f"Q-began-{m}",
            f"Asked whether cramps began with a medicine after {m} (rev 3: a medicine not checked)",
            {M: [m]},
            ("cramps_began_with_medicine",),
            rev=3,
        )
        for m in ("another_medicine", "not_sure_which")
    ],
    Question(
        "Q-began-none",
        "Not asked without a linked medicine",
        {M: ["ace_inhibitor_or_arb"]},
        (),
        ("cramps_began_with_medicine",),
        rev=2,
    ),
    # rev 3: the questions the safety table's answers need
    *[
        Question(
            f"Q-long-event-after-{v}",
            f"Asked at once about a long event with a lot of drinking, after {v}",
            {S: [v]},
            ("endurance_overdrinking",),
            rev=3,
        )
        for v in ("heat_exertion", "heavy_sweating", "vomiting_or_diarrhoea")
    ],
    Question(
        "Q-long-event-not",
        "Not asked without heat, heavy sweating or vomiting",
        {},
        (),
        ("endurance_overdrinking",),
        rev=3,
    ),
    # rev 3 ("Question order and early stop"): who is answering, the new emergency items, and the
    # follow-ups asked at once
    Question(
        "Q-answering-for", "Who is answering: asked of everyone", {}, ("answering_for",), rev=3
    ),
    Question(
        "Q-emergency-screen",
        "The new emergency items are asked of everyone",
        {},
        ("new_confusion", "both_legs_worsening", "bladder_bowel_saddle"),
        rev=3,
    ),
    Question(
        "Q-dark-urine-causes",
        "After dark urine, its causes at once: unusual exertion, aches or weakness, a fall",
        {S: ["dark_urine"]},
        ("unusual_exertion", "muscle_ache_or_weakness", "recent_fall"),
        rev=3,
    ),
    Question(
        "Q-dark-urine-causes-not",
        "Unusual exertion is asked only after dark urine",
        {},
        (),
        ("unusual_exertion",),
        rev=3,
    ),
    Question(
        "Q-tetanus-after-wound",
        "After a dirty wound, tetanus signs at once",
        {S: ["dirty_wound"]},
        ("tetanus_signs",),
        rev=3,
    ),
    Question("Q-tetanus-not", "Not asked without a dirty wound", {}, (), ("tetanus_signs",), rev=3),
    *[
        Question(
            f"Q-pregnancy-emergency-{name}",
            f"The pregnancy emergency item is asked: {name.replace('-', ' ')}",
            {**WOMAN, **changes},
            ("pregnancy_emergency",),
            rev=3,
        )
        for name, changes in (
            ("pregnant", {"pregnant": True, "pregnancy_weeks": 7}),
            ("not-sure", {"pregnant": "not_sure"}),
            ("after-birth", {"pregnant": False, "postpartum": True}),
        )
    ],
    Question(
        "Q-pregnancy-emergency-not",
        "Not asked when neither pregnant nor after a birth",
        {**WOMAN, "pregnant": False, "postpartum": False},
        (),
        ("pregnancy_emergency",),
        rev=3,
    ),
    Question(
        "Q-vomiting-sweating",
        "Vomiting or diarrhoea and heavy sweating are asked of everyone, separately",
        {},
        ("vomiting_or_diarrhoea", "heavy_sweating"),
        rev=3,
    ),
    *[
        Question(
            f"Q-weight-after-{v}",
            f"Asked whether the leg bears weight, after a {v}",
            {S: [v]},
            ("can_bear_weight",),
            rev=3,
        )
        for v in ("recent_injury", "recent_fall")
    ],
    Question(
        "Q-weight-not", "Not asked without an injury or fall", {}, (), ("can_bear_weight",), rev=3
    ),
    *[
        Question(
            f"Q-breastfeeding-{sex}-{age}-{pregnant}",
            "Breastfeeding asked when sex is not male, age 12-55, not pregnant (or not sure)",
            {"sex": sex, "age": age, "pregnant": pregnant},
            ("breastfeeding", "postpartum"),
            rev=3,
        )
        for sex, age, pregnant in (
            ("female", 12, False),
            ("other", 55, False),
            ("female", 30, "not_sure"),
        )
    ],
    Question(
        "Q-breastfeeding-not-pregnant",
        "Not asked in pregnancy",
        {**PREGNANT},
        (),
        ("breastfeeding",),
        rev=3,
    ),
    Question(
        "Q-mobility",
        "Mobility and living asked of everyone",
        {},
        ("mobility", "lives_alone"),
        rev=3,
    ),
    Question(
        "Q-statin-aches",
        "Statin users are asked about aches between cramps",
        {M: ["statin"]},
        ("muscle_ache_or_weakness",),
        rev=2,
    ),
    # issue 20: the pregnancy and children's questions ("Question order", steps 4 and 7)
    Question(
        "Q-R1-bleeding",
        "Bleeding is asked in the pregnancy emergency step, in pregnancy and after a birth",
        {**POSTPARTUM},
        ("pregnancy_bleeding",),
        rev=3,
    ),
    Question(
        "Q-R1-later-signs",
        "Tightenings and the baby's movements are asked from 20 weeks",
        {**PREGNANT, "pregnancy_weeks": 20},
        ("pregnancy_tightenings", "reduced_movements"),
        rev=3,
    ),
    Question(
        "Q-R1-early-no-later-signs",
        "Tightenings and the baby's movements are not asked under 20 weeks or when not sure",
        {**WOMAN, "pregnant": "not_sure"},
        ("pregnancy_bleeding",),
        ("pregnancy_tightenings", "reduced_movements"),
        rev=3,
    ),
    Question(
        "Q-R1-child-signs",
        "Under 18: limp, fever, pain in one spot or the bone, a lump or swelling, pain day and night",
        {"age": 17},
        ("limp", "fever", "bone_pain_one_spot", "lump_or_swelling", "day_and_night_pain"),
        rev=3,
    ),
    Question(
        "Q-R1-adult-no-child-signs",
        "The child signs are not asked at 18 or over",
        {"age": 18},
        (),
        ("limp", "fever", "bone_pain_one_spot", "lump_or_swelling", "day_and_night_pain"),
        rev=3,
    ),
    # session 7 (issue 20): the questions the policy says come at once, also after "not sure"
    # ("Question order": dark urine, heat or vomiting, a dirty wound, an injury or fall; "Not sure":
    # a sign not sure of counts as yes), tummy pain in pregnancy, and which medicine
    *[
        Question(
            f"Q3-dark-urine-{how}",
            "Dark urine (or not sure): its causes and a statin asked at once",
            person,
            ("dark_urine_causes", "dark_urine_statin", "unusual_exertion"),
            rev=3,
        )
        for how, person in (
            ("ticked", {S: ["dark_urine"]}),
            ("not-sure", {S: [], "symptoms_not_sure": ["dark_urine"]}),
        )
    ],
    *[
        Question(
            f"Q3-long-event-{sign}-{how}",
            "Heat, heavy sweating or vomiting (or not sure): a long event with a lot of drinking",
            {S: [sign]} if how == "ticked" else {S: [], "symptoms_not_sure": [sign]},
            ("endurance_overdrinking",),
            rev=3,
        )
        for sign in ("heat_exertion", "heavy_sweating", "vomiting_or_diarrhoea")
        for how in ("ticked", "not-sure")
    ],
    Question(
        "Q3-tetanus-not-sure",
        "Not sure about a dirty wound: the tetanus signs asked at once",
        {S: [], "symptoms_not_sure": ["dirty_wound"]},
        ("tetanus_signs",),
        rev=3,
    ),
    *[
        Question(
            f"Q3-bear-weight-{sign}-{how}",
            "After an injury or a fall (or not sure): can you put weight on the leg",
            {S: [sign]} if how == "ticked" else {S: [], "symptoms_not_sure": [sign]},
            ("can_bear_weight",),
            rev=3,
        )
        for sign in ("recent_injury", "recent_fall")
        for how in ("ticked", "not-sure")
    ],
    *[
        Question(
            f"Q3-tummy-pain-pregnant-{how}",
            "Pregnant, or not sure: tummy pain or belly cramps asked (any weeks)",
            {**WOMAN, "pregnant": how, **({"pregnancy_weeks": 8} if how is True else {})},
            ("pregnancy_belly_pain",),
            rev=3,
        )
        for how in (True, "not_sure")
    ],
    Question(
        "Q3-tummy-pain-not-pregnant",
        "Not pregnant: no pregnancy tummy-pain question",
        {**WOMAN, "pregnant": False},
        (),
        ("pregnancy_belly_pain",),
        rev=3,
    ),
    *[
        Question(
            f"Q3-which-medicine-{how}",
            "Cramps began (or may have begun) with a medicine, two linked ones: which one",
            {M: ["statin", "thiazide_diuretic"], "cramps_began_with_medicine": how},
            ("cramps_began_with",),
            rev=3,
        )
        for how in (True, "not_sure")
    ],
]


# ---- the safety table (policy revision 3, "The safety table") -----------------------------------
# Transcribed from the policy's own table, never from rules/: the columns in the policy's order
# (id, the policy's heading), and each action's 22 cells in that order.
POLICY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("possible_clot", "possible clot"),
    ("possible_broken_bone", "possible broken bone"),
    ("recent_injury", "recent leg injury or fall (first 72 h)"),
    ("dialysis", "dialysis"),
    ("kidney_disease", "kidney disease"),
    ("liver_disease", "liver disease"),
    ("heart_failure_or_low_salt", "heart failure or low-salt diet"),
    ("potassium_keeping", "potassium-keeping medicines"),
    ("water_tablet", "water tablet"),
    ("lithium", "lithium"),
    ("anticoagulant", "anticoagulant"),
    ("pregnancy", "pregnancy"),
    ("after_birth", "after birth (12 weeks)"),
    ("diabetes_or_signs", "diabetes or its signs"),
    ("numb_feet", "neuropathy or numb feet"),
    ("leg_arteries", "narrowed leg arteries, rest pain or claudication"),
    ("heat_exertion", "heat exertion"),
    ("long_event_drinking", "long event, drank a lot"),
    ("frail", "age 80+ or frail"),
    ("age_65", "age 65+"),
    ("under_18", "under 18"),
    ("not_reported", "conditions or medicines not reported or not sure"),
)
POLICY_CELLS: dict[str, tuple[str, ...]] = {
    "stretch_sitting": (
        "ok",
        "withhold: Moving a leg that may be broken can hurt it more.",
        "caution: Stretch a hurt leg only gently. Stop if it hurts more.",
        "caution: In a session, tell the nurse at once.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Pull gently. Soreness the next day is normal.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
    ),
    "stand_to_stretch": (
        "ok",
        "withhold: Do not put weight on a leg that may be broken.",
        "withhold: Do not lean your weight on a newly hurt leg for 3 days.",
        "caution: Not straight after a session. Hold on to something.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Hold on to a wall or chair.",
        "ok",
        "ok",
        "caution: Hold on to something firm: numb feet upset balance.",
        "ok",
        "caution: Get down to flat, safe ground first.",
        "ok",
        "withhold: You could fall. Stretch sitting down instead.",
        "caution: Hold on to something firm.",
        "ok",
        "ok",
    ),
    "stand_one_leg": (
        "ok",
        "withhold: Do not put weight on a leg that may be broken.",
        "withhold: Do not stand on a newly hurt leg for 3 days.",
        "caution: Not straight after a session. Hold on to something.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Hold on firmly: a fall is worse on a blood thinner.",
        "caution: Hold on to a wall or chair with both hands.",
        "ok",
        "ok",
        "withhold: Numb feet make it easy to lose your balance.",
        "ok",
        "caution: Get down to flat, safe ground first.",
        "caution: Hold on to something: you may feel dizzy.",
        "withhold: You could fall.",
        "withhold: You could fall.",
        "ok",
        "ok",
    ),
    "walk_in_dark": (
        "ok",
        "withhold: Do not walk on a leg that may be broken.",
        "withhold: Rest a newly hurt leg for the first 3 days.",
        "caution: In a session, tell the nurse. After it, sit first if you feel faint.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Turn a light on: a fall is worse on a blood thinner.",
        "caution: Turn a light on and hold on to something.",
        "ok",
        "ok",
        "caution: Put shoes or slippers on, and turn a light on.",
        "ok",
        "withhold: After heat cramps or heavy sweating, stop and rest somewhere cool.",
        "caution: Walk slowly. Sit down if you feel dizzy or sick.",
        "withhold: You could fall.",
        "withhold: You could fall, most of all in the dark.",
        "ok",
        "ok",
    ),
    "rub_muscle": (
        "withhold: Not safe when there could be a clot.",
        "withhold: Do not rub a leg that may be broken.",
        "withhold: Rubbing a newly hurt leg adds to bleeding and swelling.",
        "ok",
        "ok",
        "caution: Rub gently: you may bruise easily.",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Rub gently. Tell your doctor about new bruises or swelling.",
        "ok",
        "caution: Do not rub if the calf is swollen, red, warm or sore.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
    ),
    "knead_firmly": (
        "withhold: Not safe when there could be a clot.",
        "withhold: Not on a leg that may be broken.",
        "withhold: Not on a newly hurt leg for 3 days.",
        "ok",
        "ok",
        "withhold: You may bruise easily. Rub gently instead.",
        "ok",
        "ok",
        "ok",
        "ok",
        "withhold: Firm pressing can cause bleeding under the skin on a blood thinner.",
        "ok",
        "withhold: Your clot risk is higher after birth. Rub gently instead.",
        "ok",
        "caution: Press gently: numb skin can bruise without you feeling it.",
        "withhold: Firm squeezing can harm a leg with poor blood flow.",
        "ok",
        "ok",
        "caution: Press gently: skin bruises easily.",
        "ok",
        "ok",
        "caution: Press gently if you take a blood thinner.",
    ),
    "press_points": (
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Press gently, never firmly.",
        "withhold: Some points are said to start labour, and none is shown to help.",
        "ok",
        "ok",
        "caution: Press gently, and check your skin after.",
        "caution: Press gently.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
    ),
    # Clinical review of issue 19 (H2), the policy rev 3 addendum: the hand and arm points
    # (SI3, LU7) are pressed where a dialysis fistula or line may be.
    "press_arm_points": (
        "ok",
        "ok",
        "ok",
        "withhold: Pressing on the arm can harm your fistula or line.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
    ),
    "rub_soles": (
        "ok",
        "ok",
        "caution: Not on a hurt foot.",
        "caution: Rub gently, and check your feet after.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Rub gently.",
        "ok",
        "ok",
        "caution: Rub gently, and check your feet for sore spots after.",
        "caution: Rub gently, and check your feet for sore spots after.",
        "caution: Rub gently, and check your feet after.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
    ),
    "heat_on_skin": (
        "ok",
        "withhold: Not on a leg that may be broken.",
        "withhold: Heat in the first 3 days adds to bleeding and swelling.",
        "withhold: On dialysis, skin on the legs burns and heals badly. Keep your legs warm with socks and warm clothes instead.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Warm, not hot.",
        "ok",
        "withhold: With diabetes or signs of it, warmth on the skin can burn it without you feeling it. Keep your legs warm with socks and warm clothes instead.",
        "withhold: Numb skin can burn without you feeling it. Keep your legs warm with socks and warm clothes instead.",
        "withhold: Skin with poor blood flow burns easily. Keep your legs warm with socks and warm clothes instead.",
        "withhold: After heat cramps or heavy sweating, cool down instead.",
        "ok",
        "caution: Test it on your elbow first.",
        "ok",
        "ok",
        "caution: If you have diabetes or numb feet, test it on your elbow first.",
    ),
    "heating_pad": (
        "ok",
        "withhold: Not on a leg that may be broken.",
        "withhold: Heat in the first 3 days adds to bleeding and swelling.",
        "withhold: On dialysis, skin on the legs and feet burns and heals badly.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Warm, not hot. Wrap it in a towel.",
        "ok",
        "withhold: With diabetes or signs of it, heat pads can burn legs and feet without you feeling it.",
        "withhold: Numb skin can burn without you feeling it.",
        "withhold: Skin with poor blood flow burns easily.",
        "withhold: After heat cramps or heavy sweating, cool down instead.",
        "ok",
        "caution: Wrap it in a towel, and never sleep with it on.",
        "caution: Wrap it in a towel, and never sleep with it on.",
        "caution: Wrap it in a towel.",
        "caution: Not if you have diabetes, numb feet or poor blood flow.",
    ),
    "warm_shower_or_bath": (
        "ok",
        "withhold: Do not try to get into a shower or bath. Keep still.",
        "withhold: Heat in the first 3 days adds to bleeding and swelling.",
        "withhold: On dialysis, skin burns and heals badly, and your line must stay dry.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Warm, not hot. No hot tubs or saunas.",
        "ok",
        "withhold: With diabetes or signs of it, hot water can burn your legs and feet without you feeling it.",
        "withhold: Hot water can burn numb feet without you feeling it.",
        "withhold: Skin with poor blood flow burns easily in hot water.",
        "withhold: After heat cramps or heavy sweating, cool down instead.",
        "ok",
        "withhold: Getting into a shower or bath at night is a common way to fall.",
        "caution: Turn a light on, and hold on to something firm.",
        "ok",
        "caution: Test the water with your elbow first.",
    ),
    "hot_soak": (
        "ok",
        "withhold: Not until the leg has been checked.",
        "withhold: Heat in the first 3 days adds to bleeding and swelling.",
        "withhold: On dialysis, foot skin burns and heals badly.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Warm, not hot. No hot tubs or saunas.",
        "ok",
        "withhold: With diabetes or signs of it, do not soak your feet: skin can burn or crack.",
        "withhold: Numb feet can burn without you feeling it.",
        "withhold: Feet with poor blood flow burn easily.",
        "withhold: After heat cramps or heavy sweating, cool down instead.",
        "ok",
        "caution: Sit to soak, and dry your feet before you stand.",
        "caution: Warm, never hot. Test it with your elbow first.",
        "ok",
        "caution: Not if you have diabetes, numb feet or poor blood flow.",
    ),
    "epsom_on_skin": (
        "ok",
        "ok",
        "ok",
        "caution: Ask your dialysis team first. Never drink Epsom salt.",
        "caution: Ask your kidney team first. Never drink Epsom salt.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: If you have kidney disease, ask your kidney team first.",
    ),
    "bedding": (
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "withhold: After heat cramps or heavy sweating, cool down first.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
    ),
    "raise_leg": (
        "ok",
        "withhold: Do not move a leg that may be broken. Keep it still.",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Sit up to do it if lying flat makes you breathless.",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Sit back or lie on your side. Do not lie flat on your back.",
        "ok",
        "ok",
        "ok",
        "withhold: Raising the leg lowers blood flow to the foot and can bring on pain.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Not if your foot hurts at night and eases when it hangs down.",
    ),
    "ice_pack": (
        "ok",
        "caution: Only if you can put it on without moving the leg.",
        "ok",
        "caution: Wrap it, 20 minutes at most, and check your skin after.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Wrap it, 20 minutes at most, and check your skin after.",
        "caution: Wrap it, 20 minutes at most: numb skin can get cold burns.",
        "withhold: Cold lowers blood flow in a leg with narrowed arteries.",
        "ok",
        "ok",
        "caution: Wrap it, and check your skin after.",
        "ok",
        "ok",
        "caution: Wrap it, 20 minutes at most, and check your skin after.",
    ),
    "cool_down": (
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
    ),
    "drink_more_water": (
        "ok",
        "ok",
        "ok",
        "withhold: On dialysis, drink only as much as your dialysis team allows.",
        "caution: If your kidney team limits your drinks, follow that.",
        "caution: If your doctor limits your drinks, follow that.",
        "caution: If your doctor limits your drinks, follow that.",
        "ok",
        "caution: Drink to thirst. Too much water can lower your salt level.",
        # the clinical review of the rev 3 medicine rows (docs/policy.md, H2): and more to replace
        # what is lost, which the revision 3 cell left out
        "caution: Drink about the same each day, and more to make up for heavy sweating, being"
        " sick or diarrhoea: losing water raises your lithium level.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: After heavy sweating, have salts too, not plain water alone.",
        "withhold: You may already have too much water in your body. More can be dangerous.",
        "caution: Drink more earlier in the day, less in the 2 hours before bed.",
        "caution: Drink more earlier in the day, less in the 2 hours before bed.",
        "ok",
        "caution: If a doctor limits how much you drink, follow that.",
    ),
    "salty_drink": (
        "ok",
        "ok",
        "ok",
        "withhold: They add salt and fluid, which your dialysis team limits.",
        "caution: Ask your kidney team first: many have salt and potassium.",
        "caution: Ask your liver team first if you are on a low-salt diet.",
        "withhold: These have salt, and you have heart failure or a low-salt diet.",
        "caution: Choose one without added potassium, or ask your pharmacist.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Choose a sugar-free one, or oral rehydration salts.",
        "ok",
        "ok",
        "ok",
        "caution: A salty snack is fine. Do not drink more, not even sports drinks.",
        "ok",
        "ok",
        "ok",
        "caution: Not if you have heart failure, kidney disease or a low-salt diet.",
    ),
    "drink_sugar": (
        "ok",
        "ok",
        "ok",
        "withhold: It adds fluid your dialysis team limits.",
        "ok",
        "ok",
        "caution: Count it in your fluid limit, if you have one.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "withhold: It raises blood sugar, and it has not been shown to help cramps.",
        "ok",
        "ok",
        "ok",
        "withhold: Do not drink more for now.",
        "ok",
        "ok",
        "ok",
        "caution: Not if you have diabetes.",
    ),
    "paracetamol": (
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Ask a pharmacist for the right dose for you.",
        "caution: Do not use the fizzy kind: it has a lot of salt.",
        "ok",
        "ok",
        "ok",
        "caution: Fine now and then. If you take it daily, tell your anticoagulant clinic.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: If you weigh under 50 kg, ask a pharmacist for the right dose.",
        "ok",
        "caution: Take the dose on the pack for your age.",
        "ok",
    ),
    "potassium_foods": (
        "ok",
        "ok",
        "ok",
        "withhold: On dialysis, potassium can build up to harmful levels.",
        "withhold: With kidney disease, potassium can build up to harmful levels.",
        "caution: Ask your liver team first.",
        "ok",
        "withhold: Your medicines keep potassium in your body. More can reach harmful levels.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Ask a pharmacist first if you take heart or blood pressure tablets.",
    ),
    "magnesium_foods": (
        "ok",
        "ok",
        "ok",
        "withhold: These foods are high in potassium and phosphate, which dialysis diets limit.",
        "caution: Ask your kidney team or dietitian first: many are high in potassium.",
        "ok",
        "ok",
        "withhold: Many of these foods are high in potassium, which your medicines keep in.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Ask first if you have kidney disease.",
    ),
    "mineral_supplement": (
        "ok",
        "ok",
        "ok",
        "withhold: On dialysis, magnesium or potassium can build up to harmful levels.",
        "withhold: With kidney disease, magnesium or potassium can build up to harmful levels.",
        "withhold: Take them only if your liver team agrees.",
        "caution: Ask your heart team first.",
        "withhold: Potassium tablets with your medicines can raise potassium to harmful levels.",
        "caution: Ask your doctor about a blood test for your salts instead.",
        "ok",
        "ok",
        "withhold: In pregnancy, take them only if your midwife or doctor says so.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "withhold: Not for children and teenagers unless a doctor advises it.",
        "withhold: We could not check your medicines or health. Ask a pharmacist first.",
    ),
    "cut_alcohol_caffeine": (
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Your GP can help you cut down. If you drink daily, do not stop suddenly.",
        "ok",
        "ok",
        "ok",
        "caution: Keep your coffee and tea about the same each day.",
        "ok",
        "caution: Do not drink alcohol. Keep to 2 mugs of coffee a day or less.",
        "caution: If you breastfeed, keep alcohol low.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Go easy on cola and energy drinks.",
        "ok",
    ),
    "warm_up": (
        "withhold: Get checked for a clot before you exercise hard.",
        "withhold: Not until the leg has been checked.",
        "withhold: No running or hard exercise on a hurt leg for 3 days.",
        "ok",
        "ok",
        "ok",
        "caution: Follow the exercise plan your heart team gave you.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: In hot weather, build up over 1 to 2 weeks, and rest in the shade.",
        "caution: Next time, drink to thirst during long events.",
        "caution: Gentle exercise only, with your walking aid or someone nearby.",
        "ok",
        "ok",
        "ok",
    ),
    "stay_active": (
        "ok",
        "withhold: Do not walk on a leg that may be broken.",
        "withhold: Rest the hurt leg for the first 3 days.",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "ok",
        "caution: Walk with your usual aid, and with someone if you can.",
        "ok",
        "ok",
        "ok",
    ),
    "anti_inflammatory_painkiller": (
        "caution: Use paracetamol until you have been checked.",
        "caution: Use paracetamol until you have been checked.",
        "caution: Wait 2 days after an injury before taking ibuprofen.",
        "withhold: They can harm your kidneys.",
        "withhold: They can harm your kidneys. Use paracetamol.",
        "withhold: With liver disease or heavy drinking they can cause bleeding.",
        "withhold: They can make heart failure and blood pressure worse.",
        "withhold: With your medicines they can harm your kidneys and raise potassium.",
        "caution: With a water tablet they can harm the kidneys. Ask a pharmacist.",
        "withhold: They can raise your lithium to a harmful level.",
        "withhold: With a blood thinner they raise the risk of serious bleeding.",
        "withhold: Not in pregnancy unless your doctor says so. Use paracetamol.",
        "caution: If you breastfeed, ibuprofen is fine, but avoid aspirin.",
        "ok",
        "ok",
        "ok",
        "caution: Not while you are dehydrated: they can harm the kidneys.",
        "withhold: They make low salt after long events more likely.",
        "caution: Ask a pharmacist first: they can upset the stomach and kidneys.",
        "caution: Ask a pharmacist first: they can upset the stomach and kidneys.",
        "caution: Only the dose on the pack for your age. No aspirin under 16.",
        "caution: Ask a pharmacist first if you take other medicines.",
    ),
    "tonic_water": (
        "withhold: Quinine can cause serious blood problems, and tonic water has too little to help.",
        "withhold: Quinine can cause serious blood problems, and tonic water has too little to help.",
        "withhold: Quinine can cause serious blood problems, and tonic water has too little to help.",
        "withhold: Quinine builds up with kidney disease and can cause serious blood problems.",
        "withhold: Quinine builds up with kidney disease and can cause serious blood problems.",
        "withhold: Quinine can cause serious blood problems, and tonic water has too little to help.",
        "withhold: Quinine can cause serious blood problems, and tonic water has too little to help.",
        "withhold: Quinine can cause serious blood problems, and tonic water has too little to help.",
        "withhold: Quinine can cause serious blood problems, and tonic water has too little to help.",
        "withhold: Quinine can cause serious blood problems, and tonic water has too little to help.",
        "withhold: Quinine can change how your blood thinner works and cause bleeding.",
        "withhold: Quinine is not safe in pregnancy.",
        "withhold: Quinine can cause serious blood problems, and tonic water has too little to help.",
        "withhold: Quinine can cause serious blood problems, and tonic water has too little to help.",
        "withhold: Quinine can cause serious blood problems, and tonic water has too little to help.",
        "withhold: Quinine can cause serious blood problems, and tonic water has too little to help.",
        "withhold: Quinine can cause serious blood problems, and tonic water has too little to help.",
        "withhold: Quinine can cause serious blood problems, and tonic water has too little to help.",
        "withhold: Quinine can cause serious blood problems, and tonic water has too little to help.",
        "withhold: Quinine can cause serious blood problems, and tonic water has too little to help.",
        "withhold: Not for children or teenagers: it can cause serious blood problems.",
        "withhold: Quinine can cause serious blood problems, and tonic water has too little to help.",
    ),
}


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
        result = triage.decide(answers)
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
    if row.within:
        need("within", result["act_within"] == row.within, f"act_within {result['act_within']}")
    if row.route:
        need("route", result["route"] == row.route, f"route {result['route']}")
    for test in row.blood_tests:
        need(f"blood-test:{test}", test in result["blood_tests"], f"{result['blood_tests']}")
    if row.no_blood_tests:
        need("no-blood-tests", result["blood_tests"] == [], f"{result['blood_tests']}")
    texts = [n["text"].lower() for n in result["warnings"] + result["reasons"]]
    for words in row.said:
        need(
            f"said:{words}", any(words.lower() in t for t in texts), "not in any warning or reason"
        )
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
        before = triage.decide(triage.contract.check(row.baseline or base()))
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
    for cid in row.no_consider:
        need(
            f"no-consider:{cid}",
            cid not in consider,
            f"{cid} named under 'this may not be a cramp'",
        )
    named = [c["text"].lower() for c in result["consider"]]
    for words in row.consider_said:
        need(f"consider-said:{words}", any(words.lower() in t for t in named), f"not in {named}")
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
    for key in row.not_reported:
        need(
            f"not-reported:{key}",
            key in result["not_reported"],
            f"{key} not in not_reported {result['not_reported']}",
        )
    found = [(i["key"], i["value"]) for i in result["inferred"]]
    for key, value in row.inferred:
        need(f"inferred:{key}:{value}", (key, value) in found, f"not inferred; inferred {found}")
    given = [reason["rule"] for reason in result["reasons"]]
    for rule in row.no_reasons:
        need(f"no-reason:{rule}", rule not in given, f"the reason {rule} is given")
    for rule in row.reasons:
        need(f"reason:{rule}", rule in given, f"the reason {rule} is not given: {given}")
    if row.not_on_sheet:
        country = row.sheet[0] if row.sheet else "generic"
        sheet = _fold(triage.sheet(triage.evaluate(answers, country), answers, "text"))
        for text in row.not_on_sheet:
            need(
                f"not-on-sheet:{text}",
                re.search(rf"(?<![\w-]){re.escape(text)}(?![\w-])", sheet, re.I) is None,
                f"the {country} sheet says {text!r}",
            )
    return fails


def asked(triage: Any, person: Mapping[str, Any]) -> set[str]:
    """Contract keys asked, and choice values offered, when this person answers the real questionnaire."""
    from triage.interview import Interview
    from triage.model import NOT_SURE

    seen: set[str] = set()
    answers = base(**person)
    unsure = set(answers.get("symptoms_not_sure", ()))

    def ask(q: Any, default: Any) -> Any:
        seen.update((q.id, q.key))  # rev 3: a question by its id too (the not-sure follow-ups)
        seen.update(str(c.value) for c in q.choices)
        if q.type == "checkbox":
            mine = [c.value for c in q.choices if c.value in answers.get(q.key, [])]
            # rev 3: "I'm not sure about one of these" when the person is not sure of one
            if q.not_sure and unsure & {c.value for c in q.choices}:
                mine.append(NOT_SURE)
            return mine
        if q.type == "confirm" or (q.type == "select" and False in [c.value for c in q.choices]):
            return answers.get(q.key, False)  # a yes/no (with "not sure") not given: no
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


# What each action of the table looks like in the words of a remedy step (a whole step, as the
# result gives it), so that the checks below find an action by what a step says, not by what
# rules/ declares. Acupressure points on the leg touch the leg (policy rule 8): LEG_POINTS.
STEP_ADVICE: dict[str, str] = {
    "stretch_sitting": r"^(?!.*\bstand\b).*(\bpull\w*\b[^.]*\b(toes?|heel)\b|\bspread your toes\b"
    r"|\btowel\b[^.]*\bfoot\b|\blean forward\b|\bbend the top knee\b|\bleg straight out\b"
    r"|\bstretch the muscles\b|\bstretch like this\b)",
    "stand_to_stretch": r"\bface a wall\b|\blean\w*\b[^.]*\bwall\b",
    "stand_one_leg": r"\bon one (leg|foot)\b",
    "walk_in_dark": r"\bwalk\w*\b[^.]*\b(around|about)\b|\bwalk on your heels\b",
    "rub_muscle": r"\brub\w*\b[^.]*\b(muscle|calf|thigh|leg)\b|\bsqueez\w*\b[^.]*\bcalf\b",
    "knead_firmly": r"\bknead\w*|\bsqueez\w*\b[^.]*\broll|\bpat it\b|\bpress\w*\b[^.]*\bfirm",
    "press_points": r"\bpress\w*\b[^.]*\b(points?|groove)\b|\bacupressure\b",
    "rub_soles": r"\bsoles?\b",
    "heat_on_skin": r"\bwarm, damp towel\b|\bwarm it with\b",
    "heating_pad": r"\b(heat pad|heating pad|hot water bottle)s?\b",
    "warm_shower_or_bath": r"\b(shower|bath)\b",
    "hot_soak": r"\bsoak\w*\b[^.]*\b(foot|feet)\b|\b(foot|feet)\b[^.]*\bsoak",
    "epsom_on_skin": r"(?<!drink )\bepsom\b|\bmagnesium oil\b",
    "bedding": r"\bblanket\b|\bbed covers\b|\bsheets\b",
    "raise_leg": r"\bpillow\b",
    "ice_pack": r"\bice\b|\bcold pack\b",
    "cool_down": r"\bshade\b|\bsomewhere cool\b",
    # a sports drink is a drink too (clinical review of issue 19: offered to someone who had
    # drunk too much at a long event)
    "drink_more_water": r"\b(drink|sip)\s+(more\s+|cool\s+)?water\b|\bsports drink\b",
    "salty_drink": r"\bsports drink\b|\bsalty\b|\bwater with salts\b|\boral rehydration\b",
    "drink_sugar": r"\bsugar\b(?!-free)",  # a sugar-free drink is not a sugary one
    "paracetamol": r"\bparacetamol\b",
    "potassium_foods": r"\bbananas\b|\bpotatoes\b",
    "magnesium_foods": r"\bnuts\b|\bseeds\b|\bleafy\b",
    "mineral_supplement": r"\b(magnesium|potassium)\b[^.]*\b(tablets?|supplements?|pills?)\b",
    "cut_alcohol_caffeine": r"\b(alcohol|caffeine)\b",
    "warm_up": r"\bwarm up\b|\bbuild up slowly\b",
    "stay_active": r"\bwalk every day\b|\bmove about every hour\b",
}
LEG_POINTS = {
    "BL40",
    "BL57",
    "BL60",
    "GB34",
    "ST36",
    "ST34",
    "BL37",
    "KI1",
    "KI3",
    "LR3",
    "Shimian",
}
SOLE_POINTS = {"KI1", "Shimian"}  # rubbed on the sole (the seeds: "press and rub", "rub")
ARM_POINTS = {"SI3", "LU7"}  # on the hand, wrist or forearm: near a fistula (clinical review H2)


def remedy_actions(text: str, points: Any) -> set[str]:
    """What a step asks for: its words, and the points its remedy presses (rule 8: points on the
    leg touch the leg like a rub; points on the sole rub the sole; points on the hand or arm
    press the arm, clinical review H2)."""
    acts = actions_in(text)
    if LEG_POINTS & set(points):
        acts.add("rub_muscle")
    if SOLE_POINTS & set(points):
        acts.add("rub_soles")
    if ARM_POINTS & set(points) and "press_points" in acts:
        acts.add("press_arm_points")
    return acts


# Policy rules 5, 6, 10: who follows a column only for some rows.
PARTLY = {
    "anticoagulant": ("antiplatelet", ("knead_firmly", "anti_inflammatory_painkiller")),
    "after_birth": ("breastfeeding", ("cut_alcohol_caffeine", "anti_inflammatory_painkiller")),
    "liver_disease": (
        "heavy_alcohol",
        (
            "rub_muscle",
            "knead_firmly",
            "paracetamol",
            "cut_alcohol_caffeine",
            "anti_inflammatory_painkiller",
        ),
    ),
}
MAYBE_PREGNANT = "If you could be pregnant: "


def actions_in(text: str) -> set[str]:
    """The table's actions a step's words ask for."""
    return {a for a, pattern in STEP_ADVICE.items() if re.search(pattern, text, re.I)}


def columns_of(a: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """The columns these answers put a person in, written from the policy's "Who is in each column":
    (column -> the prefix of its reasons, for every row), and (column -> the rows it applies to,
    for rules 5, 6 and 10). "Not sure" and "not reported" count as the policy says."""
    s = set(a.get("symptoms", ())) | set(a.get("symptoms_not_sure", ()))  # rev 3: not sure = yes
    m = set(a.get("medications", ()))
    c = set(a.get("conditions", ()))
    t = set(a.get("timing", ()))
    age, sides = a.get("age"), a.get("sides")
    # rev 3 (contract "Contradictory files"): cramps that began with a medicine, none linked to
    # cramps named, mean a medicine not on the lists (another_medicine)
    began = a.get("cramps_began_with_medicine") in (True, "not_sure")
    if began and not m & {*LINKED_MEDICINES, "another_medicine"}:
        m.add("another_medicine")
    calf_one_side = sides == "one" and "calf" in a.get("locations", ())
    after_birth = "weeks_since_birth" in a or a.get("postpartum") is True
    dialysis = "dialysis" in c or "during_dialysis" in t  # the contract infers dialysis
    injured = bool(s & {"recent_injury", "recent_fall"})
    clot_risk_rule = sides == "one" and (
        bool(m & {"oestrogen", "raloxifene"})
        or (
            calf_one_side
            and (
                after_birth
                or bool(c & {"previous_clot", "active_cancer", "recent_surgery_or_bed_rest"})
            )
        )
    )
    inside = {
        "possible_clot": bool(s & {"one_leg_swollen", "red_warm_skin"})
        or ("calf_pain_between_cramps" in s and sides == "one")
        or clot_risk_rule
        or (a.get("duration") == "over_10_minutes" and sides in ("one", None))
        # a re-check after an urgent sheet, not checked since (absent counts as not sure)
        or (a.get("previous_disposition") == "urgent" and a.get("checked_since") != "checked"),
        "possible_broken_bone": injured
        and (age is None or age >= 65 or a.get("can_bear_weight") in ("unable", "not_sure")),
        "recent_injury": injured,
        "dialysis": dialysis,
        "kidney_disease": "kidney_disease" in c and not dialysis,
        "liver_disease": "liver_disease" in c,
        "heart_failure_or_low_salt": "heart_failure_or_low_salt_diet" in c,
        "potassium_keeping": bool(m & {"potassium_sparing_diuretic", "diuretic_unknown"})
        or ("ace_inhibitor_or_arb" in m and ("kidney_disease" in c or dialysis)),
        "water_tablet": bool(m & set(WATER_TABLETS)),
        "lithium": "lithium" in m,
        "anticoagulant": "anticoagulant" in m,
        "pregnancy": a.get("pregnant") in (True, "not_sure"),
        "after_birth": after_birth,
        "diabetes_or_signs": bool(c & {"diabetes", "prediabetes"}) or "thirst_urination" in s,
        "numb_feet": "neuropathy" in c
        or bool(s & {"numbness_tingling", "new_numbness", "both_legs_worsening"}),
        "leg_arteries": "peripheral_artery_disease" in c
        or bool(s & {"walking_pain_eases_rest", "foot_pain_at_rest"}),
        "heat_exertion": bool(s & {"heat_exertion", "heavy_sweating", "fluid_loss"}),  # rev 3
        "long_event_drinking": "endurance_overdrinking" in s,
        "frail": age is None or age >= 80 or bool(a.get("mobility")),
        "age_65": age is None or age >= 65,
        "under_18": age is not None and age < 18,
        "not_reported": "conditions" not in a
        or "not_sure" in c
        or "medications" not in a
        or bool(m & {"not_sure_which", "another_medicine"}),
    }
    full = {col: "" for col, _ in POLICY_COLUMNS if inside[col]}
    possible = a.get("sex") != "male" and (age is None or age <= 60)
    if "pregnant" not in a and possible and "pregnancy" not in full:  # rule 7
        full["pregnancy"] = MAYBE_PREGNANT
    full = {col: full[col] for col, _ in POLICY_COLUMNS if col in full}  # the policy's order
    partly = {
        col: rows
        for col, (who, rows) in PARTLY.items()
        if col not in full
        and (who in m or who in c or (who == "breastfeeding" and a.get("breastfeeding") is True))
    }
    return full, partly


def verdicts_of(a: Mapping[str, Any]) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """Each action's verdict for these answers: ("withhold", column, (why,)) from the left-most
    withholding column; else ("caution", "", words of every caution, once) or ("ok", "", ())."""
    full, partly = columns_of(a)
    out: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for action, cells in POLICY_CELLS.items():
        cautions: list[str] = []
        verdict: tuple[str, str, tuple[str, ...]] | None = None
        for (col, _), cell in zip(POLICY_COLUMNS, cells, strict=True):
            if col in full:
                prefix = full[col]
            elif action in partly.get(col, ()):
                prefix = ""
            else:
                continue
            kind, _, words = cell.partition(": ")
            if kind == "withhold":
                verdict = ("withhold", col, (prefix + words,))
                break
            if kind == "caution" and prefix + words not in cautions:
                cautions.append(prefix + words)
        out[action] = verdict or (("caution", "", tuple(cautions)) if cautions else ("ok", "", ()))
    return out


# One person in each column (as few other columns as the policy allows), written from the
# column's definition: the ordinary case with one change.
MEMBERS: dict[str, dict[str, Any]] = {
    "possible_clot": {S: ["one_leg_swollen"]},
    "possible_broken_bone": {S: ["recent_injury"], "can_bear_weight": "unable"},
    "recent_injury": {S: ["recent_injury"], "can_bear_weight": "able"},
    "dialysis": {C: ["dialysis"]},
    "kidney_disease": {C: ["kidney_disease"]},
    "liver_disease": {C: ["liver_disease"]},
    "heart_failure_or_low_salt": {C: ["heart_failure_or_low_salt_diet"]},
    "potassium_keeping": {M: ["potassium_sparing_diuretic"]},
    "water_tablet": {M: ["thiazide_diuretic"]},
    "lithium": {M: ["lithium"]},
    "anticoagulant": {M: ["anticoagulant"]},
    "pregnancy": dict(PREGNANT),
    "after_birth": dict(POSTPARTUM),
    "diabetes_or_signs": {C: ["diabetes"]},
    "numb_feet": {C: ["neuropathy"]},
    "leg_arteries": {C: ["peripheral_artery_disease"]},
    "heat_exertion": {S: ["heat_exertion"]},
    "long_event_drinking": {S: ["endurance_overdrinking"]},
    "frail": {"mobility": ["walking_aid"]},
    "age_65": {"age": 70},
    "under_18": {"age": 15},
    "not_reported": {C: None},
}
# The other ways into a column, and the partial ones of rules 5, 6 and 10.
OTHER_WAYS: dict[str, dict[str, Any]] = {
    "maybe-pregnant": {**WOMAN},
    "pregnant-not-sure": {**WOMAN, "pregnant": "not_sure"},
    "age-not-reported": {"age": None},
    "woman-age-not-reported": {"age": None, "sex": "female"},
    "heavy-alcohol": {C: ["heavy_alcohol"]},
    "antiplatelet": {M: ["antiplatelet"]},
    "breastfeeding": {**WOMAN, "pregnant": False, "breastfeeding": True},
    "weeks-after-birth": {
        **WOMAN,
        "pregnant": False,
        "postpartum": False,
        "weeks_since_birth": 10,
        "sides": "both",
    },
    "weeks-after-birth-one-calf": {
        **WOMAN,
        "pregnant": False,
        "postpartum": False,
        "weeks_since_birth": 10,
    },
    "fall-at-70": {"age": 70, S: ["recent_fall"], "can_bear_weight": "painful"},
    "injury-not-sure-weight": {S: ["recent_injury"], "can_bear_weight": "not_sure"},
    "dialysis-by-timing": {"timing": ["night", "during_dialysis"]},
    "kidney-and-dialysis": {C: ["kidney_disease", "dialysis"]},
    "ace-and-kidney": {M: ["ace_inhibitor_or_arb"], C: ["kidney_disease"]},
    "ace-alone": {M: ["ace_inhibitor_or_arb"]},
    "water-tablet-unknown": {M: ["diuretic_unknown"]},
    "thirst": {S: ["thirst_urination"]},
    "rest-pain": {S: ["foot_pain_at_rest"]},
    "fluid-loss": {S: ["fluid_loss"]},  # vomiting, diarrhoea or sweating: counts as sweating
    "heavy-sweating": {S: ["heavy_sweating"]},  # rev 3
    "numbness": {S: ["numbness_tingling"]},
    "long-cramp-one-leg": {"duration": "over_10_minutes"},
    "oestrogen-one-leg": {
        **WOMAN,
        "pregnant": False,
        M: ["oestrogen"],
        "cramps_began_with_medicine": False,
    },
    "wheelchair": {"mobility": ["wheelchair"]},
    "lives-alone": {"mobility": ["lives_alone"]},
    "age-80": {"age": 80},
    "medicines-not-reported": {M: None},
    "not-sure-which": {M: ["not_sure_which"]},
    "conditions-not-sure": {C: ["not_sure"]},
}
EVERYDAY = {**ALL_PLACES, "timing": ["night", "rest", "after_exercise"]}
# Actions offered only after an injury (ice) or in the heat (cooling down, salts).
SPECIAL = {"ice_pack": "injury-heat", "cool_down": "injury-heat", "salty_drink": "injury-heat"}


def member(column: str) -> dict[str, Any]:
    """The ordinary case, moved into one column."""
    return _person(MEMBERS[column])


def _person(changes: Mapping[str, Any]) -> dict[str, Any]:
    """The ordinary case with these changes; a change to None leaves the key out (not reported)."""
    answers = base(**changes)
    for key, value in changes.items():
        if value is None:
            del answers[key]
    return answers


def table_people() -> list[tuple[str, str, dict[str, Any]]]:
    """(person id, context, answers) for the cell checks: each column's member and each other way,
    in the everyday context (every place, night, rest and exercise, and an anti-inflammatory
    painkiller taken, for rule 4), and each member once more after an injury in the heat."""
    out = []
    for name, changes in [*MEMBERS.items(), *OTHER_WAYS.items()]:
        people = {"everyday": {**EVERYDAY, **changes}}
        if name in MEMBERS:
            people["injury-heat"] = {
                **EVERYDAY,
                **changes,
                S: list(dict.fromkeys([*(changes.get(S) or ()), "recent_injury", "heat_exertion"])),
                "can_bear_weight": changes.get("can_bear_weight", "able"),
            }
        for context, person in people.items():
            if person.get(M, ()) is not None:
                person[M] = [*(person.get(M) or ()), "other_nsaid"]
            if "timing" in changes:
                person["timing"] = sorted(set(changes["timing"]) | set(EVERYDAY["timing"]))
            out.append((name, context, _person(person)))
    return out


def check_table(triage: Any) -> dict[str, list[tuple[str, str]]]:
    """The policy's cells against the real pipeline, person by person: the columns they are in,
    every withheld action (gone from every offered step, named with the left-most withholding
    column and its words), every caution (on every offered remedy whose steps do the action),
    the never-advised rows (rule 4) and page one (rule 3)."""
    from triage.errors import TriageError

    out: dict[str, list[tuple[str, str]]] = {}
    for pid, context, answers in table_people():
        rid = f"T-{pid}-{context}"
        fails: list[tuple[str, str]] = []
        out[rid] = fails

        def need(
            what: str, ok: bool, detail: str, rid: str = rid, fails: list[tuple[str, str]] = fails
        ) -> None:
            if not ok:
                fails.append((f"{rid}:{what}", detail))

        try:
            result = triage.decide(triage.contract.check(answers))
        except TriageError as exc:
            fails.append((f"{rid}:answers", str(exc)))
            continue
        if result["disposition"] == "emergency":
            fails.append((f"{rid}:tier", "an emergency: the table is not used"))
            continue
        full, _ = columns_of(answers)
        need("columns", result["columns"] == list(full), f"{result['columns']} != {list(full)}")
        withheld = {w["id"]: w for w in result["withheld_actions"]}
        warnings = " ".join(w["text"] for w in result["warnings"])
        quinine = next((w["text"] for w in result["warnings"] if w["id"] == "quinine"), "")
        steps = [
            (m, step, remedy_actions(step, m["points"]))
            for m in result["remedies"]
            for step in m["steps"]
        ]
        taken = set(answers.get(M) or ())
        for action, (kind, column, words) in verdicts_of(answers).items():
            if context == "injury-heat" and action not in SPECIAL:
                continue
            if context == "everyday" and action in SPECIAL:
                continue
            if kind == "withhold":
                said = [step for _, step, acts in steps if action in acts]
                need(f"{action}:gone", not said, f"withheld, but offered: {said[:1]}")
                if action == "tonic_water":
                    if "quinine" not in taken:
                        need(
                            f"{action}:why",
                            words[0] in quinine,
                            f"quinine message lacks {words[0]!r}",
                        )
                    continue
                got = withheld.get(action)
                need(
                    f"{action}:named",
                    got is not None and got["column"] == column and got["because"] == words[0],
                    f"wanted ({column}: {words[0]}), got {got}",
                )
                if action == "rub_muscle":
                    pressed = [m["id"] for m in result["remedies"] if LEG_POINTS & set(m["points"])]
                    need(f"{action}:points", not pressed, f"leg points pressed: {pressed}")
            elif kind == "caution":
                if action == "anti_inflammatory_painkiller":
                    if taken & set(NSAIDS):
                        missing = [w for w in words if w not in warnings]
                        need(f"{action}:taker", not missing, f"not said to a taker: {missing}")
                    continue
                for m, _step, acts in steps:
                    if action in acts:
                        missing = [w for w in words if w not in m["cautions"]]
                        need(f"{action}:{m['id']}", not missing, f"{m['id']} lacks {missing}")
        for m in result["remedies"]:
            if m["featured"]:
                need(
                    f"featured:{m['id']}",
                    len(m["cautions"]) <= 2,
                    f"{len(m['cautions'])} cautions on page one",
                )
    return out


def all_checks(triage: Any) -> dict[str, list[tuple[str, str]]]:
    """Row id -> failures, for every row and question row."""
    out = {row.id: check_row(triage, row) for row in ROWS}
    out.update({q.id: check_question(triage, q) for q in QUESTIONS})
    out.update(check_table(triage))
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
