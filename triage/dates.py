"""Days as the follow-up speaks of them: counted from the answers' `answered_on`, never from the
clock, and written out in the words of rules/followup.yaml (no locale: the same bytes anywhere)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from typing import Any

from triage.contract import parse_day

# {answered_on+28}: the day 28 days after the answers were given. {previous_date}: the day of the
# saved answers a re-check follows (answered_on minus days_since_previous).
AFTER = re.compile(r"\{answered_on\+(\d{1,4})\}")


def spell(day: datetime.date, months: Sequence[str]) -> str:
    """29 December 2026."""
    return f"{day.day} {months[day.month - 1]} {day.year}"


def answered(answers: Mapping[str, Any]) -> datetime.date | None:
    value = answers.get("answered_on")
    return parse_day(value) if isinstance(value, str) else None


def previous(answers: Mapping[str, Any]) -> datetime.date | None:
    """The day of the saved answers that a re-check follows, when the answers say it."""
    day, days = answered(answers), answers.get("days_since_previous")
    if day is None or not isinstance(days, int) or isinstance(days, bool):
        return None
    return day - datetime.timedelta(days=days)


def fill(
    text: str, answers: Mapping[str, Any], months: Sequence[str]
) -> tuple[str | None, datetime.date | None]:
    """The text with its date placeholders filled, and the {answered_on+N} day it names.

    A text whose date is not known (no answered_on) is (None, None): it is left out, so a file
    without the date gets no dated line.
    """
    named: datetime.date | None = None
    match = AFTER.search(text)
    if match:
        day = answered(answers)
        if day is None:
            return None, None
        named = day + datetime.timedelta(days=int(match.group(1)))
        text = AFTER.sub(spell(named, months), text)
    if "{previous_date}" in text:
        before = previous(answers)
        if before is None:
            return None, None
        text = text.replace("{previous_date}", spell(before, months))
    return text, named
