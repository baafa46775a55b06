"""The rules engine: the only module that imports durable-rules.

durable-rules 2.0.28 has sharp edges (each measured with that version, and listed
below). Each is guarded here, once:

1. An unmatched fact raises MessageNotHandledException, and (measured here, the hard way)
   still leaves a session behind: deleting it then segfaults the process, and not
   deleting it leaks until MemoryError at ~1024 sessions. So a catch-all rule always matches;
   should the exception appear anyway, it is an error, and that session is left alone.
2. Exceptions inside actions are swallowed into state['exception']: we raise them.
3. Negation (`$not`, `none`) is order-dependent: each person's answers are ONE fact, rules
   test only that fact, and the compiled ruleset is linted for forbidden constructs.
4. Rules on session state can loop forever: no `$s` rules (lint).
5. More than 1024 live sessions raise MemoryError: a fresh id per run, state always deleted.
6. Threads without a lock segfault: one lock around every evaluation.
7. Each Host starts two immortal timer threads: one private Host, with its timers disabled.
8. Type coercion ('39' matches 39, 1 matches true): answers are validated first, and the
   condition language compares only values of the field's own type.
9. set_rulesets deletes 'run' keys from what it is given: it gets a deep copy.
   An `$iany`/`$iall` around `$or`/`$and` makes durable read a node field it never set and
   refuse the ruleset now and then (error 102, found by the tests): the linter forbids it.
10. Firing order is not a contract, and a top-level `$or` fires once per true branch: the
    result is a deduplicated, sorted set of rule ids.

Speed (measured in benchmarks/batch.py): durable JSON-encodes the session state after every
action, so actions record the rule id in a Python dict keyed by session, leaving the state
tiny; and a rule whose condition is empty needs no matching, so it is concluded directly.
"""

from __future__ import annotations

import copy
import itertools
import os
import sys
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from triage.conditions import All, AnyOf, Condition, Test
from triage.errors import DataFileError, TriageError
from triage.model import Rule

# durable-rules ships only as source; a plain `pip install` on Python 3.13+ builds a C extension
# that fails to import ("undefined symbol: PyEval_CallObject"). Say how to fix it, in one line.
REINSTALL = (
    "CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject {python} -m pip install --force-reinstall "
    "--no-deps --no-cache-dir --no-binary durable-rules durable-rules==2.0.28"
)


class InstallError(TriageError):
    """The rules engine's C extension is missing or was built wrongly: an install problem."""

    exit_code = 3


try:
    from durable import engine as _durable
except ImportError as exc:
    raise InstallError(
        "the rules engine (durable-rules) is not installed correctly"
        + (" for Python 3.13+" if "PyEval_CallObject" in str(exc) else "")
        + "; fix it with: "
        + REINSTALL.format(python=sys.executable)
    ) from None

RULESET = "triage"
CATCH_ALL = "__catch_all__"
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


class EngineError(TriageError):
    """The engine failed while evaluating; this is a bug, never a person's fault."""

    exit_code = 70


def compile_condition(cond: Condition) -> dict[str, Any]:
    """Translate the data files' condition language to a durable-rules JSON expression."""
    if isinstance(cond, (All, AnyOf)):
        if not cond.parts:
            return {"$ex": {"version": 1}}  # always true: every checked answer set has a version
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
    for rule in rules:
        if not unconditional(rule):
            definition[rule.id] = {"all": [{"m": compile_condition(rule.when)}], "run": rule.id}
    definition[CATCH_ALL] = {"all": [{"m": {"$ex": {"version": 1}}}], "run": CATCH_ALL}
    lint(definition)
    return definition


def lint(definition: Mapping[str, Any]) -> None:
    """Refuse durable constructs that break order-independence or termination."""

    def walk(node: Any, rule: str, in_array_test: bool = False) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                if key in _FORBIDDEN or str(key).endswith("$not") or str(key).startswith("$s"):
                    raise DataFileError(
                        "rules/logic", f"rule {rule}", f"uses forbidden engine construct {key!r}"
                    )
                if in_array_test and key in ("$or", "$and"):
                    raise DataFileError(
                        "rules/logic",
                        f"rule {rule}",
                        f"{key!r} inside $iany/$iall crashes durable-rules",
                    )
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
            raise DataFileError("rules/logic", f"rule {rule_id}", "must test exactly one fact, 'm'")
        walk(body, rule_id)


class _Host(_durable.Host):  # type: ignore[misc]
    """A private host: an action adds its rule id to `fired[session id]`, and does nothing else."""

    def __init__(self) -> None:
        self.fired: dict[str, set[str]] = {}
        super().__init__()

    def _run(self) -> None:  # no background timer threads: every call here is synchronous
        pass

    def get_action(self, name: str) -> Any:
        fired = self.fired

        def record(c: Any) -> None:
            fired[c.s.sid].add(name)

        return (lambda c: None) if name == CATCH_ALL else record


class Engine:
    """Evaluates one person's answers against the loaded rules. Safe to share between threads."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = tuple(rules)
        self._always = frozenset(r.id for r in self.rules if unconditional(r))
        self._host = _Host()
        self._lock = threading.Lock()
        self._ids = itertools.count()
        self._prefix = f"{os.getpid()}-{id(self)}-"
        try:
            self._host.set_rulesets({RULESET: copy.deepcopy(compile_ruleset(self.rules))})
        except Exception as exc:  # durable raises bare Exception for a bad definition
            raise DataFileError(
                "rules/logic", "ruleset", f"durable-rules refused it: {exc}"
            ) from None

    def fired(self, answers: Mapping[str, Any]) -> tuple[str, ...]:
        """Ids of every rule whose condition holds for these answers, sorted."""
        fact = {k: v for k, v in answers.items() if k != "sid"}
        with self._lock:
            sid = self._prefix + str(next(self._ids))
            fact["sid"] = sid
            fired = self._host.fired[sid] = set(self._always)
            try:
                state = self._host.assert_fact(RULESET, fact)
            except _durable.MessageNotHandledException:
                # Only a fact without `version` can miss the catch-all; deleting its session
                # would crash the process, so it is left (validated answers never get here).
                raise EngineError(
                    "rules engine error: the answers reached the engine unchecked"
                ) from None
            except Exception as exc:
                self._host.delete_state(RULESET, sid)
                raise EngineError(f"rules engine error: {exc}") from None
            finally:
                del self._host.fired[sid]
            self._host.delete_state(RULESET, sid)
            if "exception" in state:
                raise EngineError(f"rules engine error: {state['exception']}")
            return tuple(sorted(fired))
