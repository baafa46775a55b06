"""Broken data files fail at load, before the first question, naming the file and the item."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from triage.errors import DataFileError
from triage.pipeline import Triage

from .conftest import edit


def load_all(rules: Path) -> None:
    Triage(rules=rules).load()


BREAKAGES: list[tuple[str, str, str, str, str]] = [
    # (file, old text, new text, item named, words in the detail)
    (
        "logic/2_urgent.yaml",
        "has_any: [dirty_wound, toxin_exposure]",
        "has_any: [dirty_wound, toxins]",
        "rule tetanus_or_toxin",
        "'toxins' is not a possible answer",
    ),
    (
        "logic/2_urgent.yaml",
        "tier: urgent\n    source: merck_cramps",
        "tier: urgentish\n    source: merck_cramps",
        "rule fluid_loss",
        "'tier' is 'urgentish'",
    ),
    (
        "logic/2_urgent.yaml",
        "source: nhs_leg_cramps_older",
        "source: nobody",
        "rule tetanus_or_toxin",
        "unknown source id 'nobody'",
    ),
    (
        "logic/5_remedies.yaml",
        "offer: [warm_up]",
        "offer: [warm_upp]",
        "rule offer_for_exercise",
        "unknown remedy id 'warm_upp'",
    ),
    (
        "logic/3_soon.yaml",
        "    consider: [dvt]\n    source: nhs_dvt",
        "    consider: [dvt]\n    withhold: {rub_muscle: possible_clot}\n    source: nhs_dvt",
        "rule clot_risk_one_side",
        "decided in safety.yaml",
    ),
    (
        "logic/1_emergency.yaml",
        "  - id: heat_stroke\n",
        "  - id: heat_stroke\n    pri: 1\n",
        "rule heat_stroke",
        "unknown field 'pri'",
    ),
    (
        "logic/1_emergency.yaml",
        "when: {symptoms: {has: confused_or_fainting}}",
        "when: {$not: {symptoms: []}}",
        "rule heat_stroke",
        "unknown answer key '$not'",
    ),
    (
        "logic/1_emergency.yaml",
        "  - id: blocked_artery",
        "  - id: clot_in_lung",
        "rule clot_in_lung",
        "used twice",
    ),
    (
        "logic/3_soon.yaml",
        "  - id: heavy_alcohol",
        "  - id: fluid_loss",
        "rule fluid_loss",
        "also used in",
    ),
    (
        "messages.yaml",
        "  heavy_alcohol:\n",
        "  heavy_alcoholic:\n",
        "rule heavy_alcohol",
        "no text under 'reasons' in messages.yaml",
    ),
    (
        "messages.yaml",
        "consider:\n",
        "consider:\n  spare: Not used anywhere.\n",
        "consider spare",
        "no rule uses it",
    ),
    (
        "remedies.yaml",
        "    points: [ST34]",
        "    points: [ST99]",
        "remedy acupressure_thigh_front",
        "unknown point id 'ST99'",
    ),
    (
        "remedies.yaml",
        "evidence: some-evidence",
        "evidence: strong",
        "remedy bedtime_stretching",
        "'evidence' is 'strong'",
    ),
    ("questions.yaml", "key: sides", "key: side", "question sides", "not an answers-contract key"),
    (
        "questions.yaml",
        "when: {pregnant: true}",
        "when: {postpartum: true}",
        "question pregnancy_weeks",
        "not asked before this question",
    ),
    (
        "questions.yaml",
        '  - {value: toes, label: "Toes"}',
        '  - {value: toe, label: "Toes"}',
        "question locations",
        "not in the answers contract",
    ),
    (
        "questions.yaml",
        'type: select\n    prompt: "Are you pregnant?"',
        'type: confirm\n    prompt: "Are you pregnant?"',
        "question pregnant",
        "needs type select",
    ),
    (
        "medicines.yaml",
        "  - {id: lithium,",
        "  - {id: lithium2,",
        "medicines",
        "must match the contract",
    ),
    ("dispositions.yaml", "  - id: soon\n", "  - id: later\n", "tier later", "use one of"),
    (
        "dispositions.yaml",
        "early_stop: {within: [now],",
        "early_stop: {within: [soonish],",
        "tier urgent",
        "'early_stop' must give",
    ),
    (
        "logic/4_self_care.yaml",
        "  - id: no_warning_signs\n    when: {}\n",
        "  - id: no_warning_signs\n    when: {}\n    colour: red\n",
        "rule no_warning_signs",
        "unknown field 'colour'",
    ),
    ("logic/2_urgent.yaml", "rules:\n", "rules:\n  - id: [broken\n", "YAML", "line"),
    (
        "points.yaml",
        "    x: 50\n    y: 45",
        "    x: left\n    y: 45",
        "point BL40",
        "'x' must be a number",
    ),
    (
        "sources.yaml",
        "sources:\n",
        "sources:\n  - {id: uncited, short: x, cite: x, where: y}\n",
        "source uncited",
        "no rule, remedy, column or interaction cites it",
    ),
    (
        "sources.yaml",
        "sources:\n",
        "sources:\n  - {id: seed_000, short: x, cite: x, where: y}\n",
        "source seed_000",
        "used twice",
    ),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "item", "words"),
    BREAKAGES,
    ids=[b[3] + ":" + b[4][:20] for b in BREAKAGES],
)
def test_broken_file_is_named(
    rules: Path, file: str, old: str, new: str, item: str, words: str
) -> None:
    edit(rules / file, old, new)
    with pytest.raises(DataFileError) as caught:
        load_all(rules)
    err = caught.value
    assert err.item == item, str(err)
    assert words in err.detail, str(err)
    assert Path(err.path).is_relative_to(rules), str(err)
    assert Path(file).name in str(err) or "logic" in err.path, str(err)


@pytest.mark.parametrize(
    "remove",
    [
        lambda r: (r / "questions.yaml").unlink(),
        lambda r: (r / "answers.schema.json").write_text("{", encoding="utf-8"),
        lambda r: [p.unlink() for p in (r / "logic").glob("*.yaml")],
    ],
)
def test_missing_or_unreadable_file(rules: Path, remove: Callable[[Path], object]) -> None:
    remove(rules)
    with pytest.raises(DataFileError):
        load_all(rules)


def test_tier_without_any_rule_is_refused(rules: Path) -> None:
    """Every tier of the policy must be reachable by at least one rule."""
    text = (rules / "logic/1_emergency.yaml").read_text(encoding="utf-8")
    (rules / "logic/1_emergency.yaml").write_text(
        text.replace("tier: emergency", "tier: urgent"), encoding="utf-8"
    )
    with pytest.raises(DataFileError, match="no rule reaches this tier"):
        load_all(rules)


@pytest.mark.parametrize("blank", ["when:", "when: {}", ""])
def test_a_rule_above_self_care_with_no_condition_is_refused(rules: Path, blank: str) -> None:
    """Red team round 3, F4: `when:` left blank (or {}) on an emergency rule made every sheet an
    emergency, exit 0. Only a self-care rule may be true of everyone (the base every sheet
    starts from); a missing or blank `when` is refused on any rule."""
    path = rules / "logic/1_emergency.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rule = data["rules"][0]
    assert rule["tier"] == "emergency"
    del rule["when"]
    if blank:
        rule["when"] = None if blank == "when:" else {}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(DataFileError, match=f"rule {rule['id']}: 'when' is missing or empty"):
        load_all(rules)


def test_real_rules_load(triage: Triage) -> None:
    """The shipped data files load and cross-check (the contract every other test relies on)."""
    k = triage.knowledge
    assert len(k.rules) >= 50 and len(k.remedies) >= 25 and len(triage.questions) >= 20


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (
            "when: {pregnant: true}\n",
            "when: {pregnancy_weeks: {min: 1}}\n",
            "uses pregnancy_weeks, which is not asked before",
        ),
        (
            "    when: {sex: {in: [female, other]}, age: {min: 12, max: 55}, pregnant: {in: [false, not_sure]}}\n\n  - id: weeks_since_birth",
            "    when: {postpartum: true}\n\n  - id: weeks_since_birth",
            "uses postpartum, which is not asked before",
        ),
    ],
)
def test_when_cannot_refer_to_itself_or_later_questions(
    rules: Path, old: str, new: str, words: str
) -> None:
    """A `when` may only use answers already asked: no self-reference, no cycles."""
    edit(rules / "questions.yaml", old, new)
    with pytest.raises(DataFileError, match=words):
        load_all(rules)


def country_fields(rules: Path) -> list[str]:
    """The fields of the first non-generic country, as the file spells them."""
    text = (rules / "countries.yaml").read_text(encoding="utf-8")
    block = text.split("  - id: ")[2]
    return [line.split(":")[0].strip() for line in block.splitlines()[1:] if ":" in line]


@pytest.mark.parametrize("field", ["name", "emergency", "urgent_line"])
def test_a_country_missing_a_required_line_stops_in_one_line(
    rules: Path, field: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Deleting one line of countries.yaml is a broken data file: one line naming it, exit 3."""
    from triage.cli import main

    path = rules / "countries.yaml"
    assert field in country_fields(rules), f"test setup: {field} not in countries.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    second = [n for n, line in enumerate(lines) if line.startswith("  - id: ")][1]
    gone = next(n for n in range(second, len(lines)) if lines[n].strip().startswith(f"{field}:"))
    path.write_text("".join(lines[:gone] + lines[gone + 1 :]), encoding="utf-8")
    answers = tmp_path / "a.yaml"
    answers.write_text("version: 1\n", encoding="utf-8")
    code = main(["batch", "--rules", str(rules), str(answers)])
    err = capsys.readouterr().err
    assert code == 3, err
    assert err.count("\n") == 1 and "countries.yaml" in err and field in err, err
    assert "Traceback" not in err


def test_content_limits_are_the_loaders(rules: Path) -> None:
    """Too many choices, or a prompt or choice too long to read, is a broken data file."""
    from triage.loader import MAX_CHOICE_WORDS, MAX_CHOICES, MAX_PROMPT_WORDS

    real = Triage(rules=rules).questions
    path = rules / "questions.yaml"
    original = path.read_text(encoding="utf-8")
    widest = max(
        (q for q in real if q.choices and not q.choices_from), key=lambda q: len(q.choices)
    )  # a choices_from list shows only what was ticked
    label = widest.choices[0].label
    cases = [
        # one word too many in a choice's label, then in the longest prompt
        (label, " ".join(["word"] * (MAX_CHOICE_WORDS + 1)), "words; keep it to"),
        (
            max(real, key=lambda q: len(q.prompt.split())).prompt,
            "x " * (MAX_PROMPT_WORDS + 1),
            "'prompt' has",
        ),
    ]
    for old, new, words in cases:
        assert old in original, f"test setup: {old!r} not found as written"
        path.write_text(original.replace(old, new.strip(), 1), encoding="utf-8")
        with pytest.raises(DataFileError, match=words):
            Triage(rules=rules).questions  # noqa: B018
    # one choice more than fits: copy the widest question's first choice until it has too many
    assert len(widest.choices) <= MAX_CHOICES
    import yaml

    data = yaml.safe_load(original)
    item = next(q for q in data["questions"] if q["id"] == widest.id)
    item["choices"] += [dict(item["choices"][0])] * (MAX_CHOICES + 1 - len(item["choices"]))
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataFileError, match=f"at most {MAX_CHOICES} fit"):
        Triage(rules=rules).questions  # noqa: B018


# -- the safety table (rules/safety.yaml) and the interactions (rules/interactions.yaml) ----------


def safety_cell(rules: Path, action: str, column: str, new: str | None) -> None:
    """Set (or, with None, remove) one cell of the safety table, found by its action and column."""
    path = rules / "safety.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(n for n, line in enumerate(lines) if line.strip() == f"- action: {action}")
    at = next(n for n in range(row, len(lines)) if lines[n].strip().startswith(f"{column}:"))
    if new is None:
        del lines[at]
    else:
        lines[at] = f"      {column}: {new}\n"
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize(
    ("action", "column", "new", "words"),
    [
        ("heating_pad", "diabetes_or_signs", None, "the cell is empty"),
        ("heating_pad", "diabetes_or_signs", '""', "the cell is empty"),
        ("raise_leg", "leg_arteries", "maybe", "is not a decision"),
        ("raise_leg", "leg_arteries", '"withhold:"', "is not a decision"),
        ("raise_leg", "leg_arteries", '"refuse: too risky"', "is not a decision"),
        ("potassium_foods", "potassium_keeping", '"caution:   "', "is not a decision"),
    ],
    ids=[
        "removed",
        "blank",
        "unknown word",
        "withhold without why",
        "unknown verdict",
        "empty caution",
    ],
)
def test_undecided_cell_is_refused_naming_action_and_column(
    rules: Path, action: str, column: str, new: str | None, words: str
) -> None:
    """A cell blanked, removed or undecided stops the program with one line naming the action and
    the column (the issue's "done when")."""
    safety_cell(rules, action, column, new)
    with pytest.raises(DataFileError) as caught:
        load_all(rules)
    err = caught.value
    assert err.item == f"action {action}, column {column}", str(err)
    assert words in err.detail and err.path.endswith("safety.yaml"), str(err)
    assert "\n" not in str(err)


def test_blank_cell_exits_3_in_one_line(rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Through the command line: exit code 3, like every broken data file, one line on stderr."""
    from triage.cli import main

    safety_cell(rules, "hot_soak", "dialysis", '""')
    assert main(["tables", "--rules", str(rules)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "action hot_soak, column dialysis" in err, err


def test_unknown_column_in_a_row_is_refused(rules: Path) -> None:
    edit(
        rules / "safety.yaml",
        "      not_reported: ok\n",
        "      not_reported: ok\n      aged: ok\n",
    )
    with pytest.raises(DataFileError) as caught:
        load_all(rules)
    assert caught.value.item.endswith("column aged") and "unknown column" in caught.value.detail


def test_a_new_column_must_be_decided_in_every_row(rules: Path) -> None:
    """Adding a risk without deciding every cell of its column is impossible."""
    edit(
        rules / "safety.yaml",
        "\nrows:\n",
        "\n  - id: gout\n    label: gout\n    who:\n      - when: {conditions: {has: neuropathy}}\n\nrows:\n",
    )
    with pytest.raises(DataFileError) as caught:
        load_all(rules)
    assert caught.value.item == "action stretch_sitting, column gout"
    assert "the cell is empty" in caught.value.detail


def test_a_step_action_without_a_row_is_refused(rules: Path) -> None:
    """Adding an action to a step without deciding its row is impossible."""
    edit(rules / "remedies.yaml", "        does: [raise_leg]\n", "        does: [raise_leg, hop]\n")
    with pytest.raises(DataFileError) as caught:
        load_all(rules)
    assert "action 'hop' has no row in safety.yaml" in caught.value.detail
    assert caught.value.item.startswith("remedy elevate_leg")


def test_an_unused_row_is_refused(rules: Path) -> None:
    """A row that no remedy step does (and is not marked never advised) is refused."""
    edit(
        rules / "remedies.yaml",
        "      - text: Put ice or a cold pack wrapped in a towel on it for up to 20 minutes, every 2 to 3 hours.\n        does: [ice_pack]\n",
        "",
    )
    edit(rules / "remedies.yaml", "    action: ice_pack\n", "    action: raise_leg\n")
    with pytest.raises(DataFileError) as caught:
        load_all(rules)
    assert (
        caught.value.item == "action ice_pack" and "no remedy step does it" in caught.value.detail
    )


def test_a_never_advised_row_used_by_a_step_is_refused(rules: Path) -> None:
    edit(
        rules / "remedies.yaml",
        "        does: [paracetamol]\n",
        "        does: [paracetamol, anti_inflammatory_painkiller]\n",
    )
    with pytest.raises(DataFileError) as caught:
        load_all(rules)
    assert caught.value.item == "action anti_inflammatory_painkiller"
    assert "never advised" in caught.value.detail


def test_a_column_no_answers_can_reach_is_refused(rules: Path) -> None:
    """under 18 and 65 or over at once: no answers put anyone there."""
    edit(
        rules / "safety.yaml",
        "      - when: {age: {max: 17}}\n",
        "      - when: {age: {max: 17, min: 65}}\n",
    )
    with pytest.raises(DataFileError) as caught:
        load_all(rules)
    assert caught.value.item == "column under_18" and "no answers can put" in caught.value.detail


def test_a_column_reachable_only_through_unless_is_refused(rules: Path) -> None:
    edit(
        rules / "safety.yaml",
        "        unless: {any: [{conditions: {has: dialysis}}, {timing: {has: during_dialysis}}]}",
        "        unless: {any: [{conditions: {has: kidney_disease}}, {timing: {has: during_dialysis}}]}",
    )
    with pytest.raises(DataFileError) as caught:
        load_all(rules)
    assert caught.value.item == "column kidney_disease"


def test_every_real_column_is_reachable(triage: Triage) -> None:
    """The shipped table: each column has answers that put someone in it (the loader's own search
    found one; here the oracle's membership agrees for a person built from the policy)."""
    from tests import oracle

    for column, _label in oracle.POLICY_COLUMNS:
        person = oracle.member(column)
        assert column in oracle.columns_of(person)[0], column
        assert column in triage.evaluate(triage.contract.check(person)).columns, column


def test_a_medicine_in_no_interaction_row_is_refused(rules: Path) -> None:
    edit(rules / "interactions.yaml", "  - gabapentinoid  #", "  #")
    with pytest.raises(DataFileError) as caught:
        load_all(rules)
    assert caught.value.item == "medicine gabapentinoid"
    assert "no known interaction" in caught.value.detail


def test_a_medicine_both_in_a_row_and_marked_is_refused(rules: Path) -> None:
    edit(rules / "interactions.yaml", "  - gabapentinoid  #", "  - lithium\n  - gabapentinoid  #")
    with pytest.raises(DataFileError) as caught:
        load_all(rules)
    assert caught.value.item == "medicine lithium"


def test_interaction_timeframe_must_fit_its_tier(rules: Path) -> None:
    edit(
        rules / "interactions.yaml",
        "    tier: soon\n    act_within: 2_days\n    route: anticoagulant_clinic",
        "    tier: soon\n    act_within: today\n    route: anticoagulant_clinic",
    )
    with pytest.raises(DataFileError) as caught:
        load_all(rules)
    assert (
        caught.value.item == "interaction nsaid_blood_thinner"
        and "'act_within'" in caught.value.detail
    )


def _drop_row_action(d: Any) -> None:
    del d["rows"][0]["action"]


def _twice(d: Any) -> None:
    d["rows"].append(d["rows"][0])


def _unknown_rows(d: Any) -> None:
    d["columns"][10]["who"][1]["rows"] = ["knead_firmly", "juggling"]


def _no_ways(d: Any) -> None:
    d["columns"][0]["who"] = []


def _way_without_when(d: Any) -> None:
    d["columns"][0]["who"][0] = {"prefix": "Maybe: "}


def _no_cells(d: Any) -> None:
    del d["rows"][0]["cells"]


def _no_takers(d: Any) -> None:
    next(r for r in d["rows"] if r["action"] == "tonic_water")["never_advised"]["takers"] = []


def _unknown_taker(d: Any) -> None:
    row = next(r for r in d["rows"] if r["action"] == "tonic_water")
    row["never_advised"]["takers"] = ["snake_oil"]


def _message_without_reason(d: Any) -> None:
    row = next(r for r in d["rows"] if r["action"] == "tonic_water")
    row["never_advised"]["message"] = "statin_muscle"


def _no_columns(d: Any) -> None:
    d["columns"] = []


TABLE_BREAKAGES: list[tuple[str, Callable[[Any], None], str, str]] = [
    # (what is broken, the edit, the item named, words in the detail)
    ("no columns", _no_columns, "columns", "at least one column"),
    ("row without action", _drop_row_action, "row #1", "needs an 'action' id"),
    ("row twice", _twice, "action stretch_sitting", "two rows"),
    ("rows names unknown action", _unknown_rows, "column anticoagulant", "unknown action"),
    ("column without ways", _no_ways, "column possible_clot", "must list the ways"),
    ("way without when", _way_without_when, "column possible_clot, who", "needs 'when'"),
    ("row without cells", _no_cells, "action stretch_sitting", "needs 'cells'"),
    ("never advised, no takers", _no_takers, "never_advised", "'takers' must name"),
    ("never advised, unknown taker", _unknown_taker, "never_advised", "snake_oil"),
    ("message without reason", _message_without_reason, "never_advised", "{tonic_water}"),
]


@pytest.mark.parametrize(
    ("edit_table", "item", "words"),
    [b[1:] for b in TABLE_BREAKAGES],
    ids=[b[0] for b in TABLE_BREAKAGES],
)
def test_a_malformed_safety_table_is_refused_naming_the_part(
    rules: Path, edit_table: Callable[[Any], None], item: str, words: str
) -> None:
    """Each way the table file can be malformed is refused with one line naming the part."""
    path = rules / "safety.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit_table(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_all(rules)
    err = caught.value
    assert err.path.endswith("safety.yaml") and item in err.item, str(err)
    assert words in err.detail and "\n" not in str(err), str(err)


@pytest.mark.parametrize(
    ("old", "new", "item", "words"),
    [
        (
            "no_known_interaction:\n  - laba_inhaler",
            "no_known_interaction: laba_inhaler\nunused:\n  - laba_inhaler",
            "no_known_interaction",
            "must be a list of medicine ids",
        ),
        (
            "  - gabapentinoid  #",
            "  - gabapentinoid\n  - snake_oil  #",
            "no_known_interaction",
            "'snake_oil' is not a contract medicine",
        ),
        (
            "    sources: [nice_cks_anticoagulation, nhs_sprains]\n",
            "    sources: []\n",
            "interaction injury_blood_thinner",
            "needs 'sources'",
        ),
    ],
    ids=["not a list", "unknown medicine", "no sources"],
)
def test_a_malformed_interactions_table_is_refused(
    rules: Path, old: str, new: str, item: str, words: str
) -> None:
    edit(rules / "interactions.yaml", old, new)
    with pytest.raises(DataFileError) as caught:
        load_all(rules)
    assert caught.value.item == item and words in caught.value.detail, str(caught.value)


def test_every_or_step_is_flagged_an_alternative(triage: Triage) -> None:
    """A remedy left with only "Or ..." steps is left out whole (policy rule 2): the result reads
    the steps' `alternative` flag, not their English, so the shipped rules must flag each one."""
    steps = [s for m in triage.knowledge.remedies.values() for s in m.steps]
    assert any(s.alternative for s in steps)
    for step in steps:
        assert step.alternative == step.text.startswith("Or "), step.text
