"""Each path imports only what it needs, and the parsed-rules cache is safe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from triage.documents import Documents
from triage.errors import DataFileError

from .conftest import base_answers, imported_modules

# Only what triage loads counts: under `./dev test` coverage measures this process too, and has
# loaded sqlite3 (its data file) before the first line here runs.
PROBE = """
import sys
before = set(sys.modules)
import json
from triage.cli import main
code = main(sys.argv[1:])
heavy = ["questionary", "prompt_toolkit", "jinja2", "rich", "jsonschema", "yaml", "triage.fhir", "fhir",
         "fhir_core", "fhirclient", "icalendar", "sqlite3"]
loaded = [m for m in heavy if m in sys.modules and m not in before]
print(json.dumps({"code": code, "loaded": loaded}), file=sys.stderr)
"""


def loaded_modules(tmp_path: Path, *args: str) -> list[str]:
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(base_answers()), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--answers", str(answers), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] == 0
    return list(report["loaded"])


def test_json_from_a_file_imports_no_prompt_or_template_library(tmp_path: Path) -> None:
    """--answers X --json: no questionary, no Jinja, no rich; YAML only to fill the cache once."""
    loaded_modules(tmp_path, "--json")  # the first run may parse the YAML and fill the cache
    assert loaded_modules(tmp_path, "--json") == []


def test_sheet_from_a_file_imports_no_prompt_library(tmp_path: Path) -> None:
    assert "questionary" not in loaded_modules(tmp_path, "--format", "text")
    assert "jinja2" in loaded_modules(tmp_path, "--format", "text")


def test_cache_is_used_and_invalidated_by_any_edit(
    rules: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(tmp_path / "cache"))
    first = Documents(rules)
    entries = list((tmp_path / "cache").glob("rules-*.json"))
    assert len(entries) == 1
    import triage.files

    def no_parsing(text: str) -> None:
        raise AssertionError("parsed YAML although the cache was fresh")

    monkeypatch.setattr(triage.files, "parse_yaml", no_parsing)
    again = Documents(rules)  # from the cache: no parsing
    assert again[rules / "questions.yaml"] == first[rules / "questions.yaml"]
    monkeypatch.undo()
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(tmp_path / "cache"))
    edited = rules / "messages.yaml"
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("Most leg cramps are harmless.", "Edited."),
        encoding="utf-8",
    )
    changed = Documents(rules)
    assert "Edited." in str(changed[edited]["reasons"]["no_warning_signs"])  # one of its wordings
    assert len(list((tmp_path / "cache").glob("rules-*.json"))) == 2


def test_corrupt_or_unwritable_cache_is_ignored(
    rules: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(cache))
    Documents(rules)
    entry = next(cache.glob("rules-*.json"))
    entry.write_text("{broken", encoding="utf-8")
    assert Documents(rules)[rules / "evidence.yaml"]["grades"]
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(blocker / "cache"))
    assert Documents(rules)[rules / "evidence.yaml"]["grades"]


def test_cache_off(rules: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    Documents(rules)
    assert not (tmp_path / "xdg").exists()


def test_broken_yaml_is_still_refused_with_a_warm_cache(
    rules: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(tmp_path / "cache"))
    Documents(rules)
    (rules / "points.yaml").write_text("points: [\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"points\.yaml"):
        Documents(rules)


@pytest.mark.parametrize(
    ("library", "owner"),
    [
        ("durable", "engine.py"),  # its C engine, durable_rules_engine (engine.py)
        ("questionary", "terminal.py"),
        ("prompt_toolkit", "terminal.py"),
        ("jinja2", "sheet.py"),
        ("icalendar", "reminder.py"),
        ("sqlite3", "diary.py"),
    ],
)
def test_each_library_has_one_owner(library: str, owner: str) -> None:
    """The architecture: durable-rules, questionary and Jinja are each walled into one module."""
    importers = {
        path.name
        for path in (Path(__file__).resolve().parent.parent / "triage").glob("*.py")
        if any(
            name.split(".")[0] == library or name.startswith(library + "_")
            for name in imported_modules(path)
        )
    }
    assert importers == {owner}


def test_the_interview_and_the_plain_lines_load_no_terminal_library() -> None:
    """The interview is apart from the terminal: asking in plain lines (a screen reader,
    TERM=dumb) loads neither questionary nor prompt_toolkit."""
    probe = (
        "import sys, triage.interview, triage.plain, triage.answer;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'questionary', 'prompt_toolkit'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
