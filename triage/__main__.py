"""The program: the `triage` command and `python -m triage` start here.

The first step of entry() makes SIGINT, SIGTERM and SIGHUP stop triage calmly (exit code 130,
one line that says what was saved, never a traceback), from before triage's other modules load
until the process ends. Only Python's own start-up, before this file runs, is outside it.
"""

import gc
import sys

from triage import signals  # the only import before entry(): it takes milliseconds


def entry() -> None:
    """Run triage.cli.main and exit with its code; a stop at any moment is exit code 130."""
    signals.install()  # here, not on import: a worker process imports this module too
    code: int | None = None
    stopped = False
    try:
        from triage.cli import main

        code = main()
    except KeyboardInterrupt:  # outside main's own handler: while loading, or after it
        stopped = True
    finally:
        while True:  # a stop inside this loop is caught by it, and noted
            try:
                signals.finishing()
                break
            except KeyboardInterrupt:
                stopped = True
    if (stopped or signals.arrived() or code is None) and code != 130:
        from triage.errors import Aborted

        saved = sys.modules.get("triage.files")
        print(f"triage: {Aborted(getattr(saved, 'SAVED', []))}", file=sys.stderr)
        code = 130
    signals.ignore()  # the code is decided: a stop now changes nothing, and kills nothing
    # Every object now lives until the process ends. Freezing them spares Python's shutdown
    # from collecting and freeing them one by one (about 16 ms, a sixth of a text sheet's run).
    # Nothing waits on that: every file is written and closed in its `with` block, and exit
    # handlers (atexit, weakref.finalize) still run.
    gc.freeze()
    raise SystemExit(code)


if __name__ == "__main__":
    entry()
