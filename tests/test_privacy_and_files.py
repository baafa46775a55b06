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
    with pytest.raises(Exception, match="(?i)socket"):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


@pytest.mark.parametrize("args", [["--json"], ["--format", "html"], ["--format", "markdown"]])
def test_the_cli_opens_no_socket(tmp_path: Path, args: list[str]) -> None:
    """A real process, with an audit hook that stops it at the first socket connect or lookup."""
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(base_answers(symptoms=["twitching"])), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", NO_NETWORK, "--answers", str(answers), *args],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "NETWORK USED" not in done.stderr


def test_no_module_imports_network_code() -> None:
    banned = {"socket", "urllib", "http", "requests", "httpx", "ftplib", "smtplib", "ssl", "logging"}
    for path in (ROOT / "triage").glob("*.py"):
        for name in imported_modules(path):
            assert name.split(".")[0] not in banned, f"{path.name} imports {name}"


def test_write_killed_half_way_keeps_the_old_file(tmp_path: Path) -> None:
    """SIGKILL during write_atomic: the target still holds the old text, complete."""
    target = tmp_path / "sheet.txt"
    target.write_text("OLD SHEET\n", encoding="utf-8")
    code = ("import sys; from triage.files import write_atomic; "
            "write_atomic(sys.argv[1], 'x' * 400_000_000)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(target)])
    try:
        deadline = time.monotonic() + 30
        while not any(p.name.startswith(".sheet.txt.") and p.stat().st_size > 1_000_000 for p in tmp_path.iterdir()):
            assert proc.poll() is None, "the write finished before it could be interrupted"
            assert time.monotonic() < deadline, "the temporary file never appeared"
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert target.read_text(encoding="utf-8") == "OLD SHEET\n"
