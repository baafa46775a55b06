"""Pseudo-translation: a copy of rules/ with every user-visible string wrapped in [[ ]].

A sheet made from the marked copy shows each word the data carries inside [[...]]; a word
outside the marks was made by a template or by Python, and would stay English in a translation.

Which strings are words is decided here, field by field, for every data file (FIELDS): a
string is matched against the patterns of its file by its path (mapping keys, `-` for a list
item; `*` is any one step, `**` any number of steps). WORDS are wrapped; KEEP are identifiers
(ids, keys, condition values, choice values, urls, colours, file names) or notes never shown;
CELL is a safety-table cell, `verdict: words`, whose words are wrapped. A string with letters
that no pattern matches is an error (`Unclassified`): new data is classified, never skipped.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import re
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

WORDS, KEEP, CELL = "words", "keep", "cell"
OPEN, CLOSE = "[[", "]]"

# In every file: conditions (when/unless and their parts), and a text variant's own keys
# (which tiers, rules and timeframes it is for) are identifiers.
CONDITIONS = [
    ("**.when.*.**", KEEP),
    ("**.unless.*.**", KEEP),
    ("**.lead.*.**", KEEP),
    ("**.fit.*.**", KEEP),
    ("**.-.unless_fired.-", KEEP),
    ("**.-.tiers.-", KEEP),
    ("**.-.fired.-", KEEP),
    ("**.-.within.-", KEEP),
]
# A list of variants: each a string, or {text, when, unless, ...} (triage.model.Variant).
VARIANTS = ["", ".-", ".-.text"]


def _texts(*fields: str) -> list[tuple[str, str]]:
    """Each field as a text: a string, or a list of variants."""
    return [(field + tail, WORDS) for field in fields for tail in VARIANTS]


# Top-level conditions with a name (YAML anchors, used by the conditions further down the file)
NAMED_CONDITIONS = (
    "pregnancy",
    "signs_unanswered",
    "pre_eclampsia",
    "early_pregnancy",
    "child",
    "other_linked",
    "frail",
    "injured",
)


FIELDS: dict[str, list[tuple[str, str]]] = {
    "blood_tests.yaml": [("line", WORDS), ("tests.-.id", KEEP), ("tests.-.words", WORDS)],
    "countries.yaml": [
        ("countries.-.id", KEEP),
        ("countries.-.aliases.-", KEEP),  # what --country accepts, not shown
        ("countries.-.name", WORDS),
        ("countries.-.emergency", WORDS),
        ("countries.-.emergency_again", WORDS),
        ("countries.-.urgent_line", WORDS),
    ],
    "dispositions.yaml": [
        ("tiers.-.id", KEEP),
        ("tiers.-.colour", KEEP),
        ("tiers.-.label", WORDS),
        ("tiers.-.withheld_because", WORDS),
        ("tiers.-.early_stop.**", KEEP),
        ("tiers.-.action.-.route", KEEP),
        *_texts(
            "tiers.-.headline",
            "tiers.-.timeframe",
            "tiers.-.action",
            "tiers.-.first_line",
            "tiers.-.safety_net",
            "tiers.-.safety_net.-",
            "someone_else",
        ),
        *((f"{name}.**", KEEP) for name in NAMED_CONDITIONS),
    ],
    "evidence.yaml": [
        ("grades.*", WORDS),
        ("traditional_cap.rest", WORDS),
        ("traditional_cap.fewer_for.column", KEEP),
    ],
    "followup.yaml": [
        ("**.choices.-.value", KEEP),
        ("**.choices.-.label", WORDS),
        ("**.key", KEEP),
        ("**.id", KEEP),
        ("**.type", KEEP),
        ("**.flag", KEEP),
        ("recheck.gate", KEEP),
        ("recheck.sided_signs.-", KEEP),
        ("recheck.supersedes.**", KEEP),
        ("recheck.questions.**.prompt", WORDS),
        ("recheck.questions.**", KEEP),
        ("diary.questions.*.prompt", WORDS),
        ("diary.questions.tried.*", WORDS),
        ("calendar.*.-", WORDS),
        ("diary.chart.*", WORDS),
        ("diary.help.*", WORDS),
        ("diary.messages.*", WORDS),
        ("diary.words.*", WORDS),
        ("recheck.*", WORDS),
        ("recheck.changes.*", WORDS),
        ("recheck.changes.stretching.*", WORDS),
        ("recheck.from_diary.*", WORDS),
        ("recheck.from_diary.names.*", WORDS),
        ("reminder.*", WORDS),
        ("**.prompt", WORDS),
    ],
    "interactions.yaml": [
        ("no_known_interaction.-", KEEP),
        ("interactions.-.id", KEEP),
        ("interactions.-.rule", KEEP),
        ("interactions.-.tier", KEEP),
        ("interactions.-.act_within", KEEP),
        ("interactions.-.route", KEEP),
        ("interactions.-.warning", KEEP),
        ("interactions.-.finding", KEEP),
        ("interactions.-.sources.-", KEEP),
        ("interactions.-.situation", WORDS),
        ("interactions.-.routing", WORDS),
        *_texts("interactions.-.words", "interactions.-.safety_net"),
    ],
    "medicines.yaml": [
        ("medicines.-.id", KEEP),
        ("medicines.-.label", WORDS),
        ("medicines.-.examples", WORDS),
    ],
    "messages.yaml": [
        ("**.key", KEEP),
        ("inferred.*.because", KEEP),  # the result's machine-readable `because`
        ("inferred.*.line", WORDS),
        *((f"{name}.**", KEEP) for name in NAMED_CONDITIONS),
        ("not_reported.-.line", WORDS),
        ("not_reported.-.check.-", WORDS),
        ("not_sure_signs.*.what", WORDS),
        ("not_sure_signs.*.check", WORDS),
        *_texts("consider.*", "reasons.*", "warnings.*", "reading.*"),
        ("lists.*", WORDS),
    ],
    "points.yaml": [
        ("points.-.id", KEEP),  # the WHO code (BL40): the same in every language
        ("points.-.view", KEEP),
        ("points.-.name", WORDS),
        ("points.-.where", WORDS),
        ("points.-.press", WORDS),
    ],
    "questions.yaml": [
        ("**.id", KEEP),
        ("**.key", KEEP),
        ("**.type", KEEP),
        ("**.value", KEEP),
        ("**.choices_from", KEEP),
        ("**.keep.-", KEEP),
        ("**.lists.-", KEEP),
        ("**.label", WORDS),
        ("**.prompt", WORDS),
        ("**.short", WORDS),
        ("**.help", WORDS),
        ("**.none", WORDS),
        ("**.below_min", WORDS),
        ("not_sure.emergency", WORDS),
    ],
    "remedies.yaml": [
        *((f"{name}.**", KEEP) for name in NAMED_CONDITIONS),
        ("remedies.-.id", KEEP),
        ("remedies.-.evidence", KEEP),
        ("remedies.-.when", KEEP),  # its group: during, bedtime, daily
        ("remedies.-.picture", KEEP),
        ("remedies.-.source", KEEP),
        ("remedies.-.steps.-.source", KEEP),
        ("remedies.-.sources.-", KEEP),
        ("remedies.-.points.-", KEEP),
        ("remedies.-.action.-", KEEP),
        ("remedies.-.**.does.-", KEEP),
        ("remedies.-.**.action", KEEP),
        ("remedies.-.title", WORDS),
        *_texts("remedies.-.steps", "remedies.-.steps.-"),
    ],
    "safety.yaml": [
        ("columns.-.id", KEEP),
        ("columns.-.label", WORDS),
        ("columns.-.sources.-", KEEP),
        ("columns.-.rules.-", KEEP),
        ("columns.-.**.rows.-", KEEP),
        ("columns.-.**.prefix", WORDS),
        ("rows.-.action", KEEP),
        ("rows.-.label", WORDS),
        ("rows.-.what", WORDS),
        ("rows.-.takers.-", KEEP),
        ("rows.-.never_advised.message", KEEP),
        ("rows.-.never_advised.takers.-", KEEP),
        ("rows.-.never_advised.otherwise", WORDS),
        ("rows.-.cells.*", CELL),
    ],
    "sources.yaml": [
        ("sources.-.id", KEEP),
        ("sources.-.url", KEEP),
        ("sources.-.where", KEEP),  # for maintainers, never shown
        ("sources.-.short", WORDS),
        ("sources.-.cite", WORDS),
    ],
    "ui.yaml": [("sheet.language", KEEP), ("**", WORDS)],
    "logic/*.yaml": [
        ("rules.-.id", KEEP),
        ("rules.-.tier", KEEP),
        ("rules.-.source", KEEP),
        ("rules.-.act_within.**", KEEP),
        ("rules.-.consider.-", KEEP),
        ("rules.-.warn.-", KEEP),
        ("rules.-.offer.-", KEEP),
    ],
}


class Unclassified(Exception):
    """Strings with letters in a field no pattern of FIELDS names: classify them."""


def _match(pattern: list[str], path: list[str]) -> bool:
    if not pattern:
        return not path
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(_match(rest, path[n:]) for n in range(len(path) + 1))
    return bool(path) and (head in ("*", path[0])) and _match(rest, path[1:])


def kind_of(file: str, path: Iterable[str]) -> str | None:
    steps = list(path)
    name = "logic/*.yaml" if file.startswith("logic/") else file
    if name not in FIELDS:
        return None
    for pattern, kind in CONDITIONS + FIELDS[name]:
        if _match(pattern.split("."), steps):
            return kind
    return None


def _walk(node: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, (*path, str(key)))
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value, (*path, "-"))
    elif isinstance(node, str) and re.search(r"[^\W\d_]", node):
        yield path, node


def _mark(kind: str, text: str) -> str:
    if kind == WORDS:
        return OPEN + text.strip() + CLOSE
    if kind == CELL and ":" in text:
        verdict, _, words = text.partition(":")
        return f"{verdict}: {OPEN}{words.strip()}{CLOSE}"
    return text


def _rewrite(node: Any, file: str, path: tuple[str, ...], missing: set[str]) -> Any:
    if isinstance(node, dict):
        return {k: _rewrite(v, file, (*path, str(k)), missing) for k, v in node.items()}
    if isinstance(node, list):
        return [_rewrite(v, file, (*path, "-"), missing) for v in node]
    if isinstance(node, str) and re.search(r"[^\W\d_]", node):
        kind = kind_of(file, path)
        if kind is None:
            missing.add(f"{file}: {'.'.join(path)} ({node[:40]!r})")
            return node
        return _mark(kind, node)
    return node


def identifiers(rules: Path) -> set[str]:
    """The letter runs of every identifier the data holds (the strings kept as they are, and
    the answers keys that conditions test): what `triage tables` shows as the data says it."""
    found: set[str] = set()
    for file in sorted(rules.rglob("*.yaml")):
        name = file.relative_to(rules).as_posix()
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        for path, text, tested in _leaves(data, (), None):
            found.update(WORD.findall(" ".join(tested)))
            if isinstance(text, str) and ID.fullmatch(text) and kind_of(name, path) == KEEP:
                found.update(WORD.findall(text))
    return found


ID = re.compile(r"[a-z][a-z0-9_-]*")  # an id as the data writes them: self-care, 2_days, statin
CONDITION_KEYS = ("when", "unless", "lead", "fit")


def _leaves(
    node: Any, path: tuple[str, ...], tested: tuple[str, ...] | None
) -> Iterator[tuple[tuple[str, ...], Any, tuple[str, ...]]]:
    """Each leaf: its path, its value, and the keys inside a condition on the way to it."""
    if isinstance(node, dict):
        for key, value in node.items():
            if tested is not None:
                inside: tuple[str, ...] | None = (*tested, str(key))
            else:
                inside = () if key in CONDITION_KEYS else None
            yield from _leaves(value, (*path, str(key)), inside)
    elif isinstance(node, list):
        for value in node:
            yield from _leaves(value, (*path, "-"), tested)
    else:
        yield path, node, tested or ()


def marked_copy(rules: Path, to: Path) -> Path:
    """rules/ copied to `to`, every word-bearing string of every YAML file in [[ ]]."""
    shutil.copytree(rules, to)
    missing: set[str] = set()
    for file in sorted(to.rglob("*.yaml")):
        name = file.relative_to(to).as_posix()
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        if not (name in FIELDS or name.startswith("logic/")):
            missing.add(f"{name}: the whole file")
            continue
        marked = _rewrite(data, name, (), missing)
        file.write_text(
            yaml.safe_dump(marked, allow_unicode=True, sort_keys=False, width=10_000),
            encoding="utf-8",
        )
    if missing:
        raise Unclassified(
            "fields tests/pseudo.py FIELDS does not classify (words or identifiers?):\n  "
            + "\n  ".join(sorted(missing))
        )
    return to


WORD = re.compile(r"[^\W\d_]{2,}")
_MARK = re.compile(re.escape(OPEN) + "|" + re.escape(CLOSE))


def outside_marks(text: str) -> str:
    """What is left of `text` outside every [[...]], nested ones too ({emergency}: [[999]]);
    an unclosed mark runs to the end."""
    kept, depth, start = [], 0, 0
    for mark in _MARK.finditer(text):
        if depth == 0:
            kept.append(text[start : mark.start()])
        depth = depth + 1 if mark.group() == OPEN else max(depth - 1, 0)
        start = mark.end()
    if depth == 0:
        kept.append(text[start:])
    return " ".join(kept)


def unmarked(text: str, html: bool = False) -> list[str]:
    """The words of `text` outside [[...]]: what the data did not say. In HTML, the tags, the
    style sheet and entities are taken out first (their words are not language)."""
    if html:  # what a screen reader says is words too: labels, alternative texts, titles
        said = re.findall(r'(?:aria-label|alt|title)="([^"]*)"', text)
        text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S) + " " + " ".join(said)
        text = re.sub(r"<[^>]*>", " ", text)
        text = re.sub(r"&#?\w+;", " ", text)
    text = outside_marks(text)
    text = re.sub(r"https?://\S+", " ", text)  # addresses
    text = re.sub(r"(?<![\w-])--[a-z][\w-]*", " ", text)  # options: --full
    text = re.sub(r"^```\w*$", " ", text, flags=re.M)  # a Markdown code block's fence
    return WORD.findall(text)


def argparse_message_ids() -> set[str]:
    """Every message this Python's argparse asks gettext for (its `_()` and `ngettext()`)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(inspect.getsource(argparse))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            count = {"_": 1, "ngettext": 2}.get(node.func.id, 0)
            found.update(
                a.value.strip()
                for a in node.args[:count]
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            )
    return found
