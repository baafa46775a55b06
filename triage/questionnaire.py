"""The questionnaire: the only module that imports questionary.

`Interview` walks the questions in order, honours each question's `when`, lets the person go
back, stops at once when `stop(answers)` says the answers are already an emergency, and (when
its ask function offers one) ends with a review where any answer can be changed. `Terminal`
asks in a real terminal through questionary prompts; tests drive it through prompt_toolkit's
pipe input and, for what the screen shows, a pseudo-terminal.

What questionary 2.1.1 does not do on its own, and is done here (each measured in a terminal):
- long choices and prompts are cut at the right edge (its choice list does not wrap, and the
  prompt line wraps mid-word): every text is word-wrapped to the terminal's width first, with a
  hanging indent;
- a checkbox's validation message often never appears (it is drawn in a second prompt layout's
  bottom toolbar, shown only when prompt_toolkit knows the rows below the cursor): Enter is
  handled here and the message is drawn in a line of our own under the list;
- several ticks echo as "done (2 selections)": the prompt is erased when answered and the
  answer is echoed in the question's own words;
- Ctrl-B is tmux's prefix key: Esc then B goes back too, and the instruction line says so.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import questionary
from prompt_toolkit import print_formatted_text
from prompt_toolkit.application.current import get_app_session
from prompt_toolkit.filters import Condition
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.layout import ConditionalContainer, FormattedTextControl, HSplit, Window
from questionary.prompts.common import InquirerControl

from triage.conditions import holds
from triage.errors import Aborted, UsageError
from triage.model import Question

BACK = object()  # what an ask function returns when the person wants the previous question
_NONE = "__none_of_these__"
BACK_KEYS = "Ctrl-B or Esc\u00a0B goes back"  # no break between Esc and B
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
    """The question loop. `ask(q, default)` returns a value or BACK. If `ask` also has
    `progress(n, about, can_go_back)` it is told the position before each question, and if it has
    `review(asked)` (asked: (question, value) pairs) it is shown every answer at the end and
    returns the id of a question to change, or None when the answers are right."""

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
        self.context = context or (lambda given: compose(self.questions, given))
        self.given: dict[str, Any] = {}
        self.stopped_early = False
        self.review: Callable[[list[tuple[Question, Any]]], str | None] | None = getattr(
            ask, "review", None
        )
        self.progress: Callable[[int, int, bool], None] | None = getattr(ask, "progress", None)

    def _about(self, given: Mapping[str, Any], asked: int, i: int) -> int:
        """Questions asked so far plus those still to come that apply to the answers so far."""
        answers = self.context(given)
        return asked + sum(
            1 for q in self.questions[i:] if q.when is None or holds(q.when, answers)
        )

    def run(self) -> dict[str, Any]:
        qs = self.questions
        given: dict[str, Any] = self.given
        previous: dict[str, Any] = {}  # answers given before going back, offered as defaults
        history: list[int] = []
        i = 0
        revising = False  # after the review: keep answers that still apply, ask only what is new
        while True:
            while i < len(qs):
                q = qs[i]
                answers = self.context(given)
                if q.when is not None and not holds(q.when, answers):
                    given.pop(q.id, None)
                    i += 1
                    continue
                if revising and q.id in given:
                    history.append(i)
                    i += 1
                    continue
                if self.progress:
                    self.progress(
                        len(history) + 1, self._about(given, len(history), i), bool(history)
                    )
                value = self.ask(q, previous.get(q.id))
                if value is BACK:
                    if history:
                        i = history.pop()
                        previous[qs[i].id] = given.pop(qs[i].id, None)
                    continue
                given[q.id] = value
                previous[q.id] = value
                history.append(i)
                if self.stop(self.context(given)):
                    self.stopped_early = True  # an emergency: no more questions, no review
                    return compose(qs, given)
                i += 1
            if self.review is None:
                break
            pick = self.review([(q, given[q.id]) for q in qs if q.id in given])
            if pick is None:
                break
            i = next(j for j, q in enumerate(qs) if q.id == pick)
            history = [j for j in range(i) if qs[j].id in given]
            previous[pick] = given.pop(pick)
            revising = True
        return compose(qs, given)


# -- the real terminal ---------------------------------------------------------------------------

_STYLE = questionary.Style(
    [
        ("qmark", "bold"),
        ("question", "bold"),
        ("instruction", "italic"),
        ("validation-toolbar", "bold fg:ansired"),
    ]
)
_CLOSED = "the input closed before the questionnaire ended; use --answers FILE instead"


def _width() -> int:
    """The terminal's width (80 under tests' DummyOutput), at least 40."""
    try:
        columns = get_app_session().output.get_size().columns
    except Exception:
        columns = 80
    return max(40, columns)


def _wrap(text: str, width: int, first: int = 0, indent: int = 0) -> str:
    """Word-wrap `text` to `width`.

    The first line starts at column `first`, the others at `indent`.
    """
    lines = textwrap.wrap(
        text,
        width - 1,
        initial_indent=" " * first,
        subsequent_indent=" " * indent,
        break_on_hyphens=False,
    ) or [""]
    return "\n".join(lines)[first:]


def answer_words(q: Question, value: Any) -> str:
    """An answer in the question's own words."""
    labels = {c.value: c.label for c in q.choices}
    if q.type == "checkbox":
        return (
            "; ".join(labels.get(v, str(v)) for v in value) if value else (q.none_label or "None")
        )
    if q.type == "confirm":
        return "Yes" if value else "No"
    if q.type == "select":
        return labels.get(value, str(value))
    return str(value)


def _instruction(
    q: Question, default: Any, position: tuple[int, int] | None, can_go_back: bool
) -> str:
    how = {
        "checkbox": "Space ticks or unticks, Enter goes on.",
        "select": "Arrows choose, Enter goes on.",
        "number": "Type a number, Enter goes on.",
        "confirm": "Press y or n."
        if default is None
        else f"Press y or n (Enter: {'yes' if default else 'no'}).",
    }
    parts = [
        f"Question {position[0]} of about {position[1]}." if position else "",
        how[q.type],
        f"{BACK_KEYS}." if can_go_back else "",
    ]
    return " ".join(p for p in parts if p)


class _Line:
    """A message line of our own under a prompt.

    questionary's checkbox message often never shows.
    """

    def __init__(self) -> None:
        self.text: Callable[[], str] = lambda: ""

    def window(self, width: int) -> ConditionalContainer:
        control = FormattedTextControl(
            lambda: [
                ("class:validation-toolbar", "  " + _wrap(self.text(), width, first=2, indent=2))
            ]
        )
        return ConditionalContainer(
            Window(control, wrap_lines=True, dont_extend_height=True),
            filter=Condition(lambda: bool(self.text())),
        )


def build_prompt(
    q: Question,
    default: Any = None,
    position: tuple[int, int] | None = None,
    can_go_back: bool = True,
) -> questionary.Question:
    """The questionary prompt for one question (no I/O until it is asked)."""
    width = _width()
    message = _wrap(q.prompt, width, first=2, indent=2)
    info = "\n  " + _wrap(_instruction(q, default, position, can_go_back), width, first=2, indent=2)
    line = _Line()
    check: Callable[[Any], bool | str] | None = None
    if q.type == "number":
        prompt = questionary.text(
            message,
            default="" if default is None else str(default),
            style=_STYLE,
            instruction=info + "\n ",
        )
        check = _number_check(q)
    elif q.type == "confirm":
        prompt = questionary.confirm(
            message, default=bool(default), style=_STYLE, instruction=info + " "
        )
    elif q.type == "select":
        choices = [
            questionary.Choice(
                _wrap(c.label, width, first=3, indent=3),
                value=c.value,
                description=_wrap(c.help, width, first=15, indent=2) if c.help else None,
            )
            for c in q.choices
        ]
        start = next((c for c in choices if c.value == default), None)
        prompt = questionary.select(
            message, choices=choices, default=start, style=_STYLE, instruction=info
        )
    else:
        chosen = set(default or ())
        choices = [
            questionary.Choice(
                _wrap(c.label, width, first=5, indent=5),
                value=c.value,
                checked=c.value in chosen,
                description=_wrap(c.help, width, first=15, indent=2) if c.help else None,
            )
            for c in q.choices
        ]
        if q.none_label:
            choices.append(questionary.Choice(q.none_label, value=_NONE, checked=default == []))
        check = _checkbox_check(q)
        prompt = questionary.checkbox(message, choices=choices, style=_STYLE, instruction=info)
    return _finish(prompt, line, width, check, can_go_back)


def _finish(
    prompt: questionary.Question,
    line: _Line,
    width: int,
    check: Callable[[Any], bool | str] | None,
    can_go_back: bool,
) -> questionary.Question:
    """Add the back keys, our own Enter for tick lists and numbers (so their messages show, whole,
    in our message line), the message line, and erase-when-answered."""
    keys = KeyBindings()
    refused = {"back": False, "enter": False}
    first = "This is the first question: there is no answer before it."

    def back(event: Any) -> None:
        if can_go_back:
            event.app.exit(result=BACK)
        else:
            refused["back"] = True

    keys.add("c-b", eager=True)(back)
    keys.add("escape", "b", eager=True)(back)

    @keys.add("<sigint>")
    def _interrupt(event: Any) -> None:
        # Ctrl-C pressed while the terminal was not yet in raw mode (between two prompts) arrives
        # as a signal; questionary's lists and yes/no prompts ignore it (measured: the test hung).
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    app = prompt.application
    current: Callable[[], Any] = lambda: None  # noqa: E731
    if check is not None:
        boxes = next(
            (
                w.content
                for w in app.layout.find_all_windows()
                if isinstance(w.content, InquirerControl)
            ),
            None,
        )
        if boxes is not None:

            def current() -> Any:
                return [c.value for c in boxes.get_selected_values()]
        else:

            def current() -> Any:
                return app.current_buffer.text

        @keys.add("enter", eager=True)
        def _enter(event: Any) -> None:
            refused["enter"] = True
            value = current()
            if check(value) is True:
                if boxes is not None:
                    boxes.is_answered = True
                event.app.exit(result=value)

    def message() -> str:
        verdict = check(current()) if check is not None and refused["enter"] else True
        if verdict is not True:
            return str(verdict)
        return first if refused["back"] else ""

    line.text = message
    app.key_bindings = merge_key_bindings([app.key_bindings, keys]) if app.key_bindings else keys
    app.layout.container = HSplit([app.layout.container, line.window(width)])
    app.erase_when_done = True  # the answer is echoed in the question's words instead
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
            return (
                f"Tick at least one (or '{q.none_label}')."
                if q.none_label
                else "Tick at least one."
            )
        if _NONE in picked and len(picked) > 1:
            return f"Untick '{q.none_label}', or untick the others."
        return True

    return check


def _say(fragments: list[tuple[str, str]]) -> None:
    print_formatted_text(FormattedText(fragments), style=_STYLE)


def _with_answer(lead: str, prompt: str, words: str, width: int) -> list[tuple[str, str]]:
    """`lead` + prompt + answer, word-wrapped with a hanging indent; the answer on the prompt's
    last line when it fits there, else on lines of its own."""
    indent = len(lead)
    text = _wrap(prompt, width, first=indent, indent=indent)
    last = len(text.rsplit("\n", 1)[-1]) + (indent if "\n" not in text else 0)
    if last + 1 + len(words) < width:
        answer = " " + words
    else:
        answer = (
            "\n" + " " * (indent + 2) + _wrap(words, width, first=indent + 2, indent=indent + 2)
        )
    return [("class:qmark", lead), ("class:question", text), ("class:answer fg:ansicyan", answer)]


def _echo(q: Question, value: Any) -> list[tuple[str, str]]:
    """'? prompt answer': what stays on screen once a question is answered."""
    return _with_answer("? ", q.prompt, answer_words(q, value), _width())


class Terminal:
    """Asks each question in this terminal and keeps what is on screen true: answers
    already given are echoed in the questions' words, and going back redraws them without the
    undone ones."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, list[tuple[str, str]]]] = []  # (question id, echo) on screen
        self.position: tuple[int, int] | None = None
        self.can_go_back = True

    def progress(self, n: int, about: int, can_go_back: bool) -> None:
        self.position = (n, about)
        self.can_go_back = can_go_back

    def __call__(self, q: Question, default: Any = None) -> Any:
        at = next((k for k, (qid, _) in enumerate(self.shown) if qid == q.id), None)
        if at is not None:  # asked again (back, or a change from the review): redraw without it
            del self.shown[at:]
            output = get_app_session().output
            output.erase_screen()
            output.cursor_goto(0, 0)
            output.flush()
            for _, echo in self.shown:
                _say(echo)
        value = ask_terminal(q, default, self.position, self.can_go_back)
        if value is not BACK:
            echo = _echo(q, value)
            _say(echo)
            self.shown.append((q.id, echo))
        return value

    def review(self, asked: list[tuple[Question, Any]]) -> str | None:
        """Every answer, numbered; the number of one to change it, or Enter for the result."""
        width = _width()
        _say([("bold", "\nYour answers. Check them before the result:")])
        for k, (q, value) in enumerate(asked, 1):
            _say(_with_answer(f"{k:>3}. ", q.prompt, answer_words(q, value), width))

        def check(text: str) -> bool | str:
            text = text.strip()
            if not text or (text.isdigit() and 1 <= int(text) <= len(asked)):
                return True
            return f"Type a number from 1 to {len(asked)}, or nothing, then press Enter."

        message = _wrap(
            "To change an answer, type its number and press Enter. Press Enter alone to see "
            "your result.",
            width,
            first=2,
            indent=2,
        )
        try:
            text = questionary.text(
                message, validate=check, style=_STYLE, instruction="\n "
            ).unsafe_ask()
        except KeyboardInterrupt:
            raise Aborted() from None
        except EOFError:
            raise UsageError(_CLOSED) from None
        text = text.strip()
        self.shown.clear()
        return asked[int(text) - 1][0].id if text else None


def ask_terminal(
    q: Question,
    default: Any = None,
    position: tuple[int, int] | None = None,
    can_go_back: bool = True,
) -> Any:
    """Ask one question in the terminal. Ctrl-C raises Aborted; closed input raises UsageError."""
    if q.help:
        _say([("italic", "  " + _wrap(q.help, _width(), first=2, indent=2))])
    try:
        value = build_prompt(q, default, position, can_go_back).unsafe_ask()
    except KeyboardInterrupt:
        raise Aborted() from None
    except EOFError:
        raise UsageError(_CLOSED) from None
    if value is BACK:
        return BACK
    if q.type == "number":
        return int(str(value).strip())
    if q.type == "checkbox":
        return [v for v in value if v != _NONE]
    return value
