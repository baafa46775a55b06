"""Broken data files fail at load, before the first question, naming the file and the item."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from triage import paths
from triage.errors import DataFileError
from triage.pipeline import Triage


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    """A private copy of the real rules/ to break."""
    target = tmp_path / "rules"
    shutil.copytree(paths.rules_dir(), target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


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
        "rule nerve_signs",
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
        "logic/6_safety.yaml",
        "withhold: {drink_sugar: sugar_diabetes}",
        "withhold: {drink_sugar: sweet}",
        "rule sugar_filter",
        "unknown 'because' message id 'sweet'",
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
        "cautions:\n",
        "cautions:\n  spare: Not used anywhere.\n",
        "cautions spare",
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
        'type: confirm\n    prompt: "Are you pregnant?"',
        'type: select\n    prompt: "Are you pregnant?"',
        "question pregnant",
        "needs type confirm",
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
        "no rule or remedy cites it",
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
            "    when: {sex: {in: [female, other]}, age: {min: 12, max: 55}, pregnant: false}",
            "    when: {postpartum: true}",
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
    widest = max((q for q in real if q.choices), key=lambda q: len(q.choices))
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
