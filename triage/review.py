"""The review record: both clinical tables as a clinician reads them, for `triage tables`.

The safety table (rules/safety.yaml) and the medicines and interactions table
(rules/interactions.yaml), loaded and checked like every other data file, then laid out in one
plain record: who is in each column (written out from the conditions themselves, so the review
shows what the program does, not what a comment says), every cell, every interaction row, and
the sources. The templates tables.md.j2 and tables.html.j2 only lay it out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from triage.conditions import All, AnyOf, Condition, Test
from triage.model import VERDICTS, Knowledge, Way


def _value(value: Any) -> str:
    """A value as the answers file writes it (an identifier, not a word: true, most_days, 18)."""
    if isinstance(value, tuple):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def describe(cond: Condition, words: Mapping[str, str]) -> str:
    """A condition in words a reviewer can check against the answers contract (`words`:
    rules/ui.yaml, `tables`)."""
    if isinstance(cond, Test):
        if cond.op == "absent":
            return words["absent"].format(field=cond.field)
        return words[f"op_{cond.op}"].format(field=cond.field, value=_value(cond.value))
    if not cond.parts:
        return words["always"]
    joiner = " " + (words["and"] if isinstance(cond, All) else words["or"]) + " "
    parts = [describe(p, words) for p in cond.parts]
    text = joiner.join(
        f"({p})" if isinstance(q, (All, AnyOf)) else p
        for p, q in zip(parts, cond.parts, strict=True)
    )
    return text


def _way(way: Way, words: Mapping[str, str]) -> str:
    text = describe(way.when, words)
    if way.unless is not None:
        text = words["unless"].format(condition=text, unless=describe(way.unless, words))
    if way.rows:
        text = words["only_for"].format(condition=text, rows=", ".join(way.rows))
    if way.prefix:
        text = words["reasons_begin"].format(condition=text, prefix=way.prefix.strip())
    return text


def record(k: Knowledge, words: Mapping[str, str]) -> dict[str, Any]:
    """The record the templates lay out; `words`: rules/ui.yaml, `tables` (it goes in too)."""
    counts = Counter(c.verdict for a in k.actions.values() for c in a.cells)
    cited = [s for c in k.columns for s in c.sources] + [
        s for i in k.interactions for s in i.sources
    ]
    return {
        "words": dict(words),
        "size": {
            "rows": len(k.actions),
            "columns": len(k.columns),
            "cells": len(k.actions) * len(k.columns),
        },
        "counts": {v: counts.get(v, 0) for v in VERDICTS},
        "columns": [
            {
                "id": c.id,
                "label": c.label,
                "who": [_way(w, words) for w in c.ways],
                "rules": list(c.rules),
                "sources": [k.sources[s].short for s in c.sources],
            }
            for c in k.columns
        ],
        "rows": [
            {
                "action": a.id,
                "what": a.what,
                "label": a.label,
                "never_advised": a.never_advised,
                "takers": [k.medicines[m].label for m in a.takers],
                "message": a.message,
                "cells": [{"verdict": c.verdict, "words": c.words} for c in a.cells],
            }
            for a in k.actions.values()
        ],
        "interactions": [
            {
                "id": i.id,
                "situation": i.situation,
                "when": describe(i.when, words),
                "tier": i.tier,
                "act_within": i.act_within,
                "route": i.route,
                "routing": i.routing,
                "warning": i.warning,
                "words": [
                    (f"{describe(v.when, words)}: " if v.when is not None else "") + v.text
                    for v in i.words
                ],
                "safety_net": i.safety_net,
                "sources": [k.sources[s].short for s in i.sources],
                "finding": i.finding,
            }
            for i in k.interactions
        ],
        "no_interaction": [k.medicines[m].label for m in k.no_interaction],
        "sources": [
            {"short": k.sources[s].short, "cite": k.sources[s].cite, "url": k.sources[s].url}
            for s in dict.fromkeys(cited)
        ],
    }
