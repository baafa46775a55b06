"""Keystrokes that give chosen answers, derived from the loaded questions (rules/questions.yaml):
adding, removing or reordering a question or a choice changes the keys, never a test.

`for_answers(questions, answers)` walks the questions as the Interview does (a question whose
`when` does not hold on the answers so far is skipped) and gives, for each question asked, the
keys that answer it with its part of `answers` (contract form). Two key schemes:
- the terminal (questionary): tick lists by arrows and Space (the pointer starts on the first
  line; Up from there reaches "None of these", the last), single choices by their number key,
  yes/no by y or n, numbers typed; each ends with Enter except yes/no;
- plain (--plain, TERM=dumb): every answer is typed numbers and Enter (yes is 1, no is 2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from triage.conditions import holds
from triage.interview import candidates, offered
from triage.model import NOT_SURE, Choice, Question

UP, DOWN, ENTER, SPACE, CTRL_B, ESC_B, BACKSPACE = (
    "\x1b[A",
    "\x1b[B",
    "\r",
    " ",
    "\x02",
    "\x1bb",
    "\x7f",
)


def part(q: Question, answers: Mapping[str, Any]) -> Any:
    """This question's share of the answers: for a tick list, the values among its choices (and,
    for a red-flag list, its "not sure" when the answers are not sure of one of its items)."""
    value = answers[q.key]
    if q.type == "checkbox":
        own = [c.value for c in q.choices]
        mine = [v for v in own if v in value]
        unsure = set(answers.get("symptoms_not_sure") or ())
        if q.not_sure and any(v in unsure for v in own):
            mine.append(NOT_SURE)
        return mine
    return value


def _skipped(q: Question, so_far: Mapping[str, Any], given: Mapping[str, Any]) -> bool:
    if q.when is not None and not holds(q.when, so_far):
        return True
    if q.not_sure_of and NOT_SURE not in (given.get(q.not_sure_of) or ()):
        return True
    return bool(q.choices_from) and len(candidates(offered(q, so_far))) < 2


def asked(questions: Sequence[Question], answers: Mapping[str, Any]) -> list[Question]:
    """The questions these answers are asked, in order (an answer key missing: not asked)."""
    so_far: dict[str, Any] = {"version": 1}
    given: dict[str, Any] = {}
    out = []
    for q in questions:
        if _skipped(q, so_far, given):
            continue
        if q.key not in answers:
            break  # the answers stop here (an emergency stops the questionnaire)
        q = offered(q, so_far)
        out.append(q)
        value = part(q, answers)
        given[q.id] = value
        if q.type == "checkbox":
            so_far.setdefault(q.key, []).extend(v for v in value if v != NOT_SURE)
        else:
            so_far[q.key] = value
    return out


def terminal_keys(q: Question, value: Any) -> str:
    """The terminal keys that give `value` to a question asked for the first time."""
    if q.type == "number":
        return f"{value}{ENTER}"
    if q.type == "confirm":
        return "y" if value else "n"
    if q.type == "select":
        return str([c.value for c in q.choices].index(value) + 1) + ENTER
    if not value:
        assert q.none_label, f"{q.id} needs a tick"
        return UP + SPACE + ENTER
    keys, at = "", 0
    shown = [*q.choices, *([Choice(NOT_SURE, q.not_sure)] if q.not_sure else [])]
    for k, choice in enumerate(shown):
        if choice.value in value:
            keys += DOWN * (k - at) + SPACE
            at = k
    return keys + ENTER


def plain_keys(q: Question, value: Any) -> str:
    """The typed numbers that give `value` in the plain mode."""
    if q.type == "number":
        return f"{value}{ENTER}"
    if q.type == "confirm":
        return ("1" if value else "2") + ENTER
    values = [c.value for c in q.choices] + ([NOT_SURE] if q.not_sure else [])
    if q.type == "select":
        return str(values.index(value) + 1) + ENTER
    if not value:
        return str(len(values) + 1) + ENTER  # "None of these", numbered last
    return " ".join(str(values.index(v) + 1) for v in value) + ENTER


def for_answers(
    questions: Sequence[Question], answers: Mapping[str, Any], plain: bool = False
) -> list[tuple[Question, str]]:
    """(question, keys) for every question these answers are asked, in order."""
    keys = plain_keys if plain else terminal_keys
    return [(q, keys(q, part(q, answers))) for q in asked(questions, answers)]


def typed(questions: Sequence[Question], answers: Mapping[str, Any], plain: bool = False) -> str:
    """All the keys, one string (for prompt_toolkit's pipe input)."""
    return "".join(k for _, k in for_answers(questions, answers, plain))
