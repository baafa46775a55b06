"""The questionnaire: the only module that imports questionary.

`Interview` walks the questions in order, honours each question's `when`, lets the person go
back (Ctrl-B), and stops at once when `stop(answers)` says the answers are already an
emergency. `ask_terminal` turns one Question into a real questionary prompt; tests drive it
through prompt_toolkit's pipe input.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import questionary
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

from triage.conditions import holds
from triage.errors import Aborted, UsageError
from triage.model import Question

BACK = object()  # what an ask function returns when the person wants the previous question
_NONE = "__none_of_these__"
AskFn = Callable[[Question, Any], Any]


def compose(questions: Sequence[Question], given: Mapping[str, Any]) -> dict[str, Any]:
    """Build contract answers from per-question values; list keys collect every question's picks."""
    answers: dict[str, Any] = {"version": 1}
    for q in questions:
        if q.id not in given:
            continue
        value = given[q.id]
        if q.type == "checkbox":
            merged = answers.setdefault(q.key, [])
            merged.extend(v for v in value if v not in merged)
        else:
            answers[q.key] = value
    return answers


class Interview:
    def __init__(self, questions: Sequence[Question], ask: AskFn,
                 stop: Callable[[Mapping[str, Any]], bool] = lambda _: False) -> None:
        self.questions = tuple(questions)
        self.ask = ask
        self.stop = stop
        self.stopped_early = False

    def run(self) -> dict[str, Any]:
        given: dict[str, Any] = {}
        previous: dict[str, Any] = {}  # answers given before going back, offered as defaults
        history: list[int] = []
        i = 0
        while i < len(self.questions):
            q = self.questions[i]
            answers = compose(self.questions, given)
            if q.when is not None and not holds(q.when, answers):
                given.pop(q.id, None)
                i += 1
                continue
            value = self.ask(q, previous.get(q.id))
            if value is BACK:
                if history:
                    i = history.pop()
                    previous[self.questions[i].id] = given.pop(self.questions[i].id, None)
                continue
            given[q.id] = value
            previous[q.id] = value
            history.append(i)
            if self.stop(compose(self.questions, given)):
                self.stopped_early = True
                break
            i += 1
        return compose(self.questions, given)


# -- the real terminal ---------------------------------------------------------------------------

_STYLE = questionary.Style([("qmark", "bold"), ("question", "bold"), ("instruction", "italic")])


def _with_back_key(prompt: questionary.Question) -> questionary.Question:
    keys = KeyBindings()

    @keys.add("c-b", eager=True)
    def _back(event: Any) -> None:
        event.app.exit(result=BACK)

    app = prompt.application
    app.key_bindings = merge_key_bindings([app.key_bindings, keys]) if app.key_bindings else keys
    return prompt


def _number_check(q: Question) -> Callable[[str], bool | str]:
    def check(text: str) -> bool | str:
        text = text.strip()
        if not text.isdigit():
            return "Please type a whole number, like 42."
        value = int(text)
        if q.minimum is not None and value < q.minimum:
            return q.below_minimum or f"Please type a number from {q.minimum} to {q.maximum}."
        if q.maximum is not None and value > q.maximum:
            return f"Please type a number from {q.minimum} to {q.maximum}."
        return True
    return check


def _checkbox_check(q: Question) -> Callable[[list[Any]], bool | str]:
    def check(picked: list[Any]) -> bool | str:
        if not picked:
            return f"Tick at least one (or '{q.none_label}')." if q.none_label else "Tick at least one."
        if _NONE in picked and len(picked) > 1:
            return f"Untick '{q.none_label}', or untick the others."
        return True
    return check


def build_prompt(q: Question, default: Any = None) -> questionary.Question:
    """The questionary prompt for one question (no I/O until it is asked)."""
    if q.type == "number":
        prompt = questionary.text(q.prompt, default="" if default is None else str(default),
                                  validate=_number_check(q), style=_STYLE)
    elif q.type == "confirm":
        prompt = questionary.confirm(q.prompt, default=bool(default), style=_STYLE,
                                     instruction="(y/n) " if default is None else None)
    elif q.type == "select":
        choices = [questionary.Choice(c.label, value=c.value, description=c.help or None) for c in q.choices]
        start = next((c for c in choices if c.value == default), None)
        prompt = questionary.select(q.prompt, choices=choices, default=start, style=_STYLE,
                                    instruction="(arrows, Enter)")
    else:
        chosen = set(default or ())
        choices = [questionary.Choice(c.label, value=c.value, checked=c.value in chosen,
                                      description=c.help or None) for c in q.choices]
        if q.none_label:
            choices.append(questionary.Choice(q.none_label, value=_NONE, checked=default == []))
        prompt = questionary.checkbox(q.prompt, choices=choices, validate=_checkbox_check(q),
                                      style=_STYLE, instruction="(Space ticks, Enter goes on)")
    return _with_back_key(prompt)


def ask_terminal(q: Question, default: Any = None) -> Any:
    """Ask one question in the terminal. Ctrl-C raises Aborted; closed input raises UsageError."""
    if q.help:
        questionary.print(textwrap.fill(q.help, 76, initial_indent="  ", subsequent_indent="  "), style="italic")
    try:
        value = build_prompt(q, default).unsafe_ask()
    except KeyboardInterrupt:
        raise Aborted() from None
    except EOFError:
        raise UsageError("the input closed before the questionnaire ended; use --answers FILE instead") from None
    if value is BACK:
        return BACK
    if q.type == "number":
        return int(str(value).strip())
    if q.type == "checkbox":
        return [v for v in value if v != _NONE]
    return value
