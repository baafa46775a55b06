"""Every error triage shows a person, in one place. Only cli.py catches these and turns them
into exit codes: 2 bad input or usage, 3 broken data files or a broken install, 70 a bug (the
engine failed, or a batch worker died), 130 stopped.

Every message goes through `one_line`, and every value put into a message through `show`: both
are bounded (a huge, deeply nested or alias-expanded value costs nothing to describe) and never
pass a control character or an escape sequence on to the terminal.
"""

from __future__ import annotations

import contextlib
import reprlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from triage.model import Phrases

MAX_MESSAGE = 400  # characters in one error line
_BIG_INT_BITS = 200  # ints wider than this are described, never converted to digits


class _Repr(reprlib.Repr):
    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > _BIG_INT_BITS:
            return f"a number of about {int(x.bit_length() * 0.30103) + 1} digits"
        return super().repr_int(x, level)


_REPR = _Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother, _REPR.maxlist, _REPR.maxdict = 2, 30, 30, 4, 3
_REPR.maxlong = 24


def show(value: Any) -> str:
    """A value for a one-line message: short, control characters escaped, safe at any size."""
    if value is None or isinstance(value, bool):
        return "null" if value is None else str(value).lower()
    try:
        return _REPR.repr(value)
    except Exception:  # a value whose repr fails still gets a message
        return f"a {type(value).__name__}"


def printable(text: str, limit: int = 80) -> str:
    """`text` as shown on a terminal: control characters and lone surrogates escaped, cut to
    `limit` characters (for names and ids taken from files)."""
    cut = text[: limit + 1]
    out = []
    for ch in cut:
        if ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF:
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
    shown = "".join(out)
    return shown[:limit] + "..." if len(cut) > limit or len(shown) > limit else shown


def one_line(text: str) -> str:
    """A message as one bounded, terminal-safe line."""
    return printable(" ".join(str(text)[: MAX_MESSAGE * 4].split()), MAX_MESSAGE)


class Said(str):
    """Words to be said, by their key in rules/ui.yaml and the values to fill in. Code deep
    down (files.py, the YAML and JSON readers) has no phrases at hand: it raises a Said, and
    whoever shows the message looks the words up (`TriageError.said`, `words`). As text it is
    its key, so a library that formats the message it was given (PyYAML) still can."""

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, values: Mapping[str, Any] | None = None) -> Said:
        said = super().__new__(cls, key)
        said.key, said.values = key, dict(values or {})
        return said

    def __reduce__(self) -> Any:
        return (Said, (self.key, self.values))

    def text(self, say: Phrases) -> str:
        return say(self.key, **self.values)


def words(reason: object, say: Phrases | None) -> str:
    """An exception's reason (or a Said) in the data's words; any other text as it is (the
    words of a library, such as the JSON parser's)."""
    if isinstance(reason, BaseException) and reason.args:
        reason = reason.args[0]
    if isinstance(reason, Said) and say is not None:
        return reason.text(say)
    return str(reason)


class TriageError(Exception):
    """Base class: a problem with a one-line message that says what to do. The message is
    text, or a Said whose words are looked up where the error is shown (`said`)."""

    exit_code = 2

    def __init__(self, message: str = "") -> None:
        self.words = message if isinstance(message, Said) else None
        super().__init__(one_line(message))

    def said(self, say: Phrases | None) -> str:
        """The one-line message, in the words of rules/ui.yaml."""
        if self.words is None or say is None:
            return str(self)
        return one_line(self.words.text(say))

    def __reduce__(self) -> Any:
        # picklable whole, Said included (an error in a batch worker process comes back)
        return (type(self), (self.words or str(self),))


class AnswersError(TriageError):
    """The answers (from a file or typed in) break the answers contract."""

    def __init__(self, key: str, problem: str, source: str = "answers") -> None:
        self.key = key
        self.problem = problem
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(f"{where}{key}: {problem}")

    def __reduce__(self) -> tuple[type[AnswersError], tuple[str, str, str]]:
        # picklable, so that an error in a worker process (triage batch --jobs) comes back whole
        return (AnswersError, (self.key, self.problem, self.source))


class UsageError(TriageError):
    """The command line asks for something that cannot be done."""


class DataFileError(TriageError):
    """A file under rules/ or templates/ is broken. Raised at load, before the first question.
    `copy`: the folder given with --rules, when the broken file is in it (see `loading_copy`)."""

    exit_code = 3

    def __init__(self, path: str, item: str, detail: str, copy: str | None = None) -> None:
        self.path = path
        self.item = item
        self.detail = detail
        self.copy = copy
        said = printable(" ".join(detail.split()), 240)
        # In Python, not rules/ui.yaml: the data files are what is broken.
        hint = (
            " (this is a bug in the tool's data files; please report it)"
            if copy is None
            else f" (in the rules folder given with --rules, {printable(copy, 120)}:"
            " fix it there, or leave --rules out to use the built-in one)"
        )
        super().__init__(f"{printable(path, 120)}: {printable(item, 80)}: {said}{hint}")

    def __reduce__(self) -> tuple[type[DataFileError], tuple[str, str, str, str | None]]:
        return (DataFileError, (self.path, self.item, self.detail, self.copy))


@contextlib.contextmanager
def loading_copy(folder: str | None) -> Iterator[None]:
    """Loading the rules folder given with --rules (None: the built-in one). A broken file in
    a person's own copy is theirs to fix, not a bug of triage: its error says so."""
    try:
        yield
    except DataFileError as exc:
        if folder is None or exc.copy is not None:
            raise
        raise DataFileError(exc.path, exc.item, exc.detail, folder) from None


class DiaryError(TriageError):
    """The cramp diary cannot be read or written; the message says why and what to do."""


class InstallError(TriageError):
    """triage is installed wrongly: the rules engine's C extension is missing or was built
    wrongly, or the package's rules/ or templates/ folder is missing."""

    exit_code = 3


class EngineError(TriageError):
    """The engine failed while evaluating; this is a bug, never a person's fault."""

    exit_code = 70


class WorkerLost(TriageError):
    """A batch worker process died (killed, or crashed): the run stops at once, never hangs."""

    exit_code = 70

    def __init__(self, written: str = "") -> None:
        # `written`: what is already on standard output (batch without --out), said instead
        # of "nothing was saved"
        self.written = written
        if written:
            super().__init__(Said("errors.worker_lost_written", {"written": written}))
        else:
            super().__init__(Said("errors.worker_lost"))

    def __reduce__(self) -> Any:
        return (WorkerLost, (self.written,))


class Aborted(TriageError):
    """The person pressed Ctrl-C (or the program was told to stop: SIGTERM, SIGHUP).

    Its words are rules/ui.yaml's `errors.stopped`. A stop can come while Python is still
    loading triage, before rules/ui.yaml is read, or because reading it failed: only then is
    the English below shown (as for InstallError, the data that would hold it is not at hand).
    """

    exit_code = 130

    def __init__(self, saved: list[str] | tuple[str, ...] = ()) -> None:
        self.saved = tuple(saved)
        if saved:  # written before the stop came: saying "nothing" would be untrue
            names = ", ".join(printable(name, 120) for name in dict.fromkeys(saved))
            super().__init__(f"Stopped. Saved before the stop: {names}. Nothing else was saved.")
            self.words = Said("errors.stopped_saved", {"names": names})
        else:
            super().__init__("Stopped. Nothing was saved.")
            self.words = Said("errors.stopped")

    def __reduce__(self) -> Any:
        return (Aborted, (self.saved,))
