"""The advice sheet, rendered by the real Jinja templates from real results."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from triage import paths
from triage.errors import DataFileError
from triage.pipeline import Triage

from .conftest import VIGNETTES, base_answers

FORMATS = ("text", "markdown", "html")


def sheet(triage: Triage, answers: dict[str, Any], fmt: str = "text", country: str = "generic") -> str:
    answers = triage.contract.check(answers)
    return triage.sheet(triage.evaluate(answers), answers, fmt, country)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_every_case_renders_the_same_twice(triage: Triage, case: dict[str, Any], fmt: str) -> None:
    """Same answers, same sheet, byte for byte; and it leads with the disposition."""
    first = sheet(triage, case["answers"], fmt)
    assert first == sheet(triage, case["answers"], fmt)
    tier = triage.knowledge.tiers[triage.evaluate(triage.contract.check(case["answers"])).disposition]
    body = first.split("<body>")[-1]
    assert tier.headline in body[:400]


@pytest.mark.parametrize("case", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_text_sheet_fits_80_columns(triage: Triage, case: dict[str, Any]) -> None:
    assert max(len(line) for line in sheet(triage, case["answers"]).splitlines()) <= 80


def test_emergency_sheet_shows_only_what_to_do_now(triage: Triage) -> None:
    text = sheet(triage, base_answers(symptoms=["cold_pale_leg"]), "markdown", country="uk")
    assert "Call 999 now" in text and "Do not drive yourself" in text
    for absent in ("During a cramp", "Before bed", "quinine", "You told us", "Left out"):
        assert absent not in text


def test_self_care_sheet_has_warnings_safety_net_and_grades(triage: Triage) -> None:
    text = sheet(triage, base_answers(conditions=["diabetes"]), "markdown", country="us")
    assert "Do not take quinine" in text
    assert "## Get help if things change" in text and "Call 911 now" in text
    assert "*Some evidence from studies*" in text
    assert "*Traditional remedy, not shown to work*" in text
    assert "**Sip sugar water:** Sugar water raises blood sugar" in text  # withheld, with the reason
    assert "Test the water with your elbow" in text


def test_pregnant_urgent_sheet_sends_to_maternity_unit(triage: Triage) -> None:
    answers = base_answers(sex="female", age=30, pregnant=True, pregnancy_weeks=32, symptoms=["pregnancy_warning_signs"])
    text = sheet(triage, answers, "markdown", country="uk")
    assert "maternity unit or midwife today" in text and "NHS 111" in text


@pytest.mark.parametrize("country,emergency", [("uk", "999"), ("us", "911"), ("eu", "112"), ("au", "000")])
def test_country_numbers(triage: Triage, country: str, emergency: str) -> None:
    text = sheet(triage, base_answers(symptoms=["feels_like_emergency"]), "markdown", country)
    assert f"Call {emergency} now" in text


def test_html_escapes_text_from_data(tmp_path: Path) -> None:
    """Any text reaching the HTML is escaped: a script tag in a message is shown, never run."""
    rules = tmp_path / "rules"
    shutil.copytree(paths.rules_dir(), rules)
    messages = rules / "messages.yaml"
    messages.write_text(messages.read_text(encoding="utf-8").replace(
        "Most leg cramps are harmless.", "<script>alert(1)</script>", 1), encoding="utf-8")
    html = sheet(Triage(rules=rules), base_answers(), "html")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_html_is_self_contained(triage: Triage) -> None:
    html = sheet(triage, base_answers(), "html")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html and "<title>" in html
    for remote in ("http://", "https://", "<link", "src="):
        assert remote not in html


def test_undefined_template_variable_is_an_error_naming_the_line(tmp_path: Path, triage: Triage) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(paths.templates_dir(), templates)
    target = templates / "sheet.md.j2"
    target.write_text(target.read_text(encoding="utf-8").replace("{{ tier.action }}", "{{ tier.actoin }}"), encoding="utf-8")
    answers = triage.contract.check(base_answers())
    with pytest.raises(DataFileError) as caught:
        Triage(templates=templates).sheet(triage.evaluate(answers), answers, "markdown")
    assert "sheet.md.j2" in caught.value.path and caught.value.item == "line 3"


def test_the_lead_instruction_carries_its_cautions(triage: Triage) -> None:
    """The first thing to try, shown at the top, comes with this person's cautions (pregnancy, 65+)."""
    pregnant = sheet(triage, base_answers(sex="female", age=30, pregnant=True, pregnancy_weeks=30), "markdown")
    lead = pregnant.split("## Why")[0]
    assert "First thing to try during a cramp: Stretch the muscle" in lead
    assert "In pregnancy, pull your toes up gently." in lead
    older = sheet(triage, base_answers(age=80), "markdown").split("## Why")[0]
    assert "Sit on the side of the bed to stretch." in older
