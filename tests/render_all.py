"""Every format the tool can print, for every case of tests/vignettes.yaml, in one mapping.

Shared by the pseudo-translation test (every word on them must come from data) and by anyone
checking that a change to the templates leaves the sheets' bytes alone:
`python -m tests.render_all OUT_DIR` writes each rendering to its own file, to diff.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from triage.pipeline import Triage

from .conftest import VIGNETTES

DIARY_DAY = datetime.date(2026, 12, 1)
SHEETS = ("text", "markdown", "html", "terminal")
RECAPS = ("recap", "recap-text")


def diary_entries() -> list[Any]:
    from triage.diary import Entry

    return [
        Entry(
            n,
            datetime.datetime.combine(DIARY_DAY - datetime.timedelta(days=n * 2), datetime.time(3)),
            "calf",
            "minutes",
            5,
            n % 3 == 0,
        )
        for n in range(25)
    ]


def _recheck(triage: Triage, answers: dict[str, Any]) -> tuple[Any, dict[str, Any], Any]:
    """A real re-check three weeks later (cramps more often), with the diary's chart."""
    from triage.commands import chart_record
    from triage.recheck import Rechecker

    saved = triage.contract.check(dict(answers, answered_on="2026-11-10"), source="answers")
    rechecker = Rechecker(triage)
    later = rechecker.follow_up_from_data(
        {"version": 1, "answered_on": DIARY_DAY.isoformat(), "frequency": "most_days"},
        source="follow_up",
    )
    done = rechecker.from_file(saved, later, None, "follow_up")
    extras = {"recheck": done.record(), "diary": chart_record(triage, diary_entries(), DIARY_DAY)}
    return done.result, done.answers, extras


def renderings(triage: Triage) -> Iterator[tuple[str, str]]:
    """(name, text) for every format of every vignette, then the tables and the diary chart."""
    from triage import sheet
    from triage.commands import chart_text

    for case in VIGNETTES:
        answers = triage.contract.check(case["answers"])
        result = triage.evaluate(answers, "uk")
        runs = [("", result, answers, None)]
        if case["id"] == "P01":  # one re-check with a diary, on the plainest case
            runs.append(("recheck-", *_recheck(triage, answers)))
        for prefix, res, ans, extras in runs:
            record = triage.compose(res, ans, "2025-03-01", extras)
            name = f"{case['id']}.{prefix}"
            for fmt in SHEETS:
                for full in (False, True):
                    yield f"{name}{fmt}{'.full' if full else ''}", triage.render(record, fmt, full)
            for fmt in RECAPS:
                for end in ("result.end", "result.end_paged"):
                    context = {**record, "end": triage.phrases(end)}
                    yield f"{name}{fmt}.{end}", sheet.render(triage._templates, fmt, context)
            yield f"{name}headline", triage.headline(res)
    for fmt in ("markdown", "html"):
        yield f"tables.{fmt}", triage.tables(fmt)
    for plain in (False, True):
        yield (
            f"chart.{'plain' if plain else 'bars'}",
            chart_text(triage, diary_entries(), DIARY_DAY, 8, plain),
        )


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for key, text in renderings(Triage()):
        (out / key).write_text(text, encoding="utf-8")
