"""Signals: SIGTERM and SIGHUP stop triage as Ctrl-C does, and a stop can be made to wait.

A stop by any of the three raises KeyboardInterrupt where the program is, so every `finally` and
every clean-up runs (a half-written output's temporary file is removed) and the person sees
"Stopped." with exit code 130, never a traceback.

`deferred()` makes a stop wait until the block ends: durable-rules catches any exception raised
inside its actions (a Ctrl-C there would become an "engine error" for one case), so the engine
runs durable inside it. Python runs signal handlers in the main thread only, so only the main
thread needs it, wherever the operating system delivered the signal.

`held()` blocks the three signals in this thread; a thread or process started inside it keeps
them blocked, so a helper (a progress bar's thread, a worker process) never takes a Ctrl-C meant
for the main process.
"""

from __future__ import annotations

import _signal as signal  # type: ignore[import-not-found]  # not `signal`: it loads enum (ms)

TYPE_CHECKING = False  # not `typing`'s: this module loads first, and typing takes milliseconds
if TYPE_CHECKING:
    from typing import Any

STOPS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
# What a terminal sends to every process of its job. A worker process must not take these (its
# parent stops it), but keeps SIGTERM: that is how a pool stops the workers that are left.
TERMINAL = tuple(getattr(signal, name) for name in ("SIGINT", "SIGHUP") if hasattr(signal, name))
_waiting: list[int] = []  # stops that arrived inside deferred()
_deferring = [0]  # how deep in deferred() the main thread is


_arrived: list[int] = []  # stops that came after finishing() (the program was ending)
_last = [int(signal.SIGINT)]  # the stop raised last
_in_hook = [0]  # inside the unraisable hook


def _stop(signum: int, frame: Any) -> None:
    if _in_hook[0]:  # the hook below sends a stop again when it has returned
        return
    if _deferring[0]:
        _waiting.append(signum)
        return
    _last[0] = signum
    raise KeyboardInterrupt


def _note(signum: int, frame: Any) -> None:
    _arrived.append(signum)


def _unraisable(hook: Any) -> Any:
    def unraisable(info: Any) -> None:
        """A stop raised where Python cannot pass it on (a weakref callback, `__del__`: it
        "ignores" it with a traceback, and the run goes on) is sent again, to land in the
        program itself at the next step."""
        if isinstance(info.exc_value, KeyboardInterrupt):
            # Sent again by a helper thread once this hook has returned: a stop raised in here
            # would be lost again (_stop ignores one meanwhile: this one stands for it).
            import os
            import threading
            import time

            _in_hook[0] += 1
            returned = threading.Event()

            def send_again() -> None:
                returned.wait()
                time.sleep(0.002)
                os.kill(os.getpid(), _last[0])

            threading.Thread(target=send_again, daemon=True).start()
            _in_hook[0] -= 1
            returned.set()
            return
        hook(info)

    return unraisable


def install() -> None:
    """For the life of the process (the program's first step): SIGINT, SIGTERM and SIGHUP stop
    it as Ctrl-C does, and a stop Python would swallow is not lost."""
    import sys

    for number in STOPS:
        if signal.getsignal(number) in (signal.SIG_DFL, signal.default_int_handler):
            signal.signal(number, _stop)
    if getattr(sys.unraisablehook, "__name__", "") != "unraisable":
        sys.unraisablehook = _unraisable(sys.unraisablehook)


def finishing() -> bool:
    """The program is ending: from now on a stop is only noted, never raised. True when one
    came (and was noted) already; `arrived()` tells later."""
    for number in STOPS:
        if signal.getsignal(number) is _stop:
            signal.signal(number, _note)
    return bool(_arrived)


def arrived() -> bool:
    return bool(_arrived)


def ignore() -> None:
    """The last step before exit: stops are ignored, so none can kill the process while
    Python shuts down (it puts back the default handlers, but leaves an ignored signal be)."""
    for number in STOPS:
        if signal.getsignal(number) is _note:
            signal.signal(number, signal.SIG_IGN)


class stop_like_ctrl_c:
    """Inside the block, Ctrl-C, SIGTERM and SIGHUP raise KeyboardInterrupt through triage's own
    handler (a signal someone chose to ignore stays ignored); the old handlers come back after."""

    def __enter__(self) -> None:
        self._old: dict[int, Any] = {}
        for number in STOPS:
            current = signal.getsignal(number)
            if current not in (signal.SIG_DFL, signal.default_int_handler):
                continue
            try:
                self._old[number] = signal.signal(number, _stop)
            except ValueError:  # not the main thread: signals stay as they are
                return

    def __exit__(self, *exc: object) -> None:
        for number, old in self._old.items():
            signal.signal(number, old)


class deferred:
    """A stop that arrives inside the block takes effect when it ends (see the module)."""

    def __enter__(self) -> None:
        import threading

        self._main = threading.current_thread() is threading.main_thread()
        self._foreign: dict[int, Any] = {}
        if not self._main:
            return  # Python runs no signal handler in this thread
        for number in STOPS:
            handler = signal.getsignal(number)
            if callable(handler) and handler is not _stop:  # not ours: ours waits, for now
                self._foreign[number] = signal.signal(number, _stop)
        _deferring[0] += 1

    def __exit__(self, *exc: object) -> None:
        if not self._main:
            return
        _deferring[0] -= 1
        for number, handler in self._foreign.items():
            signal.signal(number, handler)
        if _waiting and not _deferring[0]:
            number = _waiting[0]
            _waiting.clear()
            handler = self._foreign.get(number, signal.getsignal(number))
            if callable(handler):
                handler(number, None)  # Ctrl-C: KeyboardInterrupt, here


class held:
    """The stop signals (or `which` of them) are blocked in this thread inside the block, and
    stay blocked in threads and processes started in it; one that arrives meanwhile is
    delivered after."""

    def __init__(self, which: tuple[int, ...] = STOPS) -> None:
        self._which = which

    def __enter__(self) -> None:
        self._mask = (
            signal.pthread_sigmask(signal.SIG_BLOCK, self._which)
            if hasattr(signal, "pthread_sigmask")
            else None
        )

    def __exit__(self, *exc: object) -> None:
        if self._mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, self._mask)
