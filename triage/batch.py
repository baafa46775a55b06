"""Batch re-triage: many saved answers in, one JSON result per line out.

A clinic runs it before shipping a change to rules/: `--compare` lists every case whose tier,
remedies or warnings changed and exits 1 when any tier went down. Cases stream through one
at a time (memory stays flat in the number of cases); --jobs spreads them over processes,
each with its own engine, and output keeps input order. A bad case becomes an error line and
the run goes on.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from triage.errors import TriageError, UsageError
from triage.files import atomic_writer

ANSWER_SUFFIXES = (".yaml", ".yml", ".json")
_lines: Any = None  # the LineEncoder of this worker process
_worker: Any = None  # the Triage of this worker process


class Case(NamedTuple):
    id: str
    kind: str  # "file" (a path to read) | "data" (answers already parsed) | "error"
    # | "recheck" (saved answers and a follow-up, parsed: re-checked as `triage recheck` does)
    payload: Any


def cases_from_paths(paths: Iterable[str]) -> list[Case]:
    """Answers files named, or found (sorted) in the folders named."""
    out: list[Case] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ANSWER_SUFFIXES
            )
            out.extend(Case(p.relative_to(path).as_posix(), "file", str(p)) for p in found)
        elif path.is_file():
            out.append(Case(path.name, "file", str(path)))
        else:
            raise UsageError(f"{name}: no such file or folder")
    return out


def cases_from_jsonl(stream: TextIO) -> Iterator[Case]:
    """One case per line: an answers object, or {"id": ..., "answers": {...}}."""
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError as exc:
            yield Case(f"line {number}", "error", f"not valid JSON: {exc}")
            continue
        if isinstance(data, dict) and set(data) == {"id", "answers"}:
            yield Case(str(data["id"]), "data", data["answers"])
        elif isinstance(data, dict) and set(data) == {"id", "answers", "follow_up"}:
            yield Case(str(data["id"]), "recheck", (data["answers"], data["follow_up"]))
        else:
            yield Case(f"line {number}", "data", data)


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
    _worker.load()  # a broken rules file fails here, before any case


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
            follow_up = _worker.answers_from_data(case.payload[1], source="follow_up")
            done = Rechecker(_worker).from_file(saved, follow_up, None, "follow_up")
            result = done.result
            extra["recheck"] = done.to_dict(None)
        else:
            if case.kind == "file":
                answers = _worker.answers_from_file(case.payload)
            else:
                answers = _worker.answers_from_data(case.payload, source="")
            result = _worker.evaluate(answers)
    except TriageError as exc:
        message = str(exc).removeprefix(f"{case.id}: ").lstrip(": ")
        return Outcome(
            case.id,
            json.dumps({"id": case.id, "error": message}, ensure_ascii=False),
            message,
            None,
        )
    line = _lines.encode(extra, result)
    summary = (
        result.disposition,
        frozenset(r.id for r in result.remedies),
        frozenset(w.id for w in result.warnings),
    )
    return Outcome(case.id, line, None, summary)


def run(
    cases: Iterable[Case], jobs: int, total: int | None, rules: str | None = None
) -> Iterator[Outcome]:
    """Outcomes in input order, from `jobs` processes (1: this one)."""
    if jobs == 1:
        for case in cases:
            yield evaluate(case)
        return
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(
        jobs, initializer=start_worker, initargs=(rules,)
    ) as pool:
        chunk = max(1, min(256, (total or 10_000) // (jobs * 8)))
        yield from pool.imap(evaluate, cases, chunksize=chunk)


class Change(NamedTuple):
    id: str
    before: str
    after: str
    remedies: str
    warnings: str


def _summary(line: dict[str, Any]) -> Summary | None:
    result = line.get("result")
    if not isinstance(result, dict):
        return None
    return (
        result["disposition"],
        frozenset(r["id"] for r in result["remedies"]),
        frozenset(w["id"] for w in result["warnings"]),
    )


def load_previous(path: str) -> dict[str, Summary | None]:
    previous: dict[str, Any] = {}
    try:
        with open(path, encoding="utf-8") as fh:
            for number, text in enumerate(fh, 1):  # noqa: B007 (the except clause names it)
                if text.strip():
                    line = json.loads(text)
                    previous[str(line["id"])] = _summary(line)
    except OSError as exc:
        raise UsageError(f"--compare {path}: cannot be read ({exc.strerror})") from None
    except (ValueError, KeyError, TypeError):
        raise UsageError(f"--compare {path}: line {number} is not a triage batch result") from None
    return previous


def _delta(before: frozenset[str], after: frozenset[str]) -> str:
    parts = [f"+{x}" for x in sorted(after - before)] + [f"-{x}" for x in sorted(before - after)]
    return " ".join(parts)


def compare(outcome: Outcome, previous: dict[str, Summary | None]) -> Change | None:
    old, new = previous.get(outcome.id), outcome.summary
    if old is None or new is None or old == new:
        return None
    return Change(outcome.id, old[0], new[0], _delta(old[1], new[1]), _delta(old[2], new[2]))


def went_down(change: Change) -> bool:
    from triage.model import tier_rank

    return tier_rank(change.after) < tier_rank(change.before)


def report(changes: list[Change], stream: TextIO, limit: int = 40) -> None:
    """A short table of what changed, tier drops first."""
    if not changes:
        print("compare: no case changed tier, remedies or warnings", file=stream)
        return
    rows = sorted(changes, key=lambda c: (not went_down(c), c.id))
    width = min(30, max(len(c.id) for c in rows))
    print(
        f"compare: {len(changes)} case(s) changed; {sum(map(went_down, changes))} went DOWN a tier",
        file=stream,
    )
    print(f"{'case':<{width}}  {'tier':<24}  changes", file=stream)
    for c in rows[:limit]:
        tier = f"{c.before} -> {c.after}" if c.before != c.after else c.after
        mark = "DOWN " if went_down(c) else ""
        detail = "; ".join(
            x
            for x in (
                c.remedies and f"remedies {c.remedies}",
                c.warnings and f"warnings {c.warnings}",
            )
            if x
        )
        print(f"{c.id[:width]:<{width}}  {mark + tier:<24}  {detail}", file=stream)
    if len(rows) > limit:
        print(f"... and {len(rows) - limit} more", file=stream)


def main(args: Any) -> int:
    cases: Iterable[Case]
    if args.inputs and args.inputs != ["-"]:
        listed = cases_from_paths(args.inputs)
        cases, total = listed, len(listed)
    else:
        if sys.stdin.isatty():
            raise UsageError(
                "batch reads JSON Lines on standard input, or give files or folders of answers"
            )
        cases, total = cases_from_jsonl(sys.stdin), None
    previous = load_previous(args.compare) if args.compare else None
    jobs = (os.cpu_count() or 1) if args.jobs == 0 else args.jobs
    if jobs < 1:
        raise UsageError("--jobs must be 1 or more (0 means one per core)")
    start_worker(args.rules)  # a broken rules file stops here, before any case

    counts = {"ok": 0, "error": 0}
    changes: list[Change] = []
    with (
        atomic_writer(args.out) if args.out else contextlib.nullcontext(sys.stdout) as out,
        _progress(total) as advance,
    ):
        for outcome in run(cases, jobs, total, args.rules):
            out.write(outcome.line + "\n")
            if outcome.error is not None:
                counts["error"] += 1
                print(f"triage batch: {outcome.id}: {outcome.error}", file=sys.stderr)
            else:
                counts["ok"] += 1
            change = compare(outcome, previous) if previous is not None else None
            if change:
                changes.append(change)
            advance()
    print(
        f"triage batch: {counts['ok']} evaluated, {counts['error']} could not be read",
        file=sys.stderr,
    )
    if previous is not None:
        report(changes, sys.stderr)
        return 1 if any(went_down(c) for c in changes) else 0
    return 0


class _progress:
    """A rich progress bar on stderr when it is a terminal; nothing otherwise."""

    def __init__(self, total: int | None) -> None:
        self.total = total
        self.bar: Any = None

    def __enter__(self) -> Any:
        if not sys.stderr.isatty():
            return lambda: None
        from rich.console import Console
        from rich.progress import Progress

        # rich draws on standard output by default, which is the results stream: stderr it is.
        self.bar = Progress(transient=True, console=Console(stderr=True))
        self.bar.start()
        task = self.bar.add_task("re-triage", total=self.total)
        return lambda: self.bar.advance(task)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
