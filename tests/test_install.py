"""Installing where people are: Python 3.13+, a broken durable-rules build, `./dev` from any folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import base_answers

ROOT = Path(__file__).resolve().parent.parent


def test_a_durable_build_without_the_313_flag_fails_in_one_line_naming_the_fix(
    tmp_path: Path,
) -> None:
    """A plain `pip install .` on 3.13 builds durable's C extension without the PyEval_CallObject
    rename; importing it then fails. Stand in for that extension (the import error it raises,
    word for word) ahead of the real one, and run the real CLI."""
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "durable_rules_engine.py").write_text(
        'raise ImportError("/venv/lib/python3.13/site-packages/durable_rules_engine.cpython-313-x86_64-linux-gnu.so:'
        ' undefined symbol: PyEval_CallObject")\n',
        encoding="utf-8",
    )
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(base_answers()), encoding="utf-8")
    out = tmp_path / "sheet.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(shadow), *sys.path[1:]])}
    done = subprocess.run(
        [sys.executable, "-m", "triage", "--answers", str(answers), "--json", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 3
    assert done.stdout == "" and not out.exists()
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(
        "triage: the rules engine (durable-rules) is not installed correctly for Python 3.13+;"
    )
    assert (
        f"CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject {sys.executable} -m pip install"
        in lines[0]
    )
    assert "durable-rules==2.0.28" in lines[0]


def test_requires_python_allows_313_and_later() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'requires-python = ">=3.10"' in text


@pytest.mark.skipif(not os.access(ROOT / "dev", os.X_OK), reason="no ./dev")
def test_dev_picks_the_newest_supported_python() -> None:
    """./dev's choice, run alone: 3.13 when this machine has it (here through pyenv), never older than 3.10."""
    script = (ROOT / "dev").read_text(encoding="utf-8")
    functions = script[script.index("supported()") : script.index("version_of()")]
    done = subprocess.run(
        [
            "bash",
            "-c",
            functions + '\nv=$(pick_python) && "$v" -c "import sys; print(sys.version_info[:2])"',
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "PYTHON"},
    )
    assert done.returncode == 0, done.stderr
    picked = tuple(int(n) for n in done.stdout.strip().strip("()").split(", "))
    assert picked >= (3, 10)
    have_313 = (
        any(Path(os.path.expanduser("~/.pyenv/versions")).glob("3.13.*/bin/python3.13"))
        or subprocess.run(["bash", "-c", "python3.13 -V"], capture_output=True).returncode == 0
    )
    if have_313:
        assert picked == (3, 13)


@pytest.mark.skipif(
    Path(sys.prefix).resolve() != (ROOT / ".venv").resolve(),
    reason="./dev run uses the repository's .venv; these tests run in another environment",
)
def test_dev_run_from_another_folder_reads_and_writes_there(tmp_path: Path) -> None:
    """Paths typed after `./dev run` mean files where they were typed, not in the repository."""
    (tmp_path / "me.yaml").write_text("version: 1\nsymptoms: [dark_urine]\n", encoding="utf-8")
    done = subprocess.run(
        [
            str(ROOT / "dev"),
            "run",
            "--answers",
            "me.yaml",
            "--format",
            "html",
            "--out",
            "sheet.html",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Wrote sheet.html" in done.stderr
    assert (tmp_path / "sheet.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not (ROOT / "sheet.html").exists()
    bad = subprocess.run(
        [str(ROOT / "dev"), "run", "--answers", "missing.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "missing.yaml" in bad.stderr


def test_a_package_without_its_data_folders_stops_in_one_line(tmp_path: Path) -> None:
    """An install that lost rules/ and templates/ ends with the install error: exit 3, one line
    naming the folder and the fix, never a traceback."""
    import shutil

    package = tmp_path / "triage"
    shutil.copytree(ROOT / "triage", package, ignore=shutil.ignore_patterns("__pycache__"))
    answers = tmp_path / "me.json"
    answers.write_text(json.dumps(base_answers()), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "triage", "--answers", str(answers), "--json"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 3, done.stderr
    assert done.stdout == "" and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "rules/ folder" in done.stderr and "reinstall" in done.stderr
