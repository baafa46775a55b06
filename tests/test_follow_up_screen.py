"""The diary and the re-check as a person meets them: the installed `triage` in a pseudo-terminal
at 80x24, drawn by a terminal emulator (pyte). Keystrokes are worked out from the loaded data
(which choice is where), never written out by hand."""

from __future__ import annotations

import datetime
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from triage.conditions import holds
from triage.pipeline import Triage

from .conftest import base_answers
from .screen import Pty, flat

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")
TRIAGE = Path(sys.executable).parent / "triage"
ROOT = Path(__file__).resolve().parent.parent
FOLLOWUP = yaml.safe_load((ROOT / "rules" / "followup.yaml").read_text(encoding="utf-8"))
DIARY_Q = FOLLOWUP["diary"]["questions"]
PHRASES = Triage().phrases  # the terminal's own words (rules/ui.yaml)
UP, DOWN, ENTER, SPACE = "\x1b[A", "\x1b[B", "\r", " "

pytestmark = pytest.mark.e2e


class Screen(Pty):
    """The installed `triage` with `args` in a pseudo-terminal (tests/screen.py), TERM=`term`."""

    def __init__(self, *args: str, columns: int = 80, rows: int = 24, term: str = "xterm") -> None:
        assert TRIAGE.exists(), f"console script not installed at {TRIAGE}"
        super().__init__([str(TRIAGE), *args], rows=rows, columns=columns, env={"TERM": term})

    def asked(self, prompt: str) -> None:
        """Wait until `prompt` is the question being asked (its instruction line drawn)."""

        def ready() -> bool:
            block = self.current()
            return block.startswith(f"? {prompt}") and (
                "Enter goes on" in block or " ".join(PHRASES("how.confirm").split()) in block
            )

        self.wait(ready, repr(prompt))

    def number_of(self, choices: list[Any], value: Any) -> str:
        """The keys that choose `value` in the single choice on the screen: the number drawn
        beside its label. The program may leave a choice out (no "Earlier today" just after
        midnight), so its place in the data is not its number on the screen."""
        label = next(c["label"] for c in choices if c["value"] == value)
        found = re.search(rf"(\d+)\) {re.escape(label)}(?= |$)", self.current())
        if found:
            return f"{found[1]}{ENTER}"
        raise AssertionError(f"{label!r} is not among the choices on the screen:\n{self.text()}")


def pick(choices: list[Any], value: Any) -> str:
    """The keys that choose `value` in a single choice: its number (nothing is highlighted at
    first, so no count of Down presses would be right both with and without a default)."""
    index = [c["value"] if isinstance(c, dict) else c for c in choices].index(value)
    return f"{index + 1}{ENTER}"


def test_three_cramps_are_logged_in_under_a_minute_at_80x24(data_dir: Path) -> None:
    """Three cramps (now; last night, woken; two days ago in the night) in one sitting: the whole
    exchange, with a person's pause before each answer, takes under a minute, and the diary then
    holds exactly those three."""
    triage = Triage()
    remedies = [r.id for r in triage.evaluate({"version": 1}).remedies if r.when == "during"]
    muscles = [c.value for q in triage.questions if q.key == "locations" for c in q.choices]
    helped = DIARY_Q["helped"]["choices"]
    durations = DIARY_Q["duration"]["choices"]
    cramps = [
        {"when": "now", "muscle": "calf", "duration": "minutes", "pain": 6, "woke": False},
        {"when": "last_night", "muscle": "foot", "duration": "seconds", "pain": 4, "woke": True},
        {
            "when": "another_day",
            "muscle": "thigh_back",
            "duration": "minutes",
            "pain": 7,
            "woke": True,
        },
    ]
    two_days_ago = (datetime.date.today() - datetime.timedelta(days=2)).isoformat()
    start = time.monotonic()
    term = Screen("diary", "add")
    answers = 0
    for n, cramp in enumerate(cramps):

        def answer(prompt: str, keys: str | None = None, value: Any = None) -> None:
            nonlocal answers
            term.asked(prompt)
            time.sleep(0.5)  # a person reading the question, half asleep
            if keys is None:
                keys = term.number_of(DIARY_Q["when"]["choices"], value)
            term.child.send(keys)
            answers += 1

        answer(DIARY_Q["when"]["prompt"], value=cramp["when"])
        if cramp["when"] == "another_day":
            answer(DIARY_Q["day"]["prompt"], "2" + ENTER)  # the second day listed: 2 days ago
            answer(
                DIARY_Q["part_of_day"]["prompt"], pick(DIARY_Q["part_of_day"]["choices"], "03:00")
            )
        answer(DIARY_Q["muscle"]["prompt"], pick(muscles, cramp["muscle"]))
        answer(DIARY_Q["duration"]["prompt"], pick(durations, cramp["duration"]))
        answer(DIARY_Q["pain"]["prompt"], f"{cramp['pain']}{ENTER}")
        answer(DIARY_Q["woke"]["prompt"], "y" if cramp["woke"] else "n")
        answer(DIARY_Q["tried"]["prompt"], SPACE + ENTER)  # the first remedy of the sheet
        answer(DIARY_Q["helped"]["prompt"], pick(helped, "a_little"))
        term.see(f"Saved cramp {n + 1}:")
        answer(DIARY_Q["another"]["prompt"], "y" if n < 2 else "n")
    assert term.finish() == 0
    took = time.monotonic() - start
    assert took < 60, f"three cramps took {took:.1f} s"
    assert answers <= 30
    assert max(len(line) for line in term.lines()) <= 80
    done = __import__("subprocess").run(
        [str(TRIAGE), "diary", "list", "--json"], capture_output=True, text=True, timeout=30
    )
    logged = json.loads(done.stdout)
    assert [e["muscle"] for e in sorted(logged, key=lambda e: e["id"])] == [
        c["muscle"] for c in cramps
    ]
    by_muscle = {e["muscle"]: e for e in logged}
    assert by_muscle["thigh_back"]["at"] == f"{two_days_ago}T03:00"
    assert by_muscle["foot"]["at"].endswith("T03:00") and by_muscle["foot"]["woke"] is True
    assert all(e["tried"] == remedies[:1] and e["helped"] == "a_little" for e in logged)
    assert [e["pain"] for e in sorted(logged, key=lambda e: e["id"])] == [6, 4, 7]


def seed_diary(to: datetime.date, count: int, per_day: int = 1) -> None:
    from triage.diary import Diary, Entry

    book = Diary(FOLLOWUP["diary"]["messages"])
    for n in range(count):
        day = to - datetime.timedelta(days=n // per_day)
        book.add(
            Entry(
                0,
                datetime.datetime.combine(day, datetime.time(2, n % 60)),
                "calf",
                "minutes",
                5,
                True,
            )
        )


def test_the_chart_fits_80_columns_and_is_plain_under_term_dumb(data_dir: Path) -> None:
    """A busy diary (up to 6 cramps a night): bars of block characters within 80 columns in a
    terminal; under TERM=dumb the same chart in plain ASCII, with no escape sequences."""
    today = datetime.date.today()
    seed_diary(today, 120, per_day=6)
    fancy = Screen("diary", "chart", rows=40)
    fancy.see(FOLLOWUP["diary"]["chart"]["nights"])
    assert fancy.finish() == 0
    shown = [line for line in fancy.lines() if line.strip()]
    assert max(len(line) for line in shown) <= 80
    assert FOLLOWUP["diary"]["chart"]["bar"] in flat(shown)
    dumb = Screen("diary", "chart", rows=40, term="dumb")
    dumb.see(FOLLOWUP["diary"]["chart"]["nights"])
    assert dumb.finish() == 0
    text = bytes(dumb.raw).decode("utf-8")
    assert "\x1b" not in text and text.isascii()
    assert all(len(line) <= 80 for line in text.splitlines())
    bar = FOLLOWUP["diary"]["chart"]["plain_bar"]
    rows = [
        r for r in (line.split() for line in text.splitlines()) if len(r) >= 4 and r[0].isdigit()
    ]
    drawn = [(int(r[3]) if r[2].startswith(bar) else int(r[2]), r[2].count(bar)) for r in rows]
    assert len(drawn) == 8 and sum(c for c, _ in drawn) == 120
    for cramps, cells in drawn:  # every week with a cramp has a bar, none wider than 40
        assert (cells > 0) == (cramps > 0) and cells <= 40
    for (_, ca), (_, cb) in zip(sorted(drawn), sorted(drawn)[1:], strict=False):
        assert ca <= cb, "a busier week never has a shorter bar"


def test_a_re_check_in_the_terminal_uses_the_diary_and_saves_beside(
    data_dir: Path, tmp_path: Path
) -> None:
    """The re-check at 80x24, three weeks after the saved answers: warning signs first (none),
    no new medicine, how often filled from the diary (Enter keeps it), stretched every night and
    no better: a 'see a doctor soon' sheet, the line of what changed, the new answers beside."""
    triage = Triage()
    questions, gate = triage.recheck_questions
    today = datetime.date.today()
    saved = tmp_path / "me.yaml"
    saved.write_text(
        yaml.safe_dump(base_answers(answered_on=(today - datetime.timedelta(days=21)).isoformat())),
        encoding="utf-8",
    )
    seed_diary(today, 20)  # 20 in 4 weeks: 4 or more a week, "most days"
    by_key = {q.id: q for q in questions}
    day = today - datetime.timedelta(days=21)
    months = FOLLOWUP["calendar"]["months"]
    since = FOLLOWUP["recheck"]["since"].format(
        date=f"{day.day} {months[day.month - 1]} {day.year}"
    )
    term = Screen("recheck", str(saved), "--out", str(tmp_path / "sheet.txt"))
    asked = []
    # What the re-check's questions are asked on: the saved answers, no change of medicine, a
    # self-care sheet last time (so no "checked since?"), no new calf pain (so no side again).
    kept = triage.contract.check(yaml.safe_load(saved.read_text(encoding="utf-8")))
    context = {**kept, "changed": False, "previous_disposition": triage.evaluate(kept).disposition}
    for q in questions:
        if q.when is not None and not holds(q.when, context):
            continue  # not asked of this man, who starts no medicine
        if q.not_sure_of:
            continue  # "which ones?" follows only "not sure" (rev 3), never ticked here
        term.asked(q.prompt.replace("{since}", since))
        if q.type == "checkbox":
            keys = UP + SPACE + ENTER  # None of these
        elif q.id == gate or q.type == "confirm":
            keys = "y" if q.key == "sleep_disrupted" else "n"
        elif q.key == "frequency":
            term.see("Your diary: 20 cramps")
            keys = ENTER  # the diary's answer, already picked
        elif q.key == "duration":
            keys = ENTER  # the diary's: every cramp logged lasted minutes
        elif q.key == "stretching_tried":
            keys = pick([c.value for c in by_key[q.id].choices], "not_helped")
        else:
            keys = pick([c.value for c in q.choices], "minutes")
        asked.append(q.id)
        term.child.send(keys)
        time.sleep(0.2)
    term.see("To change an answer")
    term.child.send(ENTER)
    assert term.finish() == 0, "\n".join(term.lines())
    assert asked[0] == "emergency_signs"
    assert "\n".join(term.lines()).count("\n") <= 23
    sheet = " ".join((tmp_path / "sheet.txt").read_text(encoding="utf-8").split(" "))
    words = " ".join(sheet.split())
    assert sheet.startswith("=" * 78 + "\nSEE A DOCTOR SOON")
    # what changed, on page one: the reason itself may follow page one when it is full
    assert "stretching has not helped" in words
    assert "cramps come more often" in words
    full = __import__("subprocess").run(
        [str(TRIAGE), "--answers", str(tmp_path / f"me.{today.isoformat()}.yaml"), "--json"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert json.loads(full.stdout)["disposition"] == "soon", "the new answers replay the same"
    new = yaml.safe_load((tmp_path / f"me.{today.isoformat()}.yaml").read_text(encoding="utf-8"))
    assert new["frequency"] == "most_days" and new["stretching_tried"] == "not_helped"
    assert new["days_since_previous"] == 21 and new["answered_on"] == today
    assert "changed" not in new, "the gate question is not an answer"


def test_an_emergency_sign_in_the_re_check_stops_at_once(tmp_path: Path) -> None:
    """The same early stop as the questionnaire: an emergency sign at the first question."""
    triage = Triage()
    first = triage.recheck_questions[0][0]
    saved = tmp_path / "me.yaml"
    saved.write_text(yaml.safe_dump(base_answers(answered_on="2026-11-10")), encoding="utf-8")
    term = Screen("recheck", str(saved), "--country", "uk", rows=60)
    term.asked(first.prompt)
    term.child.send(SPACE + ENTER)  # the first emergency sign
    term.see("Call an ambulance now")
    assert term.finish() == 0
    assert "How often" not in flat(term.lines())


def test_the_re_check_asks_in_plain_numbered_lines_under_term_dumb(tmp_path: Path) -> None:
    """Found by a patient reviewer: under TERM=dumb the questionnaire asks in plain numbered lines
    but the re-check did not. Driven by typed numbers only (worked out from the loaded
    questions); no escape sequence; the end names the saved answers that replay the sheet."""
    from .keys import plain_keys

    triage = Triage()
    questions, gate = triage.recheck_questions
    today = datetime.date.today()
    saved = tmp_path / "me.yaml"
    answers = base_answers(answered_on=(today - datetime.timedelta(days=21)).isoformat())
    saved.write_text(yaml.safe_dump(answers), encoding="utf-8")
    term = Screen("recheck", str(saved), "--no-diary", term="dumb")
    prompt = PHRASES("plain.prompt").strip()
    review = " ".join(PHRASES("plain.review.prompt").split())

    def said() -> str:  # what was written, as words (plain lines wrap at 80 columns)
        return " ".join(bytes(term.raw).decode("utf-8", "replace").split())

    # each prompt's longest part without a placeholder (the gate's begins "{since}, ...")
    heads = {
        q.id: " ".join(max(re.split(r"\{[a-z_]+\}", q.prompt), key=len).split()) for q in questions
    }
    asked: list[str] = []
    while True:
        term.wait(
            lambda: said().endswith(prompt) or not term.child.isalive(), "a prompt or the end"
        )
        if not said().endswith(prompt):
            break
        text = said()
        q = max(questions, key=lambda q: text.rfind(heads[q.id]))
        if text.rfind(review) > text.rfind(heads[q.id]):  # the answers listed: they are right
            term.send(ENTER)
            break
        if q.id == "stretching_tried":
            value: Any = "not_helped"
        elif q.type == "checkbox":
            value = []
        elif q.type == "confirm":
            value = q.id == gate  # "has anything changed?": yes, so the rest is asked
        elif q.type == "select":
            value = q.choices[-1].value if q.key == "frequency" else q.choices[0].value
        else:
            value = 1
        asked.append(q.id)
        before = len(text)
        term.send(plain_keys(q, value))
        term.wait(lambda n=before: len(said()) > n + 2 or not term.child.isalive(), "the answer")
    assert term.finish() == 0, said()[-2000:]
    raw = bytes(term.raw)
    assert b"\x1b" not in raw, raw[raw.index(b"\x1b") - 80 : raw.index(b"\x1b") + 20]
    assert asked[0] == "emergency_signs" and "stretching_tried" in asked, asked
    new = tmp_path / f"me.{today.isoformat()}.yaml"
    assert yaml.safe_load(new.read_text(encoding="utf-8"))["stretching_tried"] == "not_helped"
    assert "SEE A DOCTOR SOON" in said()
