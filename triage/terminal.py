"""The terminal: drawing the questions and reading the keys, the only module that imports
questionary and prompt_toolkit.

`Terminal` is an asker for `triage.interview.Interview` (which decides the order, going back and
the review's meaning): it asks in a real terminal through questionary prompts, as `triage.plain`
asks in numbered plain lines. Tests drive it through prompt_toolkit's pipe input and, for what
the screen shows, a pseudo-terminal. Every word shown comes from rules/ui.yaml (`Phrases`) or
the questions.

No answer is ever given by Enter alone (docs/policy.md, "Questions and early stop"):
a yes/no needs y or n, a single choice starts with nothing highlighted (its choices are
numbered), a tick list needs a tick ("None of these" is a tick), a number needs digits. Enter
without an answer says, under the prompt, exactly what to do.

What questionary 2.1.1 does not do on its own, and is done here (each measured in a terminal):
- long choices and prompts are cut at the right edge (its choice list does not wrap, and the
  prompt line wraps mid-word): every text is word-wrapped to the terminal's width first, with a
  hanging indent;
- when the terminal reports the cursor position (real terminals do), prompt_toolkit gives a
  prompt every row below the cursor and its windows stretch to fill them, so a message drawn
  under the list lands on the bottom row, rows below the prompt: no window here may stretch;
- a tick list's validation message often never appears (it is drawn in a second prompt layout's
  bottom toolbar): Enter is handled here and the message is drawn in a line of our own under the
  list; a choice's help is drawn there too, in our words (questionary labels it "Description:");
- several ticks echo as "done (2 selections)": the prompt is erased when answered and the
  answer is echoed in the question's own words;
- Ctrl-B is tmux's prefix key: Esc then B (either case) goes back too, and the instruction line
  says so.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import questionary
from prompt_toolkit import print_formatted_text
from prompt_toolkit.application.current import get_app_session
from prompt_toolkit.filters import Condition, to_filter
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.keys import Keys
from prompt_toolkit.layout import ConditionalContainer, FormattedTextControl, HSplit, Window
from questionary.prompts.common import InquirerControl

from triage.answer import answer_words
from triage.errors import Aborted, UsageError
from triage.interview import BACK, Asked, number_check, review_pick, whole_number
from triage.model import NOT_SURE, Phrases, Question
from triage.wrapping import wrap

_NONE = "__none_of_these__"  # the value of a tick list's "None of these" while it is asked

_STYLE = questionary.Style(
    [
        ("qmark", "bold"),
        ("question", "bold"),
        ("instruction", "italic"),
        ("tip", "italic"),
        ("validation-toolbar", "bold fg:ansired"),
    ]
)


def _size() -> tuple[int, int]:
    """The terminal's width (at least 40) and height (at least 10); 80x40 under DummyOutput."""
    try:
        size = get_app_session().output.get_size()
        columns, rows = size.columns, size.rows
    except Exception:
        columns, rows = 80, 24
    return max(40, columns), max(10, rows)


def _width() -> int:
    return _size()[0]


def _instruction(
    q: Question,
    phrases: Phrases,
    default: Any,
    position: tuple[int, int] | None,
    can_go_back: bool,
) -> str:
    parts = [
        phrases("progress", n=position[0], most=position[1]) if position else "",
        phrases(f"how.{q.type}"),
        phrases("back_keys") if can_go_back else "",
    ]
    if default is not None and q.type in ("confirm", "number"):  # the answer is not on screen
        parts.append(phrases("before", answer=answer_words(q, default)))
    return " ".join(p for p in parts if p)


class _Line:
    """A line of our own under a prompt: a message, or the help of the highlighted choice."""

    def __init__(self, style: str, text: Callable[[], str] = lambda: "") -> None:
        self.style = style
        self.text = text

    def window(self, width: int) -> ConditionalContainer:
        control = FormattedTextControl(
            lambda: [(self.style, "  " + wrap(self.text(), width, first=2, indent=2))]
        )
        return ConditionalContainer(
            Window(control, wrap_lines=True, dont_extend_height=True),
            filter=Condition(lambda: bool(self.text())),
        )


def _choices_control(prompt: questionary.Question) -> InquirerControl | None:
    return next(
        (
            w.content
            for w in prompt.application.layout.find_all_windows()
            if isinstance(w.content, InquirerControl)
        ),
        None,
    )


def build_prompt(
    q: Question,
    phrases: Phrases,
    default: Any = None,
    position: tuple[int, int] | None = None,
    can_go_back: bool = True,
) -> questionary.Question:
    """The questionary prompt for one question (no I/O until it is asked)."""
    width = _width()
    message = wrap(q.prompt, width, first=2, indent=2)
    info = "\n  " + wrap(
        _instruction(q, phrases, default, position, can_go_back), width, first=2, indent=2
    )
    helps: dict[Any, str] = {c.value: c.help for c in q.choices if c.help}
    if q.type == "number":
        # Cleared when asked again: the earlier answer is in the instruction, and typing must not
        # run on after it (4 then 77 read as 477).
        prompt = questionary.text(message, style=_STYLE, instruction=info + "\n ")
        return _finish(prompt, q, phrases, width, number_check(q, phrases), can_go_back)
    if q.type == "confirm":
        prompt = questionary.confirm(
            message, default=False, auto_enter=True, style=_STYLE, instruction=info + " "
        )
        return _finish(prompt, q, phrases, width, lambda _: phrases("enter.confirm"), can_go_back)
    if q.type == "select":
        choices = [
            questionary.Choice(wrap(c.label, width, first=6, indent=6), value=c.value)
            for c in q.choices
        ]
        start = next((c for c in choices if c.value == default), None)
        prompt = questionary.select(
            message,
            choices=choices,
            default=start,
            style=_STYLE,
            instruction=info,
            use_shortcuts=True,  # numbered: a number key moves to its choice
            show_description=False,
        )

        def chosen(value: Any) -> bool | str:
            return True if value is not _UNCHOSEN else phrases("enter.select")

        return _finish(
            prompt, q, phrases, width, chosen, can_go_back, helps, unchosen=start is None
        )
    ticked = set(default or ())
    choices = [
        questionary.Choice(
            wrap(c.label, width, first=5, indent=5), value=c.value, checked=c.value in ticked
        )
        for c in q.choices
    ]
    if q.not_sure:
        choices.append(
            questionary.Choice(
                wrap(q.not_sure, width, first=5, indent=5),
                value=NOT_SURE,
                checked=NOT_SURE in ticked,
            )
        )
    if q.none_label:
        choices.append(questionary.Choice(q.none_label, value=_NONE, checked=default == []))
    prompt = questionary.checkbox(
        message, choices=choices, style=_STYLE, instruction=info, show_description=False
    )
    return _finish(prompt, q, phrases, width, _checkbox_check(q, phrases), can_go_back, helps)


_UNCHOSEN = object()  # a single choice with nothing highlighted yet


def _finish(
    prompt: questionary.Question,
    q: Question,
    phrases: Phrases,
    width: int,
    check: Callable[[Any], bool | str],
    can_go_back: bool,
    helps: Mapping[Any, str] | None = None,
    unchosen: bool = False,
) -> questionary.Question:
    """Add the back keys, our own Enter (so no Enter alone answers, and its message shows whole,
    in our line right under the prompt), the help line, and erase-when-answered."""
    keys = KeyBindings()
    refused = {"back": False, "enter": False}
    app = prompt.application
    boxes = _choices_control(prompt)

    def back(event: Any) -> None:
        if can_go_back:
            event.app.exit(result=BACK)
        else:
            refused["back"] = True

    for sequence in (("c-b",), ("escape", "b"), ("escape", "B")):
        keys.add(*sequence, eager=True)(back)
    keys.add(Keys.Vt100MouseEvent, eager=True)(_no_mouse)  # a pasted escape is no mouse report

    @keys.add("<sigint>")
    def _interrupt(event: Any) -> None:
        # Ctrl-C pressed while the terminal was not yet in raw mode (between two prompts) arrives
        # as a signal; questionary's lists and yes/no prompts ignore it (measured: the test hung).
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    def current() -> Any:
        if q.type == "confirm":
            return None  # y and n answer at once; Enter alone never does
        if boxes is None:
            return app.current_buffer.text
        if q.type == "select":
            return _UNCHOSEN if boxes.pointed_at < 0 else boxes.get_pointed_at().value
        return [c.value for c in boxes.get_selected_values()]

    if boxes is not None and unchosen:
        boxes.pointed_at = -1  # nothing highlighted: the first arrow or number chooses

        @keys.add("up", eager=True)
        def _up(event: Any) -> None:
            if boxes.pointed_at < 0:
                boxes.pointed_at = boxes.choice_count - 1
            else:
                boxes.select_previous()

        @keys.add("down", eager=True)
        def _down(event: Any) -> None:
            if boxes.pointed_at < 0:
                boxes.pointed_at = 0
            else:
                boxes.select_next()

    @keys.add("enter", eager=True)
    def _enter(event: Any) -> None:
        refused["enter"] = True
        value = current()
        if check(value) is True:
            if boxes is not None:
                boxes.is_answered = True
            event.app.exit(result=value)

    def message() -> str:
        verdict = check(current()) if refused["enter"] else True
        if verdict is not True:
            return str(verdict)
        return phrases("first_question") if refused["back"] else ""

    def tip() -> str:
        if boxes is None or not helps or boxes.pointed_at < 0:
            return ""
        text = helps.get(boxes.get_pointed_at().value, "")
        return phrases("choice_help", help=text) if text else ""

    app.key_bindings = merge_key_bindings([app.key_bindings, keys]) if app.key_bindings else keys
    app.layout.container = HSplit(
        [
            app.layout.container,
            _Line("class:tip", tip).window(width),
            _Line("class:validation-toolbar", message).window(width),
        ]
    )
    for window in app.layout.find_all_windows():
        window.dont_extend_height = to_filter(True)  # nothing stretches to the bottom row
    app.erase_when_done = True  # the answer is echoed in the question's words instead
    return prompt


def _no_mouse(event: Any) -> None:
    """No prompt here uses the mouse, and prompt_toolkit's own handler crashes on a pasted
    "\x1b[0m" (it reads it as a malformed mouse report): every mouse report is ignored."""


def _checkbox_check(q: Question, phrases: Phrases) -> Callable[[list[Any]], bool | str]:
    def check(picked: list[Any]) -> bool | str:
        if not picked:
            if q.none_label:
                return phrases("enter.checkbox_none", none=q.none_label)
            return phrases("enter.checkbox")
        if _NONE in picked and len(picked) > 1:
            return phrases("enter.both", none=q.none_label)
        return True

    return check


def _say(fragments: list[tuple[str, str]]) -> None:
    print_formatted_text(FormattedText(fragments), style=_STYLE)


def _with_answer(lead: str, prompt: str, words: str, width: int) -> list[tuple[str, str]]:
    """`lead` + prompt + answer, word-wrapped with a hanging indent; the answer on the prompt's
    last line when it fits there, else on lines of its own."""
    indent = len(lead)
    text = wrap(prompt, width, first=indent, indent=indent)
    last = len(text.rsplit("\n", 1)[-1]) + (indent if "\n" not in text else 0)
    if last + 1 + len(words) < width:
        answer = " " + words
    else:
        answer = "\n" + " " * (indent + 2) + wrap(words, width, first=indent + 2, indent=indent + 2)
    return [("class:qmark", lead), ("class:question", text), ("class:answer fg:ansicyan", answer)]


def _height(fragments: list[tuple[str, str]]) -> int:
    return "".join(text for _, text in fragments).count("\n") + 1


def review_pages(heights: Sequence[int], room: int) -> list[tuple[int, int]]:
    """Split the review list into pages of at most `room` lines: (first, last) indexes, the last
    one included. A page always holds at least one answer."""
    pages: list[tuple[int, int]] = []
    start, used = 0, 0
    for k, h in enumerate(heights):
        if k > start and used + h > room:
            pages.append((start, k - 1))
            start, used = k, 0
        used += h
    if heights:
        pages.append((start, len(heights) - 1))
    return pages


class Terminal:
    """Asks each question in this terminal and keeps what is on screen true: answers
    already given are echoed in the questions' words, and going back redraws them without the
    undone ones. The questionnaire runs on the terminal's second screen (`screen()`), as a
    full-screen program does, so nothing of it, undone answers included, is left above the
    sheet."""

    def __init__(self, phrases: Phrases) -> None:
        self.phrases = phrases
        self.shown: list[tuple[str, list[tuple[str, str]]]] = []  # (question id, echo) on screen
        self.intro: list[tuple[str, str]] = []
        self.position: tuple[int, int] | None = None
        self.can_go_back = True

    @contextlib.contextmanager
    def screen(self) -> Iterator[None]:
        """The questionnaire on the alternate screen; the person's screen comes back after."""
        output = get_app_session().output
        output.enter_alternate_screen()
        output.erase_screen()
        output.cursor_goto(0, 0)
        output.flush()
        try:
            yield
        finally:
            output.quit_alternate_screen()
            output.flush()

    def start(self, least: int, most: int) -> None:
        width = _width()
        lines = [
            self.phrases("intro.count", least=least, most=most),
            self.phrases("intro.keys"),
        ]
        self.intro = [("", "\n".join(wrap(line, width) for line in lines) + "\n")]
        _say(self.intro)

    def progress(self, n: int, most: int, can_go_back: bool) -> None:
        self.position = (n, most)
        self.can_go_back = can_go_back

    def _redraw(self) -> None:
        output = get_app_session().output
        output.erase_screen()
        output.cursor_goto(0, 0)
        output.flush()
        if self.intro:
            _say(self.intro)
        for _, echo in self.shown:
            _say(echo)

    def __call__(self, q: Question, default: Any = None) -> Any:
        at = next((k for k, (qid, _) in enumerate(self.shown) if qid == q.id), None)
        if at is not None:  # asked again (back, or a change from the review): redraw without it
            del self.shown[at:]
            self._redraw()
        value = ask_terminal(q, self.phrases, default, self.position, self.can_go_back)
        if value is not BACK:
            echo = _with_answer("? ", q.prompt, answer_words(q, value), _width())
            _say(echo)
            self.shown.append((q.id, echo))
        return value

    def review(self, asked: Asked) -> str | None:
        """Every answer, numbered, a screen at a time; the number of one to change it, Enter
        alone for the next screen and, after the last, the result; Ctrl-B changes the last."""
        say = self.phrases
        width, rows = _size()
        entries = [
            _with_answer(f"{k:>3}. ", f"{q.short or q.prompt}:", answer_words(q, v), width)
            for k, (q, v) in enumerate(asked, 1)
        ]
        prompts = [say("review.prompt_page", first=1, last=1), say("review.keys")]
        room = rows - 3 - sum(wrap(p, width, 2, 2).count("\n") + 1 for p in prompts)
        pages = review_pages([_height(e) for e in entries], room)
        self.shown.clear()
        for n, (first, last) in enumerate(pages):
            output = get_app_session().output
            output.erase_screen()
            output.cursor_goto(0, 0)
            output.flush()
            if len(pages) == 1:
                header = say("review.header")
            else:
                header = say("review.header_page", first=first + 1, last=last + 1, count=len(asked))
            _say([("bold", wrap(header, width))])
            for entry in entries[first : last + 1]:
                _say(entry)
            if n + 1 < len(pages):
                following = pages[n + 1]
                line = say("review.prompt_page", first=following[0] + 1, last=following[1] + 1)
            else:
                line = say("review.prompt")
            text = self._review_prompt(line, len(asked))
            if text is BACK:
                return review_pick(asked, BACK)
            number = whole_number(text) if text else None
            if number is not None:  # one the prompt let through: it names an answer
                return review_pick(asked, number)
        return None

    def _review_prompt(self, line: str, count: int) -> Any:
        width = _width()

        def check(text: str) -> bool | str:
            number = whole_number(text)
            if not text.strip() or (number is not None and 1 <= number <= count):
                return True
            return self.phrases("review.bad", count=count)

        message = wrap(line, width, first=2, indent=2)
        info = "\n  " + wrap(self.phrases("review.keys"), width, first=2, indent=2) + "\n "
        prompt = questionary.text(message, style=_STYLE, instruction=info)
        review = Question("review", "review", "number", line)
        prompt = _finish(prompt, review, self.phrases, width, check, can_go_back=True)
        try:
            value = prompt.unsafe_ask()
        except KeyboardInterrupt:
            raise Aborted() from None
        except EOFError:
            raise UsageError(self.phrases("cli.input_closed")) from None
        return value if value is BACK else str(value).strip()


def ask_terminal(
    q: Question,
    phrases: Phrases,
    default: Any = None,
    position: tuple[int, int] | None = None,
    can_go_back: bool = True,
) -> Any:
    """Ask one question in the terminal. Ctrl-C raises Aborted; closed input raises UsageError."""
    if q.help:
        _say([("class:tip", "  " + wrap(q.help, _width(), first=2, indent=2))])
    try:
        value = build_prompt(q, phrases, default, position, can_go_back).unsafe_ask()
    except KeyboardInterrupt:
        raise Aborted() from None
    except EOFError:
        raise UsageError(phrases("cli.input_closed")) from None
    if value is BACK:
        return BACK
    if q.type == "number":
        return whole_number(str(value))
    if q.type == "checkbox":
        return [v for v in value if v != _NONE]
    return value
