"""Pseudo-translation (issue 18): every word a sheet shows comes from rules/ (a translation
reaches it), none from Python or a template.

The test marks the data itself (tests/pseudo.py: every word-bearing string of every YAML file
in [[ ]], field by field), runs the real tool on the marked copy, renders every format for every
case of tests/vignettes.yaml (tests/render_all.py), and looks for words outside the marks.

Words that Python still makes are listed in LEAKS, by format, with the module that makes them:
the list is enforced exactly, so it can only shrink (a word that no longer leaks fails too: take
it out of the list, and switch that format's check fully on).
"""

from __future__ import annotations

import re
import shutil
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from triage.model import Question
from triage.pipeline import Triage

from . import pseudo
from .render_all import renderings
from .screen import Pty, words

RULES = Path(__file__).parent.parent / "rules"

# The words of a sheet that Python makes, by format: none today (issue 18 moved the last, the
# answers' "Yes"/"No", into data). A word found here would be a leak to list with the module
# that makes it, until it is moved; the lists are enforced exactly.
LEAKS: dict[str, dict[str, str]] = {
    fmt: {}
    for fmt in (
        "text",
        "markdown",
        "terminal",
        "html",
        "recap",
        "recap-text",
        "headline",
        "chart",
        "tables",
    )
}

# The words of the plain questionnaire's screens that Python makes: none today (the tick lists'
# "None of these" is rules/ui.yaml's `answer.none`).
SCREEN_LEAKS: dict[str, str] = {}


def family(name: str) -> str:
    """The format of a rendering's name (tests/render_all.py): P01.recheck-text.full -> text."""
    case, _, rest = name.partition(".")
    if case in ("tables", "chart"):
        return case
    fmt = rest.split(".")[0]
    return fmt.removeprefix("recheck-")


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> Triage:
    rules = pseudo.marked_copy(RULES, tmp_path_factory.mktemp("pseudo") / "rules")
    triage = Triage(rules=rules)
    triage.load()  # the loader's cross-checks pass: no identifier was marked
    return triage


def _not_language() -> set[str]:
    """Tokens that are not language: the acupressure points' codes (BL40, and Shimian, an extra
    point with no code), written the same in every language."""
    points = yaml.safe_load((RULES / "points.yaml").read_text(encoding="utf-8"))["points"]
    return {word for p in points for word in pseudo.WORD.findall(p["id"])}


@pytest.mark.timeout(300)  # every format of 87 cases, twice over with --full: 10 s alone
def test_every_word_on_every_sheet_comes_from_data(marked: Triage) -> None:
    """Each format's words outside the marks, against LEAKS (one test: the sheets are rendered
    once, not once for each format on each worker)."""
    allowed = _not_language()
    ids = pseudo.identifiers(RULES)
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    shown: dict[str, int] = defaultdict(int)
    for name, text in renderings(marked):
        fmt = family(name)
        shown[fmt] += text.count(pseudo.OPEN)
        for word in set(pseudo.unmarked(text, html="html" in name)):
            # the tables show the data's own ids (rules, fields, values) as they are written
            if word not in allowed and not (fmt == "tables" and word in ids):
                found[fmt][word].append(name)
    assert set(shown) == set(LEAKS) and all(shown.values()), f"marked words shown: {dict(shown)}"
    problems = []
    for fmt in sorted(LEAKS):
        new = {w: names for w, names in found[fmt].items() if w not in LEAKS[fmt]}
        gone = sorted(set(LEAKS[fmt]) - set(found[fmt]))
        if new:
            problems.append(
                f"{fmt}: words no data file says (word: first cases): "
                + "; ".join(f"{w}: {', '.join(n[:3])}" for w, n in sorted(new.items()))
            )
        if gone:
            problems.append(f"{fmt}: these no longer leak, take them out of LEAKS: {gone}")
    assert not problems, "\n".join(problems)


def test_marking_refuses_a_field_it_does_not_know(tmp_path: Path) -> None:
    """New data is classified before it is checked: a new field of words fails loudly."""
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    path = rules / "remedies.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["remedies"][0]["tagline"] = "A new line of words"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(pseudo.Unclassified, match=r"remedies\.yaml: remedies\.-\.tagline"):
        pseudo.marked_copy(rules, tmp_path / "marked")


def test_a_marked_identifier_breaks_loading(tmp_path: Path) -> None:
    """The loader cross-checks ids, so marking one is caught: the reason KEEP is trusted."""
    rules = pseudo.marked_copy(RULES, tmp_path / "rules")
    path = rules / "remedies.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["remedies"][0]["sources"] = [f"[[{s}]]" for s in data["remedies"][0]["sources"]]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    from triage.errors import TriageError

    with pytest.raises(TriageError):
        Triage(rules=rules).load()


def test_unmarked_finds_words_outside_nested_marks() -> None:
    assert pseudo.unmarked("[[Call [[999]] now]] Careful: [[x]]") == ["Careful"]
    assert pseudo.unmarked('<p title="Hi there">[[ok]]</p>', html=True) == ["Hi", "there"]
    assert pseudo.unmarked("run triage with --full, see https://example.org/a") == [
        "run",
        "triage",
        "with",
        "see",
    ]
    assert not re.search(r"\w", pseudo.outside_marks("[[[[a]] b]]"))


def test_plain_questionnaire_says_only_words_from_data(marked: Triage, tmp_path: Path) -> None:
    """The plain questionnaire (`triage --plain`), answered by typed numbers, and its sheet: every
    word on the screen comes from the marked data."""
    from .conftest import base_answers
    from .keys import for_answers
    from .screen import flat

    # the command line, on the marked rules, as a person would pick another language
    command = [sys.executable, "-m", "triage", "--rules", str(marked.rules_dir), "--plain"]
    term = Pty(command, env={"TERM": "dumb"})
    ready = marked.phrases("plain.prompt").strip()
    for q, keys in for_answers(marked.questions, base_answers(), plain=True):
        term.wait(
            lambda q=q: q.prompt in flat(term.lines()) and term.text().endswith(ready),
            repr(q.prompt),
        )
        term.send(keys)
    term.see(marked.phrases("plain.review.prompt")[:40])
    term.send("\r")
    assert term.finish() == 0
    said = bytes(term.raw).decode("utf-8", "replace")
    assert pseudo.OPEN in said
    found = set(pseudo.unmarked(said))
    assert not found - set(SCREEN_LEAKS), (
        f"words no data file says: {sorted(found - set(SCREEN_LEAKS))}"
    )
    assert not set(SCREEN_LEAKS) - found, (
        f"no longer leak: take out of SCREEN_LEAKS: {set(SCREEN_LEAKS) - found}"
    )


def _marked(text: str) -> str:
    """A marked text as flat() shows it, up to its first value to fill in."""
    return words(text.split("{")[0]).rstrip()


@pytest.mark.timeout(240)  # about 50 questions drawn in a real terminal, and their messages
def test_the_questionnaire_screens_say_only_words_from_data(marked: Triage) -> None:
    """The arrow-key questionnaire (questionary, in a real pseudo-terminal), on the marked data:
    the start screen, every question the ordinary case is asked with its key hints and
    progress, the message each kind of question gives on Enter alone or a wrong entry, going
    back (on the first question, and from the second), the review with a wrong number, and the
    end of the result. Every word drawn must come from the marked data."""
    from .conftest import base_answers
    from .keys import BACKSPACE, CTRL_B, DOWN, ENTER, SPACE, UP, for_answers

    say = marked.phrases
    command = [sys.executable, "-m", "triage", "--rules", str(marked.rules_dir)]
    term = Pty(command, rows=24, env={"PAGER": ""})
    pairs = for_answers(marked.questions, base_answers())
    shown: list[str] = []  # each message that was waited for, so none is skipped unseen

    def on_screen(q: Question) -> None:
        term.wait(lambda: term.current().startswith(f"? {q.prompt}"), repr(q.prompt))
        term.settle(0.3)

    def expect(key: str, **values: Any) -> None:
        text = _marked(say(key, **values) if values else say(key))
        term.see(text)
        shown.append(key)

    first, _ = pairs[0]
    on_screen(first)
    term.send(CTRL_B)
    expect("first_question")
    tried: set[str] = set()
    for n, (q, keys) in enumerate(pairs):
        on_screen(q)
        before, again = pairs[n - 1] if n else (q, "")
        if n and before.type in ("number", "confirm") and "before" not in shown:
            # back: the question before again, saying its answer (the screen does not show it)
            term.send(CTRL_B)
            on_screen(before)
            expect("before")
            term.send(again)
            on_screen(q)
        if q.type not in tried and (q.type != "checkbox" or q.none_label):
            tried.add(q.type)
            term.send(ENTER)  # Enter alone answers nothing: each kind says what to do
            if q.type == "checkbox":
                expect("enter.checkbox_none", none=q.none_label)
                term.send(SPACE + UP + SPACE + ENTER)  # the first line and the "none" line
                expect("enter.both", none=q.none_label)
                term.send(SPACE + DOWN + SPACE)  # both unticked again, the cursor on top
            else:
                expect(f"enter.{q.type}")
        term.send(keys)
    page = _marked(say("review.prompt_page"))
    final = _marked(say("review.prompt"))
    while True:
        term.wait(lambda: page in term.current() or final in term.current(), "the review")
        if final in term.current():
            break
        shown.append("review.prompt_page")
        was = term.current()
        term.send(ENTER)
        term.wait(lambda was=was: term.current() != was, "the next page of the review")
    term.send("999" + ENTER)
    expect("review.bad")
    term.send(BACKSPACE * 3 + ENTER)
    assert term.finish() == 0
    assert tried == {q.type for q, _ in pairs}, f"a kind of question not tried: {tried}"
    said = bytes(term.raw).decode("utf-8", "replace")
    found = set(pseudo.unmarked(said))
    assert not found - set(SCREEN_LEAKS), (
        f"words no data file says: {sorted(found - set(SCREEN_LEAKS))}; seen: {shown}"
    )


def test_the_fhir_files_say_only_words_from_data(marked: Triage) -> None:
    """The exported FHIR Questionnaire and a saved QuestionnaireResponse: every text a FHIR
    reader shows (title, item text, a choice's display) comes from the marked data. The one
    exception is a code HL7 defines with its own display ("Help-Button"), never translated."""
    import json

    from triage import fhir

    from .conftest import base_answers

    def texts(node: Any) -> list[str]:
        if isinstance(node, dict):
            if node.get("system") == "http://hl7.org/fhir/questionnaire-item-control":
                return []
            own = [v for k, v in node.items() if k in ("title", "text", "display")]
            return own + [t for v in node.values() for t in texts(v)]
        if isinstance(node, list):
            return [t for v in node for t in texts(v)]
        return []

    exported, _ = fhir.questionnaire(marked.questions, marked.phrases)
    answers = marked.contract.check(base_answers())
    saved = json.loads(fhir.response_text(answers, marked.questions, marked.phrases))
    for name, data in (("Questionnaire", exported), ("QuestionnaireResponse", saved)):
        said = texts(data)
        assert said and all(pseudo.OPEN in t for t in said), name
        leaks = {w for t in said for w in pseudo.unmarked(t)}
        assert not leaks, f"{name}: words no data file says: {sorted(leaks)}"


def test_the_follow_up_commands_take_their_words_from_rules(
    marked: Triage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`triage recheck --rules DIR` and `triage diary --rules DIR` (the option anywhere on the
    line) speak the folder's words: the re-check's sheet and result, and the diary's list."""
    import json
    import subprocess

    from .conftest import base_answers

    def _strings(node: Any) -> list[str]:
        if isinstance(node, dict):
            return [t for v in node.values() for t in _strings(v)]
        if isinstance(node, list):
            return [t for v in node for t in _strings(v)]
        return [node] if isinstance(node, str) else []

    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path / "data"))
    saved = tmp_path / "me.yaml"
    saved.write_text(yaml.safe_dump(base_answers(answered_on="2026-11-10")), encoding="utf-8")
    later = tmp_path / "later.yaml"
    later.write_text(yaml.safe_dump({"version": 1, "answered_on": "2026-12-01"}), encoding="utf-8")
    rules = str(marked.rules_dir)
    for line in (
        ["recheck", str(saved), "--answers", str(later), "--format", "text", "--rules", rules],
        ["diary", "--rules", rules, "list"],
        ["diary", "list", "--rules", rules],
        ["recheck", str(saved), f"--rules={rules}", "--answers", str(later), "--json"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "triage", *line], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, (line, done.stderr)
        said = done.stdout + done.stderr
        assert pseudo.OPEN in said, line
        if "--json" in line:  # the words in the result, not its keys and ids
            said = " ".join(t for t in _strings(json.loads(done.stdout)) if str(tmp_path) not in t)
        names = {"me", "yaml", "later"}  # a sheet names the files it read
        found = set(pseudo.unmarked(said)) - names - _not_language() - pseudo.identifiers(RULES)
        assert not found, f"{line[:2]}: words no data file says: {sorted(found)}"


# What a command line shows that is not language: option names (--answers, -h), metavars
# (FILE, DIR), choice lists ({text,markdown,html}), a value typed or offered in quotes ('nope',
# 'text'), and the program's and commands' names.
NOT_WORDS = re.compile(
    r"(?<![\w-])--?[A-Za-z][\w-]*|\{[^}]*\}|'[^']*'|\b[A-Z][A-Z_]*[A-Z](?:\.[a-z]+)?\b"
)
COMMANDS = {"triage", "batch", "tables", "diary", "recheck", "add", "list", "change", "delete"}
COMMANDS |= {"forget", "chart"}


@pytest.mark.parametrize(
    "line",
    [
        ["--help"],
        ["batch", "--help"],
        ["tables", "--help"],
        ["diary", "--help"],
        ["diary", "add", "--help"],
        ["recheck", "--help"],
        ["--format", "nope"],  # argparse's errors: an invalid choice
        ["--answers"],  # a missing value
        ["--json", "--format", "text"],  # two options that exclude each other
        ["batch", "--jobs"],
        ["diary", "nope"],
        ["recheck"],  # a required argument left out
    ],
    ids=" ".join,
)
def test_every_command_line_screen_says_only_words_from_data(
    marked: Triage, line: list[str]
) -> None:
    """Each command's help, and argparse's own words (usage:, options:, its errors), come from
    the copy given with --rules: a second language reaches them too."""
    import subprocess

    command = [*line[:1], "--rules", str(marked.rules_dir), *line[1:]]
    if line[0] not in COMMANDS:
        command = ["--rules", str(marked.rules_dir), *line]
    done = subprocess.run(
        [sys.executable, "-m", "triage", *command], capture_output=True, text=True, timeout=60
    )
    said = done.stdout + done.stderr
    assert done.returncode == (0 if "--help" in line else 2), said
    assert pseudo.OPEN in said and "Traceback" not in said
    text = NOT_WORDS.sub(" ", said)
    found = set(pseudo.unmarked(text)) - COMMANDS - pseudo.identifiers(RULES)
    assert not found, f"{line}: words no data file says: {sorted(found)}"


# argparse's messages that no person sees: errors in how a program builds its parser, raised
# to the programmer while triage makes its own (a test of every command's help makes them all).
PROGRAMMING_ERRORS = {
    "'required' is an invalid argument for positionals",
    "%r is not callable",
    ".__call__() not defined",
    'argument "-" with mode %r',
    "cannot have multiple subparser arguments",
    "cannot merge actions - two groups are named %r",
    "conflicting option string: %s",
    "conflicting option strings: %s",
    "conflicting subparser: %s",
    "conflicting subparser alias: %s",
    "dest= is required for options like %r",
    "invalid conflict_resolution value: %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "mutually exclusive arguments must be optional",
}


def test_every_argparse_message_a_person_can_see_is_in_the_data() -> None:
    """A new Python's argparse with a new message fails here until it is classified: a word
    for the data (rules/ui.yaml cli.argparse), or a programming error no person sees."""
    ui = yaml.safe_load((RULES / "ui.yaml").read_text(encoding="utf-8"))
    words = ui["cli"]["argparse"]
    unclassified = pseudo.argparse_message_ids() - set(words) - PROGRAMMING_ERRORS
    assert not unclassified, f"argparse messages to classify: {sorted(unclassified)}"
    assert not set(words) & PROGRAMMING_ERRORS


def test_a_copy_that_drops_an_argparse_placeholder_is_refused(tmp_path: Path) -> None:
    """argparse fills %(message)s in itself: a translation without it would fail while
    printing an error, so the copy is refused at load, naming the key."""
    from triage.errors import DataFileError

    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    ui = rules / "ui.yaml"
    old = '"%(prog)s: error: %(message)s": "%(prog)s: error: %(message)s"'
    text = ui.read_text(encoding="utf-8")
    assert old in text
    ui.write_text(text.replace(old, '"%(prog)s: error: %(message)s": "%(prog)s: error"'), "utf-8")
    with pytest.raises(DataFileError, match=r"cli\.argparse\.%\(prog\)s: error: %\(message\)s"):
        Triage(rules=rules).load()
