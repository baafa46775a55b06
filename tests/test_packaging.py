"""A non-editable install carries rules/ and templates/ and finds them from any folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built in this process by the build backend itself (hatchling, a test extra): no package index,
    no subprocess outside the socket block, so the test cannot pass or fail on the network."""
    from .conftest import require

    wheel_builder = require("hatchling.builders.wheel")
    out = tmp_path_factory.mktemp("wheel")
    built = list(
        wheel_builder.WheelBuilder(str(ROOT)).build(directory=str(out), versions=["standard"])
    )
    assert len(built) == 1
    return Path(built[0])


def test_wheel_contains_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in (
        "triage/rules/questions.yaml",
        "triage/rules/answers.schema.json",
        "triage/rules/logic/1_emergency.yaml",
        "triage/templates/sheet.html.j2",
        "triage/templates/sheet.css",
    ):
        assert data in names


def test_installed_wheel_runs_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"version": 1, "symptoms": ["dark_urine"]}), encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    code = "import triage, triage.paths as p; print(triage.__file__); print(p.rules_dir())"
    where = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert where.stdout.splitlines()[0].startswith(str(site))
    assert where.stdout.splitlines()[1] == str(site / "triage" / "rules")
    done = subprocess.run(
        [sys.executable, "-m", "triage", "--answers", str(answers), "--json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["disposition"] == "urgent"
