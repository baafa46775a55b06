"""The HTML sheet in headless Chromium: no sideways scrolling at 320, 420 and 1000 px, and, printed
on A4 and Letter, page one on the first page, the page for the clinician on the second, the rest
after, the points and their drawings last, and no text under 12 pt.

Needs Chromium, node with playwright-core (.ci/axe) and pdftotext (poppler-utils); skipped
without them, except under CI, where it fails."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Any

import pytest

from triage.pipeline import Triage

from .conftest import VIGNETTES, page_words
from .test_accessibility import AXE_DIR, CASES, HERE, axe_tools

pytestmark = pytest.mark.browser
MADE_ON = "2025-03-01"


def words(text: str) -> str:
    return " ".join(text.split())


def chosen(triage: Triage) -> dict[str, dict[str, Any]]:
    """Cases that stretch the layout, picked from the data: one per tier, the longest page one,
    the fullest page for the clinician, and the sheet with the most drawings."""

    def record(answers: dict[str, Any]) -> dict[str, Any]:
        answers = triage.contract.check(answers)
        return triage.compose(triage.evaluate(answers, "uk"), answers, MADE_ON)

    def page_one(v: dict[str, Any]) -> int:
        answers = triage.contract.check(v["answers"])
        return page_words(triage.sheet(triage.evaluate(answers, "uk"), answers, "text"))

    def summary(v: dict[str, Any]) -> int:
        return len(json.dumps(record(v["answers"])["summary"]))

    cases: dict[str, dict[str, Any]] = {}
    for v in VIGNETTES:
        tier = record(v["answers"])["disposition"]
        cases.setdefault(tier, v["answers"])
    cases["longest page one"] = max(VIGNETTES, key=page_one)["answers"]
    cases["fullest summary"] = max(VIGNETTES, key=summary)["answers"]
    cases["many points"] = CASES["many_points"]
    return cases


@pytest.fixture(scope="module")
def laid_out(triage: Triage, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    missing = axe_tools() or (None if shutil.which("pdftotext") else "pdftotext not found")
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the layout and print checks: {missing}")
        pytest.skip(missing)
    folder = tmp_path_factory.mktemp("print")
    files, records = [], {}
    for n, (name, answers) in enumerate(chosen(triage).items()):
        answers = triage.contract.check(answers)
        result = triage.evaluate(answers, "uk")
        path = folder / f"case{n}.html"
        path.write_text(triage.sheet(result, answers, "html", made_on=MADE_ON), encoding="utf-8")
        files.append(str(path))
        records[str(path)] = (name, triage.compose(result, answers, MADE_ON))
    done = subprocess.run(
        ["node", str(HERE / "a11y" / "layout_check.mjs"), str(folder), *files],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "AXE_NODE_MODULES": str(AXE_DIR)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    reports = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(reports) == len(files)
    return {"reports": reports, "records": records}


def pages(pdf: str) -> list[str]:
    # -raw: the text in the order it was laid out (two columns read one after the other)
    out = subprocess.run(
        ["pdftotext", "-raw", pdf, "-"], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return [words(page) for page in out.stdout.split("\f") if page.strip()]


def test_no_sideways_scrolling_from_320_to_1000_px(laid_out: dict[str, Any]) -> None:
    for report in laid_out["reports"]:
        name = laid_out["records"][report["file"]][0]
        for width, seen in report["widths"].items():
            assert seen["innerWidth"] == int(width), (name, width, seen)
            assert seen["scroll"] == 0, f"{name} at {width} px scrolls sideways: {seen['wider']}"


def test_printed_text_is_at_least_12_pt(laid_out: dict[str, Any]) -> None:
    for report in laid_out["reports"]:
        name = laid_out["records"][report["file"]][0]
        assert report["smallest"]["pt"] >= 12, (name, report["smallest"])


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_printed_page_one_first_then_the_clinicians_page_then_the_rest(
    laid_out: dict[str, Any], triage: Triage, paper: str
) -> None:
    say = triage.phrases
    for report in laid_out["reports"]:
        name, record = laid_out["records"][report["file"]]
        text = pages(report["pdfs"][paper])
        where = f"{name} on {paper}"
        first_line, last_line = record["tier"]["headline"], record["safety_net"][-1]
        assert words(first_line) in text[0], f"{where}: page one does not start page 1"
        assert words(last_line) in text[0], f"{where}: page one runs past page 1"
        summary = record["summary"]
        assert text[1].startswith(words(say("sheet.summary"))), (
            f"{where}: page 2 is not the summary"
        )
        assert MADE_ON in text[1]
        last = summary["about"][-1] if summary["about"] else None
        end = f"{last['question']}: {last['answer']}." if last else say("sheet.conditions")
        assert words(end) in text[1], f"{where}: the clinician's page runs past page 2"
        for group in summary["signs"]:  # every warning sign asked, the denied ones too
            for label in group["no"] + group["yes"]:
                assert words(label)[:40] in text[1], f"{where}: {label!r} not on page 2"
        if record["emergency"]:
            assert len(text) == 2, f"{where}: an emergency sheet is two pages"
            continue
        assert text[2].startswith("More things people try"), f"{where}: page 3"
        if record["points"] or record["locations"]:
            drawn = next(n for n, page in enumerate(text) if "Where your cramps are" in page)
            sources = next(n for n, page in enumerate(text) if "Sources" in page)
            assert drawn > sources and drawn >= 3, f"{where}: the drawings are not last"
