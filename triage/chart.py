"""The diary drawn: cramps per week and nights woken, as a record the templates lay out
(templates/chart.txt.j2 in the terminal and text sheets, chart.svg.j2 in the HTML sheet).

Only numbers and words are worked out here: the counts per week (triage.diary.weeks), how long
each bar is for the width it has, and the labels in the words of rules/followup.yaml.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from typing import Any

from triage import dates
from triage.diary import DURATIONS, Entry, fill, weeks

BAR_CELLS = 40  # the busiest week's bar, in characters: with the labels, a chart fits 80 columns
NIGHT_CELLS = 2  # characters for each night woken (at most 7 a week: 14 characters)


def record(
    entries: Sequence[Entry],
    to: datetime.date,
    words: Any,
    calendar: Any,
    duration_labels: dict[str, str],
    count: int = 8,
    plain: bool = False,
) -> dict[str, Any]:
    """The chart of the `count` weeks to `to`, for the templates."""
    rows = weeks(entries, to, count)
    most = max((w.cramps for w in rows), default=0)
    months = calendar["months"]
    short = calendar["short_months"]
    recent = fill(entries, to)
    summary = words["summary_none"]
    if recent is not None and recent.cramps:
        longest = max(
            (e.duration for e in entries if (to - e.at.date()).days in range(28)),
            key=DURATIONS.index,
        )
        summary = words["summary"].format(
            count=recent.cramps,
            nights=recent.nights,
            pain="?" if recent.worst is None else recent.worst,
            duration=duration_labels[longest].lower(),
        )
    return {
        "title": words["title"].format(weeks=count, to=dates.spell(to, months)),
        "svg_title": words["svg_title"].format(weeks=count, to=dates.spell(to, months)),
        "heading": words["heading"].format(weeks=count),
        "caption": words["table_caption"],
        "week": words["week"],
        "cramps": words["cramps"],
        "nights": words["nights"],
        "bar": words["plain_bar" if plain else "bar"],
        "night": words["plain_night" if plain else "night"],
        "empty": words["empty"] if most == 0 else "",
        "summary": summary,
        "most": most,
        "bar_cells": BAR_CELLS,
        "rows": [
            {
                "label": f"{w.first.day} {short[w.first.month - 1]}",
                "first": w.first.isoformat(),
                "cramps": w.cramps,
                "nights": w.nights,
                # the busiest week fills the width; any week with a cramp shows at least one
                "cells": math.ceil(w.cramps * BAR_CELLS / most) if most else 0,
                "night_cells": NIGHT_CELLS * w.nights,
            }
            for w in rows
        ],
    }
