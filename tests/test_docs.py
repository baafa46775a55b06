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


SESSION = re.compile(r"<!-- session: (\w+)(?: at (\w+))? -->\n```(?:text|yaml)\n(.*?)```", re.S)


def session_blocks() -> dict[str, tuple[str | None, str]]:
    return {name: (at or None, text) for name, at, text in SESSION.findall(README)}


def test_readme_says_triage_means_dev_run_at_the_two_commands() -> None:
    two = README[README.index("## Two commands") : README.index("### Python 3.13")]
    assert "./dev run --answers me.yaml" in two and "says `triage`" in two


@pytest.mark.e2e
def test_readme_example_session_is_what_the_terminal_shows(tmp_path: Path) -> None:
    """The README's session, run at 80x24 with its own answers (the answers block, turned into
    keystrokes from the loaded questions): each screen it shows is the terminal's screen at that
    moment, line for line, and the answers saved are its answers block, byte for byte."""
    import shutil

    import yaml

    from triage.pipeline import Triage

    from .keys import ENTER, for_answers
    from .screen import Pty, words

    if not shutil.which("less"):
        if os.environ.get("CI"):
            pytest.fail("CI must run the README session: less is not installed")
        pytest.skip("less not installed (the session pages the sheet)")
    blocks = session_blocks()
    assert set(blocks) == {"questions", "review", "end", "answers"}, set(blocks)
    command = re.search(r"```text\n\$ triage (.*?)\n```", README)
    assert command, "README lost the session's command line"
    triage = Triage()
    answers = yaml.safe_load(blocks["answers"][1])
    term = Pty.triage(*command.group(1).split(), cwd=tmp_path, unset=("PAGER", "LESS"))
    seen: dict[str, str] = {}
    for q, keys in for_answers(triage.questions, answers):
        term.wait(
            lambda q=q: (
                term.current().startswith(f"? {q.prompt}") and "Question " in term.current()
            ),
            repr(q.prompt),
        )
        term.settle(0.3)
        if q.id == blocks["questions"][0]:
            seen["questions"] = term.text()
        term.send(keys)
    term.see(words(triage.phrases("review.keys")))
    term.settle(0.5)
    seen["review"] = term.text()
    pager = words(triage.phrases("result.pager"))
    while pager not in words(term.text()):
        term.send(ENTER)  # the next screen of answers, then the result
        term.settle(0.7)
    term.send("q")
    assert term.finish() == 0
    seen["end"] = term.text()
    for name in ("questions", "review", "end"):
        assert seen[name] == blocks[name][1].rstrip("\n"), f"README screen '{name}' differs"
    saved = (tmp_path / command.group(1).split()[1]).read_text(encoding="utf-8")
    assert saved == blocks["answers"][1]
