"""The mechanics of the prompts, on a small questionnaire of the tests' own (tests/prompt_demo.py):
Enter alone never answers, messages show right under the prompt, going back clears or selects
the old answer, the review pages and takes Ctrl-B, and the plain mode takes typed numbers only.
Real questionary prompts and the real words of rules/ui.yaml; the real questions are tested in
test_questionnaire.py and test_screen.py."""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input

from triage.interview import Interview
from triage.pipeline import Triage
from triage.plain import MIN_WIDTH, Plain
from triage.terminal import Terminal, review_pages

from .conftest import ScreenOf, base_answers
from .keys import CTRL_B, DOWN, ENTER, ESC_B, SPACE, UP, for_answers, typed
from .prompt_demo import MINI

pytestmark = pytest.mark.timeout(20)
WANTED = {
    "version": 1,
    "symptoms": [],
    "pregnant": True,
    "sides": "both",
    "age": 40,
    "locations": ["calf"],
}


def interview(phrases: Any, keys: str, rows: int = 200) -> dict[str, Any]:
    with create_pipe_input() as inp, create_app_session(input=inp, output=ScreenOf(rows)):
        inp.send_text(keys)
        return Interview(MINI, Terminal(phrases)).run()


def test_the_keys_of_the_mini_questionnaire_give_its_answers(phrases: Any) -> None:
    assert interview(phrases, typed(MINI, WANTED) + ENTER) == WANTED


def keys_of() -> dict[str, str]:
    """Each mini question's keys for WANTED, by question id."""
    return {q.id: k for q, k in for_answers(MINI, WANTED)}


def test_enter_alone_answers_no_question(phrases: Any) -> None:
    """Enter before every answer: a tick list, a yes/no, a single choice, a number. Had any
    Enter answered, the keys after it would answer the wrong questions."""
    keys = "".join(ENTER + k for k in keys_of().values())
    assert interview(phrases, keys + ENTER) == WANTED


def test_a_single_choice_starts_with_nothing_chosen(phrases: Any) -> None:
    """The first Down chooses the first choice, the first Up the last; Enter then takes it."""
    k = keys_of()
    for move, side in ((DOWN, MINI[2].choices[0].value), (UP, MINI[2].choices[-1].value)):
        keys = k["signs"] + k["sure"] + move + ENTER + k["age"] + k["where"] + ENTER
        assert interview(phrases, keys)["sides"] == side


def test_going_back_clears_a_number_and_keeps_ticks_and_choices(phrases: Any) -> None:
    """Back to the age: it starts empty (15, back, 20 gives 20, not 1520, which would be
    refused). Back to the side: the earlier choice is highlighted, and Enter keeps it."""
    k = keys_of()
    keys = k["signs"] + k["sure"] + k["side"] + "15" + ENTER + CTRL_B + "20" + ENTER
    keys += CTRL_B + CTRL_B + ENTER + "30" + ENTER + k["where"] + ENTER
    assert interview(phrases, keys) == {**WANTED, "age": 30}


def test_esc_then_b_goes_back_in_either_case(phrases: Any) -> None:
    k = keys_of()
    for back in (ESC_B, ESC_B.upper()):
        keys = k["signs"] + "y" + back + "n" + k["side"] + k["age"] + k["where"] + ENTER
        assert interview(phrases, keys) == {**WANTED, "pregnant": False}


def test_ctrl_b_at_the_review_asks_the_last_question_again(phrases: Any) -> None:
    """The last answer's ticks are kept: Down, Space adds the second choice."""
    keys = typed(MINI, WANTED) + CTRL_B + DOWN + SPACE + ENTER + ENTER
    assert interview(phrases, keys)["locations"] == [c.value for c in MINI[4].choices[:2]]


def test_review_pages_fit_the_room_and_keep_the_order() -> None:
    heights = [1, 2, 1, 3, 1, 1, 4, 1]
    for room in range(1, 12):
        pages = review_pages(heights, room)
        assert [k for a, b in pages for k in range(a, b + 1)] == list(range(len(heights)))
        for a, b in pages:
            assert a == b or sum(heights[a : b + 1]) <= room  # one answer taller than a page: alone
    assert review_pages([], 5) == []


# -- on screen: a pseudo-terminal that answers cursor-position requests, as real ones do ------


def demo(*args: str, rows: int = 24) -> Any:
    from .screen import Pty

    return Pty([sys.executable, "-m", "tests.prompt_demo", *args], rows=rows)


def row_of(term: Any, text: str) -> int:
    rows = [k for k, line in enumerate(term.lines()) if text in line]
    assert rows, f"{text!r} not on screen:\n{term.text()}"
    return rows[-1]


def gap_above(term: Any, text: str) -> int:
    """Blank rows between `text` (its last row on screen) and the nearest line above it."""
    lines = term.lines()
    at = row_of(term, text)
    above = max(k for k in range(at) if lines[k].strip())
    return at - above - 1


@pytest.mark.e2e
def test_messages_show_right_under_their_prompt(phrases: Any) -> None:
    """Enter alone on a tick list, a yes/no, a single choice and a number: each message is on
    the row right under the prompt (a number's own input row may sit between), not rows below
    it at the bottom of the screen."""
    term = demo()
    k = keys_of()
    q = MINI[0]
    term.see(q.none_label)
    term.send(ENTER)
    message = phrases("enter.checkbox_none", none=q.none_label)
    term.see(message)
    tip = phrases("choice_help", help=q.choices[0].help)
    assert row_of(term, "Nothing is ticked") == row_of(term, tip) + 1
    assert row_of(term, tip) == row_of(term, " " + q.none_label) + 1  # the choice, not the message
    for keys, q, said, gap in (
        (k["signs"], MINI[1], phrases("enter.confirm"), 0),
        (k["sure"], MINI[2], phrases("enter.select"), 0),
        (k["side"], MINI[3], "Please type a whole number", 1),
    ):
        term.send(keys)
        term.wait(lambda q=q: term.current().startswith(f"? {q.prompt}"), repr(q.prompt))
        term.settle()
        term.send(ENTER)
        term.see(said)
        assert gap_above(term, said[:30]) <= gap, term.text()
        assert row_of(term, said[:30]) < len(term.lines()) - 1, term.text()  # not the bottom row
    term.child.sendintr()
    term.finish()


@pytest.mark.e2e
def test_the_review_comes_a_screen_at_a_time(phrases: Any) -> None:
    """At 10 rows the five answers do not fit: the first screen says which answers follow, and
    Enter shows them before the result; nothing scrolls off unseen."""
    from .screen import answer, words

    term = demo(rows=10)
    answer(term, for_answers(MINI, WANTED))
    term.see(words(phrases("review.keys")))

    def numbers() -> list[int]:
        return [int(m) for m in re.findall(r"^\s+(\d+)\. ", term.text(), re.M)]

    first = numbers()
    assert first[0] == 1 and len(MINI) not in first, term.text()
    follow = re.search(r"see answers (\d+) to (\d+)", " ".join(term.text().split()))
    assert follow and int(follow.group(1)) == first[-1] + 1, term.text()
    term.send(ENTER)
    term.wait(lambda: len(MINI) in numbers(), "the next answers")
    assert numbers() == list(range(int(follow.group(1)), int(follow.group(2)) + 1))
    term.send(ENTER)
    term.wait(lambda: "ANSWERS" in term.text(), "the answers")
    assert term.finish() == 0


@pytest.mark.e2e
def test_no_undone_answer_is_left_above_the_result(phrases: Any) -> None:
    """The questionnaire runs on the terminal's second screen: what comes after it (here the
    answers) is printed on the person's own screen, with nothing of the questions above it."""
    from .screen import answer, words

    term = demo()
    answer(term, for_answers(MINI, WANTED))
    term.see(words(phrases("review.keys")))
    term.send(ENTER)
    term.wait(lambda: "ANSWERS" in term.text(), "the answers")
    assert term.finish() == 0
    raw = bytes(term.raw)
    after = raw[raw.rindex(b"\x1b[?1049l") :]
    assert b"\x1b[?1049h" in raw and b"ANSWERS" in after and b"Which side" not in after


# -- plain lines, answered by typed numbers ------------------------------------------------------


class Typist:
    """Plain's input and output: lines typed in order, lines written kept."""

    def __init__(self, typed: list[str]) -> None:
        self.typed, self.written = list(typed), []

    def read(self, prompt: str) -> str:
        self.written.append(prompt)
        if not self.typed:
            raise EOFError
        return self.typed.pop(0)

    def write(self, text: str) -> None:
        self.written.append(text)


def plain(phrases: Any, lines: list[str]) -> tuple[dict[str, Any], str]:
    typist = Typist(lines)
    answers = Interview(MINI, Plain(phrases, typist.read, typist.write)).run()
    assert not typist.typed, f"lines left over: {typist.typed}"
    return answers, "\n".join(typist.written)


def test_plain_mode_takes_typed_numbers_only(phrases: Any) -> None:
    lines = typed(MINI, WANTED, plain=True).split(ENTER)[:-1]
    assert all(re.fullmatch(r"[0-9 ]+", line) for line in lines)
    answers, shown = plain(phrases, [*lines, ""])
    assert answers == WANTED
    assert "\x1b" not in shown and "1. Dark urine" in shown and "3. None of these" in shown


def test_plain_mode_refuses_what_is_not_an_answer(phrases: Any) -> None:
    """Enter alone, a number out of range, 'None of these' with another, two numbers for one
    choice: each says what to type and asks again; b goes back; Enter ends the review."""
    lines = typed(MINI, WANTED, plain=True).split(ENTER)[:-1]
    noisy = ["", "9", "1 3", lines[0], "", "3", lines[1], "1 2", lines[2], "", "b", lines[2]]
    noisy += [*lines[3:], "b", lines[4], ""]
    answers, shown = plain(phrases, noisy)
    assert answers == WANTED
    for text in (
        phrases("plain.bad.checkbox", count=3),
        phrases("plain.bad.confirm", count=2),
        phrases("plain.bad.select", count=2),
        phrases("plain.bad.both", none=MINI[0].none_label, number=len(MINI[0].choices) + 1),
    ):
        assert text in " ".join(shown.split()), text


NOT_INT = ["4²", "①", "9" * 5000]  # isdigit() says yes to each; int() refuses or chokes on each


def test_plain_mode_refuses_what_int_refuses(phrases: Any) -> None:
    """Issue 17's '4²' in the plain mode: each answer, and the review, refuse what int() cannot
    read (before, isdigit() let it through to int(): a traceback), then take the right one."""
    lines = typed(MINI, WANTED, plain=True).split(ENTER)[:-1]
    noisy = [text for line in lines for text in (*NOT_INT, line)] + [*NOT_INT, ""]
    answers, shown = plain(phrases, noisy)
    assert answers == WANTED
    said = " ".join(shown.split())
    assert said.count(phrases("review.bad", count=len(lines))) == len(NOT_INT)
    assert "Traceback" not in said


def plain_session(triage: Triage, width: int) -> list[str]:
    """Every line the plain questionnaire shows for the ordinary case at `width` columns."""
    lines = typed(triage.questions, base_answers(), plain=True).split(ENTER)[:-1]
    typist = Typist([*lines, ""])
    answers = Interview(triage.questions, Plain(triage.phrases, typist.read, typist.write, width))
    assert answers.run() == triage.contract.check(base_answers())
    shown = "\n".join(typist.written).splitlines()
    assert len(shown) > len(lines)
    return shown


@pytest.mark.parametrize("width", [12, 20, 30, 39, 80])
def test_plain_lines_fit_the_width_they_are_given(triage: Triage, width: int) -> None:
    """Round 3, F14: the plain questionnaire never wrapped narrower than 40 columns, so a
    20-column terminal or braille line broke its lines mid-word. Every line of the ordinary
    case's whole questionnaire (each question asked, and the review) fits the width (at least
    MIN_WIDTH: narrower, the terminal's own wrapping is better), but for a word longer than the
    room left; and no word is ever cut (round 4, M7: "Some/one"): the words shown are the words
    shown at 200 columns."""
    shown = plain_session(triage, width)
    room = max(width, MIN_WIDTH)
    too_wide = [line for line in shown if len(line) > room and len(line.split()) > 1]
    assert not too_wide, too_wide[:3]
    words = sorted(" ".join(shown).split())
    assert words == sorted(" ".join(plain_session(triage, 200)).split())


def plain_sheet(answers_file: str, columns: int) -> list[str]:
    """The lines `triage --plain --answers FILE` writes in a terminal `columns` wide, as the
    program wrote them (before the terminal wraps them)."""
    from .screen import Pty

    term = Pty.triage(
        "--plain", "--answers", answers_file, columns=columns, rows=24, unset=("COLUMNS", "LINES")
    )
    assert term.finish() == 0, term.text()
    return term.raw.decode("utf-8").replace("\r\n", "\n").splitlines()


@pytest.mark.parametrize("columns", [20, 30, 50])
def test_a_plain_sheet_fits_the_terminal_the_questions_did(tmp_path: Any, columns: int) -> None:
    """Round 4, C4: after a narrow plain questionnaire the sheet was still 78 columns wide, so
    the terminal broke its lines inside words. Now every line fits (but for one word longer
    than the room), in a terminal 20, 30 or 50 wide, and the words are those of a wide one."""
    answers = tmp_path / "a.yaml"
    answers.write_text(json.dumps(base_answers(symptoms=["dark_urine"])), encoding="utf-8")
    shown = plain_sheet(str(answers), columns)
    room = max(columns - 1, MIN_WIDTH)
    too_wide = [line for line in shown if len(line) > room and len(line.split()) > 1]
    assert not too_wide, too_wide[:3]
    wide = plain_sheet(str(answers), 200)
    assert words_of(shown) == words_of(wide) and len(shown) > len(wide)


def words_of(lines: list[str]) -> list[str]:
    """The words of a sheet, its rules of "=" left out (they are as wide as the sheet)."""
    return [word for word in " ".join(lines).split() if word.strip("=")]
