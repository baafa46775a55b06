"""A program in a pseudo-terminal, its output drawn by a terminal emulator (pyte), as a person
sees it. The emulator answers the cursor-position question real terminals answer (prompt_toolkit
asks it, and lays its prompts out by the rows it is told are free), so what shows on the bottom
row here shows there in a real terminal too. Every wait has a deadline: a hang fails with the
screen in the message."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")
TRIAGE = Path(sys.executable).parent / "triage"
ROOT = Path(__file__).resolve().parent.parent


def flat(lines: list[str]) -> str:
    """Lines joined as one line of words: a label wrapped over two lines reads whole again; one
    cut at the edge, or split inside a word, does not."""
    return " ".join(" ".join(line.split()) for line in lines if line.strip())


class _Screen(pyte.Screen):  # type: ignore[misc]
    """A pyte screen that answers the terminal's questions (cursor position) to the program."""

    child: Any = None

    def write_process_input(self, data: str) -> None:
        if self.child is not None and self.child.isalive():
            self.child.send(data)


class Pty:
    """`argv` run in a pseudo-terminal of `rows` x `columns`; `env` is added to this one's."""

    def __init__(
        self,
        argv: list[str],
        rows: int = 24,
        columns: int = 80,
        env: Mapping[str, str] | None = None,
        unset: tuple[str, ...] = (),
        cwd: Path = ROOT,
    ) -> None:
        self.screen = _Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.child = pexpect.spawn(
            argv[0],
            argv[1:],
            dimensions=(rows, columns),
            timeout=30,
            cwd=str(cwd),
            env={
                k: v
                for k, v in {
                    **os.environ,
                    "TERM": "xterm",
                    "PYTHONPATH": str(ROOT),
                    **(env or {}),
                }.items()
                if k not in unset
            },
        )
        self.screen.child = self.child

    @classmethod
    def triage(cls, *args: str, **kwargs: Any) -> Pty:
        assert TRIAGE.exists(), f"console script not installed at {TRIAGE}"
        return cls([str(TRIAGE), *args], **kwargs)

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    def text(self) -> str:
        return "\n".join(self.lines()).rstrip("\n")

    def current(self) -> str:
        """The prompt being asked: from the last line that starts with '? ' to the bottom."""
        lines = self.lines()
        start = max((k for k, line in enumerate(lines) if line.startswith("? ")), default=0)
        return flat(lines[start:])

    def read(self) -> bool:
        """Draw what the program wrote since; False once it has exited."""
        try:
            data = self.child.read_nonblocking(65536, timeout=0.2)
        except pexpect.TIMEOUT:
            return True
        except pexpect.EOF:
            return False
        self.raw.extend(data)
        self.stream.feed(data)
        return True

    def wait(self, ready: Callable[[], bool], what: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {what}; the screen:\n{self.text()}")
            if not self.read() and not ready():
                raise AssertionError(f"exited before {what}; the screen:\n{self.text()}")

    def see(self, text: str) -> None:
        self.wait(lambda: text in flat(self.lines()), repr(text))

    def settle(self, quiet: float = 0.5, timeout: float = 10) -> None:
        """Read until the program has written nothing for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        last, size = time.monotonic(), len(self.raw)
        while time.monotonic() < deadline and time.monotonic() - last < quiet:
            if not self.read():
                return
            if len(self.raw) != size:
                last, size = time.monotonic(), len(self.raw)

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def finish(self) -> int:
        while self.read():
            pass
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else -1)


def words(text: str) -> str:
    """`text` as flat() shows it: runs of spaces (a no-break space too) as one space."""
    return " ".join(text.split())


def answer(term: Pty, pairs: list[tuple[Any, str]]) -> None:
    """Send each question's keys once that question is on screen (a prompt reads only the keys
    typed while it is asked)."""
    for q, keys in pairs:
        term.wait(lambda q=q: term.current().startswith(f"? {q.prompt}"), repr(q.prompt))
        term.settle(0.3)
        term.send(keys)
