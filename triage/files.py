"""Reading and writing the files a person hands us or asks for, safely.

Reads are strict and bounded. A key given twice is an error (YAML and JSON would silently keep
the last, and a second `symptoms:` could hide a red flag). Numbers are plain decimal digits, as
in YAML 1.2 and JSON (YAML 1.1 would read `1:10` as 70 and `017` as 15), of at most 100 digits.
YAML aliases may add at most MAX_ALIAS_NODES nodes to a file (a 500-byte "billion laughs" file
would otherwise expand to gigabytes wherever it is walked), and may not refer to themselves.

Writes go through one function, `writer`. A regular file (or a new name) is written to a
temporary file beside it, which then replaces it in one step, so a crash, Ctrl-C or kill leaves
the old file whole and never a half-written one. The temporary name is unpredictable and
created exclusively (never through a symlink), and says which process made it, so one left by a
killed process is recognised and removed by the next write to that folder. A device, pipe or
socket (`/dev/null`, `/dev/stdout`, a terminal) is written directly: renaming over it would
replace the device by a regular file.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import os
import re
import select
import stat
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from triage.errors import AnswersError, Said, UsageError, printable, show, words

if TYPE_CHECKING:
    from triage.model import Phrases

MAX_ANSWERS_BYTES = 1_000_000
PIPE_WAIT = 10  # seconds a pipe may send nothing, before it is refused (never a wait for ever)
MAX_DIGITS = 100  # in any integer read from a file (int() slows and then refuses beyond)
MAX_ALIAS_NODES = 10_000  # nodes that YAML aliases may add to a file, beyond its own
_DECIMAL_INT = re.compile(r"^-?[0-9]+$")  # '+67' is text, as the contract has it
_BOOLEAN = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")  # not YAML 1.1's yes/no/on/off
_DECIMAL_FLOAT = re.compile(
    r"^(?:-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|-?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


def _bounded_int(text: str) -> int:
    digits = text.lstrip("+-")
    if len(digits) > MAX_DIGITS:
        raise ValueError(Said("errors.parse.long_number", {"digits": MAX_DIGITS}))
    return int(text)


def _yaml_nodes(node: Any) -> list[Any]:
    if isinstance(node.value, list):
        return [n for item in node.value for n in (item if isinstance(item, tuple) else (item,))]
    return []


def check_expansion(root: Any) -> None:
    """Refuse a YAML node graph whose aliases expand it by more than MAX_ALIAS_NODES nodes, or
    that contains itself. Iterative: a deeply nested file cannot exhaust the stack here."""
    import yaml

    distinct: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) not in distinct:
            distinct.add(id(node))
            todo.extend(_yaml_nodes(node))
    limit = len(distinct) + MAX_ALIAS_NODES
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            open_nodes.discard(key)
            size = sizes[key] = 1 + sum(sizes[id(n)] for n in _yaml_nodes(node))
            if size > limit:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    Said("errors.parse.aliases", {"count": MAX_ALIAS_NODES}),
                    node.start_mark,
                )
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise yaml.constructor.ConstructorError(
                None, None, Said("errors.parse.alias_loop"), node.start_mark
            )
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((n, False) for n in _yaml_nodes(node) if id(n) not in sizes)


@functools.lru_cache(maxsize=1)
def strict_yaml_loader() -> Any:
    import yaml  # imported here: the JSON paths never need it

    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    int_tag, float_tag = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
    bool_tag = "tag:yaml.org,2002:bool"

    class StrictLoader(base):  # type: ignore[misc]
        def get_single_data(self) -> Any:
            node = self.get_single_node()
            if node is None:
                return None
            check_expansion(node)
            return self.construct_document(node)

    # Only plain decimal numbers are numbers (YAML 1.2's core schema): no 1:10 (= 70 in YAML
    # 1.1), 0x.., 0o.., 017 (= 15) or 1_000.
    StrictLoader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in (int_tag, float_tag, bool_tag)]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    StrictLoader.add_implicit_resolver(bool_tag, _BOOLEAN, list("tTfF"))
    StrictLoader.add_implicit_resolver(int_tag, _DECIMAL_INT, list("-0123456789"))
    StrictLoader.add_implicit_resolver(float_tag, _DECIMAL_FLOAT, list("-0123456789."))

    def integer(loader: Any, node: Any) -> int:
        text = loader.construct_scalar(node)
        if not _DECIMAL_INT.match(text):
            raise yaml.constructor.ConstructorError(
                None, None, Said("errors.parse.digits", {"value": show(text)}), node.start_mark
            )
        try:
            return _bounded_int(text)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, exc.args[0], node.start_mark
            ) from None

    def boolean(loader: Any, node: Any) -> bool:
        text = loader.construct_scalar(node)
        if not _BOOLEAN.match(text):  # `!!bool "yes"`
            raise yaml.constructor.ConstructorError(
                None, None, Said("errors.parse.boolean", {"value": show(text)}), node.start_mark
            )
        return bool(text.lower() == "true")

    def mapping(loader: Any, node: Any, deep: bool = False) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    Said("errors.parse.key_not_word"),
                    key_node.start_mark,
                ) from None
            if key in out:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    Said("errors.parse.key_twice", {"name": show(key)}),
                    key_node.start_mark,
                )
            out[key] = loader.construct_object(value_node, deep=deep)
        return out

    StrictLoader.add_constructor(int_tag, integer)
    StrictLoader.add_constructor(bool_tag, boolean)
    StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    return StrictLoader


def parse_yaml(text: str) -> Any:
    """Strict, bounded YAML (see the module's docstring); yaml.YAMLError or RecursionError."""
    import yaml

    return yaml.load(text, Loader=strict_yaml_loader())


def parse_json(text: str | bytes) -> Any:
    """Strict, bounded JSON: a key twice or a number of more than 100 digits is a ValueError, and
    so is nesting too deep for the parser."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_pairs, parse_int=_bounded_int)
    except RecursionError:
        raise ValueError(Said("errors.parse.too_deep")) from None


def yaml_problem(exc: Exception, say: Phrases | None = None) -> str:
    """One line from a YAML error: what and where, in the words of rules/ui.yaml (`say`), or
    for a maintainer (a broken rules file: there are no phrases yet) with the key of ours."""
    mark = getattr(exc, "problem_mark", None)
    problem = " ".join(words(getattr(exc, "problem", None) or exc, say).split())
    if not mark:
        return problem
    if say is None:
        return f"{problem} (line {mark.line + 1}, column {mark.column + 1})"
    return say("errors.parse.where", problem=problem, line=mark.line + 1, column=mark.column + 1)


def _no_duplicate_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(Said("errors.parse.key_twice", {"name": show(key)}))
        out[key] = value
    return out


def read_answers(path: str, say: Phrases, name: str = "") -> Any:
    """Read an answers file (YAML, or JSON by its .json name) into plain data; one-line errors
    in the words of rules/ui.yaml (`say`).

    `-` is standard input (JSON when it starts with `{` and parses as JSON, else YAML), and
    `name` is what messages call it.
    """

    def refused(problem: str) -> AnswersError:
        return AnswersError(name, problem, "")

    if not path:
        raise AnswersError("--answers", say("errors.answers.empty_name"), "")
    if not name:
        name = Path(path).name
        if not name or os.path.abspath(path).startswith(_DIRECT_ROOTS):
            name = printable(path)  # '.', '/dev/null': the name alone would say nothing
    try:
        if path == "-":
            raw = sys.stdin.buffer.read(MAX_ANSWERS_BYTES + 1)
        elif Path(path).is_dir():
            raise refused(say("errors.answers.folder"))
        else:
            raw = _read_bounded(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise refused(say("errors.answers.dangling_link")) from None
        raise refused(say("errors.answers.missing")) from None
    except TimeoutError:
        raise refused(say("errors.answers.stalled_pipe", seconds=PIPE_WAIT)) from None
    except OSError as exc:
        raise refused(say("errors.answers.unreadable", reason=words(exc.strerror, say))) from None
    if raw is None:
        raise refused(say("errors.answers.silent_pipe"))
    if len(raw) > MAX_ANSWERS_BYTES:
        raise refused(say("errors.answers.too_large"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise refused(say("errors.answers.not_utf8")) from None
    if "\x00" in text:
        raise refused(say("errors.answers.binary"))
    if not text.strip():
        raise refused(say("errors.answers.empty"))
    if path == "-":
        as_json = text.lstrip().startswith("{")
        if as_json:
            with contextlib.suppress(AnswersError):
                return parse_answers_text(text, name, as_json=True, say=say)
            as_json = False  # a YAML flow mapping, {age: 40}, starts with { too
        return parse_answers_text(text, name, as_json=as_json, say=say)
    return parse_answers_text(text, name, as_json=name.lower().endswith(".json"), say=say)


def _read_bounded(path: str) -> bytes | None:
    """At most MAX_ANSWERS_BYTES + 1 bytes of `path`, never waiting for a writer: a pipe that
    nothing writes to gives None, a terminal or a socket an OSError (not a wait)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb", buffering=0) as fh:
        mode = os.fstat(fd).st_mode
        pipe = stat.S_ISFIFO(mode)
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_ANSWERS_BYTES:
            # A pipe is waited for, but only PIPE_WAIT seconds at a time: a writer that holds
            # it open and never writes must not wedge the run (or every later case of a batch).
            # With no writer, it is at its end at once.
            if pipe and not select.select([fd], [], [], PIPE_WAIT)[0]:
                raise TimeoutError(errno.ETIMEDOUT, "")
            chunk = fh.read(MAX_ANSWERS_BYTES + 1 - size)
            if chunk is None and pipe:  # woken, and another reader took what there was
                continue
            if chunk is None:  # a device with nothing to read now (a terminal)
                raise OSError(errno.EAGAIN, Said("errors.answers.nothing_to_read"))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    raw = b"".join(chunks)
    return None if not raw and stat.S_ISFIFO(mode) else raw


def parse_answers_text(text: str, name: str, as_json: bool, say: Phrases) -> Any:
    if as_json:
        try:
            return parse_json(text)
        except ValueError as exc:
            reason = " ".join(words(exc, say).split())
            raise AnswersError(name, say("errors.answers.bad_json", reason=reason), "") from None
    import yaml

    try:
        return parse_yaml(text)
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        reason = yaml_problem(exc, say)
        raise AnswersError(name, say("errors.answers.bad_yaml", reason=reason), "") from None


# -- writing -----------------------------------------------------------------------------------

_TMP_SUFFIX = ".triage-tmp"
_TMP_NAME = re.compile(r"^\..*\.([0-9]+)\.[a-z0-9_]{8}" + re.escape(_TMP_SUFFIX) + "$")
_DIRECT_ROOTS = ("/dev/", "/proc/")


class Target(NamedTuple):
    """Where a write to `given` goes: `real` is replaced by a rename, or written in place."""

    given: str
    real: str
    direct: bool  # a device, pipe or socket (or anything under /dev, /proc): written in place


def output_target(path: str) -> Target:
    """Check that `path` can be written, now (before the first question); UsageError if not."""
    if not path:
        raise UsageError(Said("errors.write.empty_name"))

    where = {"path": path}
    try:
        try:
            st: os.stat_result | None = os.stat(path)
        except FileNotFoundError:
            st = None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise UsageError(Said("errors.write.folder", where))
        if st is not None and (
            not stat.S_ISREG(st.st_mode) or os.path.abspath(path).startswith(_DIRECT_ROOTS)
        ):
            if not os.access(path, os.W_OK):
                raise UsageError(Said("errors.write.denied", where))
            return Target(path, path, True)
        real = os.path.realpath(path)
        folder, name = os.path.split(real)
        if not os.path.isdir(folder):
            raise UsageError(
                Said("errors.write.no_folder", {**where, "folder": os.path.dirname(path) or "."})
            )
        try:
            longest = os.pathconf(folder, "PC_NAME_MAX")
        except (OSError, ValueError):
            longest = 255
        if len(os.fsencode(name)) > longest:
            raise UsageError(Said("errors.write.too_long", {**where, "longest": longest}))
        if not os.access(folder, os.W_OK | os.X_OK):
            raise UsageError(
                Said(
                    "errors.write.locked_folder", {**where, "folder": os.path.dirname(path) or "."}
                )
            )
        return Target(path, real, False)
    except OSError as exc:
        raise UsageError(
            Said("errors.write.failed", {**where, "reason": exc.strerror or str(exc)})
        ) from None
    except ValueError:  # a NUL byte in the name
        raise UsageError(Said("errors.write.bad_name", where)) from None


def remove_leftovers(folder: str) -> None:
    """Remove temporary files a killed triage left in `folder`: ours, named by this module, and
    made by a process that no longer runs."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        match = _TMP_NAME.match(entry.name)
        if not match or int(match.group(1)) == os.getpid():
            continue
        try:
            os.kill(int(match.group(1)), 0)
            continue  # that process still runs (or belongs to someone else)
        except ProcessLookupError:
            pass
        except (OSError, OverflowError):
            continue
        with contextlib.suppress(OSError):
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and st.st_uid == os.geteuid():
                os.unlink(entry.path)


def _open_direct(path: str) -> int:
    """Open a device, pipe or socket for writing, without waiting for a reader."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a pipe nobody reads
            raise UsageError(Said("errors.write.no_reader", {"path": path})) from None
        raise
    os.set_blocking(fd, True)
    if stat.S_ISREG(os.fstat(fd).st_mode):  # e.g. /dev/stdout redirected to a file
        os.ftruncate(fd, 0)
    return fd


SAVED: list[str] = []  # the files (as named) this process has written, in order


def _keep_mode(fd: int, path: str) -> None:
    """A file replaced keeps its permissions, and its owner where we may set it (mkstemp makes
    the new one 0600, ours)."""
    try:
        old = os.stat(path)
    except OSError:
        return  # a new file: mkstemp's 0600, private, as health data should be
    if not stat.S_ISREG(old.st_mode):
        return
    with contextlib.suppress(OSError):
        os.fchmod(fd, stat.S_IMODE(old.st_mode))
    with contextlib.suppress(OSError):
        os.fchown(fd, old.st_uid, old.st_gid)


@contextlib.contextmanager
def writer(path: str, follow: bool = True) -> Iterator[TextIO]:
    """A text stream to `path`. A regular file or a new name is replaced in one step when the
    block ends without error (on any error or signal it is left as it was, and the temporary
    file removed); a device, pipe or socket is written directly. OSError becomes UsageError.

    `follow=False` (the cache) replaces a symlink itself, never the file it points to.
    """
    import tempfile

    from triage import signals

    target = output_target(path) if follow else Target(path, path, False)
    if target.direct:
        try:
            with os.fdopen(_open_direct(target.real), "w", encoding="utf-8", newline="\n") as fh:
                yield fh
        except OSError as exc:
            raise _cannot_write(path, exc) from None
        if follow:
            SAVED.append(path)
        return
    folder, name = os.path.split(target.real)
    folder = folder or "."
    remove_leftovers(folder)
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{name[:40]}.{os.getpid()}.", suffix=_TMP_SUFFIX, dir=folder
        )
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
            if follow:
                _keep_mode(fh.fileno(), target.real)
        with signals.deferred():  # a stop waits: saved and SAVED agree, whenever it comes
            os.replace(tmp, target.real)
            tmp = ""
            if follow:
                SAVED.append(path)
    except BaseException as exc:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _cannot_write(path, exc) from None
        if isinstance(exc, UnicodeError):
            raise UsageError(Said("errors.write.not_utf8", {"path": path})) from None
        raise


def _cannot_write(path: str, exc: OSError) -> UsageError:
    return UsageError(
        Said("errors.write.failed", {"path": path, "reason": exc.strerror or str(exc)})
    )


atomic_writer = writer  # the name older callers use


def write_atomic(path: str, text: str) -> None:
    """Write `text` to `path` (see `writer`): on any failure an old file is untouched."""
    with writer(path) as fh:
        fh.write(text)


def same_file(a: str, b: str) -> bool:
    """Do two names given on the command line lead to the same regular (or not yet made) file?"""
    try:
        if os.path.samefile(a, b):
            return stat.S_ISREG(os.stat(a).st_mode)
        return False
    except (OSError, ValueError):
        return os.path.realpath(a) == os.path.realpath(b)


def dump_answers(
    answers: dict[str, Any], order: list[str], header: str, days: Sequence[str] = ()
) -> str:
    """The answers as YAML, in the contract's order, after the `header` lines (comments);
    `days` (ISO dates) written as YAML dates, unquoted like the contract's example (they read
    back as the same text)."""
    import datetime

    import yaml

    ordered = {k: answers[k] for k in order if k in answers}
    for key in days:
        if isinstance(ordered.get(key), str):
            ordered[key] = datetime.date.fromisoformat(ordered[key])
    return (
        header
        + "\n"
        + yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, default_flow_style=None)
    )
