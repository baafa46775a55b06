"""The steps of Assembler.build, one at a time, on the real rules and knowledge.

Each expectation is written from docs/policy.md (the section is named), never read from
triage/result.py: the steps are called on their own with the rules the real engine fires.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import pytest

from triage import safety
from triage.conditions import parse
from triage.errors import DataFileError
from triage.model import Rule, Variant
from triage.pipeline import Triage
from triage.reading import Reading, read
from triage.result import Assembler, Decision, Say

from .conftest import VIGNETTES, base_answers, edit

PREGNANT = {
    "sex": "female",
    "age": 30,
    "pregnant": True,
    "pregnancy_weeks": 30,
    "postpartum": False,
}


class Case(NamedTuple):
    """One answer set, read and run through the real engine: what every step is given."""

    asm: Assembler
    answers: dict[str, Any]
    reading: Reading
    rules: list[Rule]
    decision: Decision
    place: safety.Place


def case(triage: Triage, drop: tuple[str, ...] = (), **changes: Any) -> Case:
    """base_answers with these changes, without the `drop` keys (not reported)."""
    answers = base_answers(**changes)
    for key in drop:
        del answers[key]
    answers = triage.contract.check(answers)
    reading = read(triage.knowledge, answers)
    fired = tuple(triage.engine.fired(reading.answers))
    asm = triage.assembler
    rules = asm.in_file_order(fired)
    decision = asm.decide(rules, reading.answers, frozenset(fired))
    place = safety.place(triage.knowledge, reading.answers, fired)
    return Case(asm, dict(reading.answers), reading, rules, decision, place)


def say_of(triage: Triage, c: Case, country: str = "generic") -> Say:
    return Say(triage.knowledge, c.answers, c.decision, triage.numbers(country), c.place)


# -- decide: the tier, its timeframe, the early stop and the route (policy "Dispositions") -------


def test_an_ordinary_cramp_is_self_care_with_no_timeframe_and_no_service(triage: Triage) -> None:
    d = case(triage).decision
    assert (d.disposition, d.within, d.stopped, d.route) == ("self-care", "none", False, "none")
    assert d.tier.id == "self-care"


def test_an_emergency_sign_is_an_emergency_now_to_the_emergency_services(triage: Triage) -> None:
    d = case(triage, symptoms=["cold_pale_leg"]).decision
    assert (d.disposition, d.within, d.route) == ("emergency", "now", "emergency_services")


def test_pre_eclampsia_signs_are_urgent_now_to_the_maternity_unit_and_stop_early(
    triage: Triage,
) -> None:
    d = case(triage, symptoms=["pregnancy_warning_signs"], **PREGNANT).decision
    assert (d.disposition, d.within, d.route) == ("urgent", "now", "maternity_unit")
    assert d.stopped  # policy "Early stop": no remedies, no cramp advice


def test_an_urgent_sign_is_today_and_a_doctor(triage: Triage) -> None:
    d = case(triage, symptoms=["one_leg_swollen"]).decision
    assert (d.disposition, d.within, d.route, d.stopped) == ("urgent", "today", "gp", False)


def test_cramps_during_dialysis_are_for_the_dialysis_team_at_the_next_session(
    triage: Triage,
) -> None:
    d = case(triage, timing=["during_dialysis"], conditions=["dialysis"]).decision
    assert (d.disposition, d.within, d.route) == ("soon", "next_session", "dialysis_team")


def test_two_days_is_the_strictest_soon_timeframe(triage: Triage) -> None:
    # an anti-inflammatory with a blood thinner: 2 days, the anticoagulant clinic first, and it
    # wins over the dialysis team's next session on the same sheet
    alone = case(triage, medications=["naproxen", "anticoagulant"]).decision
    assert (alone.disposition, alone.within, alone.route) == (
        "soon",
        "2_days",
        "anticoagulant_clinic",
    )
    both = case(
        triage,
        medications=["naproxen", "anticoagulant"],
        timing=["during_dialysis"],
        conditions=["dialysis"],
    ).decision
    assert both.within == "2_days"


# -- Say: wordings, the emergency number once, the re-check day (policy "Numbers by country") ----


def test_the_generic_emergency_number_is_named_in_full_the_first_time_only(triage: Triage) -> None:
    say = say_of(triage, case(triage))
    line = (Variant("Call {emergency} now."),)
    assert say(line) == "Call your emergency number (999, 911, 112 or 000) now."
    assert say(line) == "Call your emergency number now."


def test_a_country_number_is_the_same_every_time(triage: Triage) -> None:
    say = say_of(triage, case(triage), "uk")
    line = (Variant("Call {emergency} or {urgent_line}."),)
    assert say(line) == say(line) == "Call 999 or NHS 111."


def test_a_text_with_no_emergency_number_leaves_the_first_full_naming_for_later(
    triage: Triage,
) -> None:
    say = say_of(triage, case(triage))
    assert say((Variant("Rest the leg."),)) == "Rest the leg."
    assert "(999, 911, 112 or 000)" in (say.text("Call {emergency}.") or "")


def test_a_wording_for_no_one_here_is_left_out(triage: Triage) -> None:
    say = say_of(triage, case(triage))  # a 45-year-old man
    child = parse({"age": {"max": 17}}, triage.contract.fields)
    assert say((Variant("For children.", when=child),)) is None
    assert say((Variant("Urgent only.", tiers=("urgent",)),)) is None
    assert say((Variant("Urgent only.", tiers=("urgent",)), Variant("Else."))) == "Else."


def test_a_dated_line_needs_the_day_answered_and_keeps_its_day(triage: Triage) -> None:
    # policy "The re-check date": no date without answered_on
    undated = say_of(triage, case(triage))
    assert undated((Variant("Better by {answered_on+28}?"),)) is None
    assert undated.days == []
    dated = say_of(triage, case(triage, answered_on="2026-11-10"))
    text = dated((Variant("Better by {answered_on+28}?"),))
    assert text is not None and "December" in text and "{" not in text
    assert dated.days == ["2026-12-08"]


# -- reasons (policy "Page one", "Dispositions") ---------------------------------------------------


def test_reasons_come_highest_tier_first_and_self_care_ones_only_on_self_care(
    triage: Triage,
) -> None:
    c = case(triage, symptoms=["one_leg_swollen"], frequency="most_days")
    reasons = c.asm.reasons(c.rules, c.decision, c.answers, say_of(triage, c), c.reading)
    tiers = [r.tier for r in reasons]
    assert tiers and tiers[0] == "urgent"
    assert "self-care" not in tiers
    order = ["emergency", "urgent", "soon", "self-care"]
    assert [order.index(t) for t in tiers] == sorted(order.index(t) for t in tiers)
    assert all(r.text and "{" not in r.text for r in reasons)


def test_a_self_care_sheet_says_why_it_is_self_care(triage: Triage) -> None:
    c = case(triage)
    reasons = c.asm.reasons(c.rules, c.decision, c.answers, say_of(triage, c), c.reading)
    assert reasons and {r.tier for r in reasons} == {"self-care"}


def test_an_early_stop_sheet_leads_with_the_rule_that_said_act_now(triage: Triage) -> None:
    c = case(triage, symptoms=["pregnancy_warning_signs", "one_leg_swollen"], **PREGNANT)
    reasons = c.asm.reasons(c.rules, c.decision, c.answers, say_of(triage, c), c.reading)
    assert reasons[0].rule == "pre_eclampsia_signs"


def test_no_warning_signs_is_never_said_when_the_signs_were_not_answered(triage: Triage) -> None:
    c = case(triage, drop=("symptoms",))
    reasons = c.asm.reasons(c.rules, c.decision, c.answers, say_of(triage, c), c.reading)
    assert "no_warning_signs" not in {r.rule for r in reasons}
    assert "no_warning_signs" in {r.id for r in c.rules}  # it fired: the step leaves it out


# -- remedies against the safety table (policy "How the table is applied") -------------------------


def test_an_emergency_offers_no_remedy_and_says_why_for_each(triage: Triage) -> None:
    c = case(triage, symptoms=["cold_pale_leg"])
    out = c.asm.remedies(c.rules, c.decision, c.answers, c.place)
    offered = {o for r in c.rules for o in r.offer}
    assert out.kept == [] and out.actions == {}
    assert offered and {w.id for w in out.withheld} == offered
    because = triage.knowledge.tiers["emergency"].withheld_because
    assert because and all(w.because == because and w.column is None for w in out.withheld)


def test_an_early_stop_sheet_offers_no_remedy(triage: Triage) -> None:
    c = case(triage, symptoms=["pregnancy_warning_signs"], **PREGNANT)
    out = c.asm.remedies(c.rules, c.decision, c.answers, c.place)
    assert out.kept == [] and out.withheld == []


def test_a_possible_clot_leaves_out_rubbing_and_the_remedy_whose_title_is_rubbing(
    triage: Triage,
) -> None:
    c = case(triage, symptoms=["one_leg_swollen"])
    out = c.asm.remedies(c.rules, c.decision, c.answers, c.place)
    assert "rub_muscle" in out.actions
    withheld = {w.id: w for w in out.withheld}
    assert "calf_massage" in withheld  # its title action is rubbing
    assert withheld["calf_massage"].column == "possible_clot"
    assert withheld["calf_massage"].because
    assert "calf_massage" not in {p.id for p in out.kept}
    # warming stays, without its rubbing step (a step doing a withheld action goes)
    rubbing = {s.text for s in triage.knowledge.remedies["warmth"].steps if "rub_muscle" in s.does}
    for pick in out.kept:
        assert not rubbing & set(pick.steps)


def test_dialysis_leaves_out_the_points_on_the_arm(triage: Triage) -> None:
    c = case(triage, conditions=["dialysis"])
    out = c.asm.remedies(c.rules, c.decision, c.answers, c.place)
    assert "acupressure_hand" in {w.id for w in out.withheld}
    assert "press_arm_points" in out.actions


def test_a_kept_remedy_keeps_only_the_steps_that_fit_and_shows_its_cautions_once(
    triage: Triage,
) -> None:
    c = case(triage, age=70)  # the 65+ column: cautions, no withholds for stretching
    out = c.asm.remedies(c.rules, c.decision, c.answers, c.place)
    for pick in out.kept:
        assert len(set(pick.cautions)) == len(pick.cautions)
        assert pick.steps and not all(s.startswith("Or ") for s in pick.steps)


# -- never advised (policy rule 4) -------------------------------------------------------------


def test_anti_inflammatory_cautions_go_only_to_someone_who_takes_one(triage: Triage) -> None:
    takes = case(triage, age=70, medications=["other_nsaid"])
    notes, _ = takes.asm.never_advised(takes.decision, takes.answers, takes.place)
    assert "anti_inflammatory_painkiller" in {n.id for n in notes}
    clean = case(triage, age=70)
    notes, _ = clean.asm.never_advised(clean.decision, clean.answers, clean.place)
    assert "anti_inflammatory_painkiller" not in {n.id for n in notes}


def test_a_withheld_anti_inflammatory_is_left_out_for_everyone_in_its_column(
    triage: Triage,
) -> None:
    c = case(triage, medications=["anticoagulant"])
    _, withheld = c.asm.never_advised(c.decision, c.answers, c.place)
    assert "anti_inflammatory_painkiller" in withheld
    # tonic water's reason is said in the one quinine warning, never as a line of its own
    assert "tonic_water" not in withheld


def test_an_emergency_has_no_never_advised_lines(triage: Triage) -> None:
    c = case(triage, symptoms=["cold_pale_leg"], medications=["anticoagulant", "naproxen"])
    assert c.asm.never_advised(c.decision, c.answers, c.place) == ([], [])


# -- rank (policy "Ranking") --------------------------------------------------------------------


def test_remedies_are_ranked_by_evidence_grade_first(triage: Triage) -> None:
    c = case(triage, locations=["calf", "foot", "thigh_back"], timing=["night", "after_exercise"])
    kept = c.asm.remedies(c.rules, c.decision, c.answers, c.place).kept
    ranked = c.asm.rank(reversed(kept), c.answers)
    grades = list(triage.knowledge.evidence)  # strongest first
    assert sorted(p.id for p in ranked) == sorted(p.id for p in kept)
    seen = [grades.index(p.evidence) for p in ranked]
    assert seen == sorted(seen)


def test_after_heat_exertion_the_cool_down_leads_its_grade(triage: Triage) -> None:
    c = case(triage, symptoms=["heat_exertion"], timing=["during_exercise"])
    kept = c.asm.remedies(c.rules, c.decision, c.answers, c.place).kept
    ranked = c.asm.rank(kept, c.answers)
    same_grade = [p.id for p in ranked if p.evidence == "expert-advice"]
    assert same_grade[0] == "cool_down"


@pytest.mark.parametrize(
    ("changes", "leader"),
    [
        ({"age": 85}, "towel_stretch"),  # the "80+ or frail" column
        ({"symptoms": ["recent_injury"]}, "rest_ice_raise"),  # after an injury or fall
    ],
)
def test_what_must_lead_comes_first_in_its_grade(
    triage: Triage, changes: dict[str, Any], leader: str
) -> None:
    c = case(triage, **changes)
    kept = c.asm.remedies(c.rules, c.decision, c.answers, c.place).kept
    ranked = [p.id for p in c.asm.rank(kept, c.answers) if p.evidence == "expert-advice"]
    assert ranked[0] == leader


def test_the_stretch_for_the_cramping_muscle_comes_before_other_stretches(triage: Triage) -> None:
    c = case(triage, locations=["thigh_back"])
    kept = c.asm.remedies(c.rules, c.decision, c.answers, c.place).kept
    ids = [p.id for p in c.asm.rank(kept, c.answers)]
    assert ids.index("stretch_thigh_back") < ids.index("stretch_during_cramp")


# -- advice, warnings, consider, safety net, blood tests -------------------------------------------


def test_someone_answering_for_another_gets_the_first_line(triage: Triage) -> None:
    c = case(triage, answering_for="someone_else")
    advice = c.asm.advice(c.decision, say_of(triage, c))
    assert advice.first_line == (
        "This advice is written to the person with the cramps. Read it with them."
    )
    assert advice.label == "Self-care" and advice.timeframe == "No doctor visit needed"
    assert (
        case(triage).asm.advice(case(triage).decision, say_of(triage, case(triage))).first_line
        == ""
    )


def test_an_emergency_says_call_now_and_do_not_drive(triage: Triage) -> None:
    c = case(triage, symptoms=["cold_pale_leg"])
    advice = c.asm.advice(c.decision, say_of(triage, c, "uk"))
    assert (advice.label, advice.headline, advice.timeframe) == (
        "Emergency",
        "Call an ambulance now",
        "Now",
    )
    assert (
        advice.action == "Call 999 now, or go to the emergency department. Do not drive yourself."
    )


def test_what_could_not_be_checked_comes_after_the_quinine_line(triage: Triage) -> None:
    c = case(triage, drop=("medications",))
    say = say_of(triage, c)
    _, _, unchecked = c.asm.read_as(c.answers, c.reading, say)
    assert unchecked
    ids = [n.id for n in c.asm.warnings(c.rules, c.decision, say, (), unchecked)]
    assert ids[0] == "quinine"
    assert "not_checked" in ids[1:3]


def test_what_could_not_be_checked_is_among_the_first_warnings_however_many(
    triage: Triage,
) -> None:
    c = case(triage, drop=("conditions",), medications=["statin", "thiazide_diuretic", "lithium"])
    say = say_of(triage, c)
    _, _, unchecked = c.asm.read_as(c.answers, c.reading, say)
    ids = [n.id for n in c.asm.warnings(c.rules, c.decision, say, (), unchecked)]
    assert len(ids) >= 5 and ids[0] == "quinine"
    assert (
        "not_checked" in ids[1:3]
    )  # page one keeps it (policy rev 3, "Lines page one always shows")


def test_warnings_follow_the_order_of_messages_yaml(triage: Triage) -> None:
    c = case(triage, medications=["statin", "thiazide_diuretic"])
    ids = [n.id for n in c.asm.warnings(c.rules, c.decision, say_of(triage, c))]
    order = list(triage.knowledge.warnings)
    assert len(ids) >= 3 and ids == sorted(ids, key=order.index)


def test_an_early_stop_sheet_keeps_only_its_tiers_warnings_and_no_consider(
    triage: Triage,
) -> None:
    c = case(triage, symptoms=["pregnancy_warning_signs"], medications=["statin"], **PREGNANT)
    say = say_of(triage, c)
    warnings = c.asm.warnings(c.rules, c.decision, say)
    assert {n.id for n in warnings} <= set(c.decision.tier.early_stop_warnings)
    assert c.asm.consider(c.rules, c.decision, say) == []


def test_this_may_not_be_a_cramp_names_restless_legs(triage: Triage) -> None:
    c = case(triage, symptoms=["urge_to_move"])
    ids = [n.id for n in c.asm.consider(c.rules, c.decision, say_of(triage, c))]
    assert "restless_legs" in ids


@pytest.mark.parametrize(
    ("changes", "days"),
    [
        ({}, 28),  # self-care: no better by the day answered + 28 days
        ({"frequency": "most_days", "sleep_disrupted": True}, 14),  # soon: not seen by + 14
        ({"medications": ["naproxen", "anticoagulant"]}, 2),  # within 2 days: + 2
    ],
)
def test_the_re_check_day_is_the_one_the_safety_net_names(
    triage: Triage, changes: dict[str, Any], days: int
) -> None:
    import datetime

    c = case(triage, answered_on="2026-11-10", **changes)
    lines, recheck_on = c.asm.safety_net(c.decision, say_of(triage, c))
    expected = datetime.date(2026, 11, 10) + datetime.timedelta(days=days)
    assert recheck_on == expected.isoformat(), (c.decision, lines)
    assert lines and all("{" not in line for line in lines)


def test_no_re_check_day_without_the_day_answered_nor_on_an_urgent_sheet(triage: Triage) -> None:
    c = case(triage)
    assert c.asm.safety_net(c.decision, say_of(triage, c))[1] is None
    urgent = case(triage, answered_on="2026-11-10", symptoms=["one_leg_swollen"])
    assert urgent.asm.safety_net(urgent.decision, say_of(triage, urgent))[1] is None


def test_the_safety_net_ends_every_sheet(triage: Triage) -> None:
    for changes in ({}, {"symptoms": ["one_leg_swollen"]}, {"symptoms": ["cold_pale_leg"]}):
        c = case(triage, **changes)
        assert c.asm.safety_net(c.decision, say_of(triage, c))[0], changes


def test_blood_tests_on_soon_and_urgent_sheets_only(triage: Triage) -> None:
    k = triage.knowledge
    lithium = case(triage, medications=["lithium"])
    assert lithium.decision.disposition in ("soon", "urgent")
    tests, line = lithium.asm.blood_tests(lithium.decision, lithium.answers)
    ids = [t.id for t in tests]
    assert ids[:2] == ["kidneys_and_salts", "lithium_level"]  # in the policy's order
    words = [t.words for t in tests]
    assert all(w in line for w in words)
    assert [line.index(w) for w in words] == sorted(line.index(w) for w in words)
    assert "{" not in line
    # self-care: no visit is advised; emergency: none either
    calm = case(triage, conditions=["diabetes"])
    if calm.decision.disposition == "self-care":
        assert calm.asm.blood_tests(calm.decision, calm.answers) == ([], "")
    emergency = case(triage, symptoms=["cold_pale_leg"], medications=["lithium"])
    assert emergency.asm.blood_tests(emergency.decision, emergency.answers) == ([], "")
    assert k.blood_test_line


# -- page one (policy "Page one"): decided by composition, from the finished result --------------


def _results(triage: Triage) -> list[tuple[dict[str, Any], Any, set[str]]]:
    out = []
    for v in VIGNETTES:
        answers = triage.contract.check(v["answers"])
        result = triage.evaluate(answers)
        out.append((answers, result, set(triage.featured(result, answers))))
    return out


def test_page_one_keeps_to_its_tiers_counts_and_never_features_what_it_must_not(
    triage: Triage,
) -> None:
    k = triage.knowledge
    for answers, result, featured in _results(triage):
        page = k.tiers[result.disposition].page_one
        shown = [p for p in result.remedies if p.id in featured]
        assert sum(p.when == "during" for p in shown) <= page["during"], answers
        assert sum(p.when != "during" for p in shown) <= page["prevent"], answers
        for p in shown:
            assert p.evidence != "not-recommended" and not p.points, p.id
            assert len(p.cautions) <= 2, p.id


def _can_be_on_page_one(pick: Any) -> bool:
    return pick.evidence != "not-recommended" and not pick.points and len(pick.cautions) <= 2


def test_the_first_thing_to_try_is_the_stretch_for_an_ordinary_calf_cramp(triage: Triage) -> None:
    answers = triage.contract.check(base_answers())
    result = triage.evaluate(answers)
    during = [p for p in result.remedies if p.when == "during" and _can_be_on_page_one(p)]
    assert during[0].id == "stretch_during_cramp"
    assert triage.featured(result, answers)[0] == "stretch_during_cramp"


def test_a_lower_ranked_remedy_never_jumps_a_better_one(triage: Triage) -> None:
    # in each group, what page one shows is the best-ranked of those that may be there
    for answers, result, featured in _results(triage):
        for group in ("during", "prevent"):
            flags = [
                p.id in featured
                for p in result.remedies
                if (p.when == "during") == (group == "during") and _can_be_on_page_one(p)
            ]
            assert flags == sorted(flags, reverse=True), (answers, group)


def test_a_remedy_with_more_than_two_cautions_or_with_points_is_not_on_page_one(
    triage: Triage,
) -> None:
    answers = triage.contract.check(base_answers())
    result = triage.evaluate(answers)
    first = next(
        n for n, p in enumerate(result.remedies) if p.when == "during" and _can_be_on_page_one(p)
    )
    for change in ({"cautions": ("Careful.",) * 3}, {"points": ("BL57",)}):
        remedies = list(result.remedies)
        remedies[first] = remedies[first]._replace(**change)
        shown = triage.featured(result._replace(remedies=remedies), answers)
        assert remedies[first].id not in shown, change
        assert shown  # another takes the place


def test_an_emergency_and_an_early_stop_feature_nothing(triage: Triage) -> None:
    for changes in (
        {"symptoms": ["cold_pale_leg"]},
        {"symptoms": ["pregnancy_warning_signs"], **PREGNANT},
    ):
        answers = triage.contract.check(base_answers(**changes))
        assert not triage.featured(triage.evaluate(answers), answers)


# -- the emergency reason is data (rules/dispositions.yaml) ---------------------------------------


def test_the_emergency_tier_must_say_why_remedies_are_left_out(rules: Path) -> None:
    path = rules / "dispositions.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.strip().startswith("withheld_because:"))
    edit(path, line + "\n", "")
    with pytest.raises(DataFileError) as caught:
        Triage(rules=rules).load()
    assert caught.value.item == "tier emergency" and "withheld_because" in caught.value.detail


def test_only_the_emergency_tier_says_why_every_remedy_is_left_out(rules: Path) -> None:
    edit(
        rules / "dispositions.yaml",
        "  - id: urgent\n",
        '  - id: urgent\n    withheld_because: "No."\n',
    )
    with pytest.raises(DataFileError) as caught:
        Triage(rules=rules).load()
    assert caught.value.item == "tier urgent"
