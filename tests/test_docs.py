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


def ci_stages() -> list[str]:
    """The commands .ci/run runs as timed stages, in order: `stage "name" command...`."""
    stages = []
    for line in ci_commands():
        found = re.fullmatch(r'stage "[^"]+" (.+)', line)
        if found:
            stages.append(found.group(1))
    return stages


def test_readme_two_commands_match_ci() -> None:
    """CI runs the README's test command, after lint, and ./dev knows both commands."""
    assert "./dev run" in README and "./dev test" in README
    stages = ci_stages()
    tests = [n for n, s in enumerate(stages) if s.split()[:2] == ["./dev", "test"]]
    assert tests, f"CI never runs ./dev test: {stages}"
    lint = stages.index("./dev lint")
    assert lint < tests[0], "lint must come first: it fails fastest"
    dev = (ROOT / "dev").read_text(encoding="utf-8")
    assert "    run)" in dev and "    test)" in dev and os.access(ROOT / "dev", os.X_OK)


def test_ci_gates_on_safety_and_mutation_testing() -> None:
    """The exhaustive safety run and the mutation run are real, gating stages (no `|| true`)."""
    stages = ci_stages()
    for step in ("./dev exhaustive", "./dev mutate"):
        assert step in stages, f"{step} is not a stage of .ci/run"
    assert "set -euo pipefail" in ci_commands()
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
