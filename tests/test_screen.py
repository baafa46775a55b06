"""What a person sees: the installed `triage` in a pseudo-terminal 80 columns wide, its output
drawn by a terminal emulator (pyte), so cut-off options and missing messages show up as they do
in a real terminal. Every wait has a deadline: a hang fails with the screen in the message."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from triage.model import Question
from triage.pipeline import Triage

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")
TRIAGE = Path(sys.executable).parent / "triage"
UP, DOWN, ENTER, SPACE, CTRL_B, ESC_B = "\x1b[A", "\x1b[B", "\r", " ", "\x02", "\x1bb"

pytestmark = pytest.mark.e2e


def flat(lines: list[str]) -> str:
    """Lines joined as one line of words: a label wrapped over two lines reads whole again; one
    cut at the edge, or split inside a word, does not."""
    return " ".join(" ".join(line.split()) for line in lines if line.strip())


class Terminal:
    def __init__(self, *args: str, columns: int = 80, rows: int = 24) -> None:
        assert TRIAGE.exists(), f"console script not installed at {TRIAGE}"
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(
            str(TRIAGE),
            list(args),
            dimensions=(rows, columns),
            timeout=30,
            env={**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm"},
        )

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    def current(self) -> str:
        """The prompt being asked: from the last line that starts with '? ' to the bottom."""
        lines = self.lines()
        start = max((k for k, line in enumerate(lines) if line.startswith("? ")), default=0)
        return flat(lines[start:])

    def wait(self, ready: Callable[[], bool], what: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {what}; the screen:\n" + "\n".join(self.lines()))
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.2))
            except pexpect.TIMEOUT:
                pass
            except pexpect.EOF:
                if not ready():
                    raise AssertionError(
                        f"exited before {what}; the screen:\n" + "\n".join(self.lines())
                    ) from None

    def see(self, text: str) -> None:
        self.wait(lambda: text in flat(self.lines()), repr(text))

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        return int(self.child.exitstatus)


def shown_question(term: Terminal, questions: tuple[Question, ...]) -> Question:
    """The question on screen, once every option of it is drawn whole."""

    def which() -> Question | None:
        block = term.current()
        on_screen = [q for q in questions if block.startswith(f"? {q.prompt}")]
        return max(on_screen, key=lambda q: len(q.prompt), default=None)

    def whole() -> bool:
        q = which()
        if q is None or "Question " not in term.current():
            return False
        block = term.current()
        return all(c.label in block for c in q.choices) and (
            not q.none_label or q.none_label in block
        )

    term.wait(whole, "a question with every option whole")
    found = which()
    assert found is not None
    return found


def test_every_option_of_every_question_shows_whole_at_80_columns(tmp_path: Path) -> None:
    """A 30-year-old woman, not pregnant but 3 weeks after a birth, hot and hurt, on a statin and
    dialysis, answers every question; at the
    review she changes 'pregnant' to yes, so the pregnancy questions are asked. At 80 columns, each question's
    text, instruction and every option must be on screen whole (wrapped, never cut)."""
    questions = Triage().questions
    saved = tmp_path / "saved.yaml"
    term = Terminal("--save-answers", str(saved), "--out", str(tmp_path / "sheet.txt"))
    seen: list[str] = []
    typed = {"age": "30", "pregnancy_weeks": "28", "weeks_since_birth": "3"}
    TICK = {
        "urgent_signs": "heat_exertion",  # opens the long-event drinking question (rev 3)
        "injury_signs": "recent_injury",  # opens "can you put weight on it" (rev 3)
        "medicines_heart": "statin",
        "conditions_organs": "dialysis",
    }
    # a choice with "Not sure" (rev 3); asked again, the old answer ("No") is highlighted
    pregnant_keys = [(DOWN + ENTER, "No"), (UP + ENTER, "Yes")]
    confirm_keys = {"postpartum": "y"}  # opens the weeks since the birth (rev 3)
    while len(seen) < 40:
        term.wait(
            lambda: "Question " in term.current() or "To change an answer" in term.current(),
            "a question or the review",
        )
        if "To change an answer" in term.current():
            if "pregnancy_weeks" in seen:
                term.send(ENTER)
                break
            number = str(
                seen.index("pregnant") + 1
            )  # the review numbers the answers in the order asked
            term.send(number + ENTER)
            term.wait(
                lambda: (
                    term.current().startswith("? Are you pregnant?")
                    and "Question " in term.current()
                ),
                "'pregnant' asked again",
            )
            continue
        q = shown_question(term, questions)
        seen.append(q.id)
        block = term.current()
        assert f"Question {len(set(seen))}" in block or "of about" in block
        if (
            q.type == "checkbox" and q.id in TICK
        ):  # ticks that open the questions only some people get
            index = next(n for n, c in enumerate(q.choices) if c.value == TICK[q.id])
            keys, words = DOWN * index + SPACE + ENTER, q.choices[index].label
        elif q.type == "checkbox":
            keys, words = (
                (UP if q.none_label else "") + SPACE + ENTER,
                q.none_label or q.choices[0].label,
            )
        elif q.id == "pregnant":
            keys, words = pregnant_keys.pop(0)
        elif q.type == "select":
            keys, words = ENTER, q.choices[0].label
        elif q.type == "number":
            keys, words = typed[q.id] + ENTER, typed[q.id]
        else:
            keys = confirm_keys.get(q.id, "n")
            words = "Yes" if keys == "y" else "No"
        echo = f"? {q.prompt} {words}"
        before = flat(term.lines()).count(echo)
        term.send(keys)
        term.wait(
            lambda echo=echo, before=before: flat(term.lines()).count(echo) > before, repr(echo)
        )
    assert term.finish() == 0
    assert set(seen) == {q.id for q in questions}, "some question was never shown"
    answers = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert (
        answers["pregnant"] is True
        and answers["pregnancy_weeks"] == 28
        and "postpartum" not in answers
    )


def test_tick_list_messages_appear_on_enter() -> None:
    """Enter with nothing ticked, and with 'None of these' plus another, each says why on screen."""
    term = Terminal()
    shown_question(term, Triage().questions)
    term.send(ENTER)
    term.see("Tick at least one (or 'None of these').")
    term.send(SPACE + UP + SPACE + ENTER)  # chest pain and 'None of these'
    term.see("Untick 'None of these', or untick the others.")
    term.send(SPACE + ENTER)  # untick 'None of these': chest pain alone is an emergency
    term.see("Call an ambulance now")
    assert term.finish() == 0


def test_back_on_the_first_question_says_so_and_esc_b_goes_back() -> None:
    term = Terminal()
    term.see("Space ticks or unticks, Enter goes on.")
    assert "goes back" not in term.current()  # nothing to go back to: not offered
    term.send(CTRL_B)
    term.see("This is the first question: there is no answer before it.")
    term.send((UP + SPACE + ENTER) * 3)
    term.see("How old are you? (whole years) Question 4 of about")
    term.send("45" + ENTER)
    term.see("What sex were you given at birth?")
    term.send(ESC_B)  # tmux users cannot use Ctrl-B: Esc then B goes back too
    term.wait(
        lambda: term.current().startswith("? How old are you?") and "45" in term.current(),
        "age asked again",
    )
    assert "What sex" not in flat(term.lines()), "a question that was undone stays on screen"
    # The prompt may be drawn a moment before it reads keys; a typed key echoed proves it reads.
    term.send("\x7f")
    term.wait(lambda: "45" not in term.current() and "4" in term.current(), "backspace echoed")
    term.child.sendintr()
    assert term.finish() == 130


def test_several_ticks_echo_in_the_options_words() -> None:
    term = Terminal()
    term.send(UP + SPACE + ENTER)
    term.see("Do you have any of these? Question 2")
    term.send(SPACE + DOWN + SPACE + ENTER)
    term.see(
        "? Do you have any of these? One leg more swollen than the other; A red or darker, warm, sore patch"
    )
    assert "selections" not in flat(term.lines())
    term.see("In the last few days")
    term.child.sendintr()
    assert term.finish() == 130


def test_number_messages_show_whole_on_enter() -> None:
    """A one-line toolbar would cut the child message at 80 columns; it must show whole."""
    term = Terminal()
    term.send((UP + SPACE + ENTER) * 3)
    term.see("Question 4 of about")
    term.send("abc" + ENTER)
    term.see("Please type a whole number, like 42.")
    term.send("\x7f" * 3 + "8" + ENTER)
    term.see(
        "This tool is for people aged 12 and over. For a child, please speak to a doctor, nurse or pharmacist."
    )
    term.send("\x7f" + "45" + ENTER)
    term.see("? How old are you? (whole years) 45")
    term.see("What sex were you given at birth?")
    term.child.sendintr()
    assert term.finish() == 130


def test_ctrl_c_as_a_signal_stops_a_tick_list() -> None:
    """Ctrl-C pressed while the terminal is not in raw mode (between two prompts) arrives as
    SIGINT, not as a key; questionary's tick lists ignored it and waited forever (seen once in
    CI). Sending the signal itself makes that case certain."""
    import signal

    term = Terminal()
    term.see("Space ticks or unticks, Enter goes on.")
    term.child.kill(signal.SIGINT)
    assert term.finish() == 130
