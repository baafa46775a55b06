"""The installed `triage` in a real pseudo-terminal, answered by keystrokes (pexpect)."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import base_answers, require

pexpect = require("pexpect")
TRIAGE = Path(sys.executable).parent / "triage"
UP, DOWN, ENTER, SPACE, CTRL_B, BACKSPACE = "\x1b[A", "\x1b[B", "\r", " ", "\x02", "\x7f"
NONE = UP + SPACE + ENTER

pytestmark = pytest.mark.e2e


def spawn(*args: str) -> Any:
    assert TRIAGE.exists(), f"console script not installed at {TRIAGE}"
    return pexpect.spawn(
        str(TRIAGE),
        list(args),
        env={**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm"},
        dimensions=(50, 100),
        timeout=30,
        encoding="utf-8",
    )


def answer(child: Any, steps: list[tuple[str, str]]) -> None:
    for prompt, keys in steps:
        child.expect_exact(prompt)
        child.send(keys)


SAFETY = [
    ("Do you have any of these right now?", NONE),
    ("Do you have any of these?", NONE),
    ("In the last few days", NONE),
]
CRAMPS = [
    ("Where do you get the cramps?", SPACE + ENTER),
    ("Is it one leg or both?", ENTER),
    ("When do the cramps come?", SPACE + ENTER),
    ("How often", DOWN + ENTER),
    ("How long", DOWN + ENTER),
    ("wake you up", "n"),
    ("get in the way of your day", "n"),
    ("stretched every day", "n"),
]
THE_REST = [
    ("Do any of these also fit?", NONE),
    ("heart, blood pressure", NONE),
    ("inhalers, hormones", NONE),
    ("Do you take any of these?", NONE),
    ("Has a doctor told you", NONE),
    ("And any of these?", NONE),
    ("To change an answer", ENTER),
]


def finish(child: Any) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus)


def test_whole_questionnaire_by_keystrokes(tmp_path: Path) -> None:
    saved, sheet = tmp_path / "saved.yaml", tmp_path / "sheet.txt"
    child = spawn("--save-answers", str(saved), "--out", str(sheet))
    answer(
        child,
        [
            *SAFETY,
            ("How old are you?", "45" + ENTER),
            ("What sex", DOWN + ENTER),
            *CRAMPS,
            *THE_REST,
        ],
    )
    assert finish(child) == 0
    assert yaml.safe_load(saved.read_text(encoding="utf-8")) == base_answers(
        answered_on=date.today()
    )
    assert sheet.read_text(encoding="utf-8").startswith(
        "=" * 78 + "\nSELF-CARE: You can look after this at home"
    )


def test_emergency_answer_stops_at_once(tmp_path: Path) -> None:
    child = spawn("--country", "uk")
    answer(child, [("Do you have any of these right now?", SPACE + ENTER)])  # chest pain
    child.expect_exact("Call an ambulance now")
    child.expect_exact("Call 999 now")
    assert finish(child) == 0
    assert (
        "Do you have any of these?" not in child.before and "How old are you?" not in child.before
    )


def test_going_back_to_change_an_answer(tmp_path: Path) -> None:
    saved = tmp_path / "saved.yaml"
    child = spawn("--save-answers", str(saved), "--out", str(tmp_path / "sheet.txt"))
    answer(
        child,
        [
            *SAFETY,
            ("How old are you?", "45" + ENTER),
            ("What sex", CTRL_B),
            ("How old are you?", BACKSPACE * 2 + "70" + ENTER),
            ("What sex", DOWN + ENTER),
            *CRAMPS,
            *THE_REST,
        ],
    )
    assert finish(child) == 0
    saved_answers = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert saved_answers["age"] == 70 and saved_answers == base_answers(
        age=70, answered_on=date.today()
    )


def test_ctrl_c_mid_questionnaire_exits_130_and_saves_nothing(tmp_path: Path) -> None:
    saved = tmp_path / "saved.yaml"
    child = spawn("--save-answers", str(saved))
    answer(child, [*SAFETY, ("How old are you?", "45" + ENTER), ("What sex", "")])
    child.sendintr()
    assert finish(child) == 130
    assert "Stopped. Nothing was saved." in child.before and not saved.exists()
