"""The follow-up commands: `triage diary ...` and `triage recheck SAVED_ANSWERS`, and what they
add to the main command (`--reminder FILE.ics`, the diary on the sheet).

Arguments in, exit code out, like cli.py (which dispatches here and catches TriageError). The
words a person reads come from rules/followup.yaml; the questions are asked through the
interview (triage.interview) and the terminal module (triage.terminal), the only one that
imports questionary.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import sys
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from triage import dates
from triage.answer import yes_no
from triage.conditions import All, Test
from triage.errors import UsageError
from triage.model import SHEET_FORMATS, Choice, Question
from triage.pipeline import Triage

VERBS = ("add", "list", "change", "delete", "forget", "chart")


def _terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def plain_output() -> bool:
    """Plain characters only: TERM=dumb, or not a terminal (a file, a pipe, a screen reader)."""
    return os.environ.get("TERM") == "dumb" or not sys.stdout.isatty()


# -- the diary ------------------------------------------------------------------------------------


class DiaryWords:
    """The diary's words and choices, from rules/followup.yaml and the questions' labels."""

    def __init__(self, triage: Triage) -> None:
        self.t = triage
        self.all = triage.followup["diary"]
        self.messages = self.all["messages"].plain()
        self.q = self.all["questions"]
        self.words = self.all["words"]
        self.calendar = triage.followup["calendar"]
        locations = next(q for q in triage.questions if q.key == "locations")
        self.muscles = {c.value: c.label for c in locations.choices}
        self.durations = {c["value"]: str(c["label"]) for c in self.q["duration"]["choices"]}
        self.helped = {c["value"]: str(c["label"]) for c in self.q["helped"]["choices"]}

    def say(self, key: str, **values: Any) -> str:
        return str(self.messages[key]).format(**values)

    def when(self, at: datetime.datetime, today: datetime.date) -> str:
        days = (today - at.date()).days
        named = (
            str(self.words["today"])
            if days == 0
            else str(self.words["yesterday"])
            if days == 1
            else f"{self.calendar['weekdays'][at.weekday()]} {at.day} "
            f"{self.calendar['short_months'][at.month - 1]} {at.year}"
        )
        return f"{named} {at:%H:%M}"

    def entry(self, e: Any, today: datetime.date, remedies: Mapping[str, str]) -> str:
        w = self.words
        tried = ", ".join(remedies.get(t, self.q["tried"]["other"]) for t in e.tried)
        if not e.tried:
            tail = w["nothing_tried"] if e.helped is None and e.woke is not None else ""
        elif e.helped:
            tail = w["tried"].format(tried=tried, helped=self.helped[e.helped].lower())
        else:
            tail = w["tried_unknown"].format(tried=tried)
        return str(w["entry"]).format(
            when=self.when(e.at, today),
            muscle=self.muscles[e.muscle].split(" (")[0].lower(),
            duration=self.durations[e.duration].lower(),
            pain="" if e.pain is None else w["pain"].format(pain=e.pain),
            woke=w["woke"] if e.woke else "",
            tried=tail,
        )


def _remedy_choices(triage: Triage, answers_path: str | None) -> dict[str, str]:
    """What a person may have tried during a cramp: the remedies of their own sheet (from their
    saved answers), or, without them, those the sheet offers someone who reported nothing."""
    answers = triage.answers_from_file(answers_path) if answers_path else {"version": 1}
    result = triage.evaluate(answers)
    return {r.id: r.title for r in result.remedies if r.when == "during"}


def diary_parser(triage: Triage) -> argparse.ArgumentParser:
    words = DiaryWords(triage)
    h = words.all["help"]
    p = argparse.ArgumentParser(
        prog="triage diary",
        description=h["diary"],
        epilog=str(h["epilog"]),
    )
    p.add_argument("--rules", metavar="DIR", help=triage.phrases("cli.rules"))  # cli reads it
    verbs = p.add_subparsers(dest="verb", metavar="{" + ",".join(VERBS) + "}", required=True)
    entry_options = {
        "when": {"help": h["when"]},
        "muscle": {"help": str(h["muscle"]).format(values=", ".join(words.muscles))},
        "duration": {"help": str(h["duration"]).format(values=", ".join(words.durations))},
        "pain": {"type": int, "help": h["pain"]},
        "tried": {
            "action": "append",
            "metavar": "REMEDY",
            "help": str(h["tried"]).format(values=h["tried_values"]),
        },
        "helped": {"help": str(h["helped"]).format(values=", ".join(words.helped))},
    }
    for verb in VERBS:
        sub = verbs.add_parser(verb, help=h[verb], description=h[verb])
        if verb in ("change", "delete"):
            sub.add_argument("entry", type=int, metavar="NUMBER", help=h["entry"])
        if verb in ("add", "change"):
            for name, spec in entry_options.items():
                sub.add_argument(f"--{name}", **spec)
            woke = sub.add_mutually_exclusive_group()
            woke.add_argument("--woke", action="store_true", default=None, help=h["woke"])
            woke.add_argument("--no-woke", dest="woke", action="store_false", help=h["no_woke"])
            sub.add_argument("--answers", metavar="FILE", help=h["answers"])
        if verb in ("delete", "forget"):
            sub.add_argument("--yes", action="store_true", help=h["assume_yes"])
        if verb == "list":
            sub.add_argument("--json", action="store_true", help=h["json"])
        if verb == "chart":
            sub.add_argument("--weeks", type=int, default=8, help=h["weeks"])
            sub.add_argument("--to", metavar="DATE", help=h["to"])
            sub.add_argument("--plain", action="store_true", help=h["plain"])
    return p


def diary_main(argv: Sequence[str], triage: Triage | None = None) -> int:
    from triage.diary import Diary

    triage = triage or Triage()
    args = diary_parser(triage).parse_args(list(argv))
    words = DiaryWords(triage)
    book = Diary(words.messages)
    now = datetime.datetime.now().replace(second=0, microsecond=0)
    if args.verb == "add":
        return _add(triage, words, book, args, now)
    if args.verb == "change":
        return _change(triage, words, book, args, now)
    if args.verb == "list":
        entries = book.entries()
        if args.json:
            sys.stdout.write(json.dumps([e.to_dict() for e in entries], indent=2) + "\n")
            return 0
        if not entries:
            print(words.say("empty"))
            return 0
        remedies = _remedy_choices(triage, None)
        print(str(words.words["list_title"]).format(count=len(entries)))
        for e in entries:
            print(f"{e.id:>4}  {words.entry(e, now.date(), remedies)}")
        return 0
    if args.verb == "delete":
        entry = book.get(args.entry)
        remedies = _remedy_choices(triage, None)
        text = words.entry(entry, now.date(), remedies)
        if not _confirmed(args.yes, words, words.say("confirm_delete", id=entry.id, entry=text)):
            print(words.say("kept"))
            return 0
        book.delete(args.entry)
        print(words.say("deleted", id=entry.id, entry=text))
        return 0
    if args.verb == "forget":
        if not book.exists():
            print(words.say("nothing_to_forget"))
            return 0
        count = len(book.entries())
        if not _confirmed(args.yes, words, words.say("confirm_forget", count=count)):
            print(words.say("kept"))
            return 0
        book.forget()
        print(words.say("forgotten", path=book.path))
        return 0
    return _chart(triage, words, book, args, now)


def _confirmed(yes: bool, words: DiaryWords, question: str) -> bool:
    if yes:
        return True
    if not _terminal():
        raise UsageError(words.say("confirm_needs_terminal", what=question.split(" (")[0]))
    from triage.terminal import ask_terminal

    say = _phrases()
    confirm = Question("confirm", "confirm", "confirm", question, **yes_no(say))
    return bool(ask_terminal(confirm, say, None, None, False))


def _chart(triage: Triage, words: DiaryWords, book: Any, args: Any, now: datetime.datetime) -> int:
    from triage.contract import parse_day

    if args.to is not None and parse_day(args.to) is None:
        raise UsageError(words.say("bad_day", value=args.to))
    if not 1 <= args.weeks <= 104:
        raise UsageError(words.say("bad_weeks"))
    entries = book.entries()
    if not entries:
        print(words.say("empty"))
        return 0
    to = parse_day(args.to) if args.to else now.date()
    assert to is not None
    sys.stdout.write(chart_text(triage, entries, to, args.weeks, args.plain or plain_output()))
    return 0


def chart_record(
    triage: Triage, entries: Sequence[Any], to: datetime.date, weeks: int = 8, plain: bool = True
) -> dict[str, Any]:
    from triage import chart

    words = DiaryWords(triage)
    return chart.record(
        entries, to, words.all["chart"], words.calendar, words.durations, weeks, plain
    )


def chart_text(
    triage: Triage, entries: Sequence[Any], to: datetime.date, weeks: int, plain: bool
) -> str:
    from triage import sheet

    record = chart_record(triage, entries, to, weeks, plain)
    return sheet.render(triage._templates, "chart", {"chart": record})


# -- asking for one cramp --------------------------------------------------------------------------


def _select(qid: str, table: Any, choices: Sequence[tuple[Any, str]], **kw: Any) -> Question:
    return Question(
        qid,
        qid,
        "select",
        str(table["prompt"]),
        choices=tuple(Choice(v, label) for v, label in choices),
        **kw,
    )


def entry_questions(
    words: DiaryWords, remedies: Mapping[str, str], now: datetime.datetime
) -> tuple[Question, ...]:
    """The questions for one cramp, quickest first: Enter on the first choice is 'just now'."""
    q = words.q
    cal = words.calendar
    times = [
        (c["value"], str(c["label"]))
        for c in q["part_of_day"]["choices"]
        if str(c["value"]) <= f"{now:%H:%M}"
    ]
    days = [now.date() - datetime.timedelta(days=n) for n in range(1, 15)]
    day_labels = [
        (
            d.isoformat(),
            str(words.words["yesterday"]).capitalize()
            if n == 0
            else f"{cal['weekdays'][d.weekday()]} {d.day} {cal['short_months'][d.month - 1]}",
        )
        for n, d in enumerate(days)
    ]
    when_choices = [
        (c["value"], str(c["label"]))
        for c in q["when"]["choices"]
        if c["value"] != "earlier_today" or times
    ]
    every_time = [(c["value"], str(c["label"])) for c in q["part_of_day"]["choices"]]
    return (
        _select("when", q["when"], when_choices),
        _select("day", q["day"], day_labels, when=Test("when", "eq", "another_day")),
        _select("time", q["part_of_day"], every_time, when=Test("when", "eq", "another_day")),
        _select("time_today", q["part_of_day"], times, when=Test("when", "eq", "earlier_today")),
        _select("muscle", q["muscle"], list(words.muscles.items())),
        _select("duration", q["duration"], list(words.durations.items())),
        Question("pain", "pain", "number", str(q["pain"]["prompt"]), minimum=0, maximum=10),
        Question("woke", "woke", "confirm", str(q["woke"]["prompt"]), **yes_no(_phrases())),
        Question(
            "tried",
            "tried",
            "checkbox",
            str(q["tried"]["prompt"]),
            choices=tuple(
                Choice(rid, title)
                for rid, title in [*remedies.items(), ("other", str(q["tried"]["other"]))]
            ),
            none_label=str(q["tried"]["none"]),
        ),
        _select(
            "helped",
            q["helped"],
            list(words.helped.items()),
            when=All((Test("tried", "has_any", (*remedies, "other")),)),
        ),
    )


def entry_from_answers(
    answers: Mapping[str, Any], words: DiaryWords, now: datetime.datetime, number: int = 0
) -> Any:
    from triage.diary import Entry

    when = answers["when"]
    if when == "now":
        at = now
    elif when == "last_night":
        at = last_night(words, now)
    elif when == "earlier_today":
        at = datetime.datetime.combine(
            now.date(), datetime.time.fromisoformat(answers["time_today"])
        )
    else:
        at = datetime.datetime.combine(
            datetime.date.fromisoformat(answers["day"]),
            datetime.time.fromisoformat(answers["time"]),
        )
    return Entry(
        number,
        at,
        answers["muscle"],
        answers["duration"],
        answers.get("pain"),
        answers.get("woke"),
        tuple(answers.get("tried", ())),
        answers.get("helped"),
    )


def last_night(words: DiaryWords, now: datetime.datetime) -> datetime.datetime:
    """'Last night': 03:00 this morning, or, before 03:00, of the morning before."""
    at = datetime.datetime.combine(
        now.date(), datetime.time.fromisoformat(words.all["last_night_at"])
    )
    return at if at <= now else at - datetime.timedelta(days=1)


class _NoReview:
    """The terminal's asking and progress line, without the questionnaire's review."""

    def __init__(self, defaults: Mapping[str, Any] | None = None) -> None:
        from triage.cli import dumb_terminal

        self.terminal = _terminal_ask(dumb_terminal())  # as the questionnaire asks there
        self.progress = self.terminal.progress
        self.defaults = defaults or {}

    def __call__(self, q: Question, default: Any = None) -> Any:
        return self.terminal(q, self.defaults.get(q.id) if default is None else default)


def ask_entry(
    words: DiaryWords,
    remedies: Mapping[str, str],
    now: datetime.datetime,
    defaults: Mapping[str, Any] | None = None,
) -> Any:
    from triage.interview import Interview

    interview = Interview(entry_questions(words, remedies, now), _NoReview(defaults))
    return entry_from_answers(interview.run(), words, now)


def _entry_options(
    args: Any, words: DiaryWords, remedies: Mapping[str, str], now: datetime.datetime
) -> dict[str, Any]:
    """The fields given as options, checked."""
    out: dict[str, Any] = {}
    if args.when is not None:
        out["at"] = parse_when(args.when, words, now)
    for option, table in (("muscle", words.muscles), ("duration", words.durations)):
        value = getattr(args, option)
        if value is not None:
            if value not in table:
                raise UsageError(
                    words.say(
                        "bad_choice", option=f"--{option}", value=value, values=", ".join(table)
                    )
                )
            out[option] = value
    if args.pain is not None:
        if not 0 <= args.pain <= 10:
            raise UsageError(words.say("bad_pain"))
        out["pain"] = args.pain
    if args.woke is not None:
        out["woke"] = args.woke
    if args.tried is not None:
        allowed = [*remedies, "other"]
        for item in args.tried:
            if item not in allowed:
                raise UsageError(
                    words.say("bad_choice", option="--tried", value=item, values=", ".join(allowed))
                )
        out["tried"] = tuple(dict.fromkeys(args.tried))
    if args.helped is not None:
        if args.helped not in words.helped:
            raise UsageError(
                words.say(
                    "bad_choice",
                    option="--helped",
                    value=args.helped,
                    values=", ".join(words.helped),
                )
            )
        out["helped"] = args.helped
    return out


def parse_when(text: str, words: DiaryWords, now: datetime.datetime) -> datetime.datetime:
    given = text.strip().lower()
    if given == "now":
        return now
    if given in ("last-night", "last_night", "last night"):
        return last_night(words, now)
    at: datetime.datetime | None = None
    for form in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            at = datetime.datetime.strptime(given, form)
            break
        except ValueError:
            continue
    if at is None:
        raise UsageError(words.say("bad_when", value=repr(text)))
    if len(given) == 10:
        at = at.replace(hour=12)
    if at > now:
        raise UsageError(words.say("future", value=text))
    return at


def _add(triage: Triage, words: DiaryWords, book: Any, args: Any, now: datetime.datetime) -> int:
    from triage.diary import Entry

    remedies = _remedy_choices(triage, args.answers)
    options = _entry_options(args, words, remedies, now)
    if options.keys() - {"at"} or not _terminal():
        for needed in ("muscle", "duration"):
            if needed not in options:
                if not options and not _terminal():
                    raise UsageError(words.say("no_terminal"))
                raise UsageError(words.say("needs", option=f"--{needed}"))
        entry = Entry(0, options.pop("at", now), options.pop("muscle"), options.pop("duration"))
        saved = book.add(entry._replace(**options))
        print(words.say("saved", id=saved.id, entry=words.entry(saved, now.date(), remedies)))
        _warn_if_long(words, saved)
        return 0
    from triage.terminal import ask_terminal

    prompt = str(words.q["another"]["prompt"])
    another = Question("another", "another", "confirm", prompt, **yes_no(_phrases()))
    while True:
        entry = ask_entry(words, remedies, now)
        if "at" in options:
            entry = entry._replace(at=options["at"])
        saved = book.add(entry)
        print(words.say("saved", id=saved.id, entry=words.entry(saved, now.date(), remedies)))
        _warn_if_long(words, saved)
        if not ask_terminal(another, _phrases(), None, None, False):
            return 0
        now = datetime.datetime.now().replace(second=0, microsecond=0)


def _change(triage: Triage, words: DiaryWords, book: Any, args: Any, now: datetime.datetime) -> int:
    remedies = _remedy_choices(triage, args.answers)
    entry = book.get(args.entry)
    options = _entry_options(args, words, remedies, now)
    if not options:
        if not _terminal():
            raise UsageError(words.say("no_change", id=entry.id))
        defaults = {
            "when": "another_day",
            "day": entry.at.date().isoformat(),
            "muscle": entry.muscle,
            "duration": entry.duration,
            "pain": entry.pain,
            "woke": entry.woke,
            "tried": list(entry.tried),
            "helped": entry.helped,
        }
        asked = ask_entry(words, remedies, now, defaults)
        options = {
            f: getattr(asked, f)
            for f in ("at", "muscle", "duration", "pain", "woke", "tried", "helped")
        }
    changed = book.change(entry.id, **options)
    print(words.say("changed", id=changed.id, entry=words.entry(changed, now.date(), remedies)))
    _warn_if_long(words, changed)
    return 0


def _warn_if_long(words: DiaryWords, entry: Any) -> None:
    """A cramp over 10 minutes that nothing eased (or nobody said) gets the warning at once."""
    if entry.duration == "over_10_minutes" and entry.helped != "helped":
        print(words.say("long_cramp"))


# -- the re-check ------------------------------------------------------------------------------


def recheck_parser(say: Any) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="triage recheck",
        description=say("cli.recheck.description"),
        epilog=say("cli.recheck.epilog"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("saved", metavar="SAVED_ANSWERS", help=say("cli.recheck.saved"))
    p.add_argument("--answers", metavar="FOLLOW_UP", help=say("cli.recheck.answers"))
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help=say("cli.recheck.json"))
    out.add_argument("--format", choices=SHEET_FORMATS, help=say("cli.recheck.format"))
    p.add_argument("--full", action="store_true", help=say("cli.recheck.full"))
    p.add_argument("--out", metavar="FILE", help=say("cli.recheck.out"))
    p.add_argument("--save-answers", metavar="FILE", help=say("cli.recheck.save_answers"))
    p.add_argument("--reminder", metavar="FILE.ics", help=say("cli.recheck.reminder"))
    p.add_argument("--country", default="generic", help=say("cli.recheck.country"))
    p.add_argument(
        "--diary",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=say("cli.recheck.diary"),
    )
    p.add_argument("--plain", action="store_true", help=say("cli.recheck.plain"))
    p.add_argument("--rules", metavar="DIR", help=say("cli.rules"))  # cli reads it
    return p


def recheck_main(argv: Sequence[str], triage: Triage | None = None) -> int:
    from triage.cli import country_id, plain_terminal
    from triage.diary import fill
    from triage.files import output_target
    from triage.recheck import Rechecker, beside, save_new

    triage = triage or Triage()
    args = recheck_parser(triage.phrases).parse_args(list(argv))
    for path in (args.out, args.reminder, args.save_answers):
        if path:
            output_target(path)  # a file that cannot be written fails before the first question
    words = triage.followup["recheck"]
    if args.save_answers and os.path.lexists(args.save_answers):  # never over a file: say so now
        raise UsageError(words["exists"].format(path=args.save_answers))
    plain = plain_terminal(args)
    country = country_id(triage, args.country)
    saved = triage.answers_from_file(args.saved)
    rechecker = Rechecker(triage)
    use_diary = args.diary if args.diary is not None else not args.answers
    entries = sheet_diary(triage) if use_diary else []
    if args.answers:
        follow_up = rechecker.follow_up_from_file(args.answers)
        day = dates.answered(follow_up)
        done = rechecker.from_file(
            saved, follow_up, fill(entries, day) if day else None, Path(args.answers).name
        )
    else:
        if not _terminal():
            raise UsageError(words["no_terminal"])
        today = datetime.date.today()
        intro = str(words["intro"]).format(since=_since(rechecker, saved, triage))
        print(textwrap.fill(intro, width=min(80, shutil.get_terminal_size().columns) - 1) + "\n")
        done = rechecker.interview(saved, _terminal_ask(plain), fill(entries, today), today)
    target = (
        Path(args.save_answers)
        if args.save_answers
        else beside(args.saved, done.answers.get("answered_on"))
    )
    if target.resolve() == Path(args.saved).resolve():
        raise UsageError(words["same_file"].format(path=args.saved))
    to = dates.answered(done.answers) or (entries[-1].at.date() if entries else None)
    extras: dict[str, Any] = {"recheck": done.record()}
    if entries and to is not None and done.result.disposition != "emergency":
        extras["diary"] = chart_record(triage, entries, to)
    reminder = _reminder_text(triage, args.reminder, done.result, done.answers)
    if os.path.lexists(target):
        raise UsageError(words["exists"].format(path=target))
    result = triage.evaluate(done.answers, country)
    if args.json:
        data = triage.result_data(result, done.answers, extras)
        data["recheck"] = done.to_dict(str(target))
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    elif args.format is None and not args.out and sys.stdout.isatty():
        text = ""
    else:
        text = triage.sheet(result, done.answers, args.format or "text", args.full, extras=extras)
    save_new(target, triage.answers_text(done.answers), words)
    if text:
        _emit(args.out, text, triage.phrases)
    else:
        print()
        triage.show(result, done.answers, args.full, plain=plain, again=str(target), extras=extras)
    _write_reminder(triage, args.reminder, reminder, done.result)
    print(str(words["saved"]).format(path=target), file=sys.stderr)
    return 0


def _since(rechecker: Any, saved: Mapping[str, Any], triage: Triage) -> str:
    from triage.recheck import since

    return since(saved, rechecker.words, triage.knowledge.months)


def _terminal_ask(plain: bool = False) -> Any:
    """The asker of the re-check and the diary: plain numbered lines, or the arrow-key prompts."""
    if plain:
        from triage.plain import Plain, console_width

        return Plain(_phrases(), width=console_width())
    from triage.terminal import Terminal

    return Terminal(_phrases())


def _phrases() -> Any:
    """The terminal's own words (rules/ui.yaml): its keys, its messages under the prompt."""
    return Triage().phrases


def _emit(out: str | None, text: str, say: Any) -> None:
    from triage.files import write_atomic

    if out:
        write_atomic(out, text)
        print(say("cli.wrote", path=out), file=sys.stderr)
    else:
        sys.stdout.write(text)


# -- what the main command gains ------------------------------------------------------------------


def _reminder_text(
    triage: Triage, path: str | None, result: Any, answers: Mapping[str, Any]
) -> str | None:
    """The iCalendar text for --reminder, worked out before anything is written: a sheet with
    no re-check date is refused in one line and nothing is written."""
    if not path:
        return None
    words = triage.followup["reminder"]
    answered = dates.answered(answers)
    if result.recheck_on is None or answered is None:
        raise UsageError(words["none"])
    from triage import reminder

    day = datetime.date.fromisoformat(result.recheck_on)
    line = next(
        (s for s in result.safety_net if dates.spell(day, triage.knowledge.months) in s), ""
    )
    return reminder.calendar_text(
        day, answered, str(words["summary"]), str(words["description"]).format(line=line)
    )


def _write_reminder(triage: Triage, path: str | None, text: str | None, result: Any) -> None:
    from triage.files import write_atomic

    if not path or text is None:
        return
    write_atomic(path, text)
    day = datetime.date.fromisoformat(result.recheck_on)
    print(
        str(triage.followup["reminder"]["wrote"]).format(
            path=path, date=dates.spell(day, triage.knowledge.months)
        ),
        file=sys.stderr,
    )


SHEET_WAIT = 2.0  # seconds a sheet waits for a diary another program holds


def sheet_diary(triage: Triage) -> list[Any]:
    """The diary's entries for a sheet or a re-check. The diary is an extra: one that cannot be
    read now (another program holds it, a read-only disk, damage) is left out, in one line, and
    the advice is never lost to it, nor kept waiting long."""
    from triage.diary import Diary
    from triage.errors import DiaryError

    messages = triage.followup["diary"]["messages"].plain()
    try:
        return Diary(messages, wait=SHEET_WAIT).entries()
    except DiaryError as exc:
        print(f"triage: {messages['left_out'].format(problem=exc)}", file=sys.stderr)
        return []


def sheet_extras(
    triage: Triage, answers: Mapping[str, Any], use_diary: bool, disposition: str
) -> dict[str, Any]:
    """The main command's additions to the sheet: the diary's last 8 weeks, for the clinician."""
    if not use_diary or disposition == "emergency":
        return {}
    entries = sheet_diary(triage)
    to = dates.answered(answers) or (entries[-1].at.date() if entries else None)
    if not entries or to is None:
        return {}
    return {"diary": chart_record(triage, entries, to)}


def reminder_for_main(
    triage: Triage, path: str | None, result: Any, answers: Mapping[str, Any]
) -> str | None:
    return _reminder_text(triage, path, result, answers)


def write_reminder(triage: Triage, path: str | None, text: str | None, result: Any) -> None:
    _write_reminder(triage, path, text, result)
