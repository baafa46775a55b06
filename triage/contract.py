"""The answers contract: its JSON Schema (rules/answers.schema.json) and one validator for it.

The same `Contract.check` runs on answers read from a file and on answers typed into the
questionnaire. It reads the shipped schema itself instead of importing jsonschema (which alone
costs more start-up time than the whole engine); the tests hold it to jsonschema's verdicts.
Only the schema keywords the contract uses are supported, and loading refuses any other.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from triage.errors import AnswersError, DataFileError, show

if TYPE_CHECKING:
    from triage.model import Phrases

_SUPPORTED = {
    "$schema",
    "$id",
    "title",
    "description",
    "type",
    "required",
    "additionalProperties",
    "properties",
    "allOf",
    "anyOf",  # in a rule's `then`: one of several sub-schemas (rev 3, pregnancy_emergency)
    "contains",  # in a rule's `if`: a list answer holds a value (`{"const": ...}`)
    "if",
    "then",
    "x-message",
    "x-key",  # the key a cross-key rule's message is about, when not the first its `then` names
    "x-not-a-list",  # what to say when a list answer is given as one word: `locations: calf`
    "const",
    "enum",
    "minimum",
    "maximum",
    "items",
    "uniqueItems",
    "minItems",
    "format",
}
_FORMATS = {"date"}  # the only string format the contract uses: an ISO 8601 day, YYYY-MM-DD


class Field(NamedTuple):
    """One answer key as the rules and questions may use it."""

    name: str
    kind: str  # "integer" | "boolean" | "choice" | "list" | "const"
    values: tuple[Any, ...] = ()
    minimum: int | None = None
    maximum: int | None = None


def _is_type(value: Any, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "array":
        return isinstance(value, list)
    if kind == "string":
        return isinstance(value, str)
    if kind == "object":
        return isinstance(value, Mapping)
    raise ValueError(kind)


def same_value(a: Any, b: Any) -> bool:
    """JSON equality: True is not 1."""
    return type(a) is type(b) and a == b


def _printable(key: Any) -> str:
    """A key as it may be shown in a one-line message.

    Control characters never reach the terminal.
    """
    if isinstance(key, str) and key.isprintable() and len(key) <= 40:
        return key
    return show(key)


def _hashable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) or value is None


class Contract:
    """The answers contract, loaded from its JSON Schema file. `say` gives the words of its
    refusals (rules/ui.yaml, `errors.contract`): the checks run where no caller has them."""

    def __init__(
        self, schema: Mapping[str, Any], say: Phrases, path: str = "answers.schema.json"
    ) -> None:
        self.path = path
        self.say = say
        self._check_keywords(schema, "schema")
        self.schema = schema
        self.properties: Mapping[str, Mapping[str, Any]] = schema["properties"]
        self.fields = {name: self._field(name, spec) for name, spec in self.properties.items()}
        # Every answers set must carry `version`: the engine refuses a fact without it, so a
        # contract that let one through would turn each such case into an engine error.
        version = self.properties.get("version", {})
        if "version" not in schema.get("required", ()) or "const" not in version:
            raise DataFileError(
                path, "version", "the contract must require 'version' with a fixed value"
            )
        # (type, value) pairs make membership tests exact (True is not 1) and O(1)
        self._allowed = {
            name: frozenset(
                (type(v), v) for v in spec.get("enum", spec.get("items", {}).get("enum", ()))
            )
            for name, spec in self.properties.items()
        }

    @classmethod
    def load(cls, path: Path, say: Phrases) -> Contract:
        try:
            schema = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DataFileError(str(path), "schema", f"cannot be read: {exc}") from None
        return cls(schema, say, str(path))

    def _check_keywords(self, node: Any, where: str) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                if where.endswith(".properties"):
                    self._check_keywords(value, f"{where}.{key}")
                    continue
                if key not in _SUPPORTED:
                    raise DataFileError(
                        self.path, where, f"schema keyword {show(key)} is not supported"
                    )
                if key == "format" and value not in _FORMATS:
                    raise DataFileError(self.path, where, f"format {show(value)} is not supported")
                if key in ("properties", "items", "if", "then", "allOf", "anyOf", "contains"):
                    self._check_keywords(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, item in enumerate(node):
                self._check_keywords(item, f"{where}[{i}]")

    def _field(self, name: str, spec: Mapping[str, Any]) -> Field:
        if "const" in spec:
            return Field(name, "const", (spec["const"],))
        if "enum" in spec:
            return Field(name, "choice", tuple(spec["enum"]))
        kind = spec.get("type")
        if kind == "string" and spec.get("format") in _FORMATS:
            return Field(name, "date")
        if kind == "array":
            return Field(name, "list", tuple(spec["items"]["enum"]))
        if kind == "integer":
            return Field(name, "integer", (), spec.get("minimum"), spec.get("maximum"))
        if kind == "boolean":
            return Field(name, "boolean", (True, False))
        raise DataFileError(self.path, name, f"unsupported property type {show(kind)}")

    # -- validation ---------------------------------------------------------------------------

    def _refuse(self, key: str, what: str, source: str, **values: Any) -> AnswersError:
        return AnswersError(key, self.say(f"errors.contract.{what}", **values), source)

    def check(self, answers: Any, source: str = "answers", whole: bool = True) -> dict[str, Any]:
        """Return the answers as a plain dict, or raise AnswersError naming the first bad key.

        `whole=False` checks each key and value but not how keys go together:
        a re-check's follow-up holds only what changed, and the rules between keys are checked
        on the merged answers."""
        if not isinstance(answers, Mapping):
            raise self._refuse("answers", "not_mapping", source)
        for key in answers:
            if not isinstance(key, str) or key not in self.properties:
                allowed = ", ".join(self.properties)
                raise self._refuse(_printable(key), "unknown_key", source, allowed=allowed)
        for key in self.schema.get("required", ()):
            if key not in answers:
                value = self.properties[key].get("const", "...")
                raise self._refuse(key, "missing", source, name=key, value=value)
        checked: dict[str, Any] = {key: _plain_date(value) for key, value in answers.items()}
        for key, value in checked.items():
            self._check_value(key, value, self.properties[key], source)
        for rule in self.schema.get("allOf", ()) if whole else ():
            if self._matches(checked, rule["if"]) and not self._matches(checked, rule["then"]):
                raise AnswersError(_named(rule), rule["x-message"], source)
        return checked

    def _check_value(self, key: str, value: Any, spec: Mapping[str, Any], source: str) -> None:
        if "const" in spec and not same_value(value, spec["const"]):
            raise self._refuse(key, "not_supported", source, value=show(value), const=spec["const"])
        if "enum" in spec and (
            not _hashable(value) or (type(value), value) not in self._allowed[key]
        ):
            allowed = ", ".join(map(str, spec["enum"]))
            raise self._refuse(key, "not_allowed", source, value=show(value), allowed=allowed)
        kind = spec.get("type")
        if kind == "array" and _hashable(value) and "x-not-a-list" in self.schema:
            hint = str(self.schema["x-not-a-list"])
            item = _printable(value) if isinstance(value, str) else show(value)
            raise AnswersError(key, hint.format(value=show(value), item=item, key=key), source)
        if kind and not _is_type(value, kind):
            kind_words = self.say(f"errors.contract.kind.{kind}")
            raise self._refuse(key, "not_type", source, value=show(value), kind=kind_words)
        if spec.get("format") == "date":
            self._check_day(key, value, source)
        if kind == "integer":
            low, high = spec.get("minimum"), spec.get("maximum")
            if (low is not None and value < low) or (high is not None and value > high):
                raise self._refuse(
                    key, "out_of_range", source, value=show(value), low=low, high=high
                )
        if kind == "array":
            allowed_items = spec["items"]["enum"]
            allowed_items_typed = self._allowed[key]
            seen: list[Any] = []
            for item in value:
                if not _hashable(item) or (type(item), item) not in allowed_items_typed:
                    listed = ", ".join(allowed_items)
                    raise self._refuse(
                        key, "item_not_allowed", source, value=show(item), allowed=listed
                    )
                if spec.get("uniqueItems") and item in seen:
                    raise self._refuse(key, "twice", source, value=show(item))
                seen.append(item)
            if len(value) < spec.get("minItems", 0):
                listed = ", ".join(allowed_items)
                raise self._refuse(key, "at_least_one", source, allowed=listed)

    def _check_day(self, key: str, value: str, source: str) -> None:
        day = parse_day(value)
        if day is None:
            raise self._refuse(key, "not_a_date", source, value=show(value))
        if day > latest_today():
            raise self._refuse(key, "future", source, value=value)

    def _matches(self, answers: Mapping[str, Any], sub: Mapping[str, Any]) -> bool:
        """Does `answers` satisfy a sub-schema made of `required` and `properties` with `const`,
        `enum`, `minimum`, `maximum` or `contains` (a `const` in a list), and `anyOf` such
        sub-schemas? (Called after every value is checked, so numbers are integers.)"""
        if any(key not in answers for key in sub.get("required", ())):
            return False
        if "anyOf" in sub and not any(self._matches(answers, s) for s in sub["anyOf"]):
            return False
        for key, spec in sub.get("properties", {}).items():
            if key not in answers:
                continue
            value = answers[key]
            if "const" in spec and not same_value(value, spec["const"]):
                return False
            if "enum" in spec and not any(same_value(value, v) for v in spec["enum"]):
                return False
            if "minimum" in spec and value < spec["minimum"]:
                return False
            if "maximum" in spec and value > spec["maximum"]:
                return False
            if "contains" in spec and not any(
                same_value(item, spec["contains"]["const"]) for item in value
            ):
                return False
        return True


def _named(rule: Mapping[str, Any]) -> str:
    """The key a broken cross-key rule is reported under: its `x-key`, else the first its `then`
    names, else the first its `if` names (a `then` of `anyOf` alternatives names none itself)."""
    if "x-key" in rule:
        return str(rule["x-key"])
    then, when = rule["then"], rule["if"]
    names = [*then.get("required", ()), *then.get("properties", {})]
    return str((names or [*when.get("properties", {}), *when.get("required", ())])[0])


def _plain_date(value: Any) -> Any:
    """YAML reads an unquoted 2026-12-01 as a date: the contract's form is the ISO text."""
    if isinstance(value, datetime.datetime):
        return str(value)  # a time too: refused below, in the words of a date
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def latest_today() -> datetime.date:
    """Today somewhere on Earth: the date at UTC+14, so no time zone's today is 'in the future'."""
    now = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=14)
    return now.date()


def parse_day(text: str) -> datetime.date | None:
    """An ISO 8601 calendar day (YYYY-MM-DD) that exists, or None."""
    if not (len(text) == 10 and text[4] == text[7] == "-" and text.replace("-", "").isdigit()):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None
