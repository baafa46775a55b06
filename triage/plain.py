"""The plain questionnaire: numbered lines, answered by typing numbers.

For screen readers and braille displays (arrow-key menus are unreliable there, for example NVDA
in Windows Terminal), and for terminals that cannot move the cursor (TERM=dumb): every screen is
plain lines printed in reading order, every choice is numbered, every answer is typed and ends
with Enter, nothing depends on colour, and nothing is redrawn. No escape sequence is ever
written. It is an asker for the same `Interview` as the terminal (triage.interview), with the
same rule that Enter alone never answers, and imports nothing of the terminal's.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

from triage.answer import answer_words
from triage.errors import Aborted, UsageError
from triage.interview import BACK, Asked, number_check, review_pick, whole_number
from triage.model import NOT_SURE, Phrases, Question
from triage.wrapping import wrap

_SPLIT = re.compile(r"[\s,;]+")


class _Retry(str):
    """Not an answer: what to type instead."""


MIN_WIDTH = 20  # narrower than this, a word or two a line: the terminal's own wrapping is better


class Plain:
    """An ask function for `Interview`: `read(prompt)` reads one line (input() by default) and
    `write(text)` prints one (print() by default)."""

    def __init__(
        self,
        phrases: Phrases,
        read: Callable[[str], str] = input,
        write: Callable[[str], None] = print,
        width: int = 80,
    ) -> None:
        self.phrases = phrases
        self.read = read
        self.write = write
        self.width = max(MIN_WIDTH, width)
        self.position: tuple[int, int] | None = None
        self.can_go_back = True

    def _lines(self, text: str, indent: int = 0) -> None:
        self.write(" " * indent + wrap(text, self.width, first=indent, indent=indent))

    def _ask(self, prompt: str) -> str:
        try:
            return self.read(prompt)
        except KeyboardInterrupt:
            raise Aborted() from None
        except EOFError:
            raise UsageError(self.phrases("cli.input_closed")) from None

    def start(self, least: int, most: int) -> None:
        self._lines(self.phrases("intro.count", least=least, most=most))
        self._lines(self.phrases("intro.plain_keys"))

    def progress(self, n: int, most: int, can_go_back: bool) -> None:
        self.position = (n, most)
        self.can_go_back = can_go_back

    def options(self, q: Question) -> list[tuple[Any, str, str]]:
        """The numbered choices of a question: (value, label, help), numbered from 1."""
        if q.type == "confirm":
            return [(True, q.yes, ""), (False, q.no, "")]
        options = [(c.value, c.label, c.help) for c in q.choices]
        if q.type == "checkbox" and q.not_sure:
            options.append((NOT_SURE, q.not_sure, ""))
        if q.type == "checkbox" and q.none_label:
            options.append((None, q.none_label, ""))  # None: "none of these"
        return options

    def __call__(self, q: Question, default: Any = None) -> Any:
        say = self.phrases
        self.write("")
        if self.position:
            self._lines(say("progress", n=self.position[0], most=self.position[1]))
        self._lines(q.prompt)
        if q.help:
            self._lines(q.help)
        options = self.options(q)
        for n, (_, label, tip) in enumerate(options, 1):
            lead = f"{n:>3}. "
            self.write(lead + wrap(label, self.width, first=len(lead), indent=len(lead)))
            if tip:
                self._lines(say("choice_help", help=tip), indent=len(lead))
        how = [say(f"plain.how.{q.type}")]
        if self.can_go_back:
            how.append(say("plain.back"))
        if default is not None:
            how.append(say("before", answer=answer_words(q, default)))
        self._lines(" ".join(how))
        while True:
            text = self._ask(say("plain.prompt")).strip()
            if text.lower() in ("b", "back"):
                if self.can_go_back:
                    return BACK
                self._lines(say("first_question"))
                continue
            value = self._value(q, options, text)
            if isinstance(value, _Retry):
                self._lines(value)
                continue
            self._lines(say("plain.answered", answer=answer_words(q, value)))
            return value

    def _value(self, q: Question, options: list[tuple[Any, str, str]], text: str) -> Any:
        """The answer typed, or a _Retry saying what to type."""
        if q.type == "number":
            verdict = number_check(q, self.phrases)(text)
            return whole_number(text) if verdict is True else _Retry(verdict)
        bad = _Retry(self.phrases(f"plain.bad.{q.type}", count=len(options)))
        # whole_number, not isdigit: '4²' or '①' is refused here, never handed to int()
        numbers = [whole_number(t) for t in _SPLIT.split(text) if t]
        if not numbers or not all(n is not None and 1 <= n <= len(options) for n in numbers):
            return bad
        picked = list(dict.fromkeys(options[n - 1][0] for n in numbers if n is not None))
        if q.type != "checkbox":
            return picked[0] if len(picked) == 1 else bad
        if None in picked:
            if len(picked) == 1:
                return []
            return _Retry(self.phrases("plain.bad.both", none=q.none_label, number=len(options)))
        return picked

    def review(self, asked: Asked) -> str | None:
        say = self.phrases
        self.write("")
        self._lines(say("review.header"))
        for k, (q, value) in enumerate(asked, 1):
            lead = f"{k:>3}. "
            line = f"{q.short or q.prompt}: {answer_words(q, value)}"
            self.write(lead + wrap(line, self.width, first=len(lead), indent=len(lead)))
        self._lines(say("plain.review.prompt"))
        while True:
            text = self._ask(say("plain.prompt")).strip()
            if not text:
                return None
            number = whole_number(text)
            pick = review_pick(asked, BACK if text.lower() in ("b", "back") else number)
            if pick is not None:
                return pick
            self._lines(say("review.bad", count=len(asked)))


def console_width() -> int:
    import shutil

    return shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else 80
