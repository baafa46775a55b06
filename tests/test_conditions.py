"""The condition language: parse errors are precise, and Python and durable-rules agree on it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage import conditions
from triage.conditions import ConditionError, holds, parse
from triage.pipeline import Triage


@pytest.mark.parametrize(
    ("node", "words"),
    [
        ({"symptom": {"has": "dark_urine"}}, "unknown answer key 'symptom'"),
        ({"symptoms": {"has": "darkurine"}}, "'darkurine' is not a possible answer"),
        ({"symptoms": "dark_urine"}, "needs 'has' or 'has_any'"),
        ({"age": {"over": 3}}, "unknown operator 'over'"),
        ({"age": {"min": "3"}}, "needs a whole number"),
        ({"sex": {"has": "male"}}, "only on list answers"),
        ({"all": []}, "non-empty list"),
        ({"all": [{}], "sex": "male"}, "must be the only key"),
        ({"sex": {"in": []}}, "non-empty list"),
        ({"pregnant": "yes"}, "'yes' is not a possible answer"),
        ({"$not": {"sex": "male"}}, "unknown answer key '$not'"),
        (["sex"], "must be a mapping"),
    ],
)
def test_bad_conditions_are_named(triage: Triage, node: Any, words: str) -> None:
    with pytest.raises(ConditionError, match=words.replace("(", r"\(").replace("$", r"\$")):
        parse(node, triage.contract.fields)


def test_absent_answer_matches_only_is_not(triage: Triage) -> None:
    f = triage.contract.fields
    assert not holds(parse({"pregnant": False}, f), {"version": 1})
    assert holds(parse({"pregnant": {"is_not": True}}, f), {"version": 1})
    assert not holds(parse({"age": {"max": 50}}, f), {"version": 1})
    assert holds(parse({}, f), {"version": 1})


def test_absent_matches_only_a_key_left_out(triage: Triage) -> None:
    """`absent` (rev 3, "not reported"): true for a key left out, false for any answer, [] too."""
    f = triage.contract.fields
    cond = parse({"conditions": {"absent": True}}, f)
    assert holds(cond, {"version": 1})
    assert not holds(cond, {"version": 1, "conditions": []})
    assert not holds(parse({"age": {"absent": True}}, f), {"version": 1, "age": 40})
    with pytest.raises(ConditionError, match="'absent' takes only true"):
        parse({"age": {"absent": False}}, f)


@st.composite
def answers(draw: Any, triage: Triage) -> dict[str, Any]:
    out: dict[str, Any] = {"version": 1}
    for name, field in triage.contract.fields.items():
        if field.kind == "const" or draw(st.integers(0, 4)) == 0:
            continue  # leave some keys out: absent must behave the same in both engines
        if field.kind == "integer":
            out[name] = draw(st.integers(field.minimum or 0, field.maximum or 100))
        elif field.kind == "list":
            out[name] = draw(st.lists(st.sampled_from(field.values), unique=True, max_size=4))
        elif field.kind == "date":
            out[name] = draw(st.sampled_from(["2026-11-10", "2026-12-01"]))
        else:
            out[name] = draw(st.sampled_from(field.values))
    return out


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_python_and_durable_agree_on_every_rule(triage: Triage, data: Any) -> None:
    """For random answers, the rules durable fires are exactly those whose condition holds in Python.

    The questionnaire's `when` uses the Python evaluator and the rules use durable; this keeps
    the one language meaning one thing.
    """
    a = data.draw(answers(triage))
    expected = sorted(r.id for r in triage.knowledge.rules if holds(r.when, a))
    assert list(triage.engine.fired(a)) == expected


def test_fields_used(triage: Triage) -> None:
    cond = parse(
        {"any": [{"sex": "male"}, {"age": {"min": 3}, "symptoms": {"has": "twitching"}}]},
        triage.contract.fields,
    )
    assert conditions.fields_used(cond) == {"sex", "age", "symptoms"}
