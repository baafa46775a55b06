"""Plain language: every vignette's whole default text sheet reads at Flesch-Kincaid grade 6 or
below (textstat 0.7.8), counted on everything printed, nothing left out."""

from __future__ import annotations

import statistics
from typing import Any

import pytest
import textstat

from triage.pipeline import Triage

from .conftest import VIGNETTES

LIMIT = 6.0


def grade(triage: Triage, answers: dict[str, Any]) -> float:
    answers = triage.contract.check(answers)
    return float(
        textstat.flesch_kincaid_grade(triage.sheet(triage.evaluate(answers), answers, "text"))
    )


@pytest.mark.parametrize("case", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_sheet_reads_at_grade_6_or_below(triage: Triage, case: dict[str, Any]) -> None:
    assert grade(triage, case["answers"]) <= LIMIT


def test_measure_can_fail() -> None:
    """The measure is not toothless: clinical prose scores far above the limit."""
    hard = (
        "Intermittent claudication, attributable to atherosclerotic peripheral arterial disease, "
        "characteristically manifests as reproducible exertional calf discomfort."
    )
    assert textstat.flesch_kincaid_grade(hard) > LIMIT + 6


def test_report(triage: Triage, capsys: pytest.CaptureFixture[str]) -> None:
    """Print worst and median grade and page-one words (for the record; limits are checked per case)."""
    grades = {v["id"]: grade(triage, v["answers"]) for v in VIGNETTES}
    words = []
    for v in VIGNETTES:
        answers = triage.contract.check(v["answers"])
        words.append(len(triage.sheet(triage.evaluate(answers), answers, "text").split()))
    with capsys.disabled():
        print(
            f"\nFlesch-Kincaid grade of the whole text sheet: worst {max(grades.values()):.2f} "
            f"({max(grades, key=grades.get)}), median {statistics.median(grades.values()):.2f}; "
            f"page-one words: median {statistics.median(words):.0f}, largest {max(words)}"
        )
    assert max(grades.values()) <= LIMIT
