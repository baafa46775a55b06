"""The early stop in a pseudo-terminal (policy rev 3, "Question order and early stop"): for every
rule of the loaded rules that decides `emergency`, or `urgent` with `act_within: now`, the
questionnaire is answered just far enough to fire it, and no further question is asked.

Nothing here is a hand-written list of rules or answers: the rules are those loaded from rules/
(a new "now" rule is covered without editing this file), and the answers that fire each one come
from the oracle's rows and the vignettes, both written from the policy text. A "now" rule that no
row or vignette reaches through the questions fails here, loudly."""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from triage.answer import contract_answers
from triage.conditions import fields_used, holds
from triage.errors import TriageError
from triage.model import Question, Rule
from triage.pipeline import Triage

from . import oracle
from .conftest import VIGNETTES
from .keys import asked, for_answers, part
from .screen import Pty, answer

pytestmark = pytest.mark.e2e

TRIAGE = Triage()
# Keys only a re-check writes (the saved sheet's tier, the days since): rules on them are the
# re-check's, whose stop is the same function (tests/test_recheck.py runs it).
RECHECK_ONLY = {
    "previous_disposition",
    "previous_frequency",
    "days_since_previous",
    "checked_since",
}
# Now rules the questions cannot reach yet, each with what will reach it. strict: once reached,
# the test passes and the mark fails the run, so the entry is removed then.
NOT_YET: dict[str, str] = {}  # a now rule no question reaches yet, with the reason


def decides_now(rule: Rule) -> bool:
    return rule.tier == "emergency" or (
        rule.tier == "urgent" and any(v.text == "now" for v in rule.act_within)
    )


NOW_RULES = [
    r.id
    for r in TRIAGE.knowledge.rules
    if decides_now(r) and not fields_used(r.when) & RECHECK_ONLY
]


def neutral(q: Question) -> Any:
    """What an ordinary person answers to a question a row leaves out: no sign, no."""
    if q.type == "checkbox":
        return []
    if q.type == "confirm":
        return False
    if q.type == "number":
        return 45 if q.key == "age" else (q.minimum or 0)
    values = [c.value for c in q.choices]
    return False if False in values else values[0]


def filled(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers with what they leave out, of the questions they are asked, answered as an
    ordinary person would (the questionnaire asks every question it reaches)."""
    out = dict(answers)
    for q in TRIAGE.questions:
        shown = q.when is None or holds(q.when, out)
        if shown and q.key not in out and not q.not_sure_of and not q.choices_from:
            out[q.key] = neutral(q)
    return out


def fires(answers: dict[str, Any]) -> set[str]:
    try:
        result = TRIAGE.evaluate(TRIAGE.contract.check(answers, source="case"))
    except TriageError:
        return set()
    return {reason.rule for reason in result.reasons}


@cache
def candidates() -> list[tuple[str, dict[str, Any], frozenset[str]]]:
    """Every oracle row and vignette, filled in, with the rules its whole answers fire."""
    rows = [(row.id, row.answers) for row in oracle.ROWS]
    rows += [(case["id"], case["answers"]) for case in VIGNETTES]
    out = []
    for cid, answers in rows:
        try:
            whole = filled(answers)
        except TriageError:
            continue
        out.append((cid, whole, frozenset(fires(whole))))
    return out


def stop_point(answers: dict[str, Any], most: int) -> int | None:
    """How many questions these answers are asked before the stop, or None (no stop within
    `most` questions)."""
    qs = asked(TRIAGE.questions, answers)[:most]
    given: dict[str, Any] = {}
    for n, q in enumerate(qs, 1):
        given[q.id] = part(q, answers)
        if TRIAGE.stops_early(contract_answers(qs[:n], given)):
            return n
    return None


def reach(rule: str) -> tuple[str, dict[str, Any], int]:
    """The case that fires `rule` in the fewest questions: (its id, its answers, questions)."""
    best: tuple[str, dict[str, Any], int] | None = None
    for cid, answers, fired in candidates():
        if rule not in fired:
            continue
        n = stop_point(answers, best[2] - 1 if best else len(TRIAGE.questions))
        if n is None:
            continue
        qs = asked(TRIAGE.questions, answers)[:n]
        so_far = contract_answers(qs, {q.id: part(q, answers) for q in qs})
        if rule in fires(so_far):
            best = (cid, answers, n)
    if best is None:
        pytest.fail(
            f"no oracle row or vignette fires the 'now' rule {rule} through the questions: add a"
            " row for it to tests/oracle.py, or a question that asks what it needs"
        )
    return best


def test_every_now_rule_is_here() -> None:
    """The list is the loaded rules': every emergency rule and the urgent-now ones."""
    tiers = {r.id: r.tier for r in TRIAGE.knowledge.rules}
    assert {tiers[r] for r in NOW_RULES} == {"emergency", "urgent"}
    assert "pre_eclampsia_signs" in NOW_RULES  # urgent, now (policy rev 3, M1)


@pytest.mark.parametrize(
    "rule",
    [
        pytest.param(r, marks=pytest.mark.xfail(reason=NOT_YET[r], strict=True))
        if r in NOT_YET
        else r
        for r in NOW_RULES
    ],
)
def test_the_questionnaire_stops_where_a_now_rule_fires(rule: str, tmp_path: Path) -> None:
    cid, answers, n = reach(rule)
    pairs = for_answers(TRIAGE.questions, answers)[:n]
    saved = tmp_path / "answers.yaml"
    term = Pty.triage("--save-answers", str(saved), "--out", str(tmp_path / "sheet.txt"))
    answer(term, pairs)
    deadline = time.monotonic() + 30
    while term.read():  # the sheet is written and the program ends: no question follows
        assert time.monotonic() < deadline, f"{cid}: still running after the stop:\n{term.text()}"
    assert term.finish() == 0, term.text()
    later = asked(TRIAGE.questions, answers)[n:]
    if later:  # the next question of the whole walk never reached the screen
        shown = term.raw.decode("utf-8", errors="replace")
        assert later[0].prompt[:30] not in shown, f"{cid}: asked {later[0].id} after the stop"
    got = yaml.safe_load(saved.read_text(encoding="utf-8"))
    got.pop("answered_on", None)
    wanted = contract_answers([q for q, _ in pairs], {q.id: part(q, answers) for q, _ in pairs})
    assert got == wanted, f"{cid}: the answers saved are not those given up to the stop"
    result = TRIAGE.evaluate(TRIAGE.contract.check(got, source="saved"))
    assert rule in {reason.rule for reason in result.reasons}
    assert result.act_within == "now"
