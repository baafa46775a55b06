"""Promises the README makes that no other test held it to: each through the real CLI or pipeline."""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from triage import paths
from triage.cli import main
from triage.model import Question
from triage.pipeline import Triage

from .conftest import VIGNETTES, base_answers, require

ROOT = Path(__file__).resolve().parent.parent


def triage_cli(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "triage", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=env or os.environ.copy(),
        cwd=cwd,
    )


# ---- "An unknown key is an error ..., and so is a key given twice" --------------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("twice.yaml", "version: 1\nsymptoms: [one_leg_swollen]\nage: 40\nsymptoms: []\n"),
        ("twice.yml", "version: 1\nsymptoms: []\nsymptoms: [dark_urine]\n"),
        ("twice.json", '{"version": 1, "symptoms": ["dark_urine"], "symptoms": []}'),
    ],
)
def test_a_key_given_twice_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str
) -> None:
    """A second `symptoms:` could hide a red flag: exit 2, one line naming the key, nothing written."""
    path, out = tmp_path / name, tmp_path / "sheet.txt"
    path.write_text(text, encoding="utf-8")
    assert main(["--answers", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert (
        err.startswith(f"triage: {name}: ")
        and "'symptoms' appears twice" in err
        and err.count("\n") == 1
    )
    assert not out.exists()


def test_a_key_given_twice_in_a_rules_file_is_refused(tmp_path: Path) -> None:
    """The same strictness for rules/: a repeated key in a rule is a broken data file, not a silent override."""
    from triage.errors import DataFileError

    rules = tmp_path / "rules"
    shutil.copytree(paths.rules_dir(), rules)
    urgent = rules / "logic" / "2_urgent.yaml"
    text = urgent.read_text(encoding="utf-8")
    urgent.write_text(
        text.replace(
            "    tier: urgent\n    source: nhs_leg_cramps\n",
            "    tier: urgent\n    tier: soon\n    source: nhs_leg_cramps\n",
            1,
        ),
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match="appears twice"):
        Triage(rules=rules).knowledge  # noqa: B018


# ---- "A broken data file stops the program before the first question ... (exit code 3)" -----------


@pytest.fixture
def broken_install(tmp_path: Path) -> Path:
    """The package laid out as installed, with a rules file broken (a rule naming an unknown answer)."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "triage", site / "triage", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(paths.rules_dir(), site / "triage" / "rules")
    shutil.copytree(paths.templates_dir(), site / "triage" / "templates")
    urgent = site / "triage" / "rules" / "logic" / "2_urgent.yaml"
    urgent.write_text(
        urgent.read_text(encoding="utf-8").replace("has: dark_urine}", "has: dark_urina}"),
        encoding="utf-8",
    )
    return site


def test_broken_data_file_exits_3_through_the_cli(broken_install: Path, tmp_path: Path) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(base_answers()), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(broken_install), "TRIAGE_CACHE_DIR": "off"}
    done = triage_cli("--answers", str(answers), "--json", env=env, cwd=tmp_path)
    assert done.returncode == 3, done.stderr
    assert done.stdout == "" and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert (
        "2_urgent.yaml" in done.stderr
        and "dark_urine," in done.stderr
        and "dark_urina" in done.stderr
    )
    batch = triage_cli("batch", "--rules", str(broken_install / "triage" / "rules"), str(answers))
    assert batch.returncode == 3 and batch.stdout == "" and "dark_urina" in batch.stderr


def test_broken_data_file_stops_before_the_first_question(broken_install: Path) -> None:
    """In a real terminal: exit 3 and not one question shown."""
    pexpect = require("pexpect")
    env = {
        **os.environ,
        "PYTHONPATH": str(broken_install),
        "TRIAGE_CACHE_DIR": "off",
        "PROMPT_TOOLKIT_NO_CPR": "1",
        "TERM": "xterm",
    }
    child = pexpect.spawn(
        sys.executable,
        ["-m", "triage"],
        env=env,
        cwd=str(broken_install.parent),
        timeout=30,
        encoding="utf-8",
        dimensions=(40, 100),
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 3, child.before
    assert "dark_urina" in child.before and Triage().questions[0].prompt not in child.before


def test_the_engine_is_built_before_the_first_question(pipe: Any) -> None:
    """durable-rules can refuse a ruleset the loader accepted: the engine must exist before anything is asked."""
    fresh = Triage()
    built: list[bool] = []

    def ask(q: Question, default: Any) -> Any:
        built.append("engine" in vars(fresh))
        raise KeyboardInterrupt  # one question is enough

    with pytest.raises(KeyboardInterrupt):
        fresh.interview(ask)
    assert built == [True]


# ---- countries: "--country nz" shows New Zealand's numbers ---------------------------------------


@pytest.mark.parametrize(
    ("country", "number"), [("nz", "111"), ("au", "000"), ("uk", "999"), ("us", "911")]
)
def test_country_numbers_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], country: str, number: str
) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps(base_answers(symptoms=["feels_like_emergency"])), encoding="utf-8")
    assert main(["--answers", str(path), "--country", country, "--format", "text"]) == 0
    sheet = " ".join(capsys.readouterr().out.split())
    assert f"Call {number} now" in sheet


# ---- triage batch: --jobs 0, '-', .yml, the progress bar ------------------------------------------


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    for v in VIGNETTES[:6]:
        (folder / f"{v['id']}.json").write_text(json.dumps(v["answers"]), encoding="utf-8")
    (folder / "extra.yml").write_text("version: 1\nsymptoms: [dark_urine]\n", encoding="utf-8")
    return folder


@pytest.mark.timeout(180)
def test_batch_jobs_0_uses_every_core_with_the_same_output(cases: Path) -> None:
    one, every = triage_cli("batch", str(cases)), triage_cli("batch", "--jobs", "0", str(cases))
    assert (
        one.returncode == every.returncode == 0
        and one.stdout == every.stdout
        and len(one.stdout.splitlines()) == 7
    )


def test_batch_reads_yml_files(cases: Path, triage: Triage) -> None:
    done = triage_cli("batch", str(cases))
    lines = {json.loads(line)["id"]: json.loads(line) for line in done.stdout.splitlines()}
    assert lines["extra.yml"]["result"]["disposition"] == "urgent"
    single = triage_cli("--answers", str(cases / "extra.yml"), "--json")
    assert single.returncode == 0 and json.loads(single.stdout) == lines["extra.yml"]["result"]


def test_batch_dash_reads_standard_input() -> None:
    stdin = json.dumps({"id": "a", "answers": base_answers(symptoms=["new_weakness"])}) + "\n"
    dash, none = triage_cli("batch", "-", stdin=stdin), triage_cli("batch", stdin=stdin)
    assert dash.returncode == 0 and dash.stdout == none.stdout
    assert json.loads(dash.stdout)["result"]["disposition"] == "urgent"


def test_batch_progress_bar_on_a_terminal_only(cases: Path) -> None:
    """On a terminal the bar shows on standard error; piped, standard error has only the summary."""
    main_fd, child_fd = pty.openpty()
    results = (
        tempfile.TemporaryFile()
    )  # a file, not a pipe: a full pipe would block the child while we read the bar
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "triage", "batch", str(cases)],
            stdout=results,
            stderr=child_fd,
            env={**os.environ, "TERM": "xterm", "COLUMNS": "100"},
        )
        os.close(child_fd)
        seen = b""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main_fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(main_fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk
            elif proc.poll() is not None:
                break
        proc.wait(timeout=60)
        results.seek(0)
        out = results.read()
    finally:
        os.close(main_fd)
        results.close()
    assert proc.returncode == 0 and len(out.splitlines()) == 7
    text = seen.decode("utf-8", "replace")
    assert "re-triage" in text and "\x1b[" in text, text  # rich's bar, drawn with terminal codes
    piped = triage_cli("batch", str(cases))
    assert "re-triage" not in piped.stderr and "\x1b" not in piped.stderr


# ---- "The cache never holds answers" --------------------------------------------------------------


def test_the_cache_never_holds_answers(tmp_path: Path) -> None:
    """Runs with very different answers leave the cache byte for byte the same: it depends on rules/ alone."""
    cache = tmp_path / "cache"
    env = {**os.environ, "TRIAGE_CACHE_DIR": str(cache)}

    def run_with(answers: dict[str, Any]) -> dict[str, bytes]:
        path = tmp_path / "a.json"
        path.write_text(json.dumps(answers), encoding="utf-8")
        assert triage_cli("--answers", str(path), "--json", env=env).returncode == 0
        return {p.name: p.read_bytes() for p in cache.rglob("*") if p.is_file()}

    first = run_with(base_answers(age=97, medications=["lithium"], conditions=["dialysis"]))
    second = run_with(base_answers(age=23, sex="female", symptoms=["heel_pain_first_steps"]))
    assert first and first == second
    for data in first.values():
        assert b'"age": 97' not in data and b'"age":97' not in data
