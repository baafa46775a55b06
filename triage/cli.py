"""Command line: arguments in, exit code out. The only place that catches TriageError."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from triage import __version__
from triage.errors import Aborted, TriageError, UsageError

DESCRIPTION = """\
Answer a few questions about your leg cramps and get a personal advice sheet:
what to do during a cramp, how to prevent the next one, what to avoid in your
situation, and when to see a doctor and how soon.

Your answers stay on this computer. Nothing is sent anywhere.
This is not a diagnosis. If you are worried, speak to a doctor, nurse or pharmacist.
"""

EPILOG = """\
examples:
  triage                                   answer the questions in this terminal
  triage --save-answers me.yaml            ... and keep your answers to replay later
  triage --answers me.yaml                 make the sheet from saved answers
  triage --answers me.yaml --format html --out sheet.html
  triage --answers me.yaml --json          the result as JSON, for other programs
  triage --save-answers me.fhir.json       ... as a FHIR QuestionnaireResponse
  triage --export-questionnaire q.json     the questions as a FHIR R4 Questionnaire
  triage batch answers/ > results.jsonl    re-triage many saved answers (see: triage batch --help)
  triage diary add                         log a cramp in your diary (see: triage diary --help)
  triage recheck me.yaml                   weeks later: what changed? (see: triage recheck --help)

exit codes: 0 done, 2 bad input or usage, 3 broken data files, 130 stopped with Ctrl-C
"""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="triage",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--answers",
        metavar="FILE",
        help="read answers from a YAML or JSON file instead of asking (see README)",
    )
    out = p.add_mutually_exclusive_group()
    out.add_argument(
        "--json", action="store_true", help="print the result as JSON instead of the sheet"
    )
    out.add_argument(
        "--format",
        choices=("text", "markdown", "html"),
        help="write the sheet as plain text, Markdown or HTML "
        "(default: coloured in a terminal, plain text otherwise)",
    )
    p.add_argument(
        "--full",
        action="store_true",
        help="show the whole sheet: after page one, more things people try, your answers "
        "and the sources (the HTML sheet always has them)",
    )
    p.add_argument(
        "--out", metavar="FILE", help="write the sheet (or JSON) to FILE instead of the screen"
    )
    p.add_argument(
        "--save-answers",
        metavar="FILE",
        help="also save the answers to FILE, to replay later (a name ending .fhir.json: as a "
        "FHIR QuestionnaireResponse)",
    )
    p.add_argument(
        "--export-questionnaire",
        metavar="FILE",
        help="write the questions as a FHIR R4 Questionnaire (JSON) to FILE ('-': the screen) "
        "and stop",
    )
    p.add_argument(
        "--country",
        default="generic",
        help="whose emergency and help-line numbers to show: uk, ie, us, ca, eu, au, nz "
        "(default: generic, which names several)",
    )
    p.add_argument(
        "--reminder",
        metavar="FILE.ics",
        help="also write a calendar reminder (iCalendar) for the sheet's re-check date",
    )
    p.add_argument(
        "--diary",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show your cramp diary's last 8 weeks on the sheet (default: yes when answering "
        "in the terminal, no with --answers)",
    )
    p.add_argument("--version", action="version", version=f"triage {__version__}")
    return p


def run(args: argparse.Namespace) -> int:
    from triage.files import write_atomic
    from triage.pipeline import Triage

    triage = Triage()
    if args.export_questionnaire:
        return export_questionnaire(triage, args.export_questionnaire)
    args.country = country_id(triage, args.country)  # a bad --country fails before any question
    if args.answers:
        answers = triage.answers_from_file(args.answers)
    else:
        if not sys.stdin.isatty() or not sys.stdout.isatty():
            raise UsageError(
                "no terminal to ask questions in; run triage in a terminal, "
                "or give saved answers with --answers FILE"
            )
        print("Leg cramp check: about 20 short questions. Your answers stay on this computer.")
        print("Ctrl-B (or Esc then B) goes back a question; before the result you can check")
        print("and change every answer. Ctrl-C stops without saving.\n")
        answers = triage.interview()
    from triage import commands

    result = triage.evaluate(answers, args.country)
    reminder = commands.reminder_for_main(triage, args.reminder, result, answers)
    use_diary = args.diary if args.diary is not None else not args.answers
    extras = commands.sheet_extras(triage, answers, use_diary and not args.json, result.disposition)
    if args.save_answers:
        write_atomic(args.save_answers, triage.answers_text(answers, args.save_answers))
    if args.json:
        text = result.to_json()
    elif args.format is None and not args.out and sys.stdout.isatty():
        if not args.answers:
            print()
        triage.show(result, answers, args.full, extras)
        commands.write_reminder(triage, args.reminder, reminder, result)
        return 0
    else:
        text = triage.sheet(result, answers, args.format or "text", args.full, extras)
    if args.out:
        write_atomic(args.out, text)
        print(f"Wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    commands.write_reminder(triage, args.reminder, reminder, result)
    return 0


def export_questionnaire(triage: Any, path: str) -> int:
    from triage import fhir
    from triage.files import write_atomic

    text, notes = fhir.questionnaire_text(triage.questions)
    for note in notes:
        print(f"triage: note: {note}", file=sys.stderr)
    if path == "-":
        sys.stdout.write(text)
    else:
        write_atomic(path, text)
        print(f"Wrote {path}", file=sys.stderr)
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
    raise UsageError(
        f"--country {given!r} is not known; use one of: {known} (any case; "
        "names and codes such as 'gb' or 'usa' work too)"
    )


def batch_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="triage batch",
        description=(
            "Re-triage many saved answers: one JSON result per line (JSON Lines), in input order."
        ),
        epilog="examples:\n"
        "  triage batch answers/ > today.jsonl\n"
        "  triage batch answers/ --compare today.jsonl     after editing rules/: what changed?\n"
        "  cat cases.jsonl | triage batch --jobs 0 > results.jsonl\n\n"
        "exit codes: 0 done (unreadable cases are reported, not fatal), 1 a tier went down\n"
        "under --compare, 2 bad usage, 3 broken data files",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "inputs",
        nargs="*",
        metavar="PATH",
        help="answers files, or folders of them (.yaml, .yml, .json); none or '-': JSON Lines on "
        'standard input, each line an answers object or {"id": ..., "answers": {...}}, or, to '
        're-check, {"id": ..., "answers": SAVED, "follow_up": FOLLOW_UP}',
    )
    p.add_argument(
        "--compare",
        metavar="PREVIOUS.jsonl",
        help=(
            "compare with an earlier run's output: list cases whose tier, remedies or warnings"
            " changed"
        ),
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="processes to use (default 1; 0: one per core)",
    )
    p.add_argument(
        "--full",
        action="store_true",
        help="show the whole sheet: after page one, more things people try, your answers "
        "and the sources (the HTML sheet always has them)",
    )
    p.add_argument(
        "--out",
        metavar="FILE",
        help="write the results to FILE (atomically) instead of standard output",
    )
    p.add_argument(
        "--rules",
        metavar="DIR",
        help="use the rules in DIR (a changed copy of rules/) instead of the built-in ones",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("diary", "recheck"):  # the follow-up commands: triage.commands
        return _follow_up(argv)
    batch = bool(argv) and argv[0] == "batch"
    args = batch_parser().parse_args(argv[1:]) if batch else parser().parse_args(argv)
    try:
        if batch:
            from triage import batch as batch_module

            return batch_module.main(args)
        return run(args)
    except KeyboardInterrupt:
        return _fail(Aborted())
    except TriageError as exc:
        return _fail(exc)
    except BrokenPipeError:
        return 0


def _follow_up(argv: list[str]) -> int:
    from triage import commands

    try:
        if argv[0] == "diary":
            return commands.diary_main(argv[1:])
        return commands.recheck_main(argv[1:])
    except KeyboardInterrupt:
        return _fail(Aborted())
    except TriageError as exc:
        return _fail(exc)
    except BrokenPipeError:
        return 0


def _fail(exc: TriageError) -> int:
    print(f"triage: {exc}", file=sys.stderr)
    return exc.exit_code
