"""Command line: arguments in, exit code out. The only place that catches TriageError."""

from __future__ import annotations

import sys


def _saved() -> list[str]:
    """The files written before a stop (none if triage.files never loaded). Defined first: a
    stop can land while the rest of this module is still loading."""
    return list(getattr(sys.modules.get("triage.files"), "SAVED", []))


def _stopped_quietly(kind: type[BaseException], value: BaseException, tb: object) -> None:
    """A Ctrl-C that lands outside main()'s handler (while Python is still loading triage, in
    the first milliseconds) stops as one inside it does: one line, never a traceback."""
    if issubclass(kind, KeyboardInterrupt):
        # Python is still loading triage: rules/ui.yaml is not read, so these are Aborted's
        # own fallback words (see triage.errors.Aborted), not the data's.
        errors = sys.modules.get("triage.errors")  # loaded before any file can be saved
        said = errors.Aborted(_saved()) if errors else "Stopped. Nothing was saved."
        print(f"triage: {said}", file=sys.stderr)
    else:
        sys.__excepthook__(kind, value, tb)  # type: ignore[arg-type]


sys.excepthook = _stopped_quietly  # before the other imports: they take milliseconds

import argparse  # noqa: E402
import contextlib  # noqa: E402
import errno  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
from collections.abc import Iterator, Sequence  # noqa: E402
from typing import TYPE_CHECKING, Any  # noqa: E402

from triage import __version__  # noqa: E402
from triage.errors import (  # noqa: E402
    Aborted,
    Said,
    TriageError,
    UsageError,
    loading_copy,
    printable,
    show,
)
from triage.model import SHEET_FORMATS  # noqa: E402

if TYPE_CHECKING:
    from triage.model import Phrases
    from triage.pipeline import Triage


def _phrases() -> Phrases:
    from triage.pipeline import Triage

    return Triage().phrases


def parser(phrases: Phrases | None = None) -> argparse.ArgumentParser:
    say = phrases or _phrases()
    p = argparse.ArgumentParser(
        prog="triage",
        description=say("cli.description"),
        epilog=say("cli.epilog"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,  # --ful is a typo, not --full: "did you mean" says so
    )
    p.add_argument(
        "--answers",
        metavar="FILE",
        help=say("cli.answers"),
    )
    p.add_argument("--rules", metavar="DIR", help=say("cli.rules"))
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help=say("cli.json"))
    out.add_argument("--format", choices=SHEET_FORMATS, help=say("cli.format"))
    p.add_argument("--full", action="store_true", help=say("cli.full"))
    p.add_argument("--out", metavar="FILE", help=say("cli.out"))
    p.add_argument("--save-answers", metavar="FILE", help=say("cli.save_answers"))
    p.add_argument("--overwrite", action="store_true", help=say("cli.overwrite"))
    p.add_argument("--plain", action="store_true", help=say("cli.plain"))
    p.add_argument("--export-questionnaire", metavar="FILE", help=say("cli.export_questionnaire"))
    p.add_argument("--country", default="generic", help=say("cli.country"))
    p.add_argument("--reminder", metavar="FILE.ics", help=say("cli.reminder"))
    p.add_argument(
        "--diary", action=argparse.BooleanOptionalAction, default=None, help=say("cli.diary")
    )
    p.add_argument(
        "--version",
        action="version",
        version=f"triage {__version__}",
        # given, not left to argparse: before Python 3.13 it never asks gettext for this one
        help=say("cli.argparse.show program's version number and exit"),
    )
    return p


def check_outputs(args: argparse.Namespace, say: Phrases) -> None:
    """Refuse, before the first question (so no answer is given for nothing): an output that
    cannot be written, two options naming the same file, HTML poured onto the screen, and saved
    answers replaced without --overwrite (a device or pipe, such as /dev/null, is written to,
    never replaced, so it needs no --overwrite)."""
    from triage.files import output_target, same_file

    if args.format == "html" and not args.out and sys.stdout.isatty():
        raise UsageError(say("cli.html_on_screen"))
    for option, path in (
        ("--answers", args.answers),
        ("--out", args.out),
        ("--save-answers", args.save_answers),
        ("--export-questionnaire", args.export_questionnaire),
    ):
        if path == "":
            raise UsageError(say("cli.empty_name", option=option))
    if args.out == "-":  # as for --export-questionnaire: '-' is the screen
        args.out = None
    if args.save_answers == "-":  # (--answers - is the keyboard or a pipe: see run)
        raise UsageError(say("cli.save_to_screen"))
    outputs = [
        (option, path)
        for option, path in (
            ("--out", args.out),
            ("--save-answers", args.save_answers),
            ("--export-questionnaire", args.export_questionnaire),
            ("--reminder", getattr(args, "reminder", None)),
        )
        if path and not (option == "--export-questionnaire" and path == "-")
    ]
    targets = {option: output_target(path) for option, path in outputs}
    saving = targets.get("--save-answers")
    if (
        saving is not None
        and not saving.direct
        and not args.overwrite
        and not _saving_over_the_answers(args)
        and os.path.lexists(args.save_answers)
    ):
        raise UsageError(say("cli.exists", path=args.save_answers))
    named = ([("--answers", args.answers)] if args.answers is not None else []) + outputs
    for i, (first, a) in enumerate(named):
        for second, b in named[i + 1 :]:
            if same_file(a, b):  # even --save-answers over --answers: it would lose comments
                raise UsageError(
                    say("cli.same_file", first=first, second=second, path=printable(a))
                )


def _saving_over_the_answers(args: argparse.Namespace) -> bool:
    """--save-answers names the --answers file itself: refused below as the same file (rewriting
    it would drop the person's own comments), not as a file that needs --overwrite."""
    from triage.files import same_file

    return bool(args.save_answers and args.answers and same_file(args.answers, args.save_answers))


def dumb_terminal() -> bool:
    """A terminal that cannot move the cursor: questions are asked in plain numbered lines."""
    return os.environ.get("TERM", "").lower() in ("dumb", "unknown")


def plain_terminal(args: argparse.Namespace) -> bool:
    """Plain numbered lines: asked for, or a terminal that cannot move the cursor."""
    return bool(args.plain) or dumb_terminal()


def _write_or_say(path: str, text: str, say: Phrases) -> str | None:
    """Write `path`; on failure, the one-line reason instead (the caller shows the text)."""
    from triage.files import write_atomic

    try:
        write_atomic(path, text)
    except UsageError as exc:
        return exc.said(say)
    return None


def with_rules(given: str | None, triage: Any = None) -> Any:
    """The Triage of `--rules DIR` (another folder of rules and words: another language, say),
    loaded; the built-in one when none was given."""
    from triage.pipeline import Triage

    triage = triage or Triage()
    if given is None:
        return triage
    from pathlib import Path

    if triage.rules_dir.resolve() != Path(given).resolve():  # not made for its words already
        triage = _copy(given, triage)
    with loading_copy(given):
        triage.load()  # a broken one stops here, before any question (exit 3)
    return triage


@contextlib.contextmanager
def argparse_words(say: Phrases) -> Iterator[None]:
    """argparse's own words (usage:, options:, its usage errors) from rules/ui.yaml
    `cli.argparse`, so a copy of rules/ in another language changes them too. argparse asks
    gettext for each by its English (its message id) when it makes a parser, its help or an
    error; here it asks the data instead, keeping the id's outer spaces and line ends."""
    words = say.group("cli.argparse")

    def lookup(message: str) -> str:
        core = message.strip()
        if core not in words:
            return message  # one no person sees (a programming error) is left as it is
        start = message.index(core)
        return message[:start] + words[core] + message[start + len(core) :]

    def plural(singular: str, many: str, count: int) -> str:
        return lookup(singular if count == 1 else many)

    before = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = lookup, plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = before  # type: ignore[attr-defined]


def _copy(given: str, triage: Triage) -> Triage:
    """The Triage of the `--rules DIR` folder, not loaded yet; a wrong folder is a usage error
    (exit 2), in the words of `triage`."""
    from pathlib import Path

    from triage.batch import check_rules_folder
    from triage.pipeline import Triage

    check_rules_folder(given, triage.phrases)
    return Triage(rules=Path(given))


def _words(argv: list[str], triage: Triage) -> tuple[Triage, Phrases]:
    """The Triage whose words make a command's help and usage errors: that of its `--rules DIR`
    copy when one is given (read before the parser is made; `run` then loads this one), else
    `triage`; and those words."""
    given = _rules_option(argv)[1]
    if not given or given.startswith("-"):  # none, or its value left out: argparse says so
        return triage, triage.phrases
    triage = _copy(given, triage)
    with loading_copy(given):
        return triage, triage.phrases


def _rules_option(argv: list[str]) -> tuple[list[str], str | None]:
    """A follow-up command's `--rules DIR` (or `--rules=DIR`), anywhere in it, taken out: its
    parser's words (the help) come from that folder, so it is read before the parser is made."""
    rest: list[str] = []
    given: str | None = None
    words = iter(argv)
    for word in words:
        if word == "--":
            rest += [word, *words]
        elif word == "--rules":
            given = next(words, "")
        elif word.startswith("--rules="):
            given = word.partition("=")[2]
        else:
            rest.append(word)
    return rest, given


def run(args: argparse.Namespace, triage: Any = None) -> int:
    triage = with_rules(args.rules, triage)
    say = triage.phrases
    check_outputs(args, say)  # an output that cannot be made fails before any question
    if args.export_questionnaire:
        return export_questionnaire(triage, args.export_questionnaire, say)
    args.country = country_id(triage, args.country)  # a bad --country fails before any question
    plain = plain_terminal(args)
    if args.answers is not None:
        if args.answers == "-" and sys.stdin.isatty():
            raise UsageError(say("cli.stdin_is_terminal"))
        answers = triage.answers_from_file(args.answers)
    else:
        if not sys.stdin.isatty():
            raise UsageError(say("cli.no_terminal"))
        if not sys.stdout.isatty() and not args.out:
            raise UsageError(say("cli.output_not_terminal"))
        answers = triage.interview(plain=plain)
    from triage import commands

    result = triage.evaluate(answers, args.country)
    reminder = commands.reminder_for_main(triage, args.reminder, result, answers)
    use_diary = args.diary if args.diary is not None else not args.answers
    extras = commands.sheet_extras(triage, answers, use_diary and not args.json, result.disposition)
    saved = triage.answers_text(answers, args.save_answers) if args.save_answers else ""
    problems: list[str] = []
    again = args.answers if args.answers and args.answers != "-" else ""
    if args.save_answers:
        problem = _write_or_say(args.save_answers, saved, say)
        if problem:  # the answers are shown, so they are not lost
            problems.append(problem)
            keep = say("cli.not_saved", problem=problem)
            print(f"triage: {keep}\n{saved}", file=sys.stderr)
        else:
            print(say("cli.saved", path=args.save_answers), file=sys.stderr)
            again = args.save_answers
    if args.json:
        text = triage.result_json(result, answers, extras)
    elif args.format is None and not args.out and sys.stdout.isatty():
        triage.show(result, answers, args.full, plain=plain, again=again, extras=extras)
        text = ""
    else:
        import datetime

        made_on = datetime.date.today().isoformat()  # the clinician's page says when
        text = triage.sheet(
            result, answers, args.format or "text", args.full, made_on, extras=extras
        )
    if args.out:
        problem = _write_or_say(args.out, text, say)
        if problem is None:
            if (
                not args.json
            ):  # the sheet is in a file: the screen still says the tier and what to do
                sys.stdout.write(triage.headline(result))
                sys.stdout.flush()
            print(say("cli.wrote", path=printable(args.out, 1000)), file=sys.stderr)
        else:  # the result is shown on the screen all the same
            problems.append(problem)
            if sys.stdout.isatty() and not args.json:
                triage.show(result, answers, args.full, plain=plain, again=again, extras=extras)
            else:
                sys.stdout.write(text)
    elif text:
        sys.stdout.write(text)
    try:
        commands.write_reminder(triage, args.reminder, reminder, result)
    except UsageError as exc:  # the sheet is out already: say so, and exit 2
        problems.append(exc.said(say))
    for problem in problems:
        print(f"triage: {problem}", file=sys.stderr)
    return 2 if problems else 0


def export_questionnaire(triage: Any, path: str, say: Phrases) -> int:
    from triage import fhir
    from triage.files import write_atomic

    text, notes = fhir.questionnaire_text(triage.questions, say)
    for note in notes:
        said = say("cli.note", note=note)
        print(f"triage: {said}", file=sys.stderr)
    if path == "-":
        sys.stdout.write(text)
    else:
        write_atomic(path, text)
        print(say("cli.wrote", path=printable(path, 1000)), file=sys.stderr)
    return 0


def country_id(triage: Any, given: str) -> str:
    """--country as typed (uk, UK, gb, United Kingdom...) -> the id in rules/countries.yaml."""
    wanted = " ".join(given.replace("-", " ").replace("_", " ").split()).casefold()
    countries = triage.countries.values()
    for country in countries:
        names = [country.id, country.name, *country.aliases]
        if wanted in {" ".join(n.split()).casefold() for n in names}:
            return str(country.id)
    known = ", ".join(c.id for c in countries)
    say = triage.phrases
    raise UsageError(say("cli.unknown_country", given=show(given), known=known))


def batch_parser(say: Phrases) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="triage batch",
        allow_abbrev=False,
        description=say("cli.batch.description"),
        epilog=say("cli.batch.epilog"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("inputs", nargs="*", metavar="PATH", help=say("cli.batch.inputs"))
    p.add_argument("--compare", metavar="PREVIOUS.jsonl", help=say("cli.batch.compare"))
    p.add_argument("--jobs", type=int, default=1, metavar="N", help=say("cli.batch.jobs"))
    p.add_argument("--out", metavar="FILE", help=say("cli.batch.out"))
    p.add_argument("--rules", metavar="DIR", help=say("cli.batch.rules"))
    return p


def tables_parser(say: Phrases) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="triage tables",
        description=say("cli.tables.description"),
        epilog=say("cli.tables.epilog"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    p.add_argument(
        "--format",
        choices=("markdown", "html"),
        default="markdown",
        help=say("cli.tables.format"),
    )
    p.add_argument("--out", metavar="FILE", help=say("cli.tables.out"))
    p.add_argument("--rules", metavar="DIR", help=say("cli.tables.rules"))
    return p


def tables(args: argparse.Namespace, say: Phrases) -> int:
    from pathlib import Path

    from triage.files import output_target, write_atomic
    from triage.pipeline import Triage

    if args.rules is not None:
        from triage.batch import check_rules_folder

        check_rules_folder(
            args.rules, say
        )  # a wrong --rules is a usage error (exit 2), as in batch
    if args.out == "":
        raise UsageError(say("cli.empty_name", option="--out"))
    if args.out == "-":  # as for the sheet: '-' is the screen
        args.out = None
    if args.out:
        output_target(args.out)  # a bad --out fails before the tables are made
    triage = Triage(rules=Path(args.rules) if args.rules else None)
    with loading_copy(args.rules):  # the copy's files, not the tool's templates
        triage.load()
    text = triage.tables(args.format)
    if args.out:
        write_atomic(args.out, text)
        print(say("cli.wrote", path=printable(args.out, 1000)), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def parse(p: argparse.ArgumentParser, argv: list[str], say: Phrases) -> argparse.Namespace:
    """parse_args, except that an unknown option gets "did you mean" when one is close."""
    import difflib

    args, extra = p.parse_known_args(argv)
    unknown = next((a for a in extra if a.startswith("--")), None)
    if unknown is not None:
        name = printable(unknown.split("=", 1)[0], 60)  # typed text: escapes shown, not run
        known = [o for o in p._option_string_actions if o.startswith("--")]
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        if close:
            p.error(say("cli.did_you_mean", option=name, suggestion=close[0]))
        p.error(say("cli.unknown_option", option=name))
    return p.parse_args(argv) if extra else args  # argparse's own words for anything else


def main(argv: Sequence[str] | None = None, triage: Triage | None = None) -> int:
    """The command line. `triage`: rules already loaded, for a program (or a test) that runs
    many commands in one process; by default each call loads and checks rules/ afresh."""
    _standard_streams()
    code = _main(argv, triage)
    try:  # what is still buffered is written now, while a failure can still be said in one line
        sys.stdout.flush()
    except BrokenPipeError:
        return _closed(False, triage)
    except OSError as exc:
        return _output_failed(exc, triage)
    return code


class _ClosedOutput(io.TextIOBase):
    """Standard output when the shell closed it (`triage >&-`): writing fails as a full disk
    does, and is said in one line, never a traceback."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))


def _standard_streams() -> None:
    """A closed stdin reads as empty; a closed stdout refuses writes; an output that cannot
    encode every character (PYTHONIOENCODING=ascii, an old locale) shows a '?' for one it
    cannot, rather than losing the whole sheet to an error."""
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 (open until exit)
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors="replace")


def _output_failed(exc: OSError, triage: Triage | None) -> int:
    reason = exc.strerror or str(exc)
    return _fail(UsageError(Said("errors.write.output", {"reason": reason})), triage)


def _main(argv: Sequence[str] | None, triage: Triage | None) -> int:
    batch = False
    try:
        from triage import signals

        # SIGTERM and SIGHUP stop as Ctrl-C does: temporary files are removed, exit code 130.
        with signals.stop_like_ctrl_c():
            argv = list(sys.argv[1:] if argv is None else argv)
            if argv and argv[0] in ("diary", "recheck"):  # the follow-up commands: triage.commands
                return _follow_up(argv, triage)
            batch = bool(argv) and argv[0] == "batch"
            from triage.pipeline import Triage

            triage = triage or Triage()
            command = argv[0] if argv and argv[0] in ("batch", "tables") else None
            triage, say = _words(argv[1:] if command else argv, triage)  # broken: exit 3
            with argparse_words(say):
                if command == "batch":
                    from triage import batch as batch_module

                    return batch_module.main(parse(batch_parser(say), argv[1:], say), say)
                if command == "tables":  # the clinical tables, for review
                    return tables(parse(tables_parser(say), argv[1:], say), say)
                return run(parse(parser(say), argv, say), triage)
    except KeyboardInterrupt:
        return _fail(Aborted(_saved()), triage)
    except TriageError as exc:
        return _fail(exc, triage)
    except BrokenPipeError:
        return _closed(batch, triage)
    except OSError as exc:  # the output could not be written (a full disk, a closed stdout)
        return _output_failed(exc, triage)


def _follow_up(argv: list[str], triage: Triage | None) -> int:
    from triage import commands

    try:
        rest, given = _rules_option(argv[1:])
        triage = with_rules(given, triage)
        with argparse_words(triage.phrases):
            if argv[0] == "diary":
                return commands.diary_main(rest, triage)
            return commands.recheck_main(rest, triage)
    except KeyboardInterrupt:
        return _fail(Aborted(_saved()), triage)
    except TriageError as exc:
        return _fail(exc, triage)
    except BrokenPipeError:
        return _closed(False, triage)
    except OSError as exc:
        return _output_failed(exc, triage)


def _closed(batch: bool, triage: Triage | None) -> int:
    """Whoever read the output stopped reading (`| head`). Nothing more can go there, and Python
    must not try again at exit (that would print a traceback)."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if batch:  # results were lost: a script must know
        return _fail(UsageError(Said("cli.output_closed")), triage)
    return 0


def _fail(exc: TriageError, triage: Triage | None = None) -> int:
    print(f"triage: {exc.said(_phrases_for(exc, triage))}", file=sys.stderr)
    return exc.exit_code


def _phrases_for(exc: TriageError, triage: Triage | None) -> Phrases | None:
    """The words for an error that carries its key: from `triage`, or loaded now (the error may
    have come before they were). None when rules/ui.yaml cannot be read, or the stop came
    before triage could read it: the error then shows its own fallback (see Aborted)."""
    if exc.words is None:
        return None
    try:
        return triage.phrases if triage is not None else _phrases()
    except (TriageError, KeyboardInterrupt):
        return None
