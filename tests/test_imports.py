"""Each path imports only what it needs, and the parsed-rules cache is safe."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from triage.documents import Documents
from triage.errors import DataFileError

from .conftest import VIGNETTES, base_answers, edit, imported_modules

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


# -- the kept copy of the loaded data (triage.pipeline `_kept`) ----------------------------------


def kept_entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("loaded-*.b64"))


def test_the_kept_copy_gives_the_same_results_without_loading_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that finds the kept copy loads nothing from rules/, and every vignette's result
    and text sheet are the same as from data built afresh."""
    from triage import loader
    from triage.pipeline import Triage

    cache = tmp_path / "cache"
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(cache))
    built = Triage(keep=False)
    built.load()  # everything built, and nothing kept
    assert kept_entries(cache) == []
    Triage().knowledge  # noqa: B018 - built, and kept
    assert len(kept_entries(cache)) == 1

    def no_loading(*_: object) -> None:
        raise AssertionError("loaded rules/ again although the kept copy was there")

    for name in ("load_knowledge", "load_questions", "load_contract", "load_phrases"):
        monkeypatch.setattr(loader, name, no_loading)
    kept = Triage()
    for case in VIGNETTES:
        answers = built.contract.check(case["answers"])
        result, again = built.evaluate(answers), kept.evaluate(answers)
        assert kept.result_json(again, answers) == built.result_json(result, answers), case["id"]
        assert kept.sheet(again, answers, "text") == built.sheet(result, answers, "text")


def test_the_kept_copy_follows_every_edit_and_never_holds_broken_data(
    rules: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from triage.pipeline import Triage

    cache = tmp_path / "cache"
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(cache))
    Triage(rules=rules).knowledge  # noqa: B018
    assert len(kept_entries(cache)) == 1
    edit(rules / "messages.yaml", "Most leg cramps are harmless.", "Edited.")
    assert "Edited." in str(Triage(rules=rules).knowledge)
    assert len(kept_entries(cache)) == 2
    schema = rules / "answers.schema.json"  # read by the contract, not one of the YAML files
    schema.write_text(schema.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    Triage(rules=rules).contract  # noqa: B018
    assert len(kept_entries(cache)) == 3
    moved = tmp_path / "moved"
    shutil.copytree(rules, moved)  # the loaded data names its files: another folder, another copy
    assert Triage(rules=moved).followup.path == moved / "followup.yaml"
    assert len(kept_entries(cache)) == 4
    (rules / "points.yaml").write_text("points: [\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"points\.yaml"):
        Triage(rules=rules).knowledge  # noqa: B018
    assert len(kept_entries(cache)) == 4


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


def test_the_cache_keeps_only_the_newest_entries_of_each_kind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every edit of the rules or the code makes new entries; the old are removed as new ones
    are written, so the folder stays small. Other kinds and other files are left alone."""
    from triage.documents import SignedStore

    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(tmp_path / "cache"))
    store = SignedStore.open()
    assert store is not None
    store.put("other-1", b"x", keep=2)
    for n in range(5):
        store.put(f"loaded-{n}", b"x", keep=2)
        os.utime(store.folder / f"loaded-{n}", ns=(n * 10**9, n * 10**9))  # written in order
    names = {p.name for p in store.folder.iterdir()}
    assert names == {"key", "other-1", "loaded-3", "loaded-4"}
    assert store.get("loaded-4", 100) == b"x"
