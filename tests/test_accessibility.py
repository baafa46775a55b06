"""The HTML sheet is accessible: structure checked always, axe-core in headless Chromium where present."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from triage.pipeline import Triage

from .conftest import VIGNETTES, base_answers

HERE = Path(__file__).parent
AXE_DIR = Path(os.environ.get("AXE_NODE_MODULES", HERE.parent / ".ci" / "axe" / "node_modules"))
CASES = {v["id"]: v["answers"] for v in VIGNETTES}
CASES["many_points"] = base_answers(  # not pregnant: "not reported" would withhold acupressure
    locations=["calf", "foot", "toes", "thigh_front", "thigh_back"], sex="female", pregnant=False
)


def html_for(triage: Triage, answers: dict[str, Any]) -> str:
    answers = triage.contract.check(answers)
    extras = diary_extras(triage, answers) if answers.get("answered_on") == DIARY_DAY else None
    return triage.sheet(triage.evaluate(answers, "uk"), answers, "html", extras=extras)


DIARY_DAY = "2026-12-01"
# A re-check with a diary: the sheet's "since last time" line, and the chart for the clinician.
CASES["diary_recheck"] = base_answers(
    answered_on=DIARY_DAY, previous_frequency="monthly", days_since_previous=21,
    frequency="most_days", stretching_tried="not_helped",
)  # fmt: skip
CASES["diary_recheck"].pop("stretching_not_helping", None)


def diary_extras(triage: Triage, answers: dict[str, Any]) -> dict[str, Any]:
    import datetime

    from triage.commands import chart_record
    from triage.diary import Entry

    day = datetime.date.fromisoformat(DIARY_DAY)
    entries = [
        Entry(n, datetime.datetime.combine(day - datetime.timedelta(days=n * 2), datetime.time(3)),
              "calf", "minutes", 5, n % 3 == 0)
        for n in range(25)
    ]  # fmt: skip
    return {
        "diary": chart_record(triage, entries, day),
        "recheck": {"summary": "Since 10 November 2026: cramps come more often.", "diary": None},
    }


class Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.svgs: list[dict[str, str | None]] = []
        self.ids: list[str] = []
        self.lang = ""
        self.title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang") or ""
        if tag == "title":
            self.title = True
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        if tag == "svg":
            self.svgs.append(a)
        if a.get("id"):
            self.ids.append(str(a["id"]))


@pytest.mark.parametrize("case", sorted(CASES))
def test_html_structure(triage: Triage, case: str) -> None:
    """lang, a title, one h1, headings never skip a level, every SVG is an image with a name, ids unique."""
    outline = Outline()
    html = html_for(triage, CASES[case])
    outline.feed(html)
    assert outline.lang == "en" and outline.title
    assert outline.headings[0] == 1 and outline.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(outline.headings)), outline.headings
    assert len(outline.ids) == len(set(outline.ids))
    for svg in outline.svgs:
        assert svg.get("role") == "img" and svg.get("aria-labelledby")
        for ref in str(svg["aria-labelledby"]).split():
            assert ref in outline.ids


def test_points_are_drawn_and_described(triage: Triage) -> None:
    """Each chosen point is marked on a drawing and explained beside it in words."""
    html = html_for(triage, CASES["many_points"])
    for code in ("BL57", "BL40", "BL37", "ST34", "ST36", "KI1", "KI3", "BL60", "GB34", "GV26"):
        assert f"is {code}." in html and f"<strong>{code}, " in html
    assert "Shaded: where your cramps are (calf, back of the thigh)" in html


def test_pregnancy_sheet_draws_no_points(triage: Triage) -> None:
    html = html_for(triage, CASES["P03"])
    assert 'class="marker"' not in html and "Shaded: where your cramps are (calf)" in html


def axe_tools() -> str | None:
    """Why axe cannot run here, or None when it can."""
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        return f"Chromium not found at {chromium} (apt-get install chromium)"
    if not shutil.which("node"):
        return "node not found"
    if not (AXE_DIR / "axe-core").is_dir() or not (AXE_DIR / "playwright-core").is_dir():
        return f"axe-core and playwright-core not installed in {AXE_DIR} (.ci/run installs them)"
    return None


def test_axe_core_finds_no_violations(triage: Triage, tmp_path: Path) -> None:
    """axe-core (WCAG 2.1 A/AA and best practice) on sheets of every tier and many drawings."""
    missing = axe_tools()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the axe-core check: {missing}")
        pytest.skip(missing)
    files = []
    for case in ("P01", "P03", "P05", "P06", "P10", "P14", "many_points"):
        path = tmp_path / f"{case}.html"
        path.write_text(html_for(triage, CASES[case]), encoding="utf-8")
        files.append(str(path))
    done = subprocess.run(
        ["node", str(HERE / "a11y" / "axe_check.mjs"), *files],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "AXE_NODE_MODULES": str(AXE_DIR)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    reports = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(reports) == len(files)
    for report in reports:
        assert report["violations"] == [], report
        assert report["passes"] > 10


def test_axe_core_finds_no_violations_in_the_diary_chart(triage: Triage, tmp_path: Path) -> None:
    """axe-core on a re-check sheet with the diary's inline SVG chart and its table."""
    missing = axe_tools()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the axe-core check: {missing}")
        pytest.skip(missing)
    path = tmp_path / "diary.html"
    html = html_for(triage, CASES["diary_recheck"])
    assert 'class="diary-table"' in html and 'aria-labelledby="diary-svg-title"' in html
    path.write_text(html, encoding="utf-8")
    done = subprocess.run(
        ["node", str(HERE / "a11y" / "axe_check.mjs"), str(path)],
        capture_output=True,
        text=True,
        timeout=50,
        env={**os.environ, "AXE_NODE_MODULES": str(AXE_DIR)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (report,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert report["violations"] == [], report
    assert report["passes"] > 10
