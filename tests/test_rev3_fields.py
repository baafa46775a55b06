"""Rev 3 result fields, over the answer space: act_within, route and blood_tests keep the pairings
of the answers contract ("The result") and the policy ("Dispositions", "Routing", "Blood tests"),
whatever the answers; and every row of rules/interactions.yaml that a rule applies agrees with it.

The pairings below are written by hand from the contract, never read from rules/.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.pipeline import Triage
from triage.result import act_within

from .test_contract import valid_answer_sets

# answers contract rev 3, "The result": which act_within goes with which disposition
PAIRS = {
    "emergency": {"now"},
    "urgent": {"now", "today"},
    "soon": {"2_days", "2_weeks", "next_session"},
    "self-care": {"none"},
}
ROUTES = {
    "emergency_services",
    "maternity_unit",
    "early_pregnancy_unit",
    "midwife",
    "gp",
    "urgent_line",
    "dialysis_unit",
    "dialysis_team",
    "anticoagulant_clinic",
    "lithium_prescriber",
    "diabetes_team",
    "care_team",
    "prescriber",
    "pharmacist",
    "none",
}
TESTS = {
    "kidneys_and_salts",
    "lithium_level",
    "calcium",
    "ck",
    "phosphate",
    "blood_sugar",
    "thyroid",
    "liver_and_salts",
    "ferritin",
    "inr",
}
# "Dispositions": the headline words of each timeframe (lower case, a part that must be there)
WHEN_LINE = {"2_days": "within 2 days", "next_session": "next dialysis session", "now": "now"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_rev3_fields_keep_their_pairings(triage: Triage, data: Any) -> None:
    answers = triage.contract.check(data.draw(valid_answer_sets(triage.contract)))
    result = triage.decide(answers)
    tier, within, route = result["disposition"], result["act_within"], result["route"]
    assert within in PAIRS[tier], (tier, within)
    assert route in ROUTES
    assert (route == "emergency_services") == (tier == "emergency")
    assert (route == "none") == (tier == "self-care")
    assert set(result["blood_tests"]) <= TESTS
    assert len(result["blood_tests"]) == len(set(result["blood_tests"]))
    if tier in ("self-care", "emergency"):
        assert result["blood_tests"] == [] and result["blood_test_line"] == ""
    assert bool(result["blood_tests"]) == bool(result["blood_test_line"])
    # "Routing": in pregnancy an urgent result never sends the person to the urgent line alone
    if tier == "urgent" and answers.get("pregnant") is True:
        assert route in ("maternity_unit", "early_pregnancy_unit"), route
    # the "When" line agrees with act_within (one deadline per sheet)
    timeframe = result["advice"]["timeframe"].lower()
    if within in WHEN_LINE and not (tier == "soon" and "as soon as you can" in timeframe):
        assert WHEN_LINE[within] in timeframe, (within, timeframe)
    if tier == "soon" and within != "2_weeks":
        assert "within 2 weeks" not in timeframe


def test_the_next_session_comes_before_two_weeks(triage: Triage) -> None:
    """The strictest timeframe wins; a dialysis session is days away, so it comes before 2 weeks
    and after 2 days (session 7 decision, docs/policy.md "Dispositions")."""
    rules = {r.id: r for r in triage.knowledge.rules}
    dialysis = triage.contract.check(
        {"version": 1, "conditions": ["kidney_disease", "dialysis"], "timing": ["during_dialysis"]}
    )
    both = [rules["dialysis_cramps"], rules["cramps_most_days"]]
    assert act_within([rules["dialysis_cramps"]], dialysis, "soon") == "next_session"
    assert act_within(both, dialysis, "soon") == "next_session"
    assert act_within([*both, rules["nsaid_blood_thinner"]], dialysis, "soon") == "2_days"


def test_every_applied_interaction_row_agrees_with_its_rule(triage: Triage) -> None:
    """A row of rules/interactions.yaml applied by a rule (`rule`): the rule sets the row's tier
    and timeframe and carries its warning (not_checked is the "not sure" slice's; an emergency
    sheet shows no warnings)."""
    k = triage.knowledge
    rules = {r.id: r for r in k.rules}
    default = {"emergency": "now", "urgent": "today", "soon": "2_weeks"}
    applied = [row for row in k.interactions if row.rule]
    assert len(applied) >= 20
    for row in applied:
        rule = rules[row.rule]
        assert (rule.tier or "none") == row.tier, row.id
        if rule.tier is not None:
            own = {v.text for v in rule.act_within}
            if not any(v.when is None and v.unless is None for v in rule.act_within):
                own.add(default[rule.tier])
            assert row.act_within in own, row.id
        if row.warning not in ("none", "not_checked") and row.tier != "emergency":
            assert row.warning in rule.warn, row.id
