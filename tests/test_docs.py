"""The README shows the real --help, and its two commands exist."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from triage.cli import parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_help_is_current(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    block = re.search(r"<!-- help:.*?-->\n```text\n(.*?)```", README, re.S)
    assert block, "README lost its --help block"
    assert block.group(1) == parser().format_help()


def test_readme_two_commands_match_ci() -> None:
    """CI runs the README's test command, and ./dev knows both commands."""
    assert "./dev run" in README and "./dev test" in README
    assert "./dev test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    dev = (ROOT / "dev").read_text(encoding="utf-8")
    assert "    run)" in dev and "    test)" in dev and os.access(ROOT / "dev", os.X_OK)
