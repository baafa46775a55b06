"""The FHIR mapping: our questionnaire as an R4 Questionnaire, answers as a QuestionnaireResponse.

Pure Python and json; no FHIR library at run time (one is used in the tests only), and nothing
here is imported unless a FHIR file is read or written. No clinical content: the questions come
from rules/questions.yaml, loaded.

linkId is the question id, unique as FHIR requires. Several checkbox questions may fill one
contract key (symptoms, medications...), so the key is recorded in each item's `code`
(system CONTRACT); for a key asked by one question the id is the key itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from triage.answer import merge_answer
from triage.conditions import All, AnyOf, Condition, Test, holds
from triage.errors import AnswersError, show
from triage.model import Phrases, Question

CONTRACT = "urn:triage:answers-contract"
URL = "urn:triage:questionnaire:leg-cramps"
VERSION = "1"
CANONICAL = f"{URL}|{VERSION}"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ENABLE_WHEN_EXPRESSION = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
)
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
TYPES = {"confirm": "boolean", "number": "integer", "select": "choice", "checkbox": "choice"}


def system(key: str) -> str:
    return f"{CONTRACT}:{key}"


def code(value: Any) -> str:
    """A choice's FHIR code: the contract value, with true and false spelt as JSON spells them
    (a yes/no question that offers "not sure" is a choice: contract rev 3, "FHIR")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- export ------------------------------------------------------------------------------------


def questionnaire(questions: Sequence[Question], say: Phrases) -> tuple[dict[str, Any], list[str]]:
    """The Questionnaire, and one note per question whose condition needed FHIRPath."""
    notes: list[str] = []
    items = []
    for q in questions:
        item: dict[str, Any] = {
            "linkId": q.id,
            "code": [{"system": CONTRACT, "code": q.key}],
            "text": q.prompt,
            "type": TYPES[q.type],
        }
        if q.type == "checkbox":
            item["repeats"] = True
        if q.type == "number":
            ext = [{"url": MIN_VALUE, "valueInteger": q.minimum}] if q.minimum is not None else []
            ext += [{"url": MAX_VALUE, "valueInteger": q.maximum}] if q.maximum is not None else []
            if ext:
                item["extension"] = ext
        if q.when is not None and q.when != All(()):
            flat = _enable_when(q.when, questions)
            if flat is None:
                item.setdefault("extension", []).append(
                    {
                        "url": ENABLE_WHEN_EXPRESSION,
                        "valueExpression": {
                            "language": "text/fhirpath",
                            "expression": _fhirpath(q.when, questions),
                        },
                    }
                )
                notes.append(say("fhir.fhirpath_note", question=q.id))
            else:
                item["enableWhen"], item["enableBehavior"] = flat
        if q.choices:
            item["answerOption"] = [
                {
                    "valueCoding": {
                        "system": system(q.key),
                        "code": code(c.value),
                        "display": c.label,
                    }
                }
                for c in q.choices
            ]
        if q.help:
            item["item"] = [
                {
                    "linkId": f"{q.id}.help",
                    "text": q.help,
                    "type": "display",
                    "extension": [
                        {
                            "url": ITEM_CONTROL,
                            "valueCodeableConcept": {
                                "coding": [
                                    {
                                        "system": "http://hl7.org/fhir/questionnaire-item-control",
                                        "code": "help",
                                        "display": "Help-Button",
                                    }
                                ]
                            },
                        }
                    ],
                }
            ]
        items.append(item)
    return (
        {
            "resourceType": "Questionnaire",
            "id": "triage-leg-cramps",
            "url": URL,
            "version": VERSION,
            "name": "TriageLegCramps",
            "title": say("fhir.title"),
            "status": "active",
            "item": items,
        },
        notes,
    )


def questionnaire_text(questions: Sequence[Question], say: Phrases) -> tuple[str, list[str]]:
    data, notes = questionnaire(questions, say)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n", notes


def _askers(key: str, value: Any, questions: Sequence[Question]) -> list[Question]:
    """The questions that can give `value` for `key` (any value when None)."""
    return [
        q
        for q in questions
        if q.key == key
        and (value is None or not q.choices or any(c.value == value for c in q.choices))
    ]


def _answer(key: str, value: Any, q: Question) -> dict[str, Any]:
    if q.type in ("select", "checkbox"):
        label = next(
            c.label for c in q.choices if type(c.value) is type(value) and c.value == value
        )
        return {"answerCoding": {"system": system(key), "code": code(value), "display": label}}
    if isinstance(value, bool):
        return {"answerBoolean": value}
    return {"answerInteger": value}


def _one(test: Test, questions: Sequence[Question]) -> list[dict[str, Any]] | None:
    """enableWhen entries that are true exactly when `test` is (any of them), or None."""
    values = test.value if test.op in ("in", "has_any") else (test.value,)
    op = {"eq": "=", "in": "=", "has": "=", "has_any": "=", "min": ">=", "max": "<="}.get(test.op)
    if op is None:  # is_not: FHIR's != is false when unanswered; FHIRPath says exactly what we mean
        return None
    out = []
    for value in values:
        for q in _askers(test.field, value if test.op in ("has", "has_any") else None, questions):
            out.append({"question": q.id, "operator": op, **_answer(test.field, value, q)})
    return out


def _enable_when(
    cond: Condition, questions: Sequence[Question]
) -> tuple[list[dict[str, Any]], str] | None:
    if isinstance(cond, Test):
        entries = _one(cond, questions)
        return None if entries is None else (entries, "any")
    parts = [_one(p, questions) if isinstance(p, Test) else None for p in cond.parts]
    if any(p is None for p in parts):
        return None
    if isinstance(cond, All):
        if any(len(p) != 1 for p in parts):  # type: ignore[arg-type]
            return None
        return [p[0] for p in parts], "all"  # type: ignore[index]
    return [e for p in parts for e in p], "any"  # type: ignore[union-attr]


def _fhirpath(cond: Condition, questions: Sequence[Question]) -> str:
    if isinstance(cond, (All, AnyOf)):
        joiner = " and " if isinstance(cond, All) else " or "
        return "(" + joiner.join(_fhirpath(p, questions) for p in cond.parts) + ")"
    ids = [q.id for q in _askers(cond.field, None, questions)]
    where = " or ".join(f"linkId = '{i}'" for i in ids)
    values = f"%resource.repeat(item).where({where}).answer.value"
    coded = any(q.type in ("select", "checkbox") for q in _askers(cond.field, None, questions))
    if coded:
        values += ".code"

    def lit(v: Any) -> str:
        if coded:
            return f"'{code(v)}'"
        return ("true" if v else "false") if isinstance(v, bool) else str(v)

    if cond.op == "eq":
        return f"({values} = {lit(cond.value)})"
    if cond.op in ("in", "has_any"):
        return f"{values}.intersect({' | '.join(map(lit, cond.value))}).exists()"
    if cond.op == "has":
        return f"({lit(cond.value)} in {values})"
    if cond.op == "min":
        return f"({values} >= {cond.value})"
    if cond.op == "max":
        return f"({values} <= {cond.value})"
    if cond.op == "absent":
        return f"{values}.exists().not()"
    return f"({values}.exists().not() or {values} != {lit(cond.value)})"  # is_not


# -- answers <-> QuestionnaireResponse ---------------------------------------------------------


def response(
    answers: Mapping[str, Any], questions: Sequence[Question], say: Phrases
) -> dict[str, Any]:
    """The answers as a QuestionnaireResponse; AnswersError when one cannot be written."""
    so_far: dict[str, Any] = {}
    items = []
    placed: dict[str, set[Any]] = {}
    for q in questions:
        if q.key not in answers:
            continue
        shown = q.when is None or holds(q.when, so_far)
        value = answers[q.key]
        if q.type == "checkbox":
            # each value goes to the first shown question that offers it (two questions may offer
            # the same value to different people, e.g. mobility by age)
            mine = [
                v
                for v in value
                if v not in placed.get(q.key, set()) and any(c.value == v for c in q.choices)
            ]
            if not shown or (q.not_sure_of and not mine):
                # a value no shown question can take is refused below; a list's "which ones are
                # you not sure about?" is there only when something was not sure (rev 3)
                continue
            merge_answer(so_far, q, mine)
            placed.setdefault(q.key, set()).update(mine)
            item: dict[str, Any] = {"linkId": q.id, "text": q.prompt}
            if mine:
                item["answer"] = [
                    {"valueCoding": _answer(q.key, v, q)["answerCoding"]} for v in mine
                ]
            items.append(item)
            continue
        if not shown:
            raise AnswersError(
                q.key, say("errors.fhir.hidden_on_save", question=q.id), say("fhir.cannot_save")
            )
        merge_answer(so_far, q, value)
        ans = _answer(q.key, value, q)
        ((name, val),) = ans.items()
        items.append(
            {"linkId": q.id, "text": q.prompt, "answer": [{"value" + name[len("answer") :]: val}]}
        )
    for key, value in answers.items():
        if isinstance(value, list) and set(value) - placed.get(key, set()):
            left = sorted(map(str, set(value) - placed.get(key, set())))
            raise AnswersError(
                key,
                say("errors.fhir.not_asked", values=", ".join(left)),
                say("fhir.cannot_save"),
            )
    done: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": CANONICAL,
        "status": "completed",
    }
    if "answered_on" in answers:  # the day answered is the response's `authored` (a FHIR date)
        done["authored"] = str(answers["answered_on"])
    return {**done, "item": items}


def response_text(answers: Mapping[str, Any], questions: Sequence[Question], say: Phrases) -> str:
    return json.dumps(response(answers, questions, say), indent=2, ensure_ascii=False) + "\n"


# What a QuestionnaireResponse may hold, as the answers file may hold only its keys: any other
# name is a typo ("answers" for "answer" would otherwise read as "None of these") or an element
# that changes the meaning of the rest (modifierExtension, implicitRules), and is refused.
RESPONSE_ELEMENTS = frozenset(
    {
        "resourceType",
        "id",
        "meta",
        "language",
        "text",
        "extension",
        "identifier",
        "basedOn",
        "partOf",
        "questionnaire",
        "status",
        "subject",
        "encounter",
        "authored",
        "author",
        "source",
        "item",
    }
)
ITEM_ELEMENTS = frozenset({"id", "extension", "linkId", "definition", "text", "answer"})
CODING_ELEMENTS = frozenset({"system", "code", "display", "version", "userSelected"})
READABLE_STATUS = ("completed", "amended")  # in-progress, stopped, entered-in-error: refused


def _unknown(found: Mapping[str, Any], allowed: frozenset[str]) -> str | None:
    extra = sorted((show(k) for k in found if k not in allowed), key=str)
    return extra[0] if extra else None


def answers(
    data: Mapping[str, Any], questions: Sequence[Question], source: str, say: Phrases
) -> dict[str, Any]:
    """A QuestionnaireResponse back to contract answers, checked against the questionnaire."""

    def fail(item: str, problem: str, **values: Any) -> AnswersError:
        return AnswersError(item, say(f"errors.fhir.{problem}", **values), source)

    if data.get("resourceType") != "QuestionnaireResponse":
        raise fail("resourceType", "other_resource", value=show(data.get("resourceType")))
    extra = _unknown(data, RESPONSE_ELEMENTS)
    if extra:
        raise fail(extra, "unknown_element")
    if data.get("questionnaire") != CANONICAL:
        raise fail(
            "questionnaire",
            "other_questionnaire",
            value=show(data.get("questionnaire")),
            expected=CANONICAL,
        )
    if data.get("status") not in READABLE_STATUS:
        raise fail("status", "unfinished", value=show(data.get("status")))
    raw_items = data.get("item", [])
    if not isinstance(raw_items, list):
        raise fail("item", "items_not_list")
    by_id: dict[str, Mapping[str, Any]] = {}
    known = {q.id: q for q in questions}
    for raw in raw_items:
        link = raw.get("linkId") if isinstance(raw, Mapping) else None
        if not isinstance(link, str) or link not in known:
            raise fail(say("fhir.item", link=show(link)), "unknown_item", known=", ".join(known))
        extra = _unknown(raw, ITEM_ELEMENTS)
        if extra:
            raise fail(say("fhir.item", link=link), "unknown_item_element", element=extra)
        if link in by_id:
            raise fail(say("fhir.item", link=link), "twice")
        by_id[link] = raw
    out: dict[str, Any] = {"version": int(VERSION)}
    for q in questions:
        raw = by_id.get(q.id)
        if raw is None:
            continue
        where = say("fhir.item", link=q.id)
        if q.when is not None and not holds(q.when, out):
            raise fail(where, "hidden")
        given = raw.get("answer", [])
        if not isinstance(given, list) or not all(
            isinstance(a, Mapping) and len(a) == 1 for a in given
        ):
            raise fail(where, "answer_not_list")
        if q.type != "checkbox" and len(given) != 1:
            raise fail(where, "one_answer")
        if q.type == "checkbox":
            merge_answer(out, q, [_code(a, q, where, fail) for a in given])
        elif q.type == "select":
            merge_answer(out, q, _code(given[0], q, where, fail))
        else:
            name = "valueBoolean" if q.type == "confirm" else "valueInteger"
            value = given[0].get(name)
            kind = bool if q.type == "confirm" else int
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise fail(where, "needs_value", name=name, given=show(next(iter(given[0]))))
            merge_answer(out, q, value)
    authored = data.get("authored")
    if authored is not None:  # a FHIR date or dateTime: its day is answered_on (checked later)
        if not isinstance(authored, str) or len(authored) < 10:
            raise fail("authored", "authored")
        out["answered_on"] = authored[:10]
    return out


def _code(answer: Mapping[str, Any], q: Question, where: str, fail: Any) -> Any:
    coding = answer.get("valueCoding")
    if not isinstance(coding, Mapping):
        raise fail(where, "needs_coding", given=show(next(iter(answer))))
    extra = _unknown(coding, CODING_ELEMENTS)
    if extra:
        raise fail(where, "unknown_coding_element", element=extra)
    codes = {code(c.value): c.value for c in q.choices}
    given = coding.get("code")
    if coding.get("system") != system(q.key) or not isinstance(given, str) or given not in codes:
        raise fail(where, "unknown_code", code=show(coding.get("code")), allowed=", ".join(codes))
    return codes[coding["code"]]
