"""`triage recheck`: saved answers, what changed, the same rules again (policy rev 3, "Follow-up
and the cramp diary"). Expectations are the policy's, written here by hand."""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from triage.cli import main
from triage.diary import Diary, Entry
from triage.pipeline import Triage

from .conftest import base_answers

ROOT = Path(__file__).resolve().parent.parent
FOLLOWUP = yaml.safe_load((ROOT / "rules" / "followup.yaml").read_text(encoding="utf-8"))
SAVED_ON = "2026-11-10"
THREE_WEEKS_LATER = "2026-12-01"
NO_BETTER = "Your cramps are no better after weeks of stretching. A doctor can look for a cause."


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`triage ARGS` in this process (the real cli.main), its output and exit code captured."""
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8")  # .buffer too
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:
                code = int(exc.code or 0)
    finally:
        sys.stdin = old
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def write(path: Path, answers: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(answers, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    """A saved self-care answers file (an occasional night calf cramp), answered on 10 November."""
    return write(tmp_path / "me.yaml", base_answers(answered_on=SAVED_ON))


def follow_up(tmp_path: Path, name: str = "later.yaml", **answers: Any) -> Path:
    return write(tmp_path / name, {"version": 1, "answered_on": THREE_WEEKS_LATER, **answers})


def recheck_json(saved: Path, later: Path, *more: str) -> dict[str, Any]:
    done = run("recheck", str(saved), "--answers", str(later), "--json", *more)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def test_saved_self_care_answers_are_self_care(saved: Path, triage: Triage) -> None:
    """The starting point of the re-checks below: the saved file alone is self-care."""
    assert triage.evaluate(triage.answers_from_file(str(saved))).disposition == "self-care"


def test_three_weeks_of_stretching_no_better_is_soon_with_the_reason(
    saved: Path, tmp_path: Path
) -> None:
    """Issue 22's first case: stretched every night, no better, 3 weeks later -> soon, and the
    reason says so in the policy's words; the line says what changed."""
    later = follow_up(tmp_path, stretching_tried="not_helped", symptoms=[])
    data = recheck_json(saved, later)
    assert data["disposition"] == "soon"
    assert NO_BETTER in [r["text"] for r in data["reasons"]]
    recheck = data["recheck"]
    assert recheck["days_since_previous"] == 21 and recheck["previous_disposition"] == "self-care"
    assert recheck["summary"].startswith("Since 10 November 2026: ")
    assert FOLLOWUP["recheck"]["changes"]["stretching"]["not_helped"] in recheck["summary"]


def test_a_new_urgent_sign_is_urgent_at_once(saved: Path, tmp_path: Path) -> None:
    later = follow_up(tmp_path, symptoms=["one_leg_swollen"])
    data = recheck_json(saved, later)
    assert data["disposition"] == "urgent"
    assert "a new warning sign: one leg more swollen than the other" in data["recheck"]["summary"]


def test_more_often_by_two_steps_is_soon_and_says_since_when(saved: Path, tmp_path: Path) -> None:
    later = follow_up(tmp_path, frequency="most_days", sleep_disrupted=False)
    data = recheck_json(saved, later)
    assert data["disposition"] == "soon"
    assert "Your cramps come more often than on 10 November 2026." in [
        r["text"] for r in data["reasons"]
    ]


def test_better_keeps_going_with_the_next_date(tmp_path: Path) -> None:
    """Better (less often) with nothing else: self-care, 'keep going', and the next re-check
    28 days after the follow-up's date (2026-12-01 + 28 = 29 December)."""
    before = write(tmp_path / "me.yaml", base_answers(answered_on=SAVED_ON, frequency="weekly"))
    later = follow_up(tmp_path, frequency="rare", stretching_tried="helped")
    data = recheck_json(before, later)
    assert data["disposition"] == "self-care" and data["recheck_on"] == "2026-12-29"
    assert any("Keep going" in r["text"] for r in data["reasons"])
    assert any("29 December 2026" in line for line in data["safety_net"])


def test_new_answers_are_saved_beside_the_old_never_over_them(
    saved: Path, tmp_path: Path, triage: Triage
) -> None:
    original = saved.read_bytes()
    later = follow_up(tmp_path, stretching_tried="not_helped", symptoms=[])
    names = []
    for _ in range(2):
        done = run("recheck", str(saved), "--answers", str(later), "--format", "text")
        assert done.returncode == 0, done.stderr
        names.append(recheck_saved_path(done.stderr))
    assert saved.read_bytes() == original
    assert names == [tmp_path / "me.2026-12-01.yaml", tmp_path / "me.2026-12-01-2.yaml"]
    new = triage.answers_from_file(str(names[0]))
    assert new["answered_on"] == THREE_WEEKS_LATER and new["stretching_tried"] == "not_helped"
    assert new["previous_frequency"] == "monthly" and new["days_since_previous"] == 21
    assert "stretching_not_helping" not in new, "the rev 3 answer replaces the rev 2 one"
    # the saved new answers replay to the same result as the re-check gave
    replay = run("--answers", str(names[0]), "--json")
    assert json.loads(replay.stdout)["disposition"] == "soon"
    taken = run(
        "recheck", str(saved), "--answers", str(later), "--json", "--save-answers", str(names[1])
    )
    assert taken.returncode == 2 and "already exists" in taken.stderr
    over_old = run("recheck", str(saved), "--answers", str(later), "--save-answers", str(saved))
    assert over_old.returncode == 2 and saved.read_bytes() == original


def recheck_saved_path(stderr: str) -> Path:
    template = FOLLOWUP["recheck"]["saved"]
    head, tail = template.split("{path}")
    line = next(line for line in stderr.splitlines() if line.startswith(head))
    return Path(line[len(head) : len(line) - len(tail)])


def test_same_answers_give_the_same_sheet_bytes(saved: Path, tmp_path: Path) -> None:
    """No clock in the sheet: the dates come from answered_on (run on different days, or twice)."""
    later = follow_up(tmp_path, stretching_tried="not_helped", symptoms=[])
    sheets = []
    for fmt in ("html", "html", "text", "text"):
        done = run("recheck", str(saved), "--answers", str(later), "--format", fmt, "--full")
        assert done.returncode == 0, done.stderr
        sheets.append(done.stdout)
    assert sheets[0] == sheets[1] and sheets[2] == sheets[3]
    main = [run("--answers", str(saved), "--format", "html").stdout for _ in range(2)]
    assert main[0] == main[1] and "8 December 2026" in main[0]


def test_a_follow_up_without_a_date_has_no_dated_line(saved: Path, tmp_path: Path) -> None:
    later = write(tmp_path / "later.yaml", {"version": 1, "stretching_tried": "not_helped"})
    data = recheck_json(saved, later)
    assert data["recheck_on"] is None and data["recheck"]["days_since_previous"] is None
    assert data["disposition"] == "soon"  # the rules still read stretching_tried
    assert NO_BETTER not in [r["text"] for r in data["reasons"]]  # 14 days not known


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ({"version": 1, "answered_on": "2026-11-01"}, "is before the saved answers"),
        ({"version": 1, "answered_on": "2999-01-01"}, "in the future"),
        ({"version": 1, "symptom": []}, "unknown key"),
        ({"version": 1, "frequency": "hourly"}, "frequency"),
    ],
)
def test_a_bad_follow_up_is_one_line_exit_2_and_saves_nothing(
    saved: Path, tmp_path: Path, answers: dict[str, Any], words: str
) -> None:
    later = write(tmp_path / "later.yaml", answers)
    done = run("recheck", str(saved), "--answers", str(later), "--json")
    assert done.returncode == 2 and words in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["later.yaml", "me.yaml"]


def test_no_terminal_and_no_follow_up_file_is_one_line(saved: Path) -> None:
    done = run("recheck", str(saved))
    assert done.returncode == 2 and "--answers FOLLOW_UP" in done.stderr


def test_saving_over_an_existing_file_is_refused_before_the_first_question(
    saved: Path, tmp_path: Path
) -> None:
    """Before any question is asked (here: before it finds there is no terminal to ask in), not
    after the person has answered them all."""
    taken = write(tmp_path / "taken.yaml", {"version": 1})
    done = run("recheck", str(saved), "--save-answers", str(taken))
    assert done.returncode == 2 and str(taken) in done.stderr and "exists" in done.stderr
    assert "--answers FOLLOW_UP" not in done.stderr
    assert yaml.safe_load(taken.read_text(encoding="utf-8")) == {"version": 1}


def test_the_diary_fills_how_often_and_the_sheet_says_so(
    saved: Path, tmp_path: Path, data_dir: Path
) -> None:
    """20 cramps in the 4 weeks before the re-check (4 or more a week: most days) fill
    `frequency` when the follow-up does not say it; the sheet names what came from the diary,
    and its clinician's part draws the last 8 weeks."""
    book = Diary(FOLLOWUP["diary"]["messages"])
    day = datetime.date.fromisoformat(THREE_WEEKS_LATER)
    for n in range(20):
        when = datetime.datetime.combine(day - datetime.timedelta(days=n), datetime.time(3, 0))
        book.add(Entry(0, when, "calf", "minutes", 5, n % 2 == 0))
    later = follow_up(tmp_path, symptoms=[])
    data = recheck_json(saved, later, "--diary")
    assert data["recheck"]["from_diary"]["frequency"] == "most_days"
    assert data["disposition"] == "soon"
    sheet = run(
        "recheck", str(saved), "--answers", str(later), "--diary", "--format", "html"
    ).stdout
    assert "From your cramp diary (4 weeks to 1 December 2026)" in sheet
    assert "<svg" in sheet and "<script" not in sheet.lower()
    without = recheck_json(saved, later)  # from a file, the diary is used only when asked
    assert without["recheck"]["from_diary"] == {} and without["disposition"] == "self-care"


def test_the_reminder_parses_back_as_the_re_check_date(saved: Path, tmp_path: Path) -> None:
    """--reminder writes an iCalendar file any calendar imports: parsed back with icalendar, one
    all-day event on the sheet's re-check date (answered_on + 28 days for self-care)."""
    icalendar = pytest.importorskip("icalendar")
    ics = tmp_path / "recheck.ics"
    done = run("--answers", str(saved), "--json", "--reminder", str(ics))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["recheck_on"] == "2026-12-08"
    raw = ics.read_bytes()
    assert b"\r\n" in raw  # RFC 5545 line endings
    cal = icalendar.Calendar.from_ical(raw)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart") == datetime.date(2026, 12, 8)
    assert event.decoded("dtend") == datetime.date(2026, 12, 9)
    assert str(event["summary"]) == FOLLOWUP["reminder"]["summary"]
    assert "8 December 2026" in str(event["description"])
    assert [str(a["action"]) for a in event.walk("VALARM")] == ["DISPLAY"]
    again = tmp_path / "again.ics"
    run("--answers", str(saved), "--json", "--reminder", str(again))
    assert again.read_bytes() == raw, "the same answers give the same reminder, byte for byte"


def test_no_reminder_without_a_date_and_nothing_written(saved: Path, tmp_path: Path) -> None:
    urgent = write(
        tmp_path / "u.yaml", base_answers(answered_on=SAVED_ON, symptoms=["one_leg_swollen"])
    )
    undated = write(tmp_path / "n.yaml", base_answers())
    for answers in (urgent, undated):
        done = run(
            "--answers", str(answers), "--out", str(tmp_path / "sheet.txt"),
            "--reminder", str(tmp_path / "r.ics"),
        )  # fmt: skip
        assert done.returncode == 2 and "--reminder" in done.stderr
        assert not (tmp_path / "r.ics").exists() and not (tmp_path / "sheet.txt").exists()


def test_batch_re_checks_many_people(tmp_path: Path) -> None:
    """JSON Lines of saved answers and follow-ups: each line re-checked like `triage recheck
    --answers`, and a bad one reported without stopping the run."""
    cases = [
        {
            "id": "no-better",
            "answers": base_answers(answered_on=SAVED_ON),
            "follow_up": {
                "version": 1,
                "answered_on": THREE_WEEKS_LATER,
                "stretching_tried": "not_helped",
            },
        },
        {
            "id": "new-sign",
            "answers": base_answers(answered_on=SAVED_ON),
            "follow_up": {
                "version": 1,
                "answered_on": THREE_WEEKS_LATER,
                "symptoms": ["one_leg_swollen"],
            },
        },
        {
            "id": "backwards",
            "answers": base_answers(answered_on=SAVED_ON),
            "follow_up": {"version": 1, "answered_on": "2026-01-01"},
        },
    ]
    done = run("batch", stdin="".join(json.dumps(c) + "\n" for c in cases))
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["no-better", "new-sign", "backwards"]
    assert lines[0]["result"]["disposition"] == "soon"
    assert lines[0]["recheck"]["days_since_previous"] == 21
    assert lines[1]["result"]["disposition"] == "urgent"
    assert "before the saved answers" in lines[2]["error"]
    assert "1 could not be read" in done.stderr
    assert not list(tmp_path.iterdir()), "batch saves nothing"


def test_the_html_sheet_draws_the_diary_as_an_inline_svg_that_prints(
    saved: Path, tmp_path: Path, data_dir: Path
) -> None:
    """The clinician's part of the HTML sheet: the last 8 weeks as an inline SVG (no script,
    nothing fetched), and the same counts, week by week, as a table; counted here from the
    entries logged, not from the program."""
    from html.parser import HTMLParser

    book = Diary(FOLLOWUP["diary"]["messages"])
    day = datetime.date.fromisoformat(THREE_WEEKS_LATER)
    logged = [(day - datetime.timedelta(days=d), d % 4 == 0) for d in range(0, 56, 3)]
    for when, woke in logged:
        book.add(
            Entry(
                0, datetime.datetime.combine(when, datetime.time(23, 0)), "calf", "minutes", 4, woke
            )
        )
    html = run("--answers", str(saved), "--diary", "--format", "html").stdout
    assert (
        "<script" not in html.lower() and "http" not in html.split("<svg", 1)[1].split("</svg>")[0]
    )

    class Table(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[list[str]] = []
            self.inside = False
            self.svgs = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "table" and ("class", "diary-table") in attrs:
                self.inside = True
            if self.inside and tag == "tr":
                self.rows.append([])
            if tag == "svg" and ("role", "img") in attrs:
                self.svgs += 1

        def handle_endtag(self, tag: str) -> None:
            if tag == "table":
                self.inside = False

        def handle_data(self, data: str) -> None:
            if self.inside and self.rows and data.strip():
                self.rows[-1].append(data.strip())

    table = Table()
    table.feed(html)
    body = table.rows[1:]
    assert len(body) == 8 and table.svgs >= 1
    expected = []
    for k in range(7, -1, -1):  # 7-day windows, the last ending on the answers' date
        last = saved_day() - datetime.timedelta(days=7 * k)
        inside = [(w, woke) for w, woke in logged if last - datetime.timedelta(days=6) <= w <= last]
        expected.append([len(inside), sum(1 for _, woke in inside if woke)])
    assert [[int(row[1]), int(row[2])] for row in body] == expected
    without = run("--answers", str(saved), "--format", "html").stdout
    assert 'class="diary-table"' not in without, "from a file, the diary shows only when asked"


def saved_day() -> datetime.date:
    return datetime.date.fromisoformat(SAVED_ON)


# -- the re-check's questions, asked in this process (a scripted ask, the real Interview) --------


class Scripted:
    """Answers each question from a table by question id (None of these for other tick lists),
    and records what was asked and which default was offered."""

    def __init__(self, triage: Triage, answers: dict[str, Any]) -> None:
        self.answers, self.asked, self.defaults = answers, [], {}
        self.questions = {q.id: q for q in triage.recheck_questions[0]}

    def __call__(self, q: Any, default: Any = None) -> Any:
        self.asked.append(q.id)
        self.defaults[q.id] = default
        if q.id in self.answers:
            return self.answers[q.id]
        return [] if q.type == "checkbox" else pytest.fail(f"unexpected question {q.id}")


def test_signs_first_no_medicine_lists_without_a_change_and_unasked_answers_kept(
    triage: Triage,
) -> None:
    from triage.recheck import Rechecker

    saved = triage.contract.check(
        base_answers(answered_on=SAVED_ON, symptoms=["numbness_tingling"], medications=["statin"])
    )
    ask = Scripted(
        triage,
        {
            "changed": False,
            "frequency": "weekly",
            "duration": "minutes",
            "sleep_disrupted": False,
            "stretching_tried": "not_helped",
            "urgent_signs": ["one_leg_swollen"],
            "checked_since": "not_checked",
        },
    )
    done = Rechecker(triage).interview(saved, ask, None, datetime.date(2026, 12, 1))
    assert ask.asked[:3] == ["emergency_signs", "urgent_signs", "injury_signs"]
    assert ask.asked.index("checked_since") < ask.asked.index("changed"), "a soon sheet before"
    assert "medicines_heart" not in ask.asked and "conditions_organs" not in ask.asked
    assert "statin_muscles" in ask.asked, "a statin user is asked about muscle aches again"
    assert done.result.disposition == "urgent"
    assert set(done.answers["symptoms"]) == {"numbness_tingling", "one_leg_swollen"}
    assert done.answers["medications"] == ["statin"] and "changed" not in done.answers
    assert done.answers["answered_on"] == "2026-12-01" and done.answers["days_since_previous"] == 21


def test_a_re_check_sheet_goes_through_the_safety_table(triage: Triage) -> None:
    """A re-check makes its sheet from the same table: a 70-year-old with diabetes who has had a
    fall since gets, from the merged answers, exactly what the policy's cells say (the oracle's
    check: nothing withheld offered, every caution shown), and the same result as evaluating
    those answers directly."""
    from triage.recheck import Rechecker

    from .test_safety_table import check_place

    saved = triage.contract.check(
        base_answers(answered_on=SAVED_ON, age=70, conditions=["diabetes"])
    )
    ask = Scripted(
        triage,
        {
            "injury_signs": ["recent_fall"],
            "can_bear_weight": "painful",
            "changed": False,
            "frequency": "weekly",
            "duration": "minutes",
            "sleep_disrupted": True,
            "stretching_tried": "not_sure",
        },
    )
    done = Rechecker(triage).interview(saved, ask, None, datetime.date(2026, 12, 1))
    assert not done.stopped_early and done.result.remedies
    check_place(triage, done.answers, done.result)
    assert done.result == triage.evaluate(done.answers)
    left_out = {w.id for w in done.result.withheld_actions}
    assert {"heat_on_skin", "warm_shower_or_bath"} <= left_out  # diabetes, and a fresh fall


def test_a_new_fall_at_65_asks_about_weight_and_can_be_an_emergency(triage: Triage) -> None:
    """As in the questionnaire (policy rev 3): a fall since the saved answers opens "can you put
    weight on it", and at 65 or over, unable to is an emergency, which ends the re-check."""
    from triage.recheck import Rechecker

    saved = triage.contract.check(base_answers(answered_on=SAVED_ON, age=70))
    ask = Scripted(triage, {"injury_signs": ["recent_fall"], "can_bear_weight": "unable"})
    done = Rechecker(triage).interview(saved, ask, None, datetime.date(2026, 12, 1))
    assert ask.asked[-2:] == ["injury_signs", "can_bear_weight"]
    assert done.stopped_early and done.result.disposition == "emergency"


def test_over_drinking_at_a_long_event_is_asked_after_fluid_loss(triage: Triage) -> None:
    """Vomiting or sweating a lot opens the long-event drinking question at a re-check too;
    having drunk far more than thirst asked, with it, is an emergency (policy rev 3, H5)."""
    from triage.recheck import Rechecker

    saved = triage.contract.check(base_answers(answered_on=SAVED_ON))
    ask = Scripted(
        triage,
        {"urgent_signs": ["fluid_loss"], "long_event_drinking": ["endurance_overdrinking"]},
    )
    done = Rechecker(triage).interview(saved, ask, None, datetime.date(2026, 12, 1))
    assert ask.asked[:3] == ["emergency_signs", "urgent_signs", "long_event_drinking"]
    assert done.stopped_early and done.result.disposition == "emergency"


def test_an_emergency_sign_ends_the_re_check_at_the_first_question(triage: Triage) -> None:
    from triage.recheck import Rechecker

    saved = triage.contract.check(base_answers(answered_on=SAVED_ON))
    ask = Scripted(triage, {"emergency_signs": ["breathless_or_chest_pain"]})
    done = Rechecker(triage).interview(saved, ask, None, datetime.date(2026, 12, 1))
    assert ask.asked == ["emergency_signs"] and done.stopped_early
    assert done.result.disposition == "emergency"


def test_a_new_medicine_opens_the_lists_with_the_old_ticks_shown(triage: Triage) -> None:
    from triage.recheck import Rechecker

    saved = triage.contract.check(base_answers(answered_on=SAVED_ON, medications=["statin"]))
    ask = Scripted(
        triage,
        {
            "changed": True,
            "checked_since": "not_checked",  # a statin, cramps with it not reported: soon
            "medicines_heart": ["statin", "thiazide_diuretic"],
            "cramps_began_with_medicine": True,
            "frequency": "monthly",
            "duration": "minutes",
            "sleep_disrupted": False,
            "stretching_tried": "not_tried",
        },
    )
    done = Rechecker(triage).interview(saved, ask, None, datetime.date(2026, 12, 1))
    assert ask.defaults["medicines_heart"] == ["statin"]
    assert "cramps_began_with_medicine" in ask.asked
    assert set(done.answers["medications"]) == {"statin", "thiazide_diuretic"}
    assert done.result.disposition == "soon"  # a medicine linked to cramps, cramps began with it
    assert any("a new medicine:" in c for c in done.changes)


def test_the_diary_answer_is_offered_first(triage: Triage, data_dir: Path) -> None:
    """With a diary, how often, how long and sleep come with the diary's answer picked, and the
    question says what the diary holds; kept as given, they are named as the diary's."""
    from triage.diary import fill
    from triage.recheck import Rechecker

    day = datetime.date(2026, 12, 1)
    entries = [
        Entry(n, datetime.datetime.combine(day - datetime.timedelta(days=n), datetime.time(3)),
              "foot", "over_10_minutes", 6, True)
        for n in range(6)
    ]  # fmt: skip
    told = fill(entries, day)
    assert told is not None
    saved = triage.contract.check(base_answers(answered_on=SAVED_ON))
    ask = Scripted(
        triage,
        {"changed": False, "frequency": "weekly", "duration": "over_10_minutes",
         "sleep_disrupted": True, "stretching_tried": "not_sure"},
    )  # fmt: skip
    done = Rechecker(triage).interview(saved, ask, told, day)
    assert ask.defaults["frequency"] == "weekly" and ask.defaults["duration"] == "over_10_minutes"
    assert ask.defaults["sleep_disrupted"] is True
    assert done.from_diary == {
        "frequency": "weekly",
        "duration": "over_10_minutes",
        "sleep_disrupted": True,
    }
    assert done.result.disposition == "urgent"  # a cramp over 10 minutes: the long-cramp rule
    assert done.diary_line and "4 weeks to 1 December 2026" in done.diary_line


@pytest.mark.parametrize(
    "who",
    [
        {},
        {"sex": "female", "age": 30, "pregnant": True, "pregnancy_weeks": 20},
        {"sex": "female", "age": 30, "pregnant": False},
    ],
    ids=["man", "pregnant", "not-pregnant"],
)
def test_a_self_care_sheet_names_its_re_check_date_once(
    triage: Triage, who: dict[str, Any]
) -> None:
    """Found by a patient reviewer: a pregnant woman's sheet had two re-check lines that sent her
    two ways ("tell your midwife", "see your doctor"). One line, for everyone."""
    day = datetime.date(2026, 11, 1)
    result = triage.evaluate(base_answers(answered_on=day.isoformat(), **who))
    assert result.disposition == "self-care"
    later = day + datetime.timedelta(days=28)
    named = [line for line in result.safety_net if f"{later.day} November" in line]
    assert len(named) == 1, named
    if who.get("pregnant"):
        assert "midwife" in named[0]
