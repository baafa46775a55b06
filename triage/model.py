"""Typed, frozen records for everything loaded from rules/. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from triage.conditions import Condition

TIERS = ("self-care", "soon", "urgent", "emergency")  # lowest to highest
WHEN = ("during", "bedtime", "daily")
VIEWS = ("back", "front", "outer", "inner", "sole", "hand", "face")  # drawing order on the sheet


def tier_rank(tier: str) -> int:
    return TIERS.index(tier)


@dataclass(frozen=True)
class Choice:
    value: Any
    label: str
    help: str = ""


@dataclass(frozen=True)
class Question:
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


@dataclass(frozen=True)
class Rule:
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


@dataclass(frozen=True)
class Point:
    code: str
    name: str
    where: str
    press: str
    view: str  # front | back | outer | inner | sole | hand | face
    x: float = 0.0  # position on its drawing, 0-100
    y: float = 0.0


@dataclass(frozen=True)
class Remedy:
    id: str
    title: str
    when: str
    evidence: str
    sources: tuple[str, ...]
    steps: tuple[str, ...]
    cautions: tuple[str, ...] = ()  # caution ids, always shown
    points: tuple[str, ...] = ()
    picture: str = ""


@dataclass(frozen=True)
class Source:
    id: str
    cite: str
    where: str


@dataclass(frozen=True)
class Tier:
    id: str
    label: str
    headline: str
    action: str
    timeframe: str
    colour: str  # shown only together with the label's words, never alone
    pregnancy_action: str = ""


@dataclass(frozen=True)
class Medicine:
    id: str
    label: str
    examples: str
    causes_cramps: bool
    clot_risk: bool = False


@dataclass(frozen=True)
class Knowledge:
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
    safety_net: dict[str, tuple[str, ...]] = field(default_factory=dict)  # tier -> lines
