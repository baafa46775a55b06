"""The policy's clinical cases (tests/vignettes.yaml) through the real CLI, rules and engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from triage.cli import main
from triage.model import TIERS

from .conftest import VIGNETTES

FIXED_REMEDIES = {"stretch_during_cramp", "bedtime_stretching", "calf_massage", "warmth", "hot_foot_soak",
                  "epsom_bath", "walk_it_off", "sugar_water", "magnesium_supplement", "hydration"}
FIXED_CONSIDER = {"restless_legs", "plantar_fasciitis", "claudication", "dvt", "neuropathy"}


def run_json(tmp_path: Path, answers: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    assert main(["--answers", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def assert_contract_shape(result: dict[str, Any]) -> None:
    assert result["version"] == 1
    assert result["disposition"] in TIERS
    for reason in result["reasons"]:
        assert set(reason) == {"rule", "tier", "text"} and reason["tier"] in TIERS and reason["text"]
    ranks = [TIERS.index(r["tier"]) for r in result["reasons"]]
    assert ranks == sorted(ranks, reverse=True), "reasons must be highest tier first"
    assert max(ranks) == TIERS.index(result["disposition"])
    for remedy in result["remedies"]:
        assert set(remedy) == {"id", "when", "evidence", "points", "cautions", "source"}
        assert isinstance(remedy["points"], list) and isinstance(remedy["cautions"], list) and remedy["source"]
    for key, fields in (("withheld", {"id", "because"}), ("warnings", {"id", "text"}), ("consider", {"id", "text"})):
        for item in result[key]:
            assert set(item) == fields and all(item.values())


@pytest.mark.parametrize("case", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_vignette(case: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each clinical case gets an acceptable tier and passes every check of its `expect`."""
    result = run_json(tmp_path, case["answers"], capsys)
    assert_contract_shape(result)
    expect = case["expect"]
    accept = expect.get("accept", [expect.get("disposition")])
    assert result["disposition"] in accept, case["story"]
    remedies = {r["id"]: r for r in result["remedies"]}
    withheld = {w["id"] for w in result["withheld"]}
    assert set(expect.get("remedies_include", [])) <= set(remedies)
    assert not set(expect.get("remedies_exclude", [])) & set(remedies)
    assert set(expect.get("warnings_include", [])) <= {w["id"] for w in result["warnings"]}
    assert set(expect.get("consider_include", [])) <= {c["id"] for c in result["consider"]}
    for rid in expect.get("not_plain", []):
        assert rid in withheld or (rid in remedies and remedies[rid]["cautions"]), rid
    points = {p for r in result["remedies"] for p in r["points"]}
    assert not set(expect.get("points_exclude", [])) & points
    if "remedies_max" in expect:
        assert len(result["remedies"]) <= expect["remedies_max"]


def test_fixed_ids_exist(knowledge: Any) -> None:
    """The remedy, warning and consider ids the contract fixes are all defined and reachable."""
    assert FIXED_REMEDIES <= set(knowledge.remedies)
    assert FIXED_CONSIDER == set(knowledge.consider)
    assert {"quinine", "medication_review"} <= set(knowledge.warnings)


def test_vignettes_cover_every_tier() -> None:
    """The cases exercise all four tiers (else a tier could silently stop working)."""
    tiers = {t for v in VIGNETTES for t in v["expect"].get("accept", [v["expect"].get("disposition")])}
    assert tiers == set(TIERS)
