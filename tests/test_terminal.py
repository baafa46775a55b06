"""The sheet in a terminal, via rich: words with colour, 80 columns, NO_COLOR and pipes honoured."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from triage import sheet
from triage.pipeline import Triage

from .conftest import base_answers

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def shown(triage: Triage, answers: dict[str, Any], **console: Any) -> str:
    answers = triage.contract.check(answers)
    result = triage.evaluate(answers, "uk")
    buf = io.StringIO()
    con = Console(file=buf, width=80, highlight=False, **console)
    sheet.show_in_terminal(
        triage.sheet(result, answers, "terminal"),
        triage.knowledge.tiers[result.disposition].colour,
        con,
    )
    return buf.getvalue()


def test_tier_in_words_and_colour(triage: Triage) -> None:
    out = shown(
        triage,
        base_answers(duration="over_10_minutes"),
        force_terminal=True,
        color_system="standard",
    )
    first = next(line for line in out.splitlines() if line.strip())
    assert "Urgent: Get medical help today" in ANSI.sub("", first)
    assert "\x1b[" in first  # coloured, and the words say it too


def test_fits_80_columns(triage: Triage) -> None:
    out = shown(
        triage,
        base_answers(locations=["calf", "foot", "thigh_back"], medications=["statin"]),
        force_terminal=True,
    )
    assert max(len(ANSI.sub("", line)) for line in out.splitlines()) <= 80


def test_no_color(triage: Triage, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    out = shown(triage, base_answers(symptoms=["dark_urine"]), force_terminal=True)
    assert not re.search(
        r"\x1b\[[0-9;]*3\dm|\x1b\[[0-9;]*4\dm", out
    )  # no foreground/background colours
    assert "Urgent: Get medical help today" in ANSI.sub("", out)


def test_emergency_in_terminal_is_only_what_to_do_now(triage: Triage) -> None:
    out = ANSI.sub("", shown(triage, base_answers(symptoms=["cannot_move_foot"])))
    assert "Call 999 now" in out and "While you wait" in out
    assert "During a cramp" not in out and "quinine" not in out


def test_piped_output_is_plain_text(tmp_path: Path) -> None:
    """Piped, the default is the plain-text sheet: no escape codes, 80 columns."""
    answers = tmp_path / "a.yaml"
    answers.write_text(  # symptoms answered: else the headline asks to check the signs first
        "version: 1\nage: 70\nlocations: [calf]\ntiming: [night]\nsymptoms: []\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "triage", "--answers", str(answers)],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "NO_COLOR"},
    )
    assert done.returncode == 0 and "\x1b[" not in done.stdout
    assert done.stdout.startswith("=" * 78 + "\nSELF-CARE: You can look after this at home\n")
