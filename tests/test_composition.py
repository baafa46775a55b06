"""The composed sheet, proved over the answer space (docs/policy.md, "The sheet").

Each invariant is written from the policy and checked on the composed record (fast) and on the
rendered sheets. The normal run samples a few hundred answer sets; TRIAGE_EXHAUSTIVE=1
(./dev exhaustive) checks thousands.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.composition import move_one_line, page_one_words
from triage.pipeline import Triage

from . import oracle
from .conftest import QUICK, UNMEASURED, base_answers, page_words
from .test_safety import EXHAUSTIVE, PARTS, any_answers

SAMPLES = 8_000 if EXHAUSTIVE else 100 if QUICK else 1_000
WORD_LIMITS = {"self-care": 350, "soon": 350, "urgent": 250, "emergency": 150}
FORMATS = ("text", "markdown", "html")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
# the warnings that tell the person to stop or pause a medicine now (docs/policy.md, "Medicines and
# interactions"; contract warning ids)
STOP_OR_PAUSE = {"sick_day", "nsaid_bleeding", "kidney_combination", "pregnancy_medicine"}
PREGNANCY = re.compile(r"pregnan|midwife|maternity|antenatal|labour|gave birth", re.I)
NIGHT = re.compile(r"blanket|bed covers|sheets at the foot|side of the bed", re.I)
ALCOHOL = re.compile(r"alcohol", re.I)
COUNTRIES = ("generic", "uk", "ie", "us", "ca", "eu", "au", "nz")


def step_actions(triage: Triage) -> dict[tuple[str, str], set[str]]:
    """What each step's words ask the person to do, from the remedies file: (remedy, text) -> actions."""
    return {
        (remedy.id, step.text): set(step.does)
        for remedy in triage.knowledge.remedies.values()
        for step in remedy.steps
    }


def first_aid(answers: dict[str, Any]) -> set[str]:
    """The emergencies that come with first aid of their own while waiting (policy rev 3,
    "Emergency rules" and "Routing"): heat stroke, new confusion, tetanus, a pregnancy."""
    s = set(answers.get("symptoms", ()))
    groups = {
        "heat stroke": "confused_or_fainting" in s or {"new_confusion", "heat_exertion"} <= s,
        "new confusion": "new_confusion" in s,
        "tetanus": "tetanus_signs" in s,
        "pregnancy": answers.get("pregnant") in (True, "not_sure"),
    }
    return {name for name, applies in groups.items() if applies}


def check_sheet(
    triage: Triage, answers: dict[str, Any], country: str = "generic"
) -> dict[str, Any]:
    """Every invariant of the composed sheet on one answer set (AssertionError names the one broken)."""
    answers = triage.contract.check(answers)
    result = triage.evaluate(answers, country)
    # composed once and rendered in every format (as triage.sheet does for one), text last: the
    # same bytes as a sheet composed afresh (checked at the end) means rendering changed nothing
    sheet = triage.compose(result, answers)
    rendered = {fmt: triage.render(sheet, fmt) for fmt in FORMATS[::-1]}
    text, full = rendered["text"], triage.render(sheet, "text", full=True)
    tier = result.disposition
    shown = ([sheet["first"]] if sheet["first"] else []) + sheet["during"] + sheet["prevent"]
    everything = shown + [m for g in sheet["more"] for m in g["remedies"]] + sheet["not_advised"]

    # A withheld action never appears as advice on the same sheet.
    withheld = {w.id for w in result.withheld_actions}
    index = step_actions(triage)
    for m in everything:
        for step in m["steps"]:
            assert not index[m["id"], step] & withheld, f"withheld action offered: {step}"
    lines = sheet["left_out"] + sheet["more_left_out"]  # said once, on page one or after it
    for w in result.withheld_actions:  # one line per action (rev 3, the safety table's rule 2)
        label = triage.knowledge.actions[w.id].label
        assert [line["because"] for line in lines if line["what"] == label] == [w.because], w.id
    # At most three traditional remedies in full after page one, all acupressure as one; at most
    # one for the 80+ or frail, or with two or more long-term conditions or three or more listed
    # medicines; every other one offered is named in the one line (docs/policy.md, "The sheet",
    # rev 3: F28, C12).
    after = [m for g in sheet["more"] for m in g["remedies"]]
    units = {
        "acupressure" if m["points"] else m["id"] for m in after if m["evidence"] == "traditional"
    }
    frail = (
        answers.get("age", 80) >= 80
        or bool(
            set(answers.get("mobility", ()))
            & {"walking_aid", "wheelchair", "fell_past_year", "lives_alone"}
        )
        or len(set(answers.get("conditions", ())) - {"not_sure"}) >= 2
        or len(set(answers.get("medications", ())) - {"another_medicine", "not_sure_which"}) >= 3
    )
    assert len(units) <= (1 if frail else 3), f"traditional remedies in full: {sorted(units)}"
    kept = {m["id"] for m in shown + after}
    for m in result.remedies:
        if m.evidence == "traditional" and m.id not in kept:
            assert m.title in sheet["more_named"], (
                f"traditional remedy {m.id} neither shown nor named"
            )
    # Pregnancy wording only for someone pregnant (or not sure), after a birth, or where pregnancy
    # was not reported and is possible: "If you could be pregnant" (rev 3, rule 7).
    said = (
        full.split("YOU TOLD US")[0] + full.split("SOURCES")[-1]
    )  # not their own answers ("pregnant? No")
    maybe = (
        "pregnant" not in answers and answers.get("sex") != "male" and answers.get("age", 12) <= 60
    )
    if not (
        answers.get("pregnant")
        or answers.get("postpartum")
        or "weeks_since_birth" in answers
        or maybe
    ):
        assert not PREGNANCY.search(said), f"pregnancy wording: {PREGNANCY.search(said)}"
    # No two lines disagree on how soon.
    head = " ".join(
        [sheet["tier"]["headline"], sheet["tier"]["action"], sheet["tier"]["timeframe"]]
    ).lower()
    if tier == "emergency" or sheet["tier"]["timeframe"] == "Now":
        assert "now" in head and "today" not in head, head
    elif tier == "urgent":
        assert "today" in head and " now" not in head, head
    elif tier == "soon":
        assert "does not need to be today" in head, head
    else:
        assert "today" not in head and " now" not in head, head
    if tier != "self-care":
        assert not re.search(r"check-?up|no doctor visit", full, re.I), (
            "self-care wording on a higher tier"
        )
    # No two lines disagree on an action.
    if "quinine" in answers.get("medications", []):
        assert "Do not take quinine" not in full, "told to keep quinine and not to take it"
    assert not (re.search(r"(?<!not )stop taking", full, re.I) and "not stop" in full), (
        "stop and do not stop"
    )
    # Addressed to this person.
    if "night" not in answers.get("timing", []):
        assert not NIGHT.search(full), f"night-time advice: {NIGHT.search(full)}"
    if answers.get("age", 18) < 18:
        # No alcohol advice under 18; the one exception is the safety table's own cautions for a
        # teenager who is (or may be) pregnant, breastfeeding or drinking heavily (rev 3), which
        # say not to drink, or to cut down (a conflict of two policy lines, kept as the table says)
        plain = " ".join(said.split())
        for cell in oracle.POLICY_CELLS["cut_alcohol_caffeine"]:
            plain = plain.replace(cell.partition(": ")[2], "")
        assert not ALCOHOL.search(plain), "alcohol advice under 18"
    assert "right leg" not in rendered["html"].lower()
    assert "below" not in text, "a line points below"
    # Page one: ranked, short, and what it shows is what the result features.
    shown_ids = set(triage.featured(result, answers))
    featured = [r for r in result.remedies if r.id in shown_ids]
    assert len([r for r in featured if r.when == "during"]) <= 3 and len(featured) <= 6
    assert [m["id"] for m in shown] == [r.id for r in featured if r.when == "during"][:1] + [
        r.id for r in featured if r.when == "during"
    ][1:] + [r.id for r in featured if r.when != "during"]
    words = page_words(text)
    # composition decides page one by its own count of the words the text sheet will show: the
    # count must be the rendered one, or the limit it keeps would not be the sheet's
    assert page_one_words(sheet) == words, (page_one_words(sheet), words)
    if tier == "emergency" and len(first_aid(answers)) >= 2:
        # rev 3: first aid is never cut (docs/policy.md, "Page one"): with first aid for two or
        # more emergencies at once, only "While you wait" may take page one past its limit
        wait = text.split("WHILE YOU WAIT\n")[1].split("\n\n")[0]
        outside = words - page_words(wait)
        assert outside <= WORD_LIMITS[tier], f"page one has {outside} words besides first aid"
    elif words > (150 if result.act_within == "now" else WORD_LIMITS[tier]):
        # (policy rev 3, "Page one": 150 words for "urgent, now" too, the early-stop sheet)
        # Policy rev 3, "Lines page one always shows, whatever the word limit": page one may pass
        # its limit only by those lines (the tier's words, the first reason, the first warning,
        # the safety-netting, and the first thing to try where the tier keeps its place), once
        # everything else has given way: no other remedy, nothing left that could still move.
        assert not move_one_line(copy.deepcopy(sheet)), f"page one has {words} words"
        assert not sheet["during"] and not sheet["prevent"], f"{words} words, remedies kept"
    if tier != "emergency":
        assert "quinine" in text.lower() and "GET HELP IF THINGS CHANGE" in text
        # Policy rev 3, page one: the medicine lines that say what to stop or pause now (a bought
        # painkiller with a blood thinner, in pregnancy or with the kidney pair; the sick-day
        # pause) are on page one: one of them at least, whatever else the sheet must say (the
        # clinical review of the rev 3 medicine rows found them only after page one)
        now = [w.text for w in result.warnings if w.id in STOP_OR_PAUSE]
        page_one = " ".join(text.split())
        assert not now or any(" ".join(w.split())[:60] in page_one for w in now), now
    # No unfilled placeholder anywhere; the same answers give the same bytes.
    for out in (
        text,
        full,
        triage.result_json(result, answers),
        rendered["markdown"],
        rendered["html"],
    ):
        assert not PLACEHOLDER.search(out), PLACEHOLDER.search(out)
    assert triage.sheet(triage.evaluate(answers, country), answers, "text") == text
    return sheet


@pytest.mark.timeout(
    1800 if EXHAUSTIVE else 900
)  # thousands of sheets rendered; a hang still fails
@UNMEASURED
@pytest.mark.parametrize("part", range(PARTS))  # in parts, for xdist (test_safety.PARTS)
@settings(
    max_examples=SAMPLES // PARTS, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=st.data())
def test_sheet_invariants_on_sampled_answers(triage: Triage, part: int, data: Any) -> None:
    check_sheet(triage, data.draw(any_answers(triage)), data.draw(st.sampled_from(COUNTRIES)))


# Every counterexample the sampled tests ever found, kept so it is checked in every run.
FOUND: list[tuple[str, dict[str, Any]]] = [
    # A blood thinner, quinine and "not sure" if pregnant: the interaction lines stood in for the
    # quinine line, and page one shrank to one warning, which the check read as no quinine message
    # (./dev exhaustive, 2026-12-02).
    (
        "generic",
        {
            "version": 1,
            "cramps_began_with_medicine": True,
            "medications": [
                "thiazide_diuretic",
                "quinine",
                "potassium_sparing_diuretic",
                "anticoagulant",
            ],
            "pregnant": "not_sure",
            "mobility": [],
            "can_bear_weight": "able",
        },
    ),
    # 351 words on a soon page one: the first thing to try kept its place beside a long safety
    # net and three warnings, and no line was left to move (found by a random search, 2026-12).
    (
        "generic",
        {
            "version": 1,
            "sex": "female",
            "age": 103,
            "sides": "one",
            "frequency": "rare",
            "duration": "minutes",
            "sleep_disrupted": False,
            "daily_life_affected": False,
            "stretching_not_helping": True,
            "timing": ["after_exercise"],
            "symptoms": ["heat_exertion"],
            "medications": ["iron_infusion", "statin", "quinine"],
            "conditions": [
                "recent_surgery_or_bed_rest",
                "dialysis",
                "thyroid_disease",
                "active_cancer",
                "peripheral_artery_disease",
            ],
        },
    ),
    # 258 words on an urgent page one with nothing left to move: a possible clot in pregnancy,
    # whose safety net, quinine and pre-eclampsia warnings filled it (random search, 2026-12).
    (
        "generic",
        {
            "version": 1,
            "sex": "other",
            "age": 39,
            "sides": "both",
            "duration": "minutes",
            "sleep_disrupted": True,
            "daily_life_affected": False,
            "stretching_not_helping": False,
            "cramps_began_with_medicine": False,
            "locations": ["thigh_back"],
            "timing": ["rest", "during_exercise"],
            "symptoms": ["dark_urine", "one_leg_swollen", "gradual_wasting", "heat_exertion"],
            "medications": ["statin", "quinine"],
            "conditions": [],
            "pregnant": True,
        },
    ),
    (
        "uk",
        {
            "version": 1,
            "sex": "other",
            "age": 25,
            "sides": "one",
            "frequency": "monthly",
            "duration": "over_10_minutes",
            "sleep_disrupted": False,
            "daily_life_affected": True,
            "stretching_not_helping": False,
            "locations": ["thigh_front", "foot"],
            "timing": ["rest", "after_exercise", "during_dialysis"],
            "symptoms": [
                "one_leg_swollen",
                "new_numbness",
                "red_warm_skin",
                "heat_exertion",
                "thirst_urination",
            ],
            "medications": ["laba_inhaler", "quinine", "statin", "iron_infusion", "naproxen"],
            "conditions": ["heavy_alcohol", "recent_surgery_or_bed_rest"],
            "pregnant": True,
        },
    ),
]


@pytest.mark.parametrize(("country", "answers"), FOUND)
def test_counterexamples_found_before(
    triage: Triage, country: str, answers: dict[str, Any]
) -> None:
    check_sheet(triage, answers, country)


@pytest.mark.parametrize(
    "answers",
    [
        base_answers(symptoms=["one_leg_swollen"]),
        base_answers(sex="female", age=30, postpartum=True, sides="one"),
        base_answers(age=84, locations=["thigh_front"]),
        base_answers(medications=["anticoagulant", "quinine"]),
        base_answers(age=14, timing=["during_exercise"], symptoms=["heat_exertion"]),
        base_answers(
            sex="female",
            age=38,
            pregnant=True,
            pregnancy_weeks=36,
            symptoms=["pregnancy_warning_signs"],
        ),
        base_answers(
            conditions=["dialysis", "diabetes", "neuropathy"], timing=["night", "during_dialysis"]
        ),
        # the clinical review of the rev 3 medicine rows (H1, H3): the stop or pause line was
        # only after page one
        base_answers(
            age=81,
            sex="female",
            medications=["anticoagulant", "naproxen", "antiplatelet"],
            cramps_began_with_medicine=True,
            conditions=["kidney_disease"],
            sleep_disrupted=True,
        ),
        base_answers(
            age=75,
            medications=["ace_inhibitor_or_arb", "thiazide_diuretic", "other_nsaid"],
            conditions=["kidney_disease"],
            sleep_disrupted=True,
        ),
        base_answers(
            sex="female",
            frequency="most_days",
            symptoms=["vomiting_or_diarrhoea"],
            medications=["lithium", "thiazide_diuretic"],
            cramps_began_with_medicine="not_sure",
            sleep_disrupted=True,
            daily_life_affected=True,
        ),
    ],
    ids=[
        "clot",
        "postpartum",
        "84-thigh",
        "blood-thinner-quinine",
        "teen-heat",
        "pre-eclampsia",
        "dialysis",
        "thinner-painkillers-kidneys",
        "kidney-three",
        "lithium-sick-day",
    ],
)
def test_sheet_invariants_on_hard_cases(triage: Triage, answers: dict[str, Any]) -> None:
    check_sheet(triage, answers, "uk")


def test_the_sheet_checks_can_fail(triage: Triage) -> None:
    """Break the composition on purpose: a withheld action put back, a night line for a runner."""
    answers = triage.contract.check(
        base_answers(symptoms=["one_leg_swollen"], timing=["after_exercise"])
    )
    result = triage.evaluate(answers)
    rub = next(s.text for s in triage.knowledge.remedies["warmth"].steps if "rub_muscle" in s.does)
    broken = result._replace(
        remedies=[
            r._replace(steps=(*r.steps, rub)) if r.id == "warmth" else r for r in result.remedies
        ]
    )
    triage.evaluate = lambda a, c="generic": broken  # type: ignore[method-assign]
    try:
        with pytest.raises(AssertionError, match="withheld action offered"):
            check_sheet(triage, answers)
    finally:
        del triage.evaluate
    assert NIGHT.search("Cover the leg with your blanket.") and PREGNANCY.search("your midwife")
