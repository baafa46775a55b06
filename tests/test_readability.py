"""Plain language: every vignette's whole default text sheet reads at Flesch-Kincaid grade 6 or
below (textstat 0.7.8), counted on everything printed, nothing left out."""

from __future__ import annotations

import statistics
from typing import Any

import pytest
import textstat

from triage.pipeline import Triage

from .conftest import VIGNETTES, page_words

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
        words.append(page_words(triage.sheet(triage.evaluate(answers), answers, "text")))
    with capsys.disabled():
        print(
            f"\nFlesch-Kincaid grade of the whole text sheet: worst {max(grades.values()):.2f} "
            f"({max(grades, key=grades.get)}), median {statistics.median(grades.values()):.2f}; "
            f"page-one words: median {statistics.median(words):.0f}, largest {max(words)}"
        )
    assert max(grades.values()) <= LIMIT


def _texts(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for value in node.values() for t in _texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in _texts(value)]
    return []


def test_the_follow_up_words_read_at_grade_6_or_below() -> None:
    """What the diary, the re-check and the reminder say to a person (rules/followup.yaml, the
    command-line help aside), as sentences: grade 6 or below."""
    from pathlib import Path

    import yaml

    data = yaml.safe_load(
        (Path(__file__).resolve().parent.parent / "rules" / "followup.yaml").read_text("utf-8")
    )
    said = {k: v for k, v in data["diary"].items() if k != "help"}
    texts = _texts([said, data["recheck"], data["reminder"]])
    prose = " ".join(t if t.rstrip().endswith((".", "?", "!")) else t + "." for t in texts)
    assert textstat.flesch_kincaid_grade(prose) <= LIMIT


def test_a_re_check_sheet_reads_at_grade_6_or_below(triage: Triage) -> None:
    from triage.recheck import Rechecker

    saved = triage.contract.check({**VIGNETTES[0]["answers"], "answered_on": "2026-11-10"})
    follow_up = {"version": 1, "answered_on": "2026-12-01", "stretching_tried": "not_helped"}
    done = Rechecker(triage).from_file(saved, follow_up, None, "later.yaml")
    text = triage.sheet(done.result, done.answers, "text", extras={"recheck": done.record()})
    assert done.summary in " ".join(text.split()) or done.summary.split(":")[0] in text
    assert textstat.flesch_kincaid_grade(text) <= LIMIT
