"""The one condition language of the data files, used by question `when:` and rule `when:`.

    when: {}                                   always
    when: {sex: female}                        equality
    when: {age: {min: 12, max: 55}}            numeric range, both ends included
    when: {sex: {in: [female, other]}}         one of several values
    when: {pregnant: {is_not: true}}           absent, or any other value
    when: {symptoms: {has: one_leg_swollen}}   a list answer contains a value
    when: {symptoms: {has_any: [a, b]}}        ... contains at least one of them
    when: {age: {absent: true}}                not answered ("not reported")
    when: {any: [cond, cond]}  /  {all: [cond, cond]}

A mapping of several fields means all of them. A field that was not answered matches nothing
except `is_not` and `absent`. There is no general negation: that keeps the rules
order-independent in durable-rules (see engine.py). Conditions are checked against the answers
contract when loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from triage.contract import Field, same_value
from triage.errors import show

OPERATORS = ("eq", "in", "min", "max", "is_not", "has", "has_any", "absent")


class Test(NamedTuple):
    field: str
    op: str
    value: Any  # a scalar, or a tuple for `in` and `has_any`


class All(NamedTuple):
    parts: tuple[Condition, ...]


class AnyOf(NamedTuple):
    parts: tuple[Condition, ...]


Condition = Test | All | AnyOf
ALWAYS = All(())


class ConditionError(ValueError):
    """A condition in a data file is malformed; the message says which part."""


def parse(node: Any, fields: Mapping[str, Field]) -> Condition:
    """Turn the YAML form into a checked Condition tree."""
    if node is None:
        return ALWAYS
    if not isinstance(node, Mapping):
        raise ConditionError(f"a condition must be a mapping, got {show(node)}")
    if "all" in node or "any" in node:
        if len(node) != 1:
            raise ConditionError("'all' or 'any' must be the only key of its mapping")
        ((word, items),) = node.items()
        if not isinstance(items, list) or not items:
            raise ConditionError(f"'{word}' needs a non-empty list of conditions")
        parts = tuple(parse(item, fields) for item in items)
        return All(parts) if word == "all" else AnyOf(parts)
    tests: list[Condition] = []
    for name, spec in node.items():
        field = fields.get(name)
        if field is None:
            raise ConditionError(f"unknown answer key {show(name)}")
        if isinstance(spec, Mapping):
            if not spec:
                raise ConditionError(f"{name}: empty test")
            for op, value in spec.items():
                tests.append(_test(field, str(op), value))
        else:
            tests.append(_test(field, "eq", spec))
    return tests[0] if len(tests) == 1 else All(tuple(tests))


def _test(field: Field, op: str, value: Any) -> Test:
    if op not in OPERATORS or (op == "eq" and isinstance(value, Mapping)):
        raise ConditionError(
            f"{field.name}: unknown operator {show(op)}; use one of {', '.join(OPERATORS[1:])}"
        )
    if op == "absent":
        if value is not True:
            raise ConditionError(f"{field.name}: 'absent' takes only true")
        return Test(field.name, op, True)
    if op in ("has", "has_any"):
        if field.kind != "list":
            raise ConditionError(f"{field.name}: '{op}' works only on list answers")
        values = value if op == "has_any" else [value]
        if op == "has_any" and (not isinstance(value, list) or not value):
            raise ConditionError(f"{field.name}: 'has_any' needs a non-empty list")
        _check_values(field, values)
        return Test(field.name, op, tuple(value) if op == "has_any" else value)
    if field.kind == "list":
        raise ConditionError(f"{field.name}: a list answer needs 'has' or 'has_any'")
    if op in ("min", "max"):
        if field.kind != "integer" or isinstance(value, bool) or not isinstance(value, int):
            raise ConditionError(f"{field.name}: '{op}' needs a whole number on a number answer")
        return Test(field.name, op, value)
    if op == "in":
        if not isinstance(value, list) or not value:
            raise ConditionError(f"{field.name}: 'in' needs a non-empty list")
        _check_values(field, value)
        return Test(field.name, op, tuple(value))
    _check_values(field, [value])
    return Test(field.name, op, value)


def _check_values(field: Field, values: list[Any]) -> None:
    for value in values:
        if field.kind == "integer":
            ok = isinstance(value, int) and not isinstance(value, bool)
        else:
            ok = any(type(value) is type(v) and value == v for v in field.values)
        if not ok:
            allowed = ", ".join(map(str, field.values)) or "a whole number"
            raise ConditionError(
                f"{field.name}: {show(value)} is not a possible answer ({allowed})"
            )


def holds(cond: Condition, answers: Mapping[str, Any]) -> bool:
    """Evaluate a condition in Python (used for question branching; rules run in durable)."""
    if isinstance(cond, All):
        return all(holds(part, answers) for part in cond.parts)
    if isinstance(cond, AnyOf):
        return any(holds(part, answers) for part in cond.parts)
    present = cond.field in answers
    value = answers.get(cond.field)
    if cond.op == "is_not":
        return not present or not same_value(value, cond.value)
    if cond.op == "absent":
        return not present
    if not present:
        return False
    if cond.op == "eq":
        return same_value(value, cond.value)
    if cond.op == "in":
        return any(same_value(value, v) for v in cond.value)
    if cond.op == "min":
        return bool(value >= cond.value)
    if cond.op == "max":
        return bool(value <= cond.value)
    items: Any = value  # a list answer: only list fields take has / has_any (checked at load)
    if cond.op == "has":
        return cond.value in items
    return any(v in items for v in cond.value)  # has_any


def could_hold(cond: Condition, answers: Mapping[str, Any], still_open: Mapping[str, Any]) -> bool:
    """Could `cond` hold once the questions still to come are answered? `still_open` maps each
    key a later question may fill to None (any value: not answered yet) or, for a list, the
    values it may still gain. False only when no later answer can make it hold."""
    if isinstance(cond, All):
        return all(could_hold(part, answers, still_open) for part in cond.parts)
    if isinstance(cond, AnyOf):
        return any(could_hold(part, answers, still_open) for part in cond.parts)
    if cond.field not in still_open:
        return holds(cond, answers)
    gains = still_open[cond.field]
    if gains is None or cond.op not in ("has", "has_any"):
        return True
    items = set(answers.get(cond.field, ())) | set(gains)
    wanted = (cond.value,) if cond.op == "has" else cond.value
    return any(v in items for v in wanted)


def fields_used(cond: Condition) -> set[str]:
    if isinstance(cond, (All, AnyOf)):
        return set().union(*(fields_used(p) for p in cond.parts)) if cond.parts else set()
    return {cond.field}
