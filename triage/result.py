"""The triage result: from the rules that fired to the contract's result format.

Nothing clinical is decided here; this only combines what the rules concluded:
the highest tier wins, a withheld remedy is removed, an emergency keeps no remedies.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from triage.model import TIERS, WHEN, Knowledge, tier_rank

CONTRACT_VERSION = 1
EMERGENCY_BECAUSE = "This needs emergency help now. Do not spend time on home remedies."


@dataclass(frozen=True)
class Reason:
    rule: str
    tier: str
    text: str


@dataclass(frozen=True)
class RemedyPick:
    id: str
    when: str
    evidence: str
    points: list[str]
    cautions: list[str]
    source: str


@dataclass(frozen=True)
class Withheld:
    id: str
    because: str


@dataclass(frozen=True)
class Note:
    id: str
    text: str


@dataclass(frozen=True)
class Result:
    version: int
    disposition: str
    reasons: list[Reason]
    remedies: list[RemedyPick]
    withheld: list[Withheld]
    warnings: list[Note]
    consider: list[Note]
    safety_net: list[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


def build(k: Knowledge, answers: Mapping[str, Any], fired: Iterable[str]) -> Result:
    fired_ids = set(fired)
    rules = [r for r in k.rules if r.id in fired_ids]  # file order, which is stable
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
        kept = [rid for rid in offered if rid not in withhold]
    kept.sort(key=lambda rid: (WHEN.index(k.remedies[rid].when), list(k.remedies).index(rid)))

    remedies = []
    for rid in kept:
        m = k.remedies[rid]
        caution_ids = _unique([*m.cautions, *extra_cautions.get(rid, [])])
        remedies.append(RemedyPick(
            id=rid, when=m.when, evidence=m.evidence, points=list(m.points),
            cautions=[k.cautions[c] for c in caution_ids],
            source="; ".join(k.sources[s].cite for s in m.sources)))

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


