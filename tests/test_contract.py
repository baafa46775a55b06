"""The answers contract: our validator agrees with jsonschema, and its errors are one clear line."""

from __future__ import annotations

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
    return jsonschema.Draft202012Validator(contract.schema)


def values_for(spec: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Mostly valid values for a property, with plenty of near misses."""
    junk = st.one_of(st.none(), st.booleans(), st.integers(-5, 200), st.text(max_size=8), st.floats(allow_nan=False))
    if "enum" in spec:
        return st.one_of(st.sampled_from(spec["enum"]), junk)
    if "const" in spec:
        return st.one_of(st.just(spec["const"]), junk)
    if spec.get("type") == "array":
        items = st.one_of(st.sampled_from(spec["items"]["enum"]), junk)
        return st.one_of(st.lists(st.sampled_from(spec["items"]["enum"]), max_size=4, unique=True),
                         st.lists(items, max_size=4), junk)
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


@settings(max_examples=500, deadline=None)
@given(data=st.data())
def test_validator_agrees_with_jsonschema(contract: Contract, oracle: Any, data: Any) -> None:
    """Accept exactly what jsonschema accepts, over thousands of generated answer sets."""
    answers = data.draw(answer_sets(contract))
    # JSON has no float 1.0 vs int 1 distinction for jsonschema; compare on JSON-round-tripped data
    answers = json.loads(json.dumps(answers))
    assert verdict(contract, answers) == oracle.is_valid(answers)


@pytest.mark.parametrize("case", VIGNETTES, ids=[v["id"] for v in VIGNETTES])
def test_vignette_answers_are_valid(contract: Contract, oracle: Any, case: dict[str, Any]) -> None:
    assert verdict(contract, case["answers"]) and oracle.is_valid(case["answers"])


@pytest.mark.parametrize(("answers", "key", "words"), [
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
])
def test_error_names_key_and_fix(contract: Contract, answers: dict[str, Any], key: str, words: str) -> None:
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
        Contract({"type": "object", "properties": {"x": {"type": "string", "pattern": "a"}}})
