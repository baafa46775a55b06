"""`triage batch`: many answers in, JSON Lines out, with --compare, --jobs and bad inputs."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from triage import paths
from triage.pipeline import Triage
from triage.result import LineEncoder

from .conftest import VIGNETTES, base_answers


def triage_batch(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "triage", "batch", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env=os.environ.copy(),
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    cases = tmp_path / "cases"
    cases.mkdir()
    for v in VIGNETTES:
        (cases / f"{v['id']}.json").write_text(json.dumps(v["answers"]), encoding="utf-8")
    (cases / "broken.yaml").write_text("version: 1\nsex: mail\n", encoding="utf-8")
    (cases / "notes.txt").write_text("not an answers file", encoding="utf-8")
    return cases


def lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_folder_in_order_with_bad_file_reported(folder: Path, triage: Triage) -> None:
    done = triage_batch(str(folder))
    assert done.returncode == 0
    out = lines(done.stdout)
    in_order = sorted(VIGNETTES, key=lambda v: f"{v['id']}.json")  # a folder is read by name
    assert [o["id"] for o in out] == [*(f"{v['id']}.json" for v in in_order), "broken.yaml"]
    assert out[-1] == {
        "id": "broken.yaml",
        "error": "sex: 'mail' is not allowed. Use one of: female, male, other",
    }
    for o, v in zip(out[:-1], in_order, strict=True):
        assert o["result"] == triage.decide(triage.contract.check(v["answers"]))  # same as --json
    assert f"{len(VIGNETTES)} evaluated, 1 could not be read" in done.stderr


def test_jsonl_on_stdin_with_ids_and_errors() -> None:
    stdin = (
        "\n".join(
            [
                json.dumps({"id": "ann", "answers": base_answers()}),
                json.dumps(base_answers(symptoms=["dark_urine"])),
                "{not json",
                "",
                json.dumps([1, 2]),
            ]
        )
        + "\n"
    )
    done = triage_batch(stdin=stdin)
    out = lines(done.stdout)
    assert done.returncode == 0
    assert [o["id"] for o in out] == ["ann", "line 2", "line 3", "line 5"]
    assert (
        out[0]["result"]["disposition"] == "self-care"
        and out[1]["result"]["disposition"] == "urgent"
    )
    assert out[2]["error"].startswith("not valid JSON") and "expected a mapping" in out[3]["error"]


def test_jsonl_ids_name_one_case_each() -> None:
    """Red team round 4, M6: an id given twice, or a given id of the form that names another
    line ("line 3"), was accepted, so two output lines shared an id with different tiers."""
    ui = yaml.safe_load((paths.rules_dir() / "ui.yaml").read_text(encoding="utf-8"))
    words = ui["cli"]["batch"]
    urgent = base_answers(symptoms=["dark_urine"])
    stdin = "".join(
        line + "\n"
        for line in [
            json.dumps({"id": "a", "answers": base_answers()}),
            json.dumps({"id": "a", "answers": urgent}),  # the same id again
            "not json",
            json.dumps({"id": words["line"].format(number=3), "answers": urgent}),
            json.dumps({"id": words["line"].format(number=5), "answers": urgent}),  # its own
        ]
    )
    done = triage_batch(stdin=stdin)
    out = lines(done.stdout)
    ids = [o["id"] for o in out]
    assert ids == ["a", *(words["line"].format(number=n) for n in (2, 3, 4, 5))], ids
    assert len(set(ids)) == len(ids)
    assert out[0]["result"]["disposition"] == "self-care"
    assert out[1] == {"id": ids[1], "error": words["id_repeated"].format(id="a", first=1)}
    assert out[3] == {"id": ids[3], "error": words["id_like_line"].format(id=ids[2])}
    assert out[4]["result"]["disposition"] == "urgent"
    assert done.returncode == 0


def test_jobs_give_the_same_output(folder: Path) -> None:
    assert triage_batch(str(folder), "--jobs", "2").stdout == triage_batch(str(folder)).stdout


def test_compare_reports_changes_and_fails_when_a_tier_goes_down(
    folder: Path, tmp_path: Path
) -> None:
    before = tmp_path / "before.jsonl"
    assert triage_batch(str(folder), "--out", str(before)).returncode == 0
    rules = tmp_path / "rules"
    shutil.copytree(paths.rules_dir(), rules)
    urgent = rules / "logic" / "2_urgent.yaml"
    urgent.write_text(
        urgent.read_text(encoding="utf-8").replace(
            "when: {duration: over_10_minutes}\n    tier: urgent",
            "when: {duration: over_10_minutes}\n    tier: soon",
        ),
        encoding="utf-8",
    )
    done = triage_batch(str(folder), "--rules", str(rules), "--compare", str(before))
    assert done.returncode == 1
    assert "1 went DOWN a tier" in done.stderr and "P15.json  DOWN urgent -> soon" in done.stderr
    same = triage_batch(str(folder), "--compare", str(before))
    assert same.returncode == 0 and "no case changed" in same.stderr


def test_compare_shows_remedy_and_warning_changes(folder: Path, tmp_path: Path) -> None:
    before = tmp_path / "before.jsonl"
    triage_batch(str(folder), "--out", str(before))
    rules = tmp_path / "rules"
    shutil.copytree(paths.rules_dir(), rules)
    remedies = rules / "logic" / "5_remedies.yaml"
    remedies.write_text(
        remedies.read_text(encoding="utf-8").replace(
            "offer: [warm_up]", "offer: [warm_up, cool_down]"
        ),
        encoding="utf-8",
    )
    done = triage_batch(str(folder), "--rules", str(rules), "--compare", str(before))
    assert (
        done.returncode == 0
        and "P01.json  self-care" in done.stderr
        and "remedies +cool_down" in done.stderr
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere"], "nowhere: no such file or folder"),
        (["--jobs", "-1", "."], "--jobs must be 1 or more"),
        (["--compare", "missing.jsonl", "."], "--compare missing.jsonl: cannot be read"),
        (
            ["--out", "no/such/folder/out.jsonl", "."],
            "cannot write no/such/folder/out.jsonl: the folder",
        ),
    ],
)
def test_bad_usage(args: list[str], message: str, tmp_path: Path) -> None:
    done = triage_batch(*args, cwd=tmp_path)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and list(tmp_path.iterdir()) == []


def test_line_encoder_matches_to_dict(triage: Triage) -> None:
    """The cached-fragment encoder produces exactly the contract result, on many cases."""
    encoder = LineEncoder()
    rng = random.Random(7)
    fields = triage.contract.fields
    for n in range(300):
        answers = base_answers(
            # (pregnancy_emergency needs a pregnancy or a birth, and pregnancy_belly_pain a
            # pregnancy: this man can have neither)
            symptoms=rng.sample(
                [
                    v
                    for v in fields["symptoms"].values
                    if v
                    not in (
                        "pregnancy_emergency",
                        "pregnancy_belly_pain",
                        "pregnancy_bleeding",
                        "pregnancy_tightenings",
                        "reduced_movements",
                    )
                ],
                rng.randint(0, 3),
            ),
            medications=rng.sample(fields["medications"].values, rng.randint(0, 2)),
            conditions=rng.sample(fields["conditions"].values, rng.randint(0, 2)),
            age=rng.randint(12, 99),
        )
        answers = triage.contract.check(answers)
        result = triage.evaluate(answers)
        shown = triage.featured(result, answers)
        expected = json.loads(json.dumps({"id": str(n), "result": result.to_dict(shown)}))
        assert json.loads(encoder.encode({"id": str(n)}, result, shown)) == expected
