"""Typed, immutable records for everything loaded from rules/. No I/O here.

NamedTuples rather than dataclasses: they are as typed and immutable, and start-up is
measured (importing dataclasses and building ~20 of them costs ~19 ms before the first question).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from triage.conditions import Condition

TIERS = ("self-care", "soon", "urgent", "emergency")  # lowest to highest
WHEN = ("during", "bedtime", "daily")
VIEWS = ("back", "front", "outer", "inner", "sole", "hand", "face")  # drawing order on the sheet


def tier_rank(tier: str) -> int:
    return TIERS.index(tier)


class Choice(NamedTuple):
    value: Any
    label: str
    help: str = ""


class Question(NamedTuple):
    id: str
    key: str  # the answers-contract key this question fills
    type: str  # number | select | checkbox | confirm
    prompt: str
    help: str = ""
    choices: tuple[Choice, ...] = ()
    when: Condition | None = None
    minimum: int | None = None
    maximum: int | None = None
    below_minimum: str = ""  # what to say to someone below the minimum (e.g. a child)
    none_label: str = ""  # checkbox: the "None of these" choice


class Rule(NamedTuple):
    id: str
    when: Condition
    source: str
    file: str
    tier: str | None = None
    offer: tuple[str, ...] = ()
    withhold: tuple[tuple[str, str], ...] = ()  # (remedy id, because id)
    caution: tuple[tuple[str, str], ...] = ()  # (remedy id, caution id)
    warn: tuple[str, ...] = ()
    consider: tuple[str, ...] = ()


class Point(NamedTuple):
    code: str
    name: str
    where: str
    press: str
    view: str  # front | back | outer | inner | sole | hand | face
    x: float = 0.0  # position on its drawing, 0-100
    y: float = 0.0


class Remedy(NamedTuple):
    id: str
    title: str
    when: str
    evidence: str
    sources: tuple[str, ...]
    steps: tuple[str, ...]
    cautions: tuple[str, ...] = ()  # caution ids, always shown
    points: tuple[str, ...] = ()
    picture: str = ""


class Source(NamedTuple):
    id: str
    cite: str
    where: str


class Tier(NamedTuple):
    id: str
    label: str
    headline: str
    action: str
    timeframe: str
    colour: str  # shown only together with the label's words, never alone
    pregnancy_action: str = ""


class Medicine(NamedTuple):
    id: str
    label: str
    examples: str
    causes_cramps: bool
    clot_risk: bool = False


class Knowledge(NamedTuple):
    """Everything under rules/, loaded, checked and cross-referenced."""

    rules: tuple[Rule, ...]
    remedies: dict[str, Remedy]
    points: dict[str, Point]
    sources: dict[str, Source]
    tiers: dict[str, Tier]
    evidence: dict[str, str]  # grade id -> plain words
    medicines: dict[str, Medicine]
    reasons: dict[str, str]  # rule id -> why it matters, in plain words
    warnings: dict[str, str]
    consider: dict[str, str]
    because: dict[str, str]  # why a remedy was left out
    cautions: dict[str, str]
    safety_net: dict[str, tuple[str, ...]]  # tier -> lines
