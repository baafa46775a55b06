"""The triage result: from the rules that fired to the contract's result format.

Nothing clinical is decided here; this only combines what the rules concluded:
the highest tier wins, a withheld remedy is removed, an emergency keeps no remedies.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from triage.model import TIERS, WHEN, Knowledge, tier_rank

CONTRACT_VERSION = 1
EMERGENCY_BECAUSE = "This needs emergency help now. Do not spend time on home remedies."
RECORD_LISTS = ("reasons", "remedies", "withheld", "warnings", "consider")  # the result's lists of records


class Reason(NamedTuple):
    rule: str
    tier: str
    text: str


class RemedyPick(NamedTuple):
    id: str
    when: str
    evidence: str
    points: tuple[str, ...]
    cautions: tuple[str, ...]
    source: str


class Withheld(NamedTuple):
    id: str
    because: str


class Note(NamedTuple):
    id: str
    text: str


class Result(NamedTuple):
    version: int
    disposition: str
    reasons: list[Reason]
    remedies: list[RemedyPick]
    withheld: list[Withheld]
    warnings: list[Note]
    consider: list[Note]
    safety_net: list[str]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data: dicts, lists, strings and numbers."""
        out = self._asdict()
        for key in RECORD_LISTS:
            items = out[key]
            if items:
                fields = items[0]._fields
                out[key] = [{f: list(v) if isinstance(v, tuple) else v for f, v in zip(fields, item)} for item in items]
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


class Assembler:
    """Builds results for one knowledge base; orders and per-remedy data are worked out once."""

    def __init__(self, k: Knowledge) -> None:
        self.k = k
        self.rules = {r.id: (n, r) for n, r in enumerate(k.rules)}
        self.remedy_order = {rid: (WHEN.index(m.when), n) for n, (rid, m) in enumerate(k.remedies.items())}
        # each remedy as it is shown when no rule adds a caution to it
        self.plain_pick = {rid: RemedyPick(rid, m.when, m.evidence, tuple(m.points), tuple(k.cautions[c] for c in m.cautions),
                                           "; ".join(k.sources[s].cite for s in m.sources))
                           for rid, m in k.remedies.items()}

    def build(self, answers: Mapping[str, Any], fired: Iterable[str]) -> Result:
        k = self.k
        rules = [r for _, r in sorted(self.rules[rid] for rid in fired)]  # file order, which is stable
        disposition = max((r.tier for r in rules if r.tier), key=tier_rank, default=TIERS[0])

        reasons = [Reason(r.id, r.tier, _fill(k.reasons[r.id], k, answers))
                   for r in sorted(rules, key=lambda r: -tier_rank(r.tier or TIERS[0]))
                   if r.tier and (r.tier != TIERS[0] or disposition == TIERS[0])]

        offered = _unique(o for r in rules for o in r.offer)
        withhold = _first_reason((rid, because) for r in rules for rid, because in r.withhold)
        extra_cautions: dict[str, list[str]] = {}
        for r in rules:
            for rid, caution in r.caution:
                extra_cautions.setdefault(rid, [])
                if caution not in extra_cautions[rid]:
                    extra_cautions[rid].append(caution)

        if disposition == "emergency":
            withheld = [Withheld(rid, EMERGENCY_BECAUSE) for rid in offered]
            kept: list[str] = []
        else:
            withheld = [Withheld(rid, k.because[withhold[rid]]) for rid in offered if rid in withhold]
            kept = sorted((rid for rid in offered if rid not in withhold), key=self.remedy_order.__getitem__)

        remedies = []
        for rid in kept:
            pick = self.plain_pick[rid]
            if rid in extra_cautions:
                added = [k.cautions[c] for c in extra_cautions[rid]]
                pick = pick._replace(cautions=tuple(_unique([*pick.cautions, *added])))
            remedies.append(pick)

        return Result(
            version=CONTRACT_VERSION,
            disposition=disposition,
            reasons=reasons,
            remedies=remedies,
            withheld=withheld,
            warnings=[Note(w, _fill(k.warnings[w], k, answers)) for w in _unique(w for r in rules for w in r.warn)],
            consider=[Note(c, k.consider[c]) for c in _unique(c for r in rules for c in r.consider)],
            safety_net=list(k.safety_net.get(disposition, ())),
        )


class LineEncoder:
    """Compact one-line JSON of results, for batch runs.

    Across a batch the same remedy, reason and warning records recur case after case, so each
    record's JSON is made once and reused (the cache is bounded by the distinct records the
    rules can produce). The output parses to exactly `Result.to_dict()` (tested).
    """

    def __init__(self) -> None:
        self._json = json.JSONEncoder(separators=(",", ":"), check_circular=False)
        self._fragments: dict[Any, str] = {}

    def _fragment(self, item: Any) -> str:
        text = self._fragments.get(item)
        if text is None:
            text = self._fragments[item] = self._json.encode(dict(zip(item._fields, item)))
        return text

    def encode(self, extra: Mapping[str, Any], result: Result) -> str:
        """`{...extra, "result": {...}}` on one line."""
        head = self._json.encode(dict(extra))[:-1]
        parts = [f'"version":{result.version}', f'"disposition":{self._json.encode(result.disposition)}']
        for key in RECORD_LISTS:
            parts.append(f'"{key}":[{",".join(map(self._fragment, getattr(result, key)))}]')
        parts.append(f'"safety_net":{self._json.encode(result.safety_net)}')
        return f'{head}{"," if len(head) > 1 else ""}"result":{{{",".join(parts)}}}}}'


def _fill(text: str, k: Knowledge, answers: Mapping[str, Any]) -> str:
    """Fill the one placeholder texts may use: the person's medicines linked to cramps."""
    if "{medicines}" not in text:
        return text
    names = [k.medicines[m].label for m in answers.get("medications", ()) if k.medicines[m].causes_cramps]
    return text.replace("{medicines}", _and_list(names) or "a medicine")


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _first_reason(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for rid, because in pairs:
        out.setdefault(rid, because)
    return out


