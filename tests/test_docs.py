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


def ci_commands() -> list[str]:
    """The commands .ci/run executes at the top level: comments and blank lines dropped."""
    lines = []
    for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines():
        code = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if code:
            lines.append(code)
    return lines


def test_readme_two_commands_match_ci() -> None:
    """CI runs the README's test command as its last step, and ./dev knows both commands."""
    assert "./dev run" in README and "./dev test" in README
    commands = ci_commands()
    assert commands[-1] == "./dev test", commands[-3:]
    dev = (ROOT / "dev").read_text(encoding="utf-8")
    assert "    run)" in dev and "    test)" in dev and os.access(ROOT / "dev", os.X_OK)


def test_ci_gates_on_safety_and_mutation_testing() -> None:
    """The exhaustive safety run and the mutation run are real, gating steps (no `|| true`), before the tests."""
    commands = ci_commands()
    for step in ("./dev exhaustive", "./dev mutate"):
        assert step in commands, f"{step} is not a step of .ci/run"
        assert commands.index(step) < commands.index("./dev test")
    assert "set -euo pipefail" in commands
    assert "    mutate)" in (ROOT / "dev").read_text(encoding="utf-8")


def test_ci_commands_ignore_comments() -> None:
    assert ci_commands() != [] and not any(c.startswith("#") for c in ci_commands())


def test_a_missing_test_tool_fails_under_ci_and_skips_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """CI must not pass by skipping the terminal tests because pexpect (or another tool) is missing."""
    from .conftest import require

    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="CI must run these tests"):
        require("no_such_test_tool_xyz")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        require("no_such_test_tool_xyz")
    assert require("json").dumps(1) == "1"


@pytest.mark.parametrize(
    ("marker", "argv"),
    [("help-recheck", ["recheck", "--help"]), ("help-diary", ["diary", "--help"])],
)
def test_readme_follow_up_help_is_current(
    marker: str,
    argv: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The README shows the real help of `triage recheck` and `triage diary`."""
    from triage.cli import main

    monkeypatch.setenv("COLUMNS", "80")
    block = re.search(rf"<!-- {marker}:.*?-->\n```text\n(.*?)```", README, re.S)
    assert block, f"README lost its {marker} block"
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 0
    assert block.group(1) == capsys.readouterr().out
