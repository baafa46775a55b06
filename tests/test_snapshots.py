"""Whole sheets, byte for byte, for a few representative cases in each format.

After an intended change, rewrite them with TRIAGE_UPDATE_SNAPSHOTS=1 ./dev test tests/test_snapshots.py
and read the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from triage.pipeline import Triage

from .conftest import VIGNETTES

SNAPSHOTS = Path(__file__).parent / "snapshots"
CASES = {
    "P01": "self-care runner",
    "P03": "pregnancy",
    "P05": "possible clot",
    "P07": "emergency",
    "P10": "diabetes",
    "P14": "medicine",
}
EXTENSIONS = {"text": "txt", "markdown": "md", "html": "html", "json": "json"}


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_snapshot(triage: Triage, case: str, fmt: str) -> None:
    answers = triage.contract.check(next(v["answers"] for v in VIGNETTES if v["id"] == case))
    result = triage.evaluate(answers, "uk")
    got = (
        triage.result_json(result, answers)
        if fmt == "json"
        else triage.sheet(result, answers, fmt, full=True, made_on="2025-03-01")
    )
    path = SNAPSHOTS / f"{case}.{EXTENSIONS[fmt]}"
    if os.environ.get("TRIAGE_UPDATE_SNAPSHOTS"):
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}; create it with TRIAGE_UPDATE_SNAPSHOTS=1"
    assert got == path.read_text(encoding="utf-8")
