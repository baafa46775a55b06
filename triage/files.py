"""Reading and writing the files a person hands us or asks for, safely.

Reads are strict: a key given twice is an error (YAML and JSON would silently keep the last,
and a second `symptoms:` could hide a red flag). Writes are atomic: the data goes to a
temporary file beside the target, which then replaces it in one step, so a crash or Ctrl-C
leaves the old file whole and never a half-written one.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from triage.errors import AnswersError, UsageError

MAX_ANSWERS_BYTES = 1_000_000


@functools.lru_cache(maxsize=1)
def strict_yaml_loader() -> Any:
    import yaml  # imported here: the JSON paths never need it

    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class StrictLoader(base):  # type: ignore[misc]
        pass

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
                    "a key must be a plain word, not a list or mapping",
                    key_node.start_mark,
                ) from None
            if key in out:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice", key_node.start_mark
                )
            out[key] = loader.construct_object(value_node, deep=deep)
        return out

    StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    return StrictLoader


def parse_yaml(text: str) -> Any:
    import yaml

    return yaml.load(text, Loader=strict_yaml_loader())


def yaml_problem(exc: Exception) -> str:
    """One line from a YAML error: what and where."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
    return " ".join(str(problem).split()) + where


def _no_duplicate_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"key {key!r} appears twice")
        out[key] = value
    return out


def read_answers(path: str) -> Any:
    """Read an answers file (YAML, or JSON by its .json name) into plain data; one-line errors."""
    name = Path(path).name
    try:
        if Path(path).is_dir():
            raise AnswersError(name, "is a folder; give an answers file (YAML or JSON)", "")
        with open(path, "rb") as fh:
            raw = fh.read(MAX_ANSWERS_BYTES + 1)
    except OSError as exc:
        raise AnswersError(name, f"cannot be read ({exc.strerror}); check the path", "") from None
    if len(raw) > MAX_ANSWERS_BYTES:
        raise AnswersError(name, "is larger than 1 MB; an answers file is a few hundred bytes", "")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AnswersError(
            name, "is not a text file (not UTF-8); give a YAML or JSON answers file", ""
        ) from None
    if "\x00" in text:
        raise AnswersError(name, "contains binary data; give a YAML or JSON answers file", "")
    if not text.strip():
        raise AnswersError(name, "is empty; see the README for the answers format", "")
    return parse_answers_text(text, name, as_json=name.lower().endswith(".json"))


def parse_answers_text(text: str, name: str, as_json: bool) -> Any:
    if as_json:
        try:
            return json.loads(text, object_pairs_hook=_no_duplicate_pairs)
        except (ValueError, RecursionError) as exc:
            raise AnswersError(
                name, f"is not valid JSON: {' '.join(str(exc).split())}", ""
            ) from None
    import yaml

    try:
        return parse_yaml(text)
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise AnswersError(name, f"is not valid YAML: {yaml_problem(exc)}", "") from None


@contextlib.contextmanager
def atomic_writer(path: str) -> Iterator[TextIO]:
    """A text stream that replaces `path` in one step when the block ends without error.

    The data goes to a temporary file beside the target, which then replaces it, so a crash,
    Ctrl-C or kill leaves the old file whole and never a half-written one.
    """
    import tempfile

    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"cannot write {path}: the folder {folder} does not exist")
    if target.is_dir():
        raise UsageError(f"cannot write {path}: it is a folder")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise UsageError(f"cannot write {path}: {exc.strerror}") from None
        raise


def write_atomic(path: str, text: str) -> None:
    """Replace `path` with `text` in one step; on any failure the old file is untouched."""
    with atomic_writer(path) as fh:
        fh.write(text)


def dump_answers(answers: dict[str, Any], order: list[str], days: Sequence[str] = ()) -> str:
    """The answers as YAML, in the contract's order; `days` (ISO dates) written as YAML dates,
    unquoted like the contract's example (they read back as the same text)."""
    import datetime

    import yaml

    ordered = {k: answers[k] for k in order if k in answers}
    for key in days:
        if isinstance(ordered.get(key), str):
            ordered[key] = datetime.date.fromisoformat(ordered[key])
    header = (
        "# triage answers (answers contract, version 1).\n"
        "# Replay with: triage --answers THIS_FILE\n"
    )
    return header + yaml.safe_dump(
        ordered, sort_keys=False, allow_unicode=True, default_flow_style=None
    )
