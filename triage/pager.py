"""The pager: a sheet taller than the screen is shown a page at a time, as git shows a long log.

As git does: `PAGER` names the pager (empty or `cat`: none), else `less` when it is installed;
`LESS` is honoured, and set to `FRXK` only when it is not set (quit at once if it fits, keep
colour, leave the text on screen, and quit on Ctrl-C: the start screen says Ctrl-C stops, and
the sheet has been given by then); `LV=-c` likewise. Never used when the output is not a
terminal, or on a terminal that cannot move the cursor (TERM=dumb): the caller decides that.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from collections.abc import Mapping


def _less_prompt(text: str) -> str:
    """`text` as a literal less prompt: its special characters escaped."""
    return "".join("\\" + c if c in "?:.%\\" else c for c in text)


def command(environ: Mapping[str, str]) -> tuple[list[str] | str, bool] | None:
    """What to run: (argv, False), or (a shell command line, True), or None for no pager."""
    named = environ.get("PAGER")
    if named is not None:
        if not named.strip() or named.strip() == "cat":
            return None
        return named, True
    less = shutil.which("less", path=environ.get("PATH"))
    return ([less], False) if less else None


def show(text: str, prompt: str = "", environ: Mapping[str, str] | None = None) -> bool:
    """Show `text` in the pager; False when there is none, or it could not start (then the
    caller prints the text itself). `prompt` becomes less's prompt when we chose less and LESS
    is not set."""
    environ = os.environ if environ is None else environ
    chosen = command(environ)
    if chosen is None:
        return False
    argv, shell = chosen
    env = dict(environ)
    if "LESS" not in env:
        env["LESS"] = "FRXK"
        if prompt and not shell:
            argv = [*argv, "-Ps" + _less_prompt(prompt)]
    env.setdefault("LV", "-c")
    interrupt = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C belongs to the pager while it runs
    try:
        try:
            pager = subprocess.Popen(argv, stdin=subprocess.PIPE, shell=shell, env=env)
        except OSError:
            return False
        assert pager.stdin is not None
        with contextlib.suppress(BrokenPipeError, OSError):  # the person quit before the end
            pager.stdin.write(text.encode("utf-8", "replace"))
        with contextlib.suppress(BrokenPipeError, OSError):
            pager.stdin.close()
        code = pager.wait()
    finally:
        signal.signal(signal.SIGINT, interrupt)
    return code != 127  # 127: the shell could not find the pager named in PAGER
