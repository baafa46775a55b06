"""Contradictory answers files (answers contract rev 3, "Contradictory files"): each case is
refused in one line with exit code 2, or read with the missing fact inferred and listed in the
result's `inferred`. The cases and their handling are written here by hand from the contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from triage.cli import main

from .conftest import base_answers

WOMAN = {"sex": "female", "age": 30, "pregnant": False}

# (id, changes to the ordinary case, words the one line must hold)
REFUSED = [
    (
        "feels-like-emergency-not-sure",
        {"symptoms_not_sure": ["feels_like_emergency"]},
        "symptoms_not_sure: feels_like_emergency cannot be not sure",
    ),
    (
        "belly-pain-not-pregnant",
        {**WOMAN, "symptoms": ["pregnancy_belly_pain"]},
        "pregnancy_belly_pain needs pregnant true or not_sure",
    ),
    (
        "belly-pain-not-sure-list-not-pregnant",
        {"symptoms_not_sure": ["pregnancy_belly_pain"]},
        "pregnancy_belly_pain needs pregnant true or not_sure",
    ),
    (
        "belly-pain-over-60",
        {"sex": "female", "age": 70, "symptoms": ["pregnancy_belly_pain"]},
        "pregnancy_belly_pain",
    ),
    (
        "pregnancy-emergency-not-sure-list-alone",
        {"symptoms_not_sure": ["pregnancy_emergency"]},
        "pregnancy_emergency needs pregnant: true or not_sure",
    ),
    ("pregnant-over-60", {"sex": "female", "age": 80, "pregnant": True}, "over age 60"),
    ("pregnant-not-sure-over-60", {"sex": "female", "age": 80, "pregnant": "not_sure"}, "over"),
    ("postpartum-over-60", {"sex": "female", "age": 80, "postpartum": True}, "over age 60"),
    ("weeks-since-birth-over-60", {"sex": "female", "age": 80, "weeks_since_birth": 3}, "60"),
    ("breastfeeding-over-60", {"sex": "female", "age": 80, "breastfeeding": True}, "60"),
    (
        "weeks-with-pregnant-not-sure",
        {**WOMAN, "pregnant": "not_sure", "pregnancy_weeks": 10},
        "pregnancy_weeks",
    ),
    ("male-pregnant-not-sure", {"pregnant": "not_sure"}, "sex is male"),
    ("male-weeks-since-birth", {"weeks_since_birth": 3}, "weeks_since_birth"),
    ("male-pregnancy-emergency", {"symptoms": ["pregnancy_emergency"]}, "pregnancy_emergency"),
    (
        "postpartum-true-late-weeks",
        {**WOMAN, "postpartum": True, "weeks_since_birth": 9},
        "postpartum and weeks_since_birth disagree",
    ),
    (
        "postpartum-false-early-weeks",
        {**WOMAN, "postpartum": False, "weeks_since_birth": 2},
        "postpartum and weeks_since_birth disagree",
    ),
    (
        "stretching-true-helped",
        {"stretching_not_helping": True, "stretching_tried": "helped"},
        "stretching_not_helping and stretching_tried disagree",
    ),
    (
        "stretching-false-not-helped",
        {"stretching_not_helping": False, "stretching_tried": "not_helped"},
        "stretching_not_helping and stretching_tried disagree",
    ),
    # issue 20: the other pregnancy signs (contract "Contradictory files")
    (
        "tightenings-not-pregnant",
        {**WOMAN, "symptoms": ["pregnancy_tightenings"]},
        "pregnancy_tightenings needs pregnant true or not_sure",
    ),
    (
        "movements-not-sure-list-not-pregnant",
        {**WOMAN, "symptoms_not_sure": ["reduced_movements"]},
        "reduced_movements needs pregnant true or not_sure",
    ),
    (
        "tightenings-after-birth-only",
        {**WOMAN, "postpartum": True, "symptoms": ["pregnancy_tightenings"]},
        "pregnancy_tightenings needs pregnant true or not_sure",
    ),
    (
        "movements-over-60",
        {"sex": "female", "age": 70, "symptoms": ["reduced_movements"]},
        "reduced_movements",
    ),
    (
        "bleeding-alone",
        {**WOMAN, "symptoms": ["pregnancy_bleeding"]},
        "pregnancy_bleeding needs pregnant: true or not_sure, or a birth",
    ),
    (
        "bleeding-not-sure-list-alone",
        {**WOMAN, "symptoms_not_sure": ["pregnancy_bleeding"]},
        "pregnancy_bleeding needs pregnant: true or not_sure, or a birth",
    ),
    ("male-bleeding", {"symptoms": ["pregnancy_bleeding"]}, "pregnancy_bleeding"),
    ("male-tightenings", {"symptoms": ["pregnancy_tightenings"]}, "pregnancy_tightenings"),
    (
        "bleeding-over-60",
        {"sex": "female", "age": 65, "symptoms": ["pregnancy_bleeding"]},
        "pregnancy_bleeding",
    ),
]


def run(tmp_path: Path, answers: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> Any:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    code = main(["--answers", str(path), "--json"])
    out = capsys.readouterr()
    return code, out


@pytest.mark.parametrize(("case", "changes", "words"), REFUSED, ids=[c[0] for c in REFUSED])
def test_contradiction_is_refused_in_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    changes: dict[str, Any],
    words: str,
) -> None:
    """A file with no safe reading is refused: exit code 2, one line naming the problem."""
    code, out = run(tmp_path, base_answers(**changes), capsys)
    assert code == 2, out.out[:200]
    assert out.out == "" and out.err.count("\n") == 1 and "Traceback" not in out.err
    assert words in out.err, out.err


# (id, changes, what `inferred` must hold as (key, value), what it must not hold)
INFERRED = [
    (
        "dialysis-from-timing",
        {"timing": ["during_dialysis"], "conditions": []},
        [("conditions", "dialysis"), ("conditions", "kidney_disease")],
    ),
    ("kidney-from-dialysis", {"conditions": ["dialysis"]}, [("conditions", "kidney_disease")]),
    (
        "another-medicine-from-no-linked-one",
        {"cramps_began_with_medicine": True, "medications": ["anticoagulant"]},
        [("medications", "another_medicine")],
    ),
    (
        "another-medicine-when-not-sure",
        {"cramps_began_with_medicine": "not_sure", "medications": []},
        [("medications", "another_medicine")],
    ),
    (
        "postpartum-from-early-weeks",
        {**WOMAN, "weeks_since_birth": 2},
        [("postpartum", True)],
    ),
    (
        "postpartum-from-late-weeks",
        {**WOMAN, "weeks_since_birth": 9},
        [("postpartum", False)],
    ),
]


@pytest.mark.parametrize(("case", "changes", "wanted"), INFERRED, ids=[c[0] for c in INFERRED])
def test_contradiction_is_read_with_the_fact_inferred(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    changes: dict[str, Any],
    wanted: list[tuple[str, Any]],
) -> None:
    """A file with a safe reading is accepted, and the result lists what was inferred, why."""
    code, out = run(tmp_path, base_answers(**changes), capsys)
    assert code == 0, out.err
    inferred = json.loads(out.out)["inferred"]
    assert [(i["key"], i["value"]) for i in inferred] == wanted
    assert all(set(i) == {"key", "value", "because"} and i["because"] for i in inferred)


# Accepted as given: nothing inferred, nothing refused (contract "Contradictory files")
ACCEPTED = [
    ("sure-and-not-sure", {"symptoms": ["twitching"], "symptoms_not_sure": ["twitching"]}),
    ("linked-medicine-named", {"cramps_began_with_medicine": True, "medications": ["statin"]}),
    (
        "another-medicine-named",
        {"cramps_began_with_medicine": True, "medications": ["another_medicine"]},
    ),
    ("pregnant-and-postpartum", {**WOMAN, "pregnant": True, "postpartum": True}),
    ("warning-signs-not-pregnant", {**WOMAN, "symptoms": ["pregnancy_warning_signs"]}),
    ("bear-weight-without-injury", {"can_bear_weight": "unable"}),
    ("fluid-loss-with-specific", {"symptoms": ["fluid_loss", "vomiting_or_diarrhoea"]}),
    ("not-sure-which-and-named", {"medications": ["not_sure_which", "statin"]}),
    ("thyroid-after-birth", {**WOMAN, "postpartum": True, "symptoms": ["thyroid_signs"]}),
    ("mobility-both", {"mobility": ["walking_aid", "wheelchair"]}),
    ("ages-56-60", {"sex": "female", "age": 58, "pregnant": True}),
    ("weeks-with-postpartum-agreeing", {**WOMAN, "postpartum": True, "weeks_since_birth": 5}),
    # issue 20: bleeding after a birth, the pregnancy signs when not sure, child signs at 18+
    (
        "bleeding-after-birth",
        {**WOMAN, "weeks_since_birth": 10, "postpartum": False, "symptoms": ["pregnancy_bleeding"]},
    ),
    (
        "movements-not-sure-pregnant",
        {**WOMAN, "pregnant": "not_sure", "symptoms": ["reduced_movements"]},
    ),
    (
        "child-signs-adult",
        {
            "age": 40,
            "symptoms": [
                "limp",
                "fever",
                "bone_pain_one_spot",
                "lump_or_swelling",
                "day_and_night_pain",
            ],
        },
    ),
]


@pytest.mark.parametrize(("case", "changes"), ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_consistent_enough_files_are_accepted_as_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, changes: dict[str, Any]
) -> None:
    """A file the contract accepts as it is: read as given, nothing inferred."""
    code, out = run(tmp_path, base_answers(**changes), capsys)
    assert code == 0, out.err
    assert json.loads(out.out)["inferred"] == []


def test_a_not_sure_sign_in_both_lists_is_not_called_not_sure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The sure answer wins: the sheet does not say it was treated as yes."""
    code, out = run(
        tmp_path, base_answers(symptoms=["twitching"], symptoms_not_sure=["twitching"]), capsys
    )
    assert code == 0 and json.loads(out.out)["read_as"] == []
