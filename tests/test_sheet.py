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


def sheet(
    triage: Triage,
    answers: dict[str, Any],
    fmt: str = "text",
    country: str = "generic",
    full: bool = False,
) -> str:
    answers = triage.contract.check(answers)
    return triage.sheet(triage.evaluate(answers, country), answers, fmt, full)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_every_case_renders_the_same_twice(triage: Triage, case: dict[str, Any], fmt: str) -> None:
    """Same answers, same sheet, byte for byte; and it leads with the disposition's headline."""
    first = sheet(triage, case["answers"], fmt)
    assert first == sheet(triage, case["answers"], fmt)
    result = triage.evaluate(triage.contract.check(case["answers"]))
    body = first.split("<body>")[-1]
    assert result.advice.headline in body[:400]


@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("case", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_text_sheet_fits_80_columns(triage: Triage, case: dict[str, Any], full: bool) -> None:
    """Every line fits, but an address, which is never broken (it would stop working): it has a line of its own."""
    lines = [
        line
        for line in sheet(triage, case["answers"], full=full).splitlines()
        if not line.strip().startswith("https://") or " " in line.strip()
    ]
    assert max(len(line) for line in lines) <= 80


def test_emergency_sheet_shows_only_what_to_do_now(triage: Triage) -> None:
    text = sheet(
        triage, base_answers(symptoms=["cold_pale_leg"]), "markdown", country="uk", full=True
    )
    assert "Call 999 now" in text and "Do not drive yourself" in text
    for absent in (
        "During a cramp",
        "To prevent",
        "quinine",
        "You told us",
        "Left out",
        "More things",
    ):
        assert absent not in text


def test_heat_stroke_emergency_gives_cooling_first_aid(triage: Triage) -> None:
    """rev 3 (M13): rapid whole-body cooling while waiting (ACSM), not only a cool place."""
    text = " ".join(
        sheet(triage, base_answers(symptoms=["heat_exertion", "confused_or_fainting"])).split()
    )
    assert "cold water over their whole body" in text and "armpits and groin" in text
    assert "nothing to drink" in text and "home remedies" not in text


def test_page_one_then_the_rest_on_request(triage: Triage) -> None:
    """Default text is page one, with one line on how to see more; --full adds the rest after it."""
    short = sheet(triage, base_answers(conditions=["diabetes"]), country="us")
    full = sheet(triage, base_answers(conditions=["diabetes"]), country="us", full=True)
    assert "--full" in short and "MORE THINGS PEOPLE TRY" not in short and "SOURCES" not in short
    assert (
        full.index("GET HELP IF THINGS CHANGE")
        < full.index("MORE THINGS PEOPLE TRY")
        < full.index("SOURCES")
    )
    assert "Call 911 now" in short and "quinine" in short
    assert "Traditional remedy, not shown to work" in full and "YOU TOLD US" in full
    assert (
        "Sugar water: It raises blood sugar" in short
    )  # withheld, with the reason (the safety table's words), on page one
    assert "https://www.nhs.uk/conditions/leg-cramps/" in full  # a source a person can find


def test_html_has_everything_after_page_one(triage: Triage) -> None:
    html = sheet(triage, base_answers(locations=["calf", "foot"]), "html")
    page_one, rest = html.split('<section class="more"', 1)
    assert (
        "Get help if things change" in page_one and 'class="figure"' not in page_one
    )  # point drawings after
    assert (
        "Acupressure is a traditional remedy" in rest
        and "You told us" in rest
        and "Sources" in rest
    )
    assert "Acupressure" not in page_one.split('id="withheld"')[0]


@pytest.mark.parametrize(
    "location,stretch,absent",
    [
        ("calf", "pull your toes up", "heel toward your bottom"),
        ("thigh_front", "heel toward your bottom", "toes up"),
        ("thigh_back", "lean forward", "toes up"),
    ],
)
def test_the_first_thing_is_the_stretch_for_this_cramp(
    triage: Triage, location: str, stretch: str, absent: str
) -> None:
    """Policy rev 2: first aid fits the muscle; the first thing to try is this person's own stretch."""
    text = sheet(triage, base_answers(locations=[location]))
    lead = " ".join(text.split("WHY")[0].split())
    assert (
        "FIRST, DURING A CRAMP" in lead and stretch in lead.lower() and absent not in lead.lower()
    )


def test_country_numbers_reach_the_json_too(triage: Triage) -> None:
    """No placeholder in the result: numbers are filled for the country asked."""
    answers = triage.contract.check(base_answers())
    uk = triage.result_json(triage.evaluate(answers, "uk"), answers)
    assert "{" + "emergency}" not in uk and "NHS 111" in uk and "Call 999 now" in uk


def test_pregnant_urgent_sheet_sends_to_maternity_unit_now(triage: Triage) -> None:
    answers = base_answers(
        sex="female",
        age=30,
        pregnant=True,
        pregnancy_weeks=32,
        symptoms=["pregnancy_warning_signs"],
    )
    text = sheet(triage, answers, "markdown", country="uk")
    head = text.split("## Why")[0]
    assert "maternity unit or midwife now" in head and "999" in head and "today" not in head.lower()


@pytest.mark.parametrize(
    "country,emergency", [("uk", "999"), ("us", "911"), ("eu", "112"), ("au", "000")]
)
def test_country_numbers(triage: Triage, country: str, emergency: str) -> None:
    text = sheet(triage, base_answers(symptoms=["feels_like_emergency"]), "markdown", country)
    assert f"Call {emergency} now" in text


def test_html_escapes_text_from_data(tmp_path: Path) -> None:
    """Any text reaching the HTML is escaped: a script tag in a message is shown, never run."""
    rules = tmp_path / "rules"
    shutil.copytree(paths.rules_dir(), rules)
    messages = rules / "messages.yaml"
    messages.write_text(
        messages.read_text(encoding="utf-8").replace(
            "Most leg cramps are harmless.", "<script>alert(1)</script>", 1
        ),
        encoding="utf-8",
    )
    html = sheet(Triage(rules=rules), base_answers(), "html")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_html_is_self_contained(triage: Triage) -> None:
    """Nothing is fetched: no stylesheet, script, image or font from elsewhere (links to sources are fine)."""
    html = sheet(triage, base_answers(), "html")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html and "<title>" in html
    for remote in ("<link", "src=", "url(", "@import", "<script"):
        assert remote not in html


def test_undefined_template_variable_is_an_error_naming_the_line(
    tmp_path: Path, triage: Triage
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(paths.templates_dir(), templates)
    target = templates / "sheet.md.j2"
    target.write_text(
        target.read_text(encoding="utf-8").replace("{{ tier.action }}", "{{ tier.actoin }}"),
        encoding="utf-8",
    )
    answers = triage.contract.check(base_answers())
    with pytest.raises(DataFileError) as caught:
        Triage(templates=templates).sheet(triage.evaluate(answers), answers, "markdown")
    line = next(
        n
        for n, text in enumerate(target.read_text(encoding="utf-8").splitlines(), 1)
        if "actoin" in text
    )
    assert "sheet.md.j2" in caught.value.path and caught.value.item == f"line {line}"


def test_the_lead_instruction_carries_its_cautions(triage: Triage) -> None:
    """The first thing to try, shown at the top, comes with this person's cautions (pregnancy, 65+)."""
    pregnant = sheet(
        triage, base_answers(sex="female", age=30, pregnant=True, pregnancy_weeks=30), "markdown"
    )
    lead = pregnant.split("## Why")[0]
    assert "First, during a cramp: Stretch your calf" in lead
    assert "Pull gently. Soreness the next day is normal." in lead  # the pregnancy column
    # 80 and over (rev 3, M12): the towel stretch sitting down comes first, and the caution to
    # stand slowly sits on walking and standing, not on a stretch done sitting
    older = sheet(triage, base_answers(age=80), "markdown").split("## Why")[0]
    assert "towel" in older and "stand" not in older.lower()


# A sign the person already reports is never given back to them as something that may come
# (clinical review of issue 19: "Call 999 now if your urine turns dark" on a sheet for dark
# urine), and a person told not to get up is never sent to the door or to drive in.
@pytest.mark.parametrize(
    ("answers", "never"),
    [
        ({"medications": ["statin"], "symptoms": ["dark_urine"]}, "urine turns dark"),
        ({"symptoms": ["dark_urine", "muscle_ache_or_weakness"]}, "urine turns dark"),
        (
            {"age": 82, "symptoms": ["recent_fall"], "can_bear_weight": "unable"},
            "unlock the door",
        ),
        (
            {"age": 70, "symptoms": ["recent_injury"], "can_bear_weight": "not_sure"},
            "go to the emergency department",
        ),
        ({"symptoms": ["heat_exertion", "endurance_overdrinking"]}, "sports drink puts back"),
        # told to skip the next statin dose: never also "do not stop a medicine on your own"
        (
            {"medications": ["statin"], "symptoms": ["muscle_ache_or_weakness"]},
            "Do not stop a medicine on your own",
        ),
    ],
    ids=[
        "statin-dark-urine",
        "dark-urine-aches",
        "floor-door",
        "floor-drive",
        "overdrinking",
        "statin-paused",
    ],
)
def test_a_sign_already_there_is_not_a_future_trigger(
    triage: Triage, answers: dict[str, Any], never: str
) -> None:
    text = " ".join(sheet(triage, base_answers(**answers), country="uk", full=True).split())
    assert never not in text


def test_every_format_a_person_can_ask_for_has_its_template() -> None:
    """--format's choices (model.SHEET_FORMATS) are formats triage.sheet can render."""
    from triage import sheet
    from triage.model import SHEET_FORMATS

    assert set(SHEET_FORMATS) <= set(sheet.FORMATS) and "text" in SHEET_FORMATS
