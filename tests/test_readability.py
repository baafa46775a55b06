"""Plain language: every vignette's sheet reads at Flesch-Kincaid grade 6 or below (textstat 0.7.8)."""

from __future__ import annotations

import statistics
from typing import Any

import pytest
import textstat

from triage.pipeline import Triage

from .conftest import VIGNETTES

LIMIT = 6.0


def prose(markdown: str) -> str:
    """The sentences a person reads: bullets and paragraphs, one unit per line.

    Left out: headings, the 'You told us' list (their own answers) and source citations
    (titles of papers). A line without end punctuation is a unit of its own, not the start of
    the next sentence.
    """
    lines, skip = [], False
    for line in markdown.splitlines():
        if line.startswith("## "):
            skip = line[3:] in ("You told us", "Sources")
        text = line.strip().lstrip("-* ").replace("**", "").replace("*", "").strip()
        if skip or not text or line.startswith("#") or text.startswith("Source:"):
            continue
        lines.append(text if text[-1] in ".!?:" else text + ".")
    return "\n".join(lines)


def grade(triage: Triage, answers: dict[str, Any]) -> float:
    answers = triage.contract.check(answers)
    return float(textstat.flesch_kincaid_grade(prose(triage.sheet(triage.evaluate(answers), answers, "markdown"))))


@pytest.mark.parametrize("case", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_sheet_reads_at_grade_6_or_below(triage: Triage, case: dict[str, Any]) -> None:
    assert grade(triage, case["answers"]) <= LIMIT


def test_measure_can_fail() -> None:
    """The measure is not toothless: clinical prose scores far above the limit."""
    hard = ("Intermittent claudication, attributable to atherosclerotic peripheral arterial disease, "
            "characteristically manifests as reproducible exertional calf discomfort.")
    assert textstat.flesch_kincaid_grade(prose(hard)) > LIMIT + 6


def test_report(triage: Triage, capsys: pytest.CaptureFixture[str]) -> None:
    """Print worst and median grade (for the record; the limit is checked per case above)."""
    grades = {v["id"]: grade(triage, v["answers"]) for v in VIGNETTES}
    with capsys.disabled():
        print(f"\nFlesch-Kincaid grade: worst {max(grades.values()):.2f} ({max(grades, key=grades.get)}), "
              f"median {statistics.median(grades.values()):.2f}")
    assert max(grades.values()) <= LIMIT
