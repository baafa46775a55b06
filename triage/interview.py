"""The interview: which question comes next, and what going back or a change means. No
terminal here (no questionary, no prompt_toolkit): tests drive it with a function that answers
from a table.

`Interview` walks the questions in order, honours each question's `when`, asks a list's "which
ones are you not sure about?" only after its "I'm not sure", lets the person go back, stops at
once when `stop(answers)` says the answers are already an emergency, and (when its asker offers
one) ends with a review where any answer can be changed. The asker draws the questions and reads
the keys: `triage.terminal` (arrow-key prompts) or `triage.plain` (numbered lines).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from triage.answer import contract_answers
from triage.conditions import ALWAYS, could_hold, holds
from triage.model import NOT_SURE, Phrases, Question

BACK = object()  # what an asker returns when the person wants the previous question
AskFn = Callable[[Question, Any], Any]
Asked = list[tuple[Question, Any]]  # the review's answers: (question, value), in order


def not_sure_open(q: Question, given: Mapping[str, Any]) -> bool:
    """Is this the "which ones are you not sure about?" question of a list whose "I'm not sure"
    was ticked (or a question that is not such a follow-up)?"""
    return not q.not_sure_of or NOT_SURE in (given.get(q.not_sure_of) or ())


def offered(q: Question, answers: Mapping[str, Any]) -> Question:
    """The question as it is put to this person: a `choices_from` list offers only its choices
    the answers' list holds (and its `keep` ones)."""
    if not q.choices_from:
        return q
    held = set(answers.get(q.choices_from) or ())
    return q._replace(choices=tuple(c for c in q.choices if c.value in held or c.value in q.keep))


def candidates(q: Question) -> list[Any]:
    """A `choices_from` question's candidates: its offered choices but the `keep` ones."""
    return [c.value for c in q.choices if c.value not in q.keep]


def still_open(questions: Sequence[Question], given: Mapping[str, Any]) -> dict[str, Any]:
    """What the questions not yet answered may still add: for a list key the values their
    choices offer, for any other key None (any value)."""
    fields: dict[str, Any] = {}
    for q in questions:
        if q.id in given:
            continue
        if q.type != "checkbox":
            fields[q.key] = None
        elif q.key not in fields or fields[q.key] is not None:
            fields[q.key] = frozenset(fields.get(q.key) or ()) | {c.value for c in q.choices}
    return fields


class Interview:
    """The question loop. `ask(q, default)` returns a value or BACK. If `ask` also has
    `start(least, most)` it is told the range of question counts first; `progress(n, most,
    can_go_back)` tells it the position before each question (`most`: at most how many questions
    these answers can lead to, a bound that only falls as answers come in); and `review(asked)`
    (asked: (question, value) pairs) shows every answer at the end and returns the id of a
    question to change (`review_pick`), or None when the answers are right."""

    def __init__(
        self,
        questions: Sequence[Question],
        ask: AskFn,
        stop: Callable[[Mapping[str, Any]], bool] = lambda _: False,
        context: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None,
    ) -> None:
        self.questions = tuple(questions)
        self.ask = ask
        self.stop = stop
        # What `when` and `stop` see, from the answers given so far by question id: those answers,
        # or (a re-check) the saved answers they update. `run` still returns only the answers
        # given here, and leaves them by question id in `given`.
        self.context = context or (lambda given: contract_answers(self.questions, given))
        self.given: dict[str, Any] = {}
        self.stopped_early = False
        self.start: Callable[[int, int], None] | None = getattr(ask, "start", None)
        self.review: Callable[[Asked], str | None] | None = getattr(ask, "review", None)
        self.progress: Callable[[int, int, bool], None] | None = getattr(ask, "progress", None)
        self.previous: dict[str, Any] = {}  # answers given before going back, offered again
        self.history: list[int] = []  # the indexes of the questions answered, in order

    def span(self) -> tuple[int, int]:
        """The fewest questions anyone is asked, and the most these questions can come to."""
        least = sum(
            1 for q in self.questions if (q.when is None or q.when == ALWAYS) and not q.not_sure_of
        )
        return least, self.at_most({}, 0, 0)

    def at_most(self, given: Mapping[str, Any], asked: int, i: int) -> int:
        """Questions asked so far plus those still to come that could apply, whatever the
        answers still to come: an upper bound, so the count shown never has to go up."""
        answers = self.context(given)
        open_fields = still_open(self.questions[i:], given)
        return asked + sum(
            1
            for q in self.questions[i:]
            if q.id not in given
            and (q.when is None or could_hold(q.when, answers, open_fields))
            and (q.not_sure_of not in given or not_sure_open(q, given))
        )

    def run(self) -> dict[str, Any]:
        qs = self.questions
        given = self.given
        i = 0
        self.previous, self.history = {}, []
        revising = False  # after the review: keep answers that still apply, ask only what is new
        if self.start:
            self.start(*self.span())
        while True:
            while i < len(qs):
                q = self.put(i)
                if q is None:
                    i += 1
                    continue
                if revising and q.id in given:
                    self.history.append(i)
                    i += 1
                    continue
                if self.progress:
                    kept = sum(1 for j in range(i, len(qs)) if qs[j].id in given)
                    self.progress(
                        len(self.history) + 1,
                        self.at_most(given, len(self.history), i) + kept,
                        bool(self.history),
                    )
                value = self.ask(q, self.previous.get(q.id))
                if value is BACK:
                    i = self.back(i)
                    continue
                given[q.id] = value
                self.previous[q.id] = value
                self.history.append(i)
                if self.stop(self.context(given)):
                    self.stopped_early = True  # an emergency: no more questions, no review
                    return contract_answers(qs, given)
                i += 1
            if self.review is None:
                break
            pick = self.review(self.reviewed())
            if pick is None:
                break
            i = self.change(pick)
            revising = True
        return contract_answers(qs, given)

    def put(self, i: int) -> Question | None:
        """Question `i` as it is put to this person, or None when it is not asked: its `when`
        fails, its list's "not sure" was not ticked, or (a `choices_from` list) one candidate
        or none is left, when that one is the answer."""
        q, given = self.questions[i], self.given
        answers = self.context(given)
        if (q.when is not None and not holds(q.when, answers)) or not not_sure_open(q, given):
            given.pop(q.id, None)
            return None
        if q.choices_from:
            q = offered(q, answers)
            found = candidates(q)
            if len(found) < 2:  # one candidate is the answer, none leaves it out
                if found:
                    given[q.id] = found
                else:
                    given.pop(q.id, None)
                return None
            if q.id in given and not set(given[q.id]) <= {c.value for c in q.choices}:
                self.previous[q.id] = None  # the list it was chosen from has changed
                given.pop(q.id)
        return q

    def back(self, i: int) -> int:
        """Going back from question `i`: to the question answered before it, whose answer is
        undone and offered again; at the first question, nowhere."""
        if not self.history:
            return i
        i = self.history.pop()
        self.previous[self.questions[i].id] = self.given.pop(self.questions[i].id, None)
        return i

    def reviewed(self) -> Asked:
        """What the review shows: every answer given, in the questions' order."""
        return [(q, self.given[q.id]) for q in self.questions if q.id in self.given]

    def change(self, pick: str) -> int:
        """A change from the review: question `pick` is asked again (its answer offered), and
        going back from it goes through the answers before it."""
        i = next(j for j, q in enumerate(self.questions) if q.id == pick)
        self.history = [j for j in range(i) if self.questions[j].id in self.given]
        self.previous[pick] = self.given.pop(pick)
        return i


def review_pick(asked: Asked, choice: Any) -> str | None:
    """The question a review answer names: answer number `choice` (from 1), or the last answer
    when going back (BACK); None when the number names no answer."""
    if choice is BACK:
        return asked[-1][0].id if asked else None
    if isinstance(choice, int) and 1 <= choice <= len(asked):
        return asked[choice - 1][0].id
    return None


MAX_TYPED_DIGITS = 6  # no answer needs more; int() of thousands of digits is refused or slow


def whole_number(text: str) -> int | None:
    """The number typed, or None. isdecimal() is exactly what int() reads (isdigit() would let
    through '4²' and '①', which int() refuses); the length is bounded before converting."""
    text = text.strip()
    if not text or not text.isdecimal() or len(text) > MAX_TYPED_DIGITS:
        return None
    return int(text)


def number_check(q: Question, phrases: Phrases) -> Callable[[str], bool | str]:
    """What a typed number answer needs: True when it is one, else what to type instead."""

    def check(text: str) -> bool | str:
        value = whole_number(text)
        if value is None:
            return phrases("enter.number")
        if q.minimum is not None and value < q.minimum:
            return q.below_minimum or phrases("enter.range", minimum=q.minimum, maximum=q.maximum)
        if q.maximum is not None and value > q.maximum:
            return phrases("enter.range", minimum=q.minimum, maximum=q.maximum)
        return True

    return check
