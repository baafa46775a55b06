"""The clinical oracle (tests/oracle.py): the policy's expectations, hand-written, against the real pipeline.

Rows marked rev 2 describe behaviour new in policy revision 2; they fail until the rules implement it.
"""

from __future__ import annotations

import pytest

from triage.pipeline import Triage

from . import oracle


@pytest.mark.parametrize("row", oracle.ROWS, ids=[r.id for r in oracle.ROWS])
def test_policy_row(triage: Triage, row: oracle.Row) -> None:
    fails = oracle.check_row(triage, row)
    assert not fails, f"{row.policy}: " + "; ".join(f"{c}: {d}" for c, d in fails)


@pytest.mark.parametrize("question", oracle.QUESTIONS, ids=[q.id for q in oracle.QUESTIONS])
def test_question_row(triage: Triage, question: oracle.Question) -> None:
    fails = oracle.check_question(triage, question)
    assert not fails, f"{question.policy}: " + "; ".join(f"{c}: {d}" for c, d in fails)


def test_row_ids_are_unique() -> None:
    ids = [r.id for r in oracle.ROWS] + [q.id for q in oracle.QUESTIONS]
    assert len(ids) == len(set(ids))


def test_every_tier_and_filter_kind_is_covered() -> None:
    """The table is not thin: every tier, and every kind of expectation, has rows."""
    assert {r.tier for r in oracle.ROWS if r.tier} >= set(oracle.TIERS)
    for field in (
        "absent",
        "actions",
        "offered",
        "cautioned",
        "warnings",
        "consider",
        "no_points",
        "sheet",
    ):
        assert any(getattr(r, field) for r in oracle.ROWS), field


def test_the_oracle_can_fail(triage: Triage) -> None:
    """A row with a wrong expectation is reported, naming the check (the checker is not toothless)."""
    wrong = oracle.r(
        "X",
        "deliberately wrong",
        answers={"symptoms": ["one_leg_swollen"]},
        tier="self-care",
        offered=["calf_massage"],
        warnings=["nope"],
        sheet=("nz", ("999 999",)),
    )
    failed = {c for c, _ in oracle.check_row(triage, wrong)}
    assert {"X:tier", "X:offered:calf_massage", "X:warning:nope", "X:sheet:nz:999 999"} <= failed
    sheet = (
        "DURING A CRAMP\n1. Keep the leg warm\n   - You can gently rub the cramping leg with your other\n"
        "     leg to warm it.\n   Source: Seed article 000: sugar water\nLEFT OUT FOR YOU, AND WHY\n"
        "- Rub and squeeze the calf: rubbing the leg could move a clot.\n"
    )
    assert oracle.advised("rub_muscle", sheet) == [
        "- You can gently rub the cramping leg with your other leg to warm it."
    ]
    assert oracle.advised("drink_sugar", sheet) == []
    assert oracle.advised("rub_muscle", sheet.replace("You can gently", "Do not")) == []
    assert oracle.wrong_numbers("nz", "Call 999 now. Or Healthline on 0800 611 116.") == ["999"]
    assert oracle.wrong_numbers("nz", "Call 111 now. Or Healthline on 0800 611 116.") == []
    bad_q = oracle.Question(
        "QX", "wrong", {"sex": "male", "age": 30}, asks=("pregnant",), skips=("age",)
    )
    assert {c for c, _ in oracle.check_question(triage, bad_q)} == {
        "QX:asks:pregnant",
        "QX:skips:age",
    }


def test_table_prints_for_review() -> None:
    table = oracle.markdown()
    assert table.count("\n| ") >= len(oracle.ROWS) + len(oracle.QUESTIONS)
