"""One answer: in its question's own words, and into the answers contract. No I/O.

The terminal and the plain lines (echo, review), the sheet's "your answers" and FHIR all use
these, so an answer reads the same everywhere and tick lists merge the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from triage.model import NOT_SURE, Phrases, Question


class YesNo(TypedDict):
    yes: str
    no: str


def yes_no(phrases: Phrases) -> YesNo:
    """A question's `yes` and `no` words, from rules/ui.yaml: `Question(..., **yes_no(say))`."""
    return {"yes": phrases("answer.yes"), "no": phrases("answer.no")}


def answer_words(q: Question, value: Any) -> str:
    """An answer in the question's own words: its choices' labels (a tick list's joined, or
    its "None of these" when empty), its yes or no, or the number typed."""
    labels = {c.value: c.label for c in q.choices}
    if q.not_sure:
        labels[NOT_SURE] = q.not_sure
    if q.type == "checkbox":
        return "; ".join(labels.get(v, str(v)) for v in value) if value else (q.none_label or q.no)
    if q.type == "confirm":
        return q.yes if value else q.no
    return labels.get(value, str(value))


def merge_answer(answers: dict[str, Any], q: Question, value: Any) -> None:
    """Put one question's answer under its contract key. Several tick lists fill one list key
    (symptoms): each adds its picks once, in order; "not sure" is the follow-up's to say, so it
    is never a value of the key."""
    if q.type != "checkbox":
        answers[q.key] = value
        return
    merged = answers.setdefault(q.key, [])
    merged.extend(v for v in value if v not in merged and v != NOT_SURE)


def contract_answers(questions: Sequence[Question], given: Mapping[str, Any]) -> dict[str, Any]:
    """Contract answers from answers by question id, in the questions' order."""
    answers: dict[str, Any] = {"version": 1}
    for q in questions:
        if q.id in given:
            merge_answer(answers, q, given[q.id])
    return answers
