"""rules/ui.yaml holds the words of the terminal, the command line and the print-out's own
headings: every text there is used, every text the code asks for is there, and a missing one
is a broken data file (exit 3), never a half-filled sentence."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from triage.errors import DataFileError
from triage.model import Phrases
from triage.pipeline import Triage

from . import pseudo

ROOT = Path(__file__).resolve().parent.parent
CODE = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "triage").glob("*.py")}
TEMPLATES = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "templates").glob("*.j2")}
# say(...), phrases(...), self.phrases(...), self.say(...) (the contract's) or Said(...) (an
# error's words, looked up where it is shown); not another object's say (the diary's
# `words.say`, whose words are in rules/followup.yaml and tested with the diary).
CALL = re.compile(
    r"""(?:(?<![.\w])(?:say|phrases|Said)|self\.(?:phrases|say))\(\s*(f?)"([a-z0-9_.{}\[\]]+)\""""
)
GROUP = re.compile(r"""phrases\.group\("([a-z_]+)"\)""")


def used_keys() -> tuple[set[str], list[re.Pattern[str]]]:
    """Keys the code names literally, and patterns for the ones it builds (f"how.{q.type}")."""
    literal: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for text in CODE.values():
        for is_f, key in CALL.findall(text):
            if is_f:
                patterns.append(re.compile(re.sub(r"\\\{[^}]*\\\}", "[a-z_]+", re.escape(key))))
            else:
                literal.add(key)
    return literal, patterns


def grouped_keys(table: dict[str, str]) -> set[str]:
    """Keys the templates and code reach through phrases.group(...) as words.NAME or words["NAME"]."""
    groups = {g for text in CODE.values() for g in GROUP.findall(text)}
    names = set()
    built: list[re.Pattern[str]] = []  # words["view_" ~ view], words[f"{gid}_group"]
    for text in [*TEMPLATES.values(), *CODE.values()]:
        names |= set(re.findall(r"words\.([a-z_]+)", text))
        names |= set(re.findall(r"""words\["([a-z_]+)"\]""", text))
        names |= set(re.findall(r"""\("[a-z_]+", "([a-z_]+_group)"\)""", text))  # GROUPS
        for start in re.findall(r"""words\["([a-z_]+)"\s*~""", text):
            built.append(re.compile(re.escape(start) + "[a-z_]+"))
        for start, end in re.findall(r"""words\[f"([a-z_]*)\{[^}]*\}([a-z_]*)"\]""", text):
            built.append(re.compile(re.escape(start) + "[a-z_]+" + re.escape(end)))
    return {
        f"{g}.{n}"
        for g in groups
        for n in [k[len(g) + 1 :] for k in table if k.startswith(g + ".")]
        if n in names or any(p.fullmatch(n) for p in built)
    }


def test_every_text_the_code_asks_for_is_there(triage: Triage) -> None:
    literal, _ = used_keys()
    missing = sorted(k for k in literal if k not in triage.phrases.table)
    assert not missing, f"rules/ui.yaml lacks: {missing}"


def test_every_text_in_ui_yaml_is_used(triage: Triage) -> None:
    table = triage.phrases.table
    literal, patterns = used_keys()
    reached = literal | grouped_keys(table)
    # cli.argparse is asked for by argparse, by its own message ids: each is checked against
    # this Python's argparse in tests/test_pseudo_translation.py
    asked = pseudo.argparse_message_ids()
    reached |= {k for k in table if k.startswith("cli.argparse.") and k[13:] in asked}
    unused = sorted(
        k
        for k in table
        if k not in reached
        and not any(p.fullmatch(k) for p in patterns)
        and not (k.startswith("cli.argparse.") and sys.version_info < (3, 13))
    )
    assert not unused, f"texts in rules/ui.yaml that nothing shows: {unused}"


def test_every_question_type_has_its_instruction_in_both_modes(triage: Triage) -> None:
    for kind in sorted({q.type for q in triage.questions}):
        assert triage.phrases(f"how.{kind}") and triage.phrases(f"plain.how.{kind}")


def test_a_missing_text_or_field_is_a_data_file_error() -> None:
    phrases = Phrases({"review.bad": "Type a number from 1 to {count}."}, "ui.yaml")
    assert phrases("review.bad", count=3) == "Type a number from 1 to 3."
    with pytest.raises(
        DataFileError, match=re.escape("ui.yaml: nothing.here: this text is missing")
    ):
        phrases("nothing.here")
    with pytest.raises(DataFileError, match="cannot fill in 'count'"):
        phrases("review.bad", total=3)
    assert DataFileError("x", "y", "z").exit_code == 3


def test_no_break_space_keeps_esc_b_together(triage: Triage) -> None:
    """YAML folding collapses spaces, but the no-break space between Esc and B stays."""
    assert "Esc\u00a0B" in triage.phrases("back_keys")
