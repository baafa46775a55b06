"""The durable-rules wrapper guards every pitfall listed at the top of triage/engine.py."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from triage import engine as engine_module
from triage.conditions import All, parse
from triage.engine import Engine, EngineError, compile_ruleset, lint
from triage.errors import DataFileError
from triage.model import Rule
from triage.pipeline import Triage

from .conftest import base_answers


def make_rule(triage: Triage, rule_id: str, when: Any) -> Rule:
    return Rule(
        id=rule_id, when=parse(when, triage.contract.fields), source="x", file="test", tier="soon"
    )


@pytest.mark.parametrize(
    "body",
    [
        {"all": [{"m": {"sex": "male"}}, {"m_1$not": {"sex": "female"}}], "run": "r"},
        {"all": [{"m": {"$s": 1}}], "run": "r"},
        {"pri": 1, "all": [{"m": {"sex": "male"}}], "run": "r"},
        {"all": [{"a": {"sex": "male"}}, {"b": {"age": 3}}], "run": "r"},
        {"all": [{"m": {"$and": [{"sex": "male"}, {"$not": {"age": 3}}]}}], "run": "r"},
        {"count": 2, "all": [{"m": {"sex": "male"}}], "run": "r"},
        {"all": [{"m": {"$iany": {"symptoms": {"$or": [{"$i": "a"}, {"$i": "b"}]}}}}], "run": "r"},
    ],
)
def test_lint_refuses_order_dependent_or_looping_constructs(body: dict[str, Any]) -> None:
    with pytest.raises(DataFileError, match="rule r"):
        lint({"r": body})


def test_compiled_ruleset_passes_lint_and_leaves_out_unconditional_rules(triage: Triage) -> None:
    definition = compile_ruleset(triage.knowledge.rules)
    lint(definition)
    always = {r.id for r in triage.knowledge.rules if r.when == All(())}
    assert always and not always & set(definition)
    assert set(definition) | always == {r.id for r in triage.knowledge.rules} | {"__catch_all__"}


def test_unconditional_rules_fire_without_matching(triage: Triage) -> None:
    eng = Engine([make_rule(triage, "always", {}), make_rule(triage, "males", {"sex": "male"})])
    assert eng.fired({"version": 1, "sex": "female"}) == ("always",)
    assert eng.fired({"version": 1, "sex": "male"}) == ("always", "males")


def test_answers_nobody_tests_are_still_handled(triage: Triage) -> None:
    """The catch-all rule: a fact no rule matches is not MessageNotHandled, just no findings.

    Without it durable keeps a session for the unmatched fact: deleting it segfaults, and not
    deleting it runs out of sessions after ~1024. 3000 unmatched facts prove neither happens.
    """
    eng = Engine([make_rule(triage, "only_males", {"sex": "male"})])
    assert all(eng.fired({"version": 1, "sex": "female"}) == () for _ in range(3000))
    assert eng.fired({"version": 1, "sex": "male"}) == ("only_males",)


def test_unchecked_answers_are_an_error_not_a_crash(triage: Triage) -> None:
    eng = Engine([make_rule(triage, "only_males", {"sex": "male"})])
    with pytest.raises(EngineError, match="unchecked"):
        eng.fired({"sex": "female"})


def test_a_rule_fires_once_even_when_several_branches_hold(triage: Triage) -> None:
    """durable fires a top-level $or once per true branch; the wrapper deduplicates."""
    eng = Engine([make_rule(triage, "r", {"any": [{"sex": "male"}, {"age": {"min": 18}}]})])
    assert eng.fired({"version": 1, "sex": "male", "age": 40}) == ("r",)


def test_state_is_deleted_so_sessions_never_run_out(triage: Triage) -> None:
    """durable caps live sessions at 1024; 3000 evaluations must all work and agree."""
    answers = triage.contract.check(base_answers(symptoms=["twitching"]))
    first = triage.engine.fired(answers)
    assert all(triage.engine.fired(answers) == first for _ in range(3000))


def test_threads_share_one_engine_safely(triage: Triage) -> None:
    """Without the lock durable segfaults; with it, 4 threads get the serial answers."""
    cases = [
        triage.contract.check(base_answers(frequency=f, symptoms=s))
        for f in ("rare", "weekly", "most_days")
        for s in ([], ["twitching"], ["dark_urine"])
    ]
    expected = [triage.engine.fired(c) for c in cases]
    errors: list[str] = []

    def work() -> None:
        for _ in range(100):
            for case, want in zip(cases, expected, strict=True):
                if triage.engine.fired(case) != want:
                    errors.append("mismatch")

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_exception_in_an_action_is_raised_not_swallowed(
    triage: Triage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """durable catches exceptions in actions and hides them in the state; we raise them."""

    def failing_action(self: Any, name: str) -> Any:
        def action(c: Any) -> None:
            raise ValueError("boom in " + name)

        return action

    monkeypatch.setattr(engine_module._Host, "get_action", failing_action)
    eng = Engine([make_rule(triage, "r", {"sex": "male"})])
    with pytest.raises(EngineError, match="boom in"):
        eng.fired({"version": 1, "sex": "male"})


def test_results_are_sorted_and_repeatable(triage: Triage) -> None:
    answers = triage.contract.check(
        base_answers(symptoms=["twitching", "dark_urine"], frequency="most_days")
    )
    runs = {triage.evaluate(answers).to_json() for _ in range(20)}
    assert len(runs) == 1
    fired = triage.engine.fired(answers)
    assert list(fired) == sorted(fired)


def test_no_background_threads_per_engine(triage: Triage) -> None:
    """Each durable Host normally starts two immortal timer threads; ours starts none."""
    before = threading.active_count()
    engines = [Engine(triage.knowledge.rules) for _ in range(5)]
    assert threading.active_count() == before and len(engines) == 5


def test_many_engines_in_one_process(triage: Triage) -> None:
    """Regression: with `$or` inside `$iany`, durable refused our ruleset now and then (error
    102) after enough allocations in the process; the test suite hit it at random. 300 engines
    built and used in one process, with garbage made in between, must all work."""
    answers = triage.contract.check(base_answers(symptoms=["twitching"]))
    junk = []
    for n in range(300):
        junk.append([str(i) * 50 for i in range(200)])
        if len(junk) > 20:
            junk.pop(0)
        assert Engine(triage.knowledge.rules).fired(answers) == triage.engine.fired(answers), n
