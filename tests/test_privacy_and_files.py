"""Nothing leaves the machine, and a write killed half-way leaves the old file whole."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import base_answers, imported_modules

ROOT = Path(__file__).resolve().parent.parent

NO_NETWORK = """
import sys
def guard(event, args):
    if event in ("socket.connect", "socket.bind", "socket.getaddrinfo", "socket.sendto", "urllib.Request"):
        raise SystemExit(f"NETWORK USED: {event} {args!r}")
sys.addaudithook(guard)
from triage.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_sockets_are_blocked_in_the_test_run() -> None:
    """pytest-socket is active: the whole suite runs with network sockets disabled."""
    with pytest.raises(Exception, match=r"(?i)socket"):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


@pytest.mark.parametrize("args", [["--json"], ["--format", "html"], ["--format", "markdown"]])
def test_the_cli_opens_no_socket(tmp_path: Path, args: list[str]) -> None:
    """A real process, with an audit hook that stops it at the first socket connect or lookup."""
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(base_answers(symptoms=["twitching"])), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", NO_NETWORK, "--answers", str(answers), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "NETWORK USED" not in done.stderr


def test_no_module_imports_network_code() -> None:
    banned = {
        "socket",
        "urllib",
        "http",
        "requests",
        "httpx",
        "ftplib",
        "smtplib",
        "ssl",
        "logging",
    }
    for path in (ROOT / "triage").glob("*.py"):
        for name in imported_modules(path):
            assert name.split(".")[0] not in banned, f"{path.name} imports {name}"


def test_write_replaces_the_file_by_rename(tmp_path: Path) -> None:
    """The new text arrives as a new file renamed over the target (its inode changes): never copied into it."""
    from triage.files import atomic_writer

    target = tmp_path / "sheet.txt"
    target.write_text("OLD SHEET\n", encoding="utf-8")
    before = target.stat().st_ino
    with open(
        target, encoding="utf-8"
    ) as reader:  # keeps the old inode alive, so it cannot be reused
        with atomic_writer(str(target)) as fh:
            fh.write("NEW SHEET\n")
            fh.flush()
            assert (
                target.read_text(encoding="utf-8") == "OLD SHEET\n"
                and target.stat().st_ino == before
            )
        assert target.stat().st_ino != before, (
            "the target was overwritten in place, not replaced by a rename"
        )
        assert target.read_text(encoding="utf-8") == "NEW SHEET\n"
        assert reader.read() == "OLD SHEET\n"
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.txt"], "a temporary file was left behind"


@pytest.mark.parametrize("option", ["--out", "--save-answers"])
def test_cli_files_are_replaced_by_rename(tmp_path: Path, option: str) -> None:
    from triage.cli import main

    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(base_answers()), encoding="utf-8")
    target = tmp_path / "target.txt"
    target.write_text("OLD\n", encoding="utf-8")
    with open(target, encoding="utf-8"):
        before = target.stat().st_ino
        args = ["--answers", str(answers), option, str(target), "--format", "text"]
        if option == "--save-answers":
            args += ["--out", str(tmp_path / "sheet.txt"), "--overwrite"]
        assert main(args) == 0
        assert target.stat().st_ino != before and target.read_text(encoding="utf-8") != "OLD\n"


def test_batch_out_is_replaced_by_rename(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    out.write_text("OLD\n", encoding="utf-8")
    with open(out, encoding="utf-8"):
        before = out.stat().st_ino
        done = subprocess.run(
            [sys.executable, "-m", "triage", "batch", "--out", str(out)],
            input=json.dumps(base_answers()) + "\n",
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert out.stat().st_ino != before and json.loads(out.read_text(encoding="utf-8"))["result"]


def test_write_killed_half_way_keeps_the_old_file(tmp_path: Path) -> None:
    """SIGKILL during write_atomic: the target still holds the old text, complete."""
    target = tmp_path / "sheet.txt"
    target.write_text("OLD SHEET\n", encoding="utf-8")
    code = (
        "import sys; from triage.files import write_atomic; "
        "write_atomic(sys.argv[1], 'x' * 400_000_000)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(target)])
    try:
        deadline = time.monotonic() + 30
        while not any(
            p.name.startswith(".sheet.txt.") and p.stat().st_size > 1_000_000
            for p in tmp_path.iterdir()
        ):
            assert proc.poll() is None, "the write finished before it could be interrupted"
            assert time.monotonic() < deadline, "the temporary file never appeared"
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert target.read_text(encoding="utf-8") == "OLD SHEET\n"


def test_the_follow_up_commands_open_no_socket(tmp_path: Path) -> None:
    """The diary and the re-check, in real processes with the audit hook: no socket, no lookup."""
    saved = tmp_path / "me.json"
    saved.write_text(json.dumps(base_answers(answered_on="2026-11-10")), encoding="utf-8")
    later = tmp_path / "later.json"
    later.write_text(
        json.dumps({"version": 1, "answered_on": "2026-12-01", "stretching_tried": "not_helped"}),
        encoding="utf-8",
    )
    env = {**os.environ, "TRIAGE_DATA_DIR": str(tmp_path / "data")}
    runs = [
        ["diary", "add", "--muscle", "calf", "--duration", "minutes", "--when", "2026-11-30 03:00"],
        ["diary", "list"],
        ["diary", "chart", "--to", "2026-12-01"],
        ["recheck", str(saved), "--answers", str(later), "--diary", "--format", "html",
         "--reminder", str(tmp_path / "r.ics")],
        ["--answers", str(saved), "--diary", "--json", "--reminder", str(tmp_path / "s.ics")],
    ]  # fmt: skip
    for args in runs:
        done = subprocess.run(
            [sys.executable, "-c", NO_NETWORK, *args],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert done.returncode == 0, (args, done.stderr)
        assert "NETWORK USED" not in done.stderr
