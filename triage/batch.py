"""Batch re-triage: many saved answers in, one JSON result per line out.

A clinic runs it before shipping a change to rules/: `--compare` lists every case whose tier,
remedies or warnings changed, and fails (exit 1) when a tier went down, a case that had a
result can no longer be read or is missing from the run, a case new to the run cannot be read
(an id given twice is one), or nothing could be compared at all.
Cases stream through a bounded window (memory stays flat in the number of cases, and a slow
reader of the output slows the run instead of filling memory); --jobs spreads them over
processes, each with its own engine, and output keeps input order. A bad case becomes an error
line and the run goes on, whatever is wrong with it.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from triage import signals
from triage.errors import (
    Said,
    TriageError,
    UsageError,
    WorkerLost,
    loading_copy,
    one_line,
    printable,
    show,
)
from triage.errors import words as reason
from triage.files import parse_json, writer

if TYPE_CHECKING:
    from triage.model import Phrases

ANSWER_SUFFIXES = (".yaml", ".yml", ".json")
MAX_ID = 200  # characters in a case id
MAX_LINE = 2_000_000  # bytes in one JSON line (an answers object is a few hundred)
_lines: Any = None  # the LineEncoder of this worker process
_worker: Any = None  # the Triage of this worker process
_ascii = json.JSONEncoder(separators=(",", ":"))  # error lines: valid JSON whatever the id


class Case(NamedTuple):
    id: str
    kind: str  # "file" (a path to read) | "data" (answers already parsed) | "error"
    # | "recheck" (saved answers and a follow-up, parsed: re-checked as `triage recheck` does)
    payload: Any


def clean_id(text: str) -> str:
    """An id as it can be written as UTF-8: a file name's undecodable bytes become \\xNN, a
    lone surrogate from a JSON escape becomes \\uNNNN."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def cases_from_paths(paths: Iterable[str], say: Phrases) -> list[Case]:
    """Answers files named, or found (sorted) in the folders named."""
    out: list[Case] = []
    paths = list(paths)
    folders = [name for name in paths if Path(name).is_dir()]
    if "-" in paths and len(paths) > 1:
        raise UsageError(say("cli.batch.stdin_mixed"))
    if "" in paths:
        raise UsageError(say("cli.batch.empty_path"))
    for name in paths:
        path = Path(name)
        if path.is_dir():
            # Everything with an answers name that is not a folder: a link to nothing, a pipe or
            # a device is a case that cannot be read (reported, and LOST in --compare), never
            # skipped in silence.
            found = sorted(
                p for p in path.rglob("*") if p.suffix.lower() in ANSWER_SUFFIXES and not p.is_dir()
            )
            # With several folders, an id starts with the folder's name, so that cA/p1.yaml
            # and cB/p1.yaml stay two cases.
            prefix = f"{path.name or name.rstrip('/') or name}/" if len(folders) > 1 else ""
            out.extend(
                Case(clean_id(prefix + p.relative_to(path).as_posix()), "file", str(p))
                for p in found
            )
        elif path.exists() or path.is_symlink():
            out.append(Case(clean_id(path.name or name), "file", str(path)))
        else:
            raise UsageError(say("cli.batch.no_such", name=printable(name)))
    return _unique(out, say)


def _unique(cases: list[Case], say: Phrases) -> list[Case]:
    """Each file its own id. One file named twice, under any spelling (or a file and its own
    folder), is refused: its two results could not be told apart. Files that would share an
    id (ca/cases/p.json and cb/cases/p.json named as files, or two folders of one name) are
    named by their paths instead, absolute if those still meet."""
    seen: set[Any] = set()
    for case in cases:
        same = _identity(case.payload)
        if same in seen:
            raise UsageError(say("cli.batch.named_twice", name=printable(case.payload, 1000)))
        seen.add(same)
    for rename in (str, os.path.abspath, os.path.realpath):
        counts = collections.Counter(case.id for case in cases)
        if max(counts.values(), default=1) == 1:
            break
        cases = [
            c if counts[c.id] == 1 else c._replace(id=clean_id(rename(c.payload))) for c in cases
        ]
    return cases


def _identity(path: str) -> Any:
    """What tells two files apart, however they are spelled."""
    try:
        st = os.stat(path)
    except OSError:
        return os.path.realpath(path)
    return (st.st_dev, st.st_ino)


def _lines_of(stream: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(number, bytes) per line; None for a line longer than MAX_LINE (the rest is skipped)."""
    number = 0
    while True:
        raw = stream.readline(MAX_LINE + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
            while (rest := stream.readline(MAX_LINE + 1)) and not rest.endswith(b"\n"):
                pass
            yield number, None
            continue
        yield number, raw


def cases_from_jsonl(stream: BinaryIO, say: Phrases) -> Iterator[Case]:
    """One case per line: an answers object, or {"id": ..., "answers": {...}}. Every id of the
    output names one case: an id given again, or one of the form that names a line without an
    id ("line 7") given on another line, makes an error line of its own. (The ids given are
    the one thing kept from line to line: 10,000 of them are well under a megabyte.)"""
    first_given: dict[str, int] = {}
    before, _, after = say("cli.batch.line", number="\0").partition("\0")
    like_a_line = re.compile(re.escape(before) + "([0-9]+)" + re.escape(after))
    for number, case, given in _cases_of_lines(stream, say):
        named = like_a_line.fullmatch(case.id) if given else None
        if not given:
            yield case
        elif case.id in first_given:
            shown = printable(case.id, 60)
            message = say("cli.batch.id_repeated", id=shown, first=first_given[case.id])
            yield Case(say("cli.batch.line", number=number), "error", message)
        elif named and int(named.group(1)) != number:
            message = say("cli.batch.id_like_line", id=printable(case.id, 60))
            yield Case(say("cli.batch.line", number=number), "error", message)
        else:
            first_given[case.id] = number
            yield case


def _cases_of_lines(stream: BinaryIO, say: Phrases) -> Iterator[tuple[int, Case, bool]]:
    """(line number, its case, whether the line gave the case's id itself)."""
    for number, raw in _lines_of(stream):
        where = say("cli.batch.line", number=number)
        if raw is None:
            yield (
                number,
                Case(where, "error", say("cli.batch.line_too_long", size=MAX_LINE // 1_000_000)),
                False,
            )
            continue
        if not raw.strip():
            continue
        try:
            data = parse_json(raw.decode("utf-8"))
        except UnicodeDecodeError:
            yield number, Case(where, "error", say("cli.batch.line_not_utf8")), False
            continue
        except ValueError as exc:
            said = one_line(reason(exc, say))
            yield number, Case(where, "error", say("cli.batch.line_not_json", reason=said)), False
            continue
        if isinstance(data, dict) and set(data) in (
            {"id", "answers"},
            {"id", "answers", "follow_up"},  # a re-check: saved answers and a follow-up
        ):
            given = data["id"]
            if not isinstance(given, str) or not given.strip():
                # A number is refused too: 7 and "7" would be one id in the output.
                yield number, Case(where, "error", say("cli.batch.id_not_text")), False
            elif any(0xD800 <= ord(ch) <= 0xDFFF for ch in given):
                yield number, Case(where, "error", say("cli.batch.id_surrogate")), False
            elif len(given) > MAX_ID:
                yield number, Case(where, "error", say("cli.batch.id_too_long", most=MAX_ID)), False
            elif "follow_up" in data:
                payload = (data["answers"], data["follow_up"])
                yield number, Case(clean_id(given), "recheck", payload), True
            else:
                yield number, Case(clean_id(given), "data", data["answers"]), True
        elif isinstance(data, dict) and "id" in data and "resourceType" not in data:
            if "answers" not in data:
                yield number, Case(where, "error", say("cli.batch.id_no_answers")), False
            else:
                extra = show(sorted(set(data) - {"id", "answers"})[0])
                yield number, Case(where, "error", say("cli.batch.id_extra_key", name=extra)), False
        else:
            yield number, Case(where, "data", data), False


Summary = tuple[str, frozenset[str], frozenset[str]]  # tier, remedy ids, warning ids


class Outcome(NamedTuple):
    id: str
    line: str  # the JSON line to write
    error: str | None
    summary: Summary | None


def start_worker(rules: str | None = None) -> None:
    global _worker, _lines
    from triage.pipeline import Triage
    from triage.result import LineEncoder

    _worker = Triage(rules=Path(rules) if rules else None)
    _lines = LineEncoder()
    with loading_copy(rules):
        _worker.load()  # a broken rules file fails here, before any case


def _start_pool_worker(rules: str | None) -> None:
    """A worker process leaves the terminal's job (a session of its own): a stop sent to the
    whole job (Ctrl-C, SIGTERM, SIGHUP to the process group) reaches only the main process,
    which stops the workers by shutting the pool down. A worker killed halfway through sending a
    chunk's results would leave the pool reading the rest of it forever. Ctrl-C and SIGHUP are
    ignored as well, and SIGTERM keeps its default: the pool uses it to stop the workers left
    when one has died. So that no worker outlives a main process killed outright, Linux sends it
    SIGTERM when its parent dies."""
    import multiprocessing
    import signal

    for number in signals.TERMINAL:
        signal.signal(number, signal.SIG_IGN)
    os.setsid()
    _die_with_parent(multiprocessing.parent_process())
    start_worker(rules)


def _die_with_parent(parent: Any) -> None:
    if not sys.platform.startswith("linux") or parent is None:
        return
    import ctypes
    import signal

    pr_set_pdeathsig = 1  # <linux/prctl.h>
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0)
    if os.getppid() != parent.pid:  # the parent died before the line above
        os._exit(1)


def _error(case_id: str, message: str) -> Outcome:
    return Outcome(case_id, _ascii.encode({"id": case_id, "error": message}), message, None)


def evaluate(case: Case) -> Outcome:
    """One case to one output line (in a worker process, or in this one with --jobs 1)."""
    if _worker is None:
        start_worker()
    try:
        if case.kind == "error":
            raise UsageError(case.payload)
        extra: dict[str, Any] = {"id": case.id}
        if case.kind == "recheck":
            from triage.recheck import Rechecker

            saved = _worker.answers_from_data(case.payload[0], source="answers")
            rechecker = Rechecker(_worker)
            follow_up = rechecker.follow_up_from_data(case.payload[1], source="follow_up")
            done = rechecker.from_file(saved, follow_up, None, "follow_up")
            result, answers = done.result, done.answers
            extra["recheck"] = done.to_dict(None)
            page_extras: dict[str, Any] = {"recheck": done.record()}
        else:
            if case.kind == "file":
                answers = _worker.answers_from_file(case.payload)
            else:
                answers = _worker.answers_from_data(case.payload, source="")
            result = _worker.evaluate(answers)
            page_extras = {}
    except TriageError as exc:
        said = exc.said(_worker.phrases)
        names = [case.id] + ([Path(case.payload).name, case.payload] if case.kind == "file" else [])
        for name in names:  # the line names the case already: once is enough
            if said.startswith(f"{name}: "):
                said = said.removeprefix(f"{name}: ")
                break
        return _error(case.id, said.lstrip(": "))
    except (RecursionError, MemoryError, ValueError, TypeError, UnicodeError) as exc:
        # Every refusal above is a TriageError; this is a gap in them, and still one bad case.
        say = _worker.phrases
        return _error(case.id, say("cli.batch.case_unreadable", kind=type(exc).__name__))
    line = _lines.encode(extra, result, _worker.featured(result, answers, page_extras))
    summary = (
        result.disposition,
        frozenset(r.id for r in result.remedies),
        frozenset(w.id for w in result.warnings),
    )
    return Outcome(case.id, line, None, summary)


def _evaluate_chunk(cases: list[Case]) -> list[Outcome]:
    return [evaluate(case) for case in cases]


def _chunks(cases: Iterable[Case], size: int) -> Iterator[list[Case]]:
    chunk: list[Case] = []
    for case in cases:
        chunk.append(case)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run(
    cases: Iterable[Case], jobs: int, total: int | None, rules: str | None = None
) -> Iterator[Outcome]:
    """Outcomes in input order, from `jobs` processes (1: this one).

    At most 2 * jobs + 2 chunks are in flight: the next is sent only when the oldest has been
    taken, so a reader that stops taking output stops the run, and memory stays flat.
    """
    if jobs == 1:
        for case in cases:
            yield evaluate(case)
        return
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    size = max(1, min(64, (total or 10_000) // (jobs * 8)))
    pending: collections.deque[Future[list[Outcome]]] = collections.deque()
    chunks = _chunks(cases, size)
    # The workers, the pool's thread and multiprocessing's resource tracker all start with
    # Ctrl-C and SIGHUP held: they never take one sent to the whole job by the terminal (the
    # main process handles it by stopping them), so none of them prints a traceback.
    with signals.held(signals.TERMINAL):
        pool = ProcessPoolExecutor(
            jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_pool_worker,
            initargs=(rules,),
        )
    try:
        with signals.held(signals.TERMINAL):
            for chunk in chunks:
                pending.append(pool.submit(_evaluate_chunk, chunk))
                if len(pending) >= 2 * jobs + 2:
                    break
        while pending:
            try:
                done = pending.popleft().result()
                next_chunk = next(chunks, None)
                if next_chunk is not None:  # the pool can break between result() and submit()
                    pending.append(pool.submit(_evaluate_chunk, next_chunk))
            except BrokenProcessPool:
                # the workers left could be waiting on a queue lock the lost one held: stop them,
                # or shutting the pool down would wait for them for ever
                for child in multiprocessing.active_children():
                    child.kill()
                raise WorkerLost() from None
            yield from done
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class Change(NamedTuple):
    id: str
    before: str
    after: str  # a tier, or "error" when the case can no longer be read
    remedies: str
    warnings: str


def _previous_summary(line: Any) -> tuple[str, Summary | None]:
    """(id, summary or None for an error line) of one line of an earlier run; ValueError (its
    reason a Said)."""
    from triage.model import TIERS

    if not isinstance(line, dict) or not isinstance(line.get("id"), str):
        raise ValueError(Said("cli.batch.previous_no_id"))
    if set(line) == {"id", "error"} and isinstance(line["error"], str):
        return line["id"], None
    result = line.get("result")
    if {"result", "error"} <= set(line):
        raise ValueError(Said("cli.batch.previous_both"))
    if set(line) - {"id", "result", "error"}:
        extra = sorted(set(line) - {"id", "result", "error"})[0]
        raise ValueError(Said("cli.batch.previous_extra_key", {"name": repr(printable(extra, 40))}))
    if not isinstance(result, dict):
        if "result" in line:
            raise ValueError(Said("cli.batch.previous_not_record"))
        if "error" in line:
            raise ValueError(Said("cli.batch.previous_error_not_text"))
        raise ValueError(Said("cli.batch.previous_neither"))
    if result.get("disposition") not in TIERS:
        raise ValueError(Said("cli.batch.previous_tier", {"tiers": ", ".join(TIERS)}))
    ids = []
    for key in ("remedies", "warnings"):
        items = result.get(key)
        if not isinstance(items, list) or not all(
            isinstance(i, dict) and isinstance(i.get("id"), str) for i in items
        ):
            raise ValueError(Said("cli.batch.previous_not_list", {"name": key}))
        ids.append(frozenset(i["id"] for i in items))
    return line["id"], (result["disposition"], ids[0], ids[1])


def load_previous(path: str, say: Phrases) -> dict[str, Summary | None]:
    """An earlier run's output, checked line by line: a bad line is a one-line error that
    names it, and an id used twice is refused (the comparison would silently keep one)."""
    previous: dict[str, Summary | None] = {}
    first_line: dict[str, int] = {}
    shown = printable(path)
    try:
        stream = open(path, "rb")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise UsageError(
            say("cli.batch.previous_unreadable", path=shown, reason=exc.strerror)
        ) from None
    with stream:
        try:
            for number, raw in _lines_of(stream):
                why = ""
                if raw is None:
                    why = say("cli.batch.previous_too_long")
                elif not raw.strip():
                    continue
                else:
                    try:
                        line: Any = parse_json(raw.decode("utf-8"))
                    except UnicodeDecodeError:
                        why = say("cli.batch.previous_not_utf8")
                    except ValueError as exc:
                        why = say("cli.batch.previous_not_json", reason=reason(exc, say))
                    else:
                        try:
                            case_id, summary = _previous_summary(line)
                        except ValueError as exc:
                            why = reason(exc, say)
                if why:
                    raise UsageError(
                        say("cli.batch.previous_bad_line", path=shown, number=number, why=why)
                    )
                if case_id in previous:
                    first = first_line[case_id]
                    raise UsageError(
                        say(
                            "cli.batch.previous_twice",
                            path=shown,
                            number=number,
                            id=printable(case_id),
                            first=first,
                        )
                    )
                previous[case_id], first_line[case_id] = summary, number
        except OSError as exc:
            raise UsageError(
                say("cli.batch.previous_unreadable", path=shown, reason=exc.strerror)
            ) from None
    return previous


def _delta(before: frozenset[str], after: frozenset[str]) -> str:
    parts = [f"+{x}" for x in sorted(after - before)] + [f"-{x}" for x in sorted(before - after)]
    return " ".join(parts)


def compare(outcome: Outcome, previous: dict[str, Summary | None]) -> Change | None:
    old, new = previous.get(outcome.id), outcome.summary
    if old is None or old == new:
        return None
    if new is None:
        return Change(outcome.id, old[0], "error", "", "")
    return Change(outcome.id, old[0], new[0], _delta(old[1], new[1]), _delta(old[2], new[2]))


def went_down(change: Change) -> bool:
    from triage.model import tier_rank

    return change.after != "error" and tier_rank(change.after) < tier_rank(change.before)


def failed(change: Change) -> bool:
    """A change that must stop the rules change: a lower tier, or no result any more."""
    return change.after == "error" or went_down(change)


class Comparison:
    """What --compare found over a whole run."""

    def __init__(self, previous: dict[str, Summary | None]) -> None:
        self.previous = previous
        self.changes: list[Change] = []
        self.seen: set[str] = set()
        self.compared = 0
        self.new_ids: list[str] = []
        self.new_errors: list[str] = []  # new and unreadable: the run lost them, as `gone` does

    def add(self, outcome: Outcome) -> None:
        self.seen.add(outcome.id)  # unique by then: _unique and cases_from_jsonl see to it
        if outcome.id not in self.previous:
            self.new_ids.append(outcome.id)
            if outcome.error is not None:
                self.new_errors.append(outcome.id)
            return
        if self.previous[outcome.id] is not None:
            self.compared += 1
        change = compare(outcome, self.previous)
        if change:
            self.changes.append(change)

    def ok(self) -> bool:
        # a case of the baseline missing from this run fails too: the run may have lost it (a
        # cut-off input, a deleted file), and a check that passes without it checks less
        gone = any(i not in self.seen for i in self.previous)
        return (
            self.compared > 0
            and not gone
            and not self.new_errors
            and not any(map(failed, self.changes))
        )

    def report(self, stream: Any, say: Phrases, limit: int = 40) -> None:
        """What was compared, and a short table of what changed, failures first."""
        gone = [i for i in self.previous if i not in self.seen]
        if self.compared == 0:
            if self.new_ids and gone:
                there, here = printable(gone[0], 40), printable(self.new_ids[0], 40)
                said = say("cli.batch.compare_nothing_hint", there=repr(there), here=repr(here))
            else:
                said = say("cli.batch.compare_nothing")
            print(said, file=stream)
        else:
            print(say("cli.batch.compared", count=self.compared), file=stream)
        if self.new_ids and self.compared:
            print(say("cli.batch.compare_new", count=len(self.new_ids)), file=stream)
        if self.new_errors:
            first = printable(self.new_errors[0], 40)
            count = len(self.new_errors)
            print(say("cli.batch.compare_new_errors", count=count, first=first), file=stream)
        if gone:
            print(say("cli.batch.compare_gone", count=len(gone)), file=stream)
        report(self.changes, stream, say, limit)


def report(changes: list[Change], stream: Any, say: Phrases, limit: int = 40) -> None:
    """A short table of what changed, tier drops and lost results first."""
    if not changes:
        print(say("cli.batch.compare_same"), file=stream)
        return
    rows = sorted(changes, key=lambda c: (not failed(c), c.id))
    shown = {c.id: printable(c.id, 30) for c in rows[:limit]}
    width = min(30, max(len(i) for i in shown.values()))
    lost = sum(c.after == "error" for c in changes)
    down = sum(map(went_down, changes))
    if lost:
        said = say("cli.batch.compare_changed_lost", count=len(changes), down=down, lost=lost)
    else:
        said = say("cli.batch.compare_changed", count=len(changes), down=down)
    print(said, file=stream)
    case, tier, changed = (say(f"cli.batch.compare_{w}") for w in ("case", "tier", "changes"))
    print(f"{case:<{width}}  {tier:<24}  {changed}", file=stream)
    for c in rows[:limit]:
        tier = f"{c.before} -> {c.after}" if c.before != c.after else c.after
        mark = (
            say("cli.batch.compare_down") + " "
            if went_down(c)
            else say("cli.batch.compare_lost") + " "
            if c.after == "error"
            else ""
        )
        detail = "; ".join(
            x
            for x in (
                c.remedies and say("cli.batch.compare_remedies", ids=c.remedies),
                c.warnings and say("cli.batch.compare_warnings", ids=c.warnings),
            )
            if x
        )
        print(f"{shown[c.id]:<{width}}  {mark + tier:<24}  {detail}".rstrip(), file=stream)
    if len(rows) > limit:
        print(say("cli.batch.compare_more", count=len(rows) - limit), file=stream)


def _jobs(asked: int, say: Phrases) -> int:
    cores = os.cpu_count() or 1
    if asked < 0:
        raise UsageError(say("cli.batch.jobs_negative"))
    if asked == 0:
        return cores
    if asked > cores:
        said = say("cli.batch.jobs_too_many", jobs=printable(str(asked), 24), cores=cores)
        print(f"triage batch: {said}", file=sys.stderr)
        return cores
    return asked


def check_out(
    out: str, inputs: list[str], listed: list[Case], compare: str | None, say: Phrases
) -> None:
    """--out may not be a file this run reads: an answers file (named, or found in a folder),
    the --compare baseline, standard input, or a new answers file in an input folder (the next
    run would read the results as a case). Checked before anything is read."""
    from triage.files import same_file

    shown = printable(out)
    if compare and same_file(out, compare):
        raise UsageError(say("cli.batch.out_is_compare", out=shown))
    for case in listed:
        if same_file(out, case.payload):
            path = printable(case.payload)
            raise UsageError(say("cli.batch.out_is_answers", out=shown, path=path))
    real = os.path.realpath(out)
    for name in inputs:
        if (
            os.path.isdir(name)
            and real.startswith(os.path.join(os.path.realpath(name), ""))
            and Path(real).suffix.lower() in ANSWER_SUFFIXES
        ):
            folder = printable(name)
            raise UsageError(say("cli.batch.out_in_folder", out=shown, folder=folder))
    if not listed:
        with contextlib.suppress(OSError, ValueError):
            st, target = os.fstat(sys.stdin.fileno()), os.stat(out)
            if os.path.samestat(st, target) and stat.S_ISREG(st.st_mode):
                raise UsageError(say("cli.batch.out_is_stdin", out=shown))


def check_rules_folder(given: str, say: Phrases) -> None:
    """--rules is typed by a person: a wrong one is their mistake to fix (exit 2), not a broken
    data file. What is inside a real rules folder is the loader's to check."""
    from triage import paths

    shown = printable(given)
    if not os.path.isdir(given):
        raise UsageError(say("cli.batch.no_rules", path=shown))
    built_in = paths.rules_dir()
    missing = [
        p.name
        for p in sorted(built_in.glob("*.yaml"))
        if not os.path.lexists(os.path.join(given, p.name))
    ]
    if missing:
        raise UsageError(say("cli.batch.not_rules", path=shown, missing=missing[0]))


def report_case(outcome: Outcome, comparison: Comparison | None) -> None:
    """A case's error on stderr as it comes, and the case into the comparison."""
    if outcome.error is not None:
        print(f"triage batch: {printable(outcome.id)}: {outcome.error}", file=sys.stderr)
    if comparison is not None:
        comparison.add(outcome)


def main(args: Any, say: Phrases) -> int:
    cases: Iterable[Case]
    listed: list[Case] = []
    if args.out:
        from triage.files import output_target

        output_target(args.out)  # a bad --out fails before any case is read
    if args.inputs and args.inputs != ["-"]:
        listed = cases_from_paths(args.inputs, say)
        cases, total = listed, len(listed)
    else:
        if sys.stdin.isatty():
            raise UsageError(say("cli.batch.no_input"))
        cases, total = cases_from_jsonl(sys.stdin.buffer, say), None
    if args.out:
        check_out(args.out, list(args.inputs), listed, args.compare, say)
    if args.rules is not None:
        check_rules_folder(args.rules, say)
    comparison = Comparison(load_previous(args.compare, say)) if args.compare else None
    jobs = _jobs(args.jobs, say)
    start_worker(args.rules)  # a broken rules file stops here, before any case

    counts = {"ok": 0, "error": 0}
    with (
        writer(args.out) if args.out else contextlib.nullcontext(sys.stdout) as out,
        _progress(total, say("cli.batch.progress")) as advance,
    ):
        try:
            for outcome in run(cases, jobs, total, args.rules):
                out.write(outcome.line + "\n")
                counts["ok" if outcome.error is None else "error"] += 1
                report_case(outcome, comparison)
                advance()
        except (KeyboardInterrupt, WorkerLost) as stopped:
            if args.out or not any(counts.values()):  # no --out file made, no line written:
                raise  # "nothing was saved" is true
            # standard output already holds the results before the stop: say so, and that
            # the rest are missing, rather than "nothing was saved"
            written = say("cli.batch.written_before_stop", count=counts["ok"] + counts["error"])
            if isinstance(stopped, WorkerLost):
                raise WorkerLost(written) from None
            from triage import files

            files.SAVED.append(written)
            raise
    said = say("cli.batch.done", ok=counts["ok"], errors=counts["error"])
    print(f"triage batch: {said}", file=sys.stderr)
    if comparison is not None:
        comparison.report(sys.stderr, say)
        return 0 if comparison.ok() else 1
    return 0


class _progress:
    """A rich progress bar on stderr when it is a terminal; nothing otherwise."""

    def __init__(self, total: int | None, title: str) -> None:
        self.total, self.title = total, title
        self.bar: Any = None

    def __enter__(self) -> Any:
        if not sys.stderr.isatty():
            return lambda: None
        from rich.console import Console
        from rich.progress import Progress

        # rich draws on standard output by default, which is the results stream: stderr it is.
        # Its refresh thread starts with the stop signals held, so it never takes a Ctrl-C
        # while the main thread is inside the rules engine.
        self.bar = Progress(transient=True, console=Console(stderr=True))
        with signals.held():
            self.bar.start()
        task = self.bar.add_task(self.title, total=self.total)
        return lambda: self.bar.advance(task)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
