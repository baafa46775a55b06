"""The answers contract: our validator agrees with jsonschema, and its errors are one clear line."""

from __future__ import annotations

import datetime
import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.contract import Contract
from triage.errors import AnswersError
from triage.pipeline import Triage

from .conftest import VIGNETTES, base_answers


@pytest.fixture(scope="module")
def contract(triage: Triage) -> Contract:
    return triage.contract


@pytest.fixture(scope="module")
def oracle(contract: Contract) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(contract.schema)
    # `format: date` is an assertion in our contract: jsonschema checks it with its format checker
    return jsonschema.Draft202012Validator(
        contract.schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


PAST_DAYS = st.dates(datetime.date(2000, 1, 1), datetime.date.today() - datetime.timedelta(days=1))


def values_for(spec: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Mostly valid values for a property, with plenty of near misses."""
    junk = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, 200),
        st.text(max_size=8),
        st.floats(allow_nan=False),
    )
    if "enum" in spec:
        return st.one_of(st.sampled_from(spec["enum"]), junk)
    if "const" in spec:
        return st.one_of(st.just(spec["const"]), junk)
    if spec.get("format") == "date":  # real days, and near misses: no such day, other forms
        near = st.sampled_from(["2026-02-30", "2026-13-01", "26-12-01", "2026-1-5", "2026/12/01"])
        return st.one_of(PAST_DAYS.map(datetime.date.isoformat), near, junk)
    if spec.get("type") == "array":
        items = st.one_of(st.sampled_from(spec["items"]["enum"]), junk)
        return st.one_of(
            st.lists(st.sampled_from(spec["items"]["enum"]), max_size=4, unique=True),
            st.lists(items, max_size=4),
            junk,
        )
    return junk


@st.composite
def answer_sets(draw: Any, contract: Contract) -> dict[str, Any]:
    keys = draw(st.lists(st.sampled_from(list(contract.properties)), unique=True))
    answers = {k: draw(values_for(dict(contract.properties[k]))) for k in keys}
    if draw(st.booleans()):
        answers[draw(st.sampled_from(["symptom", "Age", "extra"]))] = 1
    return answers


def verdict(contract: Contract, answers: Any) -> bool:
    try:
        contract.check(answers)
    except AnswersError:
        return False
    return True


def valid_value(spec: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Any value the schema allows for one property (read from the schema: enums, ranges, list sizes)."""
    if "enum" in spec:
        return st.sampled_from(spec["enum"])
    if "const" in spec:
        return st.just(spec["const"])
    kind = spec.get("type")
    if spec.get("format") == "date":
        return PAST_DAYS.map(datetime.date.isoformat)
    if kind == "integer":
        return st.integers(spec.get("minimum", -1000), spec.get("maximum", 1000))
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return st.lists(
            st.sampled_from(spec["items"]["enum"]),
            unique=True,
            min_size=spec.get("minItems", 0),
            max_size=6,
        )
    raise AssertionError(f"test generator: no strategy for {spec}")


PREGNANCY = ("pregnant", "pregnancy_weeks", "postpartum", "breastfeeding", "weeks_since_birth")
OLDEST_PREGNANCY = 60  # contract: pregnancy and a recent birth are accepted at ages 12-60


@st.composite
def valid_answer_sets(draw: Any, contract: Contract) -> dict[str, Any]:
    """Answer sets the contract allows: any subset of keys, and the pregnancy rules respected."""
    props = contract.schema["properties"]
    answers: dict[str, Any] = {"version": 1}
    for key, spec in props.items():
        if key != "version" and key not in PREGNANCY and draw(st.booleans()):
            answers[key] = draw(valid_value(spec))
    male = answers.get("sex") == "male" or answers.get("age", 0) > OLDEST_PREGNANCY
    if draw(st.booleans()):
        answers["pregnant"] = False if male else draw(valid_value(props["pregnant"]))
        if answers["pregnant"] is True and draw(st.booleans()):
            answers["pregnancy_weeks"] = draw(valid_value(props["pregnancy_weeks"]))
    for key in ("postpartum", "breastfeeding"):
        if draw(st.booleans()):
            answers[key] = False if male else draw(st.booleans())
    # rev 3 (contract "Contradictory files"): a birth's weeks only for a woman who can have given
    # birth, and agreeing with postpartum (0-6 weeks: true)
    if not male and draw(st.booleans()):
        weeks = draw(valid_value(props["weeks_since_birth"]))
        answers["weeks_since_birth"] = weeks
        if "postpartum" in answers:
            answers["postpartum"] = weeks <= 6
    # rev 3: the two stretching keys agree (true: not helped or not sure; false: the others), and
    # the re-check's day count comes with the day it counts to
    agree = {True: ("not_helped", "not_sure"), False: ("helped", "not_tried", "not_sure")}
    if "stretching_tried" in answers and "stretching_not_helping" in answers:
        answers["stretching_tried"] = draw(
            st.sampled_from(agree[answers["stretching_not_helping"]])
        )
    if "days_since_previous" in answers and "answered_on" not in answers:
        answers["answered_on"] = draw(valid_value(props["answered_on"]))
    # rev 3: pregnancy_emergency only with a pregnancy (or not sure) or a birth, never for a man
    pregnancy = answers.get("pregnant") in (True, "not_sure") or answers.get("postpartum") is True
    refused = male or not (pregnancy or "weeks_since_birth" in answers)
    for key in ("symptoms", "symptoms_not_sure"):
        # (rev 3, issue 20: bleeding likewise)
        for sign in ("pregnancy_emergency", "pregnancy_bleeding"):
            if refused and sign in answers.get(key, []):
                answers[key].remove(sign)
        # rev 3: tummy pain in pregnancy only with a pregnancy (or not sure); tightenings and the
        # baby moving less likewise
        for sign in ("pregnancy_belly_pain", "pregnancy_tightenings", "reduced_movements"):
            if (male or answers.get("pregnant") not in (True, "not_sure")) and (
                sign in answers.get(key, [])
            ):
                answers[key].remove(sign)
    # rev 3: "feels like an emergency" is the person's own judgement, never not sure
    if "feels_like_emergency" in answers.get("symptoms_not_sure", []):
        answers["symptoms_not_sure"].remove("feels_like_emergency")
    return answers


def corrupt(draw: Any, contract: Contract, answers: dict[str, Any]) -> dict[str, Any]:
    """One certain breach of the contract in an otherwise valid answer set."""
    props = contract.schema["properties"]
    bad = dict(answers)
    how = draw(
        st.sampled_from(
            [
                "unknown_key",
                "wrong_value",
                "wrong_type",
                "duplicate",
                "weeks_alone",
                "male_pregnant",
                "old_pregnant",
                "pregnancy_emergency_alone",
                "belly_pain_alone",
                "bleeding_alone",
                "emergency_not_sure",
                "birth_weeks_disagree",
                "male_birth",
                "no_version",
            ]
        )
    )
    key = draw(st.sampled_from(sorted(k for k in props if k != "version")))
    spec = props[key]
    if how == "unknown_key":
        bad[draw(st.sampled_from(["symptom", "Age", "extra", "medication"]))] = 1
    elif how == "wrong_value":
        bad[key] = (
            ["not_a_value"]
            if spec.get("type") == "array"
            else "not_a_value"
            if "enum" in spec
            else spec.get("maximum", 99) + 1
            if spec.get("type") == "integer"
            else "yes"
        )
    elif how == "wrong_type":
        bad[key] = {"nested": 1} if spec.get("type") != "object" else 1
    elif how == "duplicate":
        lists = sorted(k for k, s in props.items() if s.get("type") == "array")
        key = draw(st.sampled_from(lists))
        value = props[key]["items"]["enum"][0]
        bad[key] = [value, value]
    elif how == "weeks_alone":
        bad.pop("pregnant", None)
        bad["pregnancy_weeks"] = 20
    elif how == "male_pregnant":
        bad.update(sex="male", pregnant=True)
        bad.pop("pregnancy_weeks", None)
    elif how == "old_pregnant":  # the red team's age 80 with pregnancy advice
        bad.update(age=draw(st.integers(OLDEST_PREGNANCY + 1, 120)), sex="female")
        bad[draw(st.sampled_from(["pregnant", "postpartum"]))] = True
    elif how == "pregnancy_emergency_alone":  # rev 3: without a pregnancy or a birth
        for k in ("pregnant", "pregnancy_weeks", "postpartum", "weeks_since_birth"):
            bad.pop(k, None)
        bad["symptoms"] = [*bad.get("symptoms", []), "pregnancy_emergency"]
        bad["symptoms"] = list(dict.fromkeys(bad["symptoms"]))
    elif how == "belly_pain_alone":  # rev 3: tummy pain in pregnancy, without a pregnancy
        bad.pop("pregnant", None)
        bad.pop("pregnancy_weeks", None)
        key = draw(st.sampled_from(["symptoms", "symptoms_not_sure"]))
        sign = draw(
            st.sampled_from(["pregnancy_belly_pain", "pregnancy_tightenings", "reduced_movements"])
        )
        bad[key] = list(dict.fromkeys([*bad.get(key, []), sign]))
    elif how == "bleeding_alone":  # rev 3: bleeding without a pregnancy or a birth
        for k in ("pregnant", "pregnancy_weeks", "postpartum", "weeks_since_birth"):
            bad.pop(k, None)
        key = draw(st.sampled_from(["symptoms", "symptoms_not_sure"]))
        bad[key] = list(dict.fromkeys([*bad.get(key, []), "pregnancy_bleeding"]))
    elif how == "emergency_not_sure":  # rev 3: the person's own judgement is never not sure
        bad["symptoms_not_sure"] = list(
            dict.fromkeys([*bad.get("symptoms_not_sure", []), "feels_like_emergency"])
        )
    elif how == "birth_weeks_disagree":  # rev 3: postpartum and weeks_since_birth disagree
        weeks = draw(st.integers(0, 12))
        bad.update(sex="female", weeks_since_birth=weeks, postpartum=weeks > 6)
        bad["age"] = min(bad.get("age", 30), OLDEST_PREGNANCY)
    elif how == "male_birth":  # rev 3: a birth's weeks for a man
        bad.update(sex="male", weeks_since_birth=draw(st.integers(0, 12)))
    else:
        bad.pop("version")
    return bad


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_valid_answer_sets_are_accepted_by_both(contract: Contract, oracle: Any, data: Any) -> None:
    """Hundreds of valid answer sets: our validator and jsonschema both accept each one."""
    answers = json.loads(json.dumps(data.draw(valid_answer_sets(contract))))
    assert oracle.is_valid(answers), list(oracle.iter_errors(answers))
    assert verdict(contract, answers), answers


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_near_misses_are_refused_by_both(contract: Contract, oracle: Any, data: Any) -> None:
    """A valid set with one breach: both refuse it."""
    answers = corrupt(data.draw, contract, data.draw(valid_answer_sets(contract)))
    answers = json.loads(json.dumps(answers))
    assert not oracle.is_valid(answers), answers
    assert not verdict(contract, answers), answers


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_validator_agrees_with_jsonschema_on_anything(
    contract: Contract, oracle: Any, data: Any
) -> None:
    """Arbitrary, mostly invalid data (junk values, near-miss keys): the same verdict as jsonschema."""
    answers = data.draw(answer_sets(contract))
    # JSON has no float 1.0 vs int 1 distinction for jsonschema; compare on JSON-round-tripped data
    answers = json.loads(json.dumps(answers))
    assert verdict(contract, answers) == oracle.is_valid(answers)


@pytest.mark.parametrize("case", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_vignette_answers_are_valid(contract: Contract, oracle: Any, case: dict[str, Any]) -> None:
    assert verdict(contract, case["answers"]) and oracle.is_valid(case["answers"])


@pytest.mark.parametrize(
    ("answers", "key", "words"),
    [
        ({"age": 40}, "version", "missing"),
        (base_answers(version=2), "version", "use 1"),
        (base_answers(sex="mail"), "sex", "female, male, other"),
        (base_answers(age="forty"), "age", "whole number"),
        (base_answers(age=True), "age", "whole number"),
        (base_answers(age=7), "age", "from 12 to 120"),
        (base_answers(symptoms=["itchy"]), "symptoms", "breathless_or_chest_pain"),
        (base_answers(symptoms=["twitching", "twitching"]), "symptoms", "twice"),
        (base_answers(locations=[]), "locations", "at least one"),
        (base_answers(symptom=[]), "symptom", "unknown key"),
        (base_answers(pregnancy_weeks=20), "pregnant", "pregnancy_weeks is only allowed"),
        (base_answers(sex="male", pregnant=True), "pregnant", "cannot be true when sex is male"),
        (base_answers(answered_on="2026-02-30"), "answered_on", "YYYY-MM-DD"),
        (base_answers(answered_on="1/12/2026"), "answered_on", "YYYY-MM-DD"),
        (base_answers(answered_on="2999-01-01"), "answered_on", "in the future"),
        (base_answers(stretching_tried="sometimes"), "stretching_tried", "not_helped"),
        (
            base_answers(stretching_not_helping=True, stretching_tried="helped"),
            "stretching_tried",
            "disagree",
        ),
        (
            base_answers(stretching_not_helping=False, stretching_tried="not_helped"),
            "stretching_tried",
            "disagree",
        ),
        (base_answers(days_since_previous=21), "answered_on", "needs answered_on"),
        (base_answers(previous_frequency="often"), "previous_frequency", "most_days"),
    ],
)
def test_error_names_key_and_fix(
    contract: Contract, answers: dict[str, Any], key: str, words: str
) -> None:
    """A bad answer gives one line that names the key and what is allowed."""
    with pytest.raises(AnswersError) as caught:
        contract.check(answers, source="me.yaml")
    message = str(caught.value)
    assert caught.value.key == key and message.startswith(f"me.yaml: {key}: ")
    assert words in message and "\n" not in message


def test_absent_keys_are_not_errors(contract: Contract) -> None:
    """Only `version` is required: a key not asked is 'not reported'."""
    assert contract.check({"version": 1}) == {"version": 1}


def test_unsupported_schema_keyword_is_refused() -> None:
    """The validator refuses a schema it cannot fully enforce, rather than half-checking it."""
    with pytest.raises(Exception, match="pattern"):
        Contract(
            {"type": "object", "properties": {"x": {"type": "string", "pattern": "a"}}},
            Triage().phrases,
        )


def test_a_date_in_yaml_reads_as_the_same_day(tmp_path: Any, triage: Triage) -> None:
    """YAML reads an unquoted 2026-11-10 as a date object: it is the same answer as the text, and
    saving writes it back unquoted, as the contract shows it (rev 3, answered_on)."""
    written = tmp_path / "me.yaml"
    written.write_text("version: 1\nanswered_on: 2026-11-10\n", encoding="utf-8")
    answers = triage.answers_from_file(str(written))
    assert answers == {"version": 1, "answered_on": "2026-11-10"}
    assert "answered_on: 2026-11-10" in triage.answers_text(answers)  # unquoted
    quoted = tmp_path / "quoted.json"
    quoted.write_text('{"version": 1, "answered_on": "2026-11-10"}', encoding="utf-8")
    assert triage.answers_from_file(str(quoted)) == answers


def test_a_date_with_a_time_is_refused(tmp_path: Any, triage: Triage) -> None:
    written = tmp_path / "me.yaml"
    written.write_text("version: 1\nanswered_on: 2026-11-10 08:30:00\n", encoding="utf-8")
    with pytest.raises(AnswersError, match=r"answered_on: .*YYYY-MM-DD"):
        triage.answers_from_file(str(written))
