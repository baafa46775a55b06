"""The rules engine: the only module that imports durable-rules.

durable-rules is a C matching engine (`durable_rules_engine`) with a Python layer
(`durable.engine`: hosts, closures, timers) around it. triage drives the C engine directly,
with the same calls in the same order as that layer (assert the fact; start its session's
actions; complete each one; delete the session), because the layer cost most of an
evaluation's time and, on every start, the import of modules triage never uses (measured in
benchmarks/). An action here runs no code: it is only the name of the rule that matched.

durable-rules 2.0.28 has sharp edges (each measured with that version, and listed
below). Each is guarded here, once:

1. An unmatched fact is not handled (in the Python layer: MessageNotHandledException) and
   still leaves a session behind; sessions not deleted run out at 1024 (MemoryError), and
   deleting the session of a call that failed with that MemoryError segfaults (measured here).
   So the catch-all rule matches every fact (on a field set on each one here; not `sid`, which
   durable's own session state has too: a rule matching it loops forever), a fact without
   `version` is refused before it reaches durable, and every session is deleted, except after
   an engine error (see 11).
2. Exceptions inside actions are swallowed into state['exception'] by the Python layer: no
   Python runs inside an action here, and any error of the C engine is an EngineError.
3. Negation (`$not`, `none`) is order-dependent: each person's answers are ONE fact, rules
   test only that fact, and the compiled ruleset is linted for forbidden constructs.
4. Rules on session state can loop forever: no `$s` rules (lint).
5. More than 1024 live sessions raise MemoryError: a fresh id per run, state always deleted.
6. Threads without a lock segfault: one lock around every evaluation.
   A KeyboardInterrupt raised inside an action is caught by durable's Python layer and
   reported as an action error (so Ctrl-C would become a bad case); a stop halfway through a
   session would leave it undeleted: SIGINT, SIGTERM and SIGHUP wait while durable runs
   (triage.signals.deferred), and take effect the moment it returns.
7. Each Host of the Python layer starts two immortal timer threads: there is no Host here.
8. Type coercion ('39' matches 39, 1 matches true): answers are validated first, and the
   condition language compares only values of the field's own type.
9. The Python layer's set_rulesets deletes 'run' keys from what it is given: the C engine
   here gets a definition of its own, each rule's `all` alone (what that layer gives it).
   An `$iany`/`$iall` around `$or`/`$and` makes durable read a node field it never set and
   refuse the ruleset now and then (error 102, found by the tests): the linter forbids it.
10. Firing order is not a contract, and a top-level `$or` fires once per true branch: the
    result is a deduplicated, sorted set of rule ids.
11. Matching walks the alpha network with a fixed stack of 64 nodes (events.c MAX_STACK_SIZE):
    one fact that matches more tests at once gets error 303, and deleting that session then
    aborts the process ("double free", found with every answer value ticked). So the rules are
    split into several rulesets, each with at most STACK_BUDGET alpha nodes counted as an upper
    bound (every `$or` expanded), so no fact can overflow one; and after any engine error a
    session is left alone, never deleted.
12. A rule whose condition can hold through an absence test (`$nex`) alone, not inside an
    `$and` with a positive test (for example `{"$nex": {"age": 1}}`, or an `$or` with such a
    branch), fires its action again and again and never returns (measured here, durable-rules
    2.0.28). Every condition that tests an absence is compiled inside
    `{"$and": [ALWAYS, ...]}`, which every fact asserted here satisfies.
13. The Python layer drops an action that starts more than 10 s after its match, without a
    word (seen on a heavily loaded machine, in ./dev mutate): the rules it should have
    recorded are missing. Here every ruleset's actions must include its catch-all, which
    matches every fact; a session without it is a lost evaluation, run again once in a fresh
    session; a second loss is an engine error, never a partial result.
14. A fact without an `id` is named by a hash of its content (sid included), and the session's
    own state fact is named "sid-<sid>"; both names are stored by a 32-bit hash, unchecked.
    When the two hashes meet (about one fact in 4 billion; found in ./dev exhaustive: one
    colliding pair is in tests/test_engine.py), assert_fact answers 2, "already observed".
    Deleting that session can crash the process (seen in the tests), so it is left alone,
    as after any engine error, and the evaluation runs again under a fresh session id, as in
    13. Each collision leaves one session: 1024 of them would take trillions of evaluations.

Speed (measured in benchmarks/batch.py): each ruleset is given only the answers its rules
test, the session state is never read back or rewritten, and a rule whose condition is empty
needs no matching, so it is concluded directly.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from triage import signals
from triage.conditions import All, AnyOf, Condition, Test
from triage.errors import DataFileError, EngineError, InstallError, Said, show
from triage.model import RESERVED_PREFIX, Rule

# durable-rules ships only as source; a plain `pip install` on Python 3.13+ builds a C extension
# that fails to import ("undefined symbol: PyEval_CallObject"). Say how to fix it, in one line.
REINSTALL = (
    "CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject {python} -m pip install --force-reinstall "
    "--no-deps --no-cache-dir --no-binary durable-rules durable-rules==2.0.28"
)


try:
    import durable_rules_engine as _rete  # type: ignore[import-not-found]  # durable C engine
except ImportError as exc:
    # In Python, not rules/ui.yaml: a broken install is refused before any data is read.
    raise InstallError(
        "the rules engine (durable-rules) is not installed correctly"
        + (" for Python 3.13+" if "PyEval_CallObject" in str(exc) else "")
        + "; fix it with: "
        + REINSTALL.format(python=sys.executable)
    ) from None

LOGIC = "rules/logic"  # what a whole ruleset's errors name: no one rule's file is to blame
RULESET = "triage"
CATCH_ALL = RESERVED_PREFIX + "catch_all__"  # a rule id the loader refuses in rules/
MARK = "__triage_fact__"  # set on every fact asserted here (never on durable's session state)
ALWAYS = {"$ex": {MARK: 1}}  # true of every fact: the catch-all cannot be missed
_FORBIDDEN = {
    "$not",
    "$s",
    "$nex_s",
    "count",
    "cap",
    "pri",
    "dist",
    "$state",
    "$flow",
    "$atLeast",
    "$atMost",
}


def compile_condition(cond: Condition) -> dict[str, Any]:
    """Translate the data files' condition language to a durable-rules JSON expression."""
    if isinstance(cond, (All, AnyOf)):
        if not cond.parts:
            return dict(ALWAYS)
        parts = [compile_condition(p) for p in cond.parts]
        if len(parts) == 1:
            return parts[0]
        return {"$and" if isinstance(cond, All) else "$or": parts}
    return _compile_test(cond)


def _compile_test(t: Test) -> dict[str, Any]:
    f, v = t.field, t.value
    if t.op == "eq":
        return {f: v}
    if t.op == "in":
        return {"$or": [{f: x} for x in v]} if len(v) > 1 else {f: v[0]}
    if t.op == "min":
        return {"$gte": {f: v}}
    if t.op == "max":
        return {"$lte": {f: v}}
    if t.op == "is_not":
        return {"$or": [{"$nex": {f: 1}}, {"$neq": {f: v}}]}
    if t.op == "absent":
        return {"$nex": {f: 1}}
    if t.op == "has":
        return {"$iany": {f: {"$i": v}}}
    if t.op == "has_any":
        # Not {"$iany": {f: {"$or": [...]}}}: durable 2.0.28 then reads a node field it never
        # set (rete.c createAlpha, realloc'd pool) and now and then refuses the ruleset with
        # error 102. An $or of single-value $iany tests avoids that path.
        tests = [{"$iany": {f: {"$i": x}}} for x in v]
        return tests[0] if len(tests) == 1 else {"$or": tests}
    raise ValueError(t.op)


def unconditional(rule: Rule) -> bool:
    return isinstance(rule.when, All) and not rule.when.parts


def compile_ruleset(rules: Iterable[Rule]) -> dict[str, Any]:
    """The durable-rules definition of every rule that has a condition to match."""
    definition: dict[str, Any] = {}
    rules = tuple(rules)
    for rule in rules:
        if not unconditional(rule):
            compiled = _anchored(compile_condition(rule.when))  # pitfall 12
            definition[rule.id] = {"all": [{"m": compiled}], "run": rule.id}
    definition[CATCH_ALL] = {"all": [{"m": dict(ALWAYS)}], "run": CATCH_ALL}
    lint(definition, {rule.id: rule.file for rule in rules})
    return definition


def _tests_absence(node: Mapping[str, Any]) -> bool:
    """Can the expression hold through absence tests alone (pitfall 12)? An `$and` can when
    every part can; an `$or` when one branch can."""
    if set(node) == {"$or"}:
        return any(_tests_absence(p) for p in node["$or"])
    if set(node) == {"$and"}:
        return all(_tests_absence(p) for p in node["$and"])
    return "$nex" in node


def _anchored(node: dict[str, Any]) -> dict[str, Any]:
    """The same condition with no way to hold through absence tests alone (pitfall 12): each
    such way gets the positive test ALWAYS beside it. Only those ways: every term that gets it
    costs one more alpha node of the matching stack (pitfall 11)."""
    if not _tests_absence(node):
        return node
    if set(node) == {"$or"}:
        return {"$or": [_anchored(p) for p in node["$or"]]}
    if set(node) == {"$and"}:  # every part can hold through absences: anchoring one is enough
        parts = node["$and"]
        choices = [
            {"$and": [*parts[:i], _anchored(p), *parts[i + 1 :]]} for i, p in enumerate(parts)
        ]
        return min(choices, key=lambda c: alpha_nodes(c)[1])
    return {"$and": [dict(ALWAYS), node]}


STACK_BUDGET = 60  # durable's matching stack holds 64 alpha nodes; a few to spare


def alpha_nodes(expression: Mapping[str, Any]) -> tuple[int, int]:
    """(terms, nodes) of an expression expanded into an $or of $and chains: `nodes` is an upper
    bound on the alpha nodes durable can build for it, whether it shares them or not."""
    if set(expression) == {"$or"}:
        parts = [alpha_nodes(p) for p in expression["$or"]]
        return sum(t for t, _ in parts), sum(n for _, n in parts)
    if set(expression) == {"$and"}:
        terms, nodes = 1, 0
        for part in expression["$and"]:
            t, n = alpha_nodes(part)
            terms, nodes = terms * t, nodes * t + n * terms
        return terms, nodes
    return 1, 1


def fields_of(node: Any) -> set[str]:
    """The answer keys a compiled rule reads, with `sid` (every fact needs its session)."""
    found, todo = {"sid"}, [node]
    while todo:  # a loop, not recursion: this runs on every start
        item = todo.pop()
        if isinstance(item, Mapping):
            found.update(k for k in item if not k.startswith("$") and k not in ("all", "run", "m"))
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return found


def split_ruleset(
    definition: Mapping[str, Any], files: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """The definition cut into rulesets of at most STACK_BUDGET alpha nodes, each with the
    catch-all, in the definition's order (first fit). `files`: each rule's file, for errors."""
    catch_all = {CATCH_ALL: definition[CATCH_ALL]}
    budget = STACK_BUDGET - alpha_nodes(definition[CATCH_ALL]["all"][0]["m"])[1]
    parts: list[tuple[int, dict[str, Any]]] = []
    for rule_id, body in definition.items():
        if rule_id == CATCH_ALL:
            continue
        nodes = alpha_nodes(body["all"][0]["m"])[1]
        if nodes > budget:
            raise DataFileError(
                (files or {}).get(rule_id, LOGIC),
                f"rule {rule_id}",
                f"needs up to {nodes} engine nodes, more than {budget}: split it in two rules",
            )
        part = next((p for p in parts if p[0] + nodes <= budget), None)
        if part is None:
            parts.append((nodes, {rule_id: body}))
        else:
            parts[parts.index(part)] = (part[0] + nodes, {**part[1], rule_id: body})
    return [{**rules, **catch_all} for _, rules in parts] or [dict(catch_all)]


def lint(definition: Mapping[str, Any], files: Mapping[str, str] | None = None) -> None:
    """Refuse durable constructs that break order-independence or termination. `files`: each
    rule's file, for errors."""

    def fail(rule: str, detail: str) -> DataFileError:
        return DataFileError((files or {}).get(rule, LOGIC), f"rule {rule}", detail)

    def walk(node: Any, rule: str, in_array_test: bool = False) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                if key in _FORBIDDEN or str(key).endswith("$not") or str(key).startswith("$s"):
                    raise fail(rule, f"uses forbidden engine construct {show(key)}")
                if in_array_test and key in ("$or", "$and"):
                    raise fail(rule, f"{show(key)} inside $iany/$iall crashes durable-rules")
                walk(value, rule, in_array_test or key in ("$iany", "$iall"))
        elif isinstance(node, list):
            for item in node:
                walk(item, rule, in_array_test)

    for rule_id, body in definition.items():
        if (
            set(body) - {"all", "run"}
            or len(body.get("all", [])) != 1
            or set(body["all"][0]) != {"m"}
        ):
            raise fail(rule_id, "must test exactly one fact, 'm'")
        walk(body, rule_id)


# Each ruleset as durable's C engine takes it (JSON text), with the answer keys its rules read.
Plan = tuple[tuple[str, frozenset[str]], ...]


def make_plan(rules: Iterable[Rule]) -> Plan:
    """The rules compiled, checked (lint) and split into rulesets durable can hold. Each ruleset
    is given only the answers its rules test (and `version`, for the catch-all): durable encodes
    every fact it is given, so a smaller one is faster."""
    rules = tuple(rules)
    files = {rule.id: rule.file for rule in rules}
    return tuple(
        (_definition(part), frozenset().union(*map(fields_of, part.values())))
        for part in split_ruleset(compile_ruleset(rules), files)
    )


def _definition(part: Mapping[str, Any]) -> str:
    """A ruleset's JSON for durable (its actions are named by its rules' ids)."""
    definition = {rule_id: {"all": body["all"]} for rule_id, body in part.items()}
    return json.dumps(definition, ensure_ascii=False)


class Engine:
    """Evaluates one person's answers against the loaded rules. Safe to share between threads."""

    def __init__(self, rules: Iterable[Rule], plan: Plan | None = None) -> None:
        """`plan`: `make_plan(rules)`, when it was made before (triage.pipeline keeps it)."""
        self.rules = tuple(rules)
        self._always = frozenset(r.id for r in self.rules if unconditional(r))
        self._lock = threading.Lock()
        self._ids = itertools.count()
        self._prefix = f"{os.getpid()}-{id(self)}-"
        self._rulesets = tuple(
            (_create(f"{RULESET}-{i}", definition), fields)
            for i, (definition, fields) in enumerate(plan or make_plan(self.rules))
        )

    def fired(self, answers: Mapping[str, Any]) -> tuple[str, ...]:
        """Ids of every rule whose condition holds for these answers, sorted."""
        if answers.get("version") is None:
            raise EngineError(Said("errors.engine.unchecked"))
        fact = {k: v for k, v in answers.items() if k != "sid"}
        fact[MARK] = 1
        for _attempt in range(2):
            found = self._fired_once(fact)
            if found is not None:
                return found
        raise EngineError(Said("errors.engine.dropped"))

    def _fired_once(self, fact: dict[str, Any]) -> tuple[str, ...] | None:
        """One evaluation in a fresh session; None when an action was lost (13) or the fact's
        name met its session's (14)."""
        with self._lock, signals.deferred():
            sid = self._prefix + str(next(self._ids))
            fired = set(self._always)
            for handle, fields in self._rulesets:
                given = {k: v for k, v in fact.items() if k in fields}
                given["sid"] = sid
                matched = self._matched(handle, _encode(given), sid)
                if matched is None or CATCH_ALL not in matched:
                    return None
                fired.update(matched)
            fired.discard(CATCH_ALL)
            return tuple(sorted(fired))

    def _matched(self, handle: int, fact: str, sid: str) -> list[str] | None:
        """The names of the rules one ruleset matched for one fact (one per action, as durable
        runs them), its session then freed; None when the fact's name met its session's (14).
        After that, or an engine error, the session is left alone: deleting it then can crash
        the process (see 1, 11 and 14 above)."""
        names: list[str] = []
        try:
            code, session = _rete.assert_fact(handle, fact)
            if code == _OBSERVED:
                return None
            if code == _NOT_HANDLED:
                raise EngineError(Said("errors.engine.no_catch_all"))
            if code != _OK:
                raise EngineError(Said("errors.engine.answered", {"code": str(code)}))
            started = _rete.start_action_for_state(handle, session)
            message = started[1] if started else None
            while message:
                names.append(next(iter(json.loads(message))))  # {rule name: what matched}
                message = _rete.complete_and_start_action(handle, session)
        except EngineError:
            raise
        except Exception as exc:  # durable's C engine raises bare errors, or MemoryError
            raise EngineError(Said("errors.engine.failed", {"detail": str(exc)})) from None
        _rete.delete_state(handle, sid)
        return names


_OK, _NOT_HANDLED, _OBSERVED = 0, 1, 2  # assert_fact's answers (durable's rules.h)
_encode = json.JSONEncoder(ensure_ascii=False).encode  # as json.dumps(fact, ensure_ascii=False)


def _create(name: str, definition: str) -> int:
    """One ruleset in durable's C engine, from its JSON (`make_plan`)."""
    try:
        handle: int = _rete.create_ruleset(name, definition)
    except Exception as exc:  # durable raises bare errors for a bad definition
        raise DataFileError(LOGIC, "ruleset", f"durable-rules refused it: {exc}") from None
    return handle
