"""Issue 18: the command line's words live in rules/ (ui.yaml, followup.yaml), none in Python.

An AST scan of the command-line modules: every message they raise, print or hand to argparse is
a key looked up in the data (say("cli.wrote"), Said("errors.write.failed"), words["exists"]),
never a literal sentence. The pseudo-translation test proves the same on the output; this one
names the line that broke the rule.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from triage.errors import AnswersError, Said, UsageError
from triage.pipeline import Triage

ROOT = Path(__file__).resolve().parent.parent
MODULES = (
    *("cli", "batch", "commands", "contract", "dates", "diary", "documents", "engine"),
    *("errors", "files", "pager", "pipeline", "recheck", "reminder", "signals", "chart"),
    *("sheet", "fhir"),
)

# Calls whose text arguments reach a person: exceptions, print, argparse, a batch error line.
SHOWN = {
    "AnswersError",
    "Case",
    "ConstructorError",
    "DiaryError",
    "EngineError",
    "OSError",
    "TriageError",
    "UsageError",
    "ValueError",
    "WorkerLost",
    "_error",
    "add_argument",
    "add_parser",
    "ArgumentParser",
    "error",
    "print",
}
# Calls that look words up: their arguments are keys, not words.
LOOKUPS = {"say", "Said", "phrases", "_say", "text", "format", "get", "group", "__getitem__"}
# The keyword arguments of argparse that are words; the others (metavar, prog, dest, choices,
# action, default) are names the program matches, not text a person reads.
WORD_KEYWORDS = {"help", "description", "epilog", "version"}
# What a literal may hold without being words: the program's name before a message, a name
# the program matches (an option, a key, a case's kind: --answers, answered_on, error),
# punctuation and layout.
PROGRAM = re.compile(r"^(?:triage|triage batch)[: ]*$")
NAME = re.compile(r"^-{0,2}[a-z0-9_.]+(?:-[a-z0-9_.]+)*$")
WORD = re.compile(r"[A-Za-z]{2,}")
# Words that stay in Python on purpose, each with its reason in the code beside it: the data
# that would hold them cannot be read (a stop before rules/ui.yaml is read, a broken data file,
# a broken install; a maintainer's refusal of a broken rules file).
ALLOWED = {
    ("errors", "Aborted"),  # the fallback when ui.yaml is not read yet
    ("errors", "DataFileError"),  # the data files are what is broken
    ("errors", "_Repr"),  # describing a huge number inside a value (show)
    ("engine", "<module>"),  # InstallError: the rules engine cannot be imported
    ("engine", "set_rulesets"),  # DataFileError: durable refused rules/logic (maintainer)
    ("engine", "_ruleset"),
    ("documents", "*"),  # DataFileError only: a broken rules file (maintainer)
    ("contract", "__init__"),  # DataFileError: a broken answers.schema.json (maintainer)
    ("contract", "load"),
    ("contract", "_check_keywords"),
    ("contract", "_field"),
    ("sheet", "*"),  # DataFileError: a broken template (maintainer)
    ("files", "yaml_problem"),  # the maintainer's form, for a broken rules file (no phrases)
}


def _literals(node: ast.AST) -> list[ast.Constant]:
    """The string literals under `node`, not those inside a look-up (keys)."""
    out: list[ast.Constant] = []
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, ast.Call) and _name(n.func) in LOOKUPS:
            continue
        if isinstance(n, ast.Subscript):  # words["exists"]: a key
            todo.append(n.value)
            continue
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            out.append(n)
        todo.extend(ast.iter_child_nodes(n))
    return out


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _is_data_error(call: ast.Call) -> bool:
    return _name(call.func) in ("DataFileError", "InstallError")


def wording_in_python(path: Path) -> list[str]:
    """`module.py:line: 'text'` for each literal sentence the module shows a person."""
    module = path.stem
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []

    def visit(node: ast.AST, where: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = where
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                inner = child.name
            if isinstance(child, ast.Call) and _name(child.func) in SHOWN:
                if (module, inner) in ALLOWED or (module, "*") in ALLOWED:
                    continue
                args = list(child.args)
                named = [k.value for k in child.keywords if k.arg in WORD_KEYWORDS]
                for text in _literals_of(args, child) + [c for v in named for c in _literals(v)]:
                    shown = text.value.strip()
                    if not WORD.search(shown) or PROGRAM.match(shown):
                        continue
                    if NAME.match(shown):
                        continue
                    found.append(f"{module}.py:{text.lineno}: {text.value!r}")
            visit(child, inner)

    def _literals_of(args: list[ast.expr], call: ast.Call) -> list[ast.Constant]:
        if _is_data_error(call):
            return []
        return [c for a in args for c in _literals(a)]

    visit(tree, "<module>")
    return found


@pytest.mark.parametrize("module", MODULES)
def test_no_words_in_the_command_line_code(module: str) -> None:
    """A message, help text or printed line is a key into rules/, never an English literal."""
    found = wording_in_python(ROOT / "triage" / f"{module}.py")
    assert not found, "\n".join(found)


def test_the_scan_finds_a_sentence(tmp_path: Path) -> None:
    """The scan is not blind: a literal message, in any of the forms used, is found."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "def f(p, say, x):\n"
        "    raise UsageError(f'cannot write {x}: it is a folder')\n"
        "def g(p, say):\n"
        "    p.add_argument('--out', help='write the sheet to FILE')\n"
        "def h(say):\n"
        "    print('triage: ' + 'Wrote it', file=None)\n"
        "def k(say):\n"
        "    raise UsageError(say('cli.wrote', path='x'))\n",
        encoding="utf-8",
    )
    found = wording_in_python(probe)
    assert {line.split(":")[1] for line in found} == {"2", "4", "6"}, found


def test_an_error_is_worded_where_it_is_shown(triage: Triage, tmp_path: Path) -> None:
    """An error raised without the phrases (files.py) carries its key; the words are the data's,
    filled in where it is shown, and survive a trip to a batch worker and back."""
    import pickle

    from triage.files import output_target

    with pytest.raises(UsageError) as caught:
        output_target(str(tmp_path / "no such folder" / "sheet.txt"))
    back = pickle.loads(pickle.dumps(caught.value))
    said = back.said(triage.phrases)
    assert said.startswith("cannot write ") and said.endswith("no such folder does not exist")
    assert back.words is not None and back.words.key == "errors.write.no_folder"
    assert str(Said("errors.write.failed", {"path": "x"})) == "errors.write.failed"


def test_the_contract_speaks_in_the_words_of_ui_yaml(triage: Triage) -> None:
    """The contract's refusals are rules/ui.yaml's texts: changed there, changed on screen."""
    from triage.contract import Contract
    from triage.model import Phrases

    table = dict(triage.phrases.table)
    table["errors.contract.not_type"] = "[[{value} ist nicht {kind}]]"
    table["errors.contract.kind.integer"] = "[[eine ganze Zahl]]"
    contract = Contract(triage.contract.schema, Phrases(table))
    with pytest.raises(AnswersError, match=r"^me.yaml: age: \[\['x' ist nicht \[\[eine ganze"):
        contract.check({"version": 1, "age": "x"}, source="me.yaml")
