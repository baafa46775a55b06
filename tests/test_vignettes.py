"""The policy's clinical cases (tests/vignettes.yaml) through the real CLI, rules and engine."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from triage.cli import main
from triage.model import TIERS

from .conftest import VIGNETTES, page_words
from .oracle import POLICY_COLUMNS

FIXED_REMEDIES = {
    "stretch_during_cramp",
    "bedtime_stretching",
    "calf_massage",
    "warmth",
    "hot_foot_soak",
    "epsom_bath",
    "walk_it_off",
    "sugar_water",
    "magnesium_supplement",
    "hydration",
}
# The safety table's columns (policy rev 3, "The safety table", "Who is in each column").
SAFETY_COLUMNS = {column for column, _ in POLICY_COLUMNS}
FIXED_CONSIDER = {"restless_legs", "plantar_fasciitis", "claudication", "dvt", "neuropathy"}
# contract rev 3 fixes these too; each is defined once a rule names it
FIXED_CONSIDER_REV3 = {
    "cellulitis",
    "blocked_artery",
    "blood_salts",
    "muscle_damage",
    "trapped_nerve",
    "broken_bone",
    "bleeding_into_muscle",
    "bone_or_hip_problem",
    "growing_pains",
    "underactive_thyroid",
    "diabetes",
}
# The sheet rules of docs/policy.md, "The sheet", written from the policy (not read from rules/).
WORD_LIMITS = {"self-care": 350, "soon": 350, "urgent": 250, "emergency": 150}
INTERNAL = re.compile(r"seed|clinical[- ]brief|section \d|\.txt\b|\.yaml\b|rules/", re.I)
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
PREGNANCY_WORDS = re.compile(
    r"pregnan|midwife|maternity|antenatal|labour|gave birth|giving birth", re.I
)


def run_json(
    tmp_path: Path, answers: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> dict[str, Any]:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    assert main(["--answers", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def assert_contract_shape(result: dict[str, Any]) -> None:
    assert result["version"] == 1
    assert result["disposition"] in TIERS
    for reason in result["reasons"]:
        assert (
            set(reason) == {"rule", "tier", "text"} and reason["tier"] in TIERS and reason["text"]
        )
    ranks = [TIERS.index(r["tier"]) for r in result["reasons"]]
    assert ranks == sorted(ranks, reverse=True), "reasons must be highest tier first"
    assert max(ranks) == TIERS.index(result["disposition"])
    for remedy in result["remedies"]:
        assert set(remedy) == {
            "id",
            "title",
            "when",
            "evidence",
            "featured",
            "steps",
            "points",
            "cautions",
            "source",
        }
        assert (
            isinstance(remedy["points"], list)
            and isinstance(remedy["cautions"], list)
            and remedy["source"]
        )
        assert isinstance(remedy["featured"], bool) and remedy["steps"]
    featured = [r for r in result["remedies"] if r["featured"]]
    assert len([r for r in featured if r["when"] == "during"]) <= 3 and len(featured) <= 6
    advice = dict(result["advice"])
    first_line = advice.pop("first_line")  # rev 3: only some sheets have one (may be empty)
    assert set(advice) == {"label", "headline", "action", "timeframe"} and all(advice.values())
    assert isinstance(first_line, str)
    for key, fields in (("warnings", {"id", "text"}), ("consider", {"id", "text"})):
        for item in result[key]:
            assert set(item) == fields and all(item.values())
    # rev 3: each item left out names the safety-table column whose reason it shows (contract,
    # "withheld[].column"); an emergency withholds everything, and names no column
    emergency = result["disposition"] == "emergency"
    for key in ("withheld", "withheld_actions"):
        for item in result[key]:
            assert set(item) == {"id", "because", "column"} and item["id"] and item["because"]
            assert (item["column"] is None) if emergency else item["column"] in SAFETY_COLUMNS
    assert set(result["columns"]) <= SAFETY_COLUMNS


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
    # rev 3: actions the safety table must leave out, each with the column whose reason is shown
    left_out = {w["id"]: w["column"] for w in result["withheld_actions"]}
    for action, column in expect.get("actions_withheld", {}).items():
        assert left_out.get(action) == column, (action, left_out.get(action), column)


def text_sheet(tmp_path: Path, answers: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    assert main(["--answers", str(path), "--format", "text"]) == 0
    return capsys.readouterr().out


def matches(text: str, pattern: str) -> bool:
    """The vignettes' text patterns: case-insensitive, 'a|b' meaning either, and wherever the
    sheet wraps its lines (so an exclusion is found across a line break too)."""
    flat = " ".join(text.split()).lower()
    return any(" ".join(alt.split()).lower() in flat for alt in pattern.split("|"))


@pytest.mark.parametrize("case", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_vignette_text_sheet(
    case: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The default text sheet of each case: the sheet rules of policy rev 2, and the case's own text checks."""
    result = run_json(tmp_path, case["answers"], capsys)
    text = text_sheet(tmp_path, case["answers"], capsys)
    answers = case["answers"]
    # policy rev 3 ("Page one"): 150 words for "urgent, now" too (the early-stop sheet)
    limit = 150 if result["act_within"] == "now" else WORD_LIMITS[result["disposition"]]
    assert page_words(text) <= limit, f"page one has {page_words(text)} words"
    # --json's `featured` is what page one shows (issue 18): a remedy is on page one when the
    # text sheet starts a line with its title (as a bullet, or after the first thing's heading)
    lines = text.splitlines()
    for remedy in result["remedies"]:
        title = remedy["title"]
        shown = any(line.startswith(f"- {title}:") or line.endswith(f": {title}") for line in lines)
        assert shown == remedy["featured"], (title, remedy["featured"])
    assert not INTERNAL.search(text), INTERNAL.search(text)
    assert not PLACEHOLDER.search(text) and not PLACEHOLDER.search(json.dumps(result))
    # Pregnancy wording only in pregnancy (or not sure), after birth, or where pregnancy was not
    # reported and is possible ("If you could be pregnant": policy rev 3, rule 7).
    maybe = (
        "pregnant" not in answers and answers.get("sex") != "male" and answers.get("age", 0) <= 60
    )
    if (
        answers.get("sex") == "male"
        or answers.get("age", 0) > 60
        # within 12 weeks of a birth is "after birth" too (weeks_since_birth, policy rev 3)
        or not (
            answers.get("pregnant")
            or answers.get("postpartum")
            or "weeks_since_birth" in answers
            or maybe
        )
    ):
        assert not PREGNANCY_WORDS.search(text), PREGNANCY_WORDS.search(text)
    head = "\n".join([line for line in text.splitlines() if line.strip()][:15])
    # rev 3 ("Question order", step 1): someone answering for the person with the cramps gets a
    # first line saying the sheet speaks to that person; nobody else does.
    first_line = matches(text.split("=" * 78)[0], "person with the cramps")
    assert first_line == (answers.get("answering_for") == "someone_else"), first_line
    expect = case["expect"]
    for pattern in expect.get("text_include", []):
        assert matches(text, pattern), pattern
    for pattern in expect.get("text_exclude", []):
        assert not matches(text, pattern), pattern
    for pattern in expect.get("head_include", []):
        assert matches(head, pattern), pattern
    for pattern in expect.get("head_exclude", []):
        assert not matches(head, pattern), pattern
    for first, second in expect.get("text_not_both", []):
        assert not (matches(text, first) and matches(text, second)), (first, second)


def test_text_checks_can_fail() -> None:
    """The pattern matcher is not toothless."""
    assert matches("Call your MIDWIFE now", "maternity|midwife") and not matches(
        "See a doctor", "maternity|midwife"
    )


def test_fixed_ids_exist(knowledge: Any) -> None:
    """The remedy, warning and consider ids the contract fixes are all defined and reachable."""
    assert set(knowledge.remedies) >= FIXED_REMEDIES
    assert FIXED_CONSIDER <= set(knowledge.consider) <= FIXED_CONSIDER | FIXED_CONSIDER_REV3
    assert {"quinine", "medication_review"} <= set(knowledge.warnings)


def test_vignettes_cover_every_tier() -> None:
    """The cases exercise all four tiers (else a tier could silently stop working)."""
    tiers = {
        t for v in VIGNETTES for t in v["expect"].get("accept", [v["expect"].get("disposition")])
    }
    assert tiers == set(TIERS)
