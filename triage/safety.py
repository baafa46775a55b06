"""The safety table, applied to one person: the columns they are in, and each action's verdict.

Nothing clinical is decided here: rules/safety.yaml decides every cell (docs/policy.md,
"The safety table"). This works out, once per person, which columns their answers put them in
(each way into a column is a condition on the answers, or a rule that fired), and, for every
action, what the table then says: withheld, with the reason of the left-most withholding
column, or allowed, with every caution of their columns, each once. The result uses this for
every remedy step, the composition and every sheet format alike.

Conditions here are evaluated in Python after the engine has run (like a wording's `unless`), so
`unless` is safe: the order-dependent negation of durable-rules never sees it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from triage.conditions import holds
from triage.model import Knowledge, Way


class Verdict(NamedTuple):
    """What the table says about one action for one person."""

    withheld: bool
    because: str = ""  # withheld: the reason of the left-most withholding column
    column: str = ""  # ... and that column's id
    cautions: tuple[str, ...] = ()  # allowed: every caution of the person's columns, once each


ALLOWED = Verdict(False)


class Place(NamedTuple):
    """One person's place in the table."""

    columns: tuple[str, ...]  # the columns they are in for every row, in the table's order
    verdicts: Mapping[str, Verdict]  # action id -> verdict

    def of(self, action: str) -> Verdict:
        return self.verdicts.get(action, ALLOWED)


def _fits(way: Way, answers: Mapping[str, Any]) -> bool:
    return holds(way.when, answers) and not (way.unless is not None and holds(way.unless, answers))


def place(k: Knowledge, answers: Mapping[str, Any], fired: Iterable[str]) -> Place:
    """Which columns these answers (and the rules they fired) put the person in, and so what
    every action's verdict is."""
    fired = set(fired)
    # per column the person is in: the prefix of the first way in for every row (or None), and
    # for the partial ways (rules 5, 6, 10) the prefix of each row they cover
    whole: list[tuple[int, str]] = []  # (column index, prefix)
    partial: list[tuple[int, dict[str, str]]] = []
    for n, column in enumerate(k.columns):
        prefix = next((w.prefix for w in column.ways if not w.rows and _fits(w, answers)), None)
        if prefix is None and any(r in fired for r in column.rules):
            prefix = ""
        if prefix is not None:
            whole.append((n, prefix))
            continue
        rows: dict[str, str] = {}
        for w in column.ways:
            if w.rows and _fits(w, answers):
                for row in w.rows:
                    rows.setdefault(row, w.prefix)
        if rows:
            partial.append((n, rows))
    verdicts: dict[str, Verdict] = {}
    for action in k.actions.values():
        ins = sorted([*whole, *((n, rows[action.id]) for n, rows in partial if action.id in rows)])
        cautions: list[str] = []
        verdict: Verdict | None = None
        for n, prefix in ins:
            cell = action.cells[n]
            if cell.verdict == "withhold":
                verdict = Verdict(True, prefix + cell.words, k.columns[n].id)
                break
            if cell.verdict == "caution":
                cautions.append(prefix + cell.words)
        if verdict is None:
            verdict = Verdict(False, cautions=tuple(dict.fromkeys(cautions)))
        if verdict != ALLOWED:
            verdicts[action.id] = verdict
    return Place(tuple(k.columns[n].id for n, _ in whole), verdicts)
