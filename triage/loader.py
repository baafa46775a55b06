"""Read rules/ into typed records, and refuse a broken file before the first question.

Every error names the file and the item (rule, remedy, question...) that is wrong.
"""

from __future__ import annotations

import functools
import itertools
import re
import string
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NoReturn, Protocol, TypeVar

from triage import conditions
from triage.answer import YesNo, yes_no
from triage.contract import Contract, Field
from triage.documents import Documents
from triage.errors import AnswersError, DataFileError, show
from triage.model import (
    ACT_WITHIN,
    ACT_WITHIN_OF,
    RESERVED_PREFIX,
    ROUTES,
    TIERS,
    VERDICTS,
    VIEWS,
    WHEN,
    Action,
    BloodTest,
    Cell,
    Choice,
    Column,
    Country,
    Inferring,
    Interaction,
    Knowledge,
    ListWords,
    Medicine,
    NotReported,
    NotSureSign,
    Phrases,
    Point,
    Question,
    ReadingWords,
    Remedy,
    Rule,
    Source,
    Step,
    Tier,
    TraditionalCap,
    Variant,
    Way,
    Wording,
)

T = TypeVar("T")
# What fits a question on an 80x24 screen and reads easily: the loader refuses more.
MAX_CHOICES = 9
MAX_PROMPT_WORDS = 16
MAX_CHOICE_WORDS = 24


class HasFields(Protocol):
    """What a condition is checked against: the answers keys and their values."""

    @property
    def fields(self) -> Mapping[str, Field]: ...


class _Reader:
    """Field access on one YAML item with errors that name the file and the item."""

    def __init__(self, path: Path, item: str, data: Any) -> None:
        self.path, self.item = path, item
        if not isinstance(data, Mapping):
            self.fail(f"expected a mapping, got {type(data).__name__}")
        self.data = data

    def fail(self, detail: str) -> NoReturn:
        raise DataFileError(str(self.path), self.item, detail)

    def only(self, allowed: set[str]) -> None:
        extra = sorted(set(self.data) - allowed)
        if extra:
            self.fail(f"unknown field {show(extra[0])}; allowed: {', '.join(sorted(allowed))}")

    def text(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            self.fail(f"'{key}' must be non-empty text")
        return " ".join(str(value).split())

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(f"'{key}' must be a list of text")
        return tuple(" ".join(v.split()) for v in value)

    def one_of(self, key: str, allowed: tuple[str, ...], default: str | None = None) -> str:
        value = self.data.get(key, default)
        if value not in allowed:
            self.fail(f"'{key}' is {show(value)}; use one of {', '.join(allowed)}")
        return str(value)

    def number(self, key: str) -> float:
        value = self.data.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            self.fail(f"'{key}' must be a number from 0 to 100")
        return float(value)

    def wording(self, key: str, contract: Contract, value: Any = None) -> Wording:
        """A text: plain, or a list of variants `{text, when, unless, tiers}`, first fit wins."""
        value = self.data.get(key) if value is None else value
        items = value if isinstance(value, list) else [value]
        if not items:
            self.fail(f"'{key}' needs at least one wording")
        return tuple(self.variant(key, item, contract) for item in items)

    def variant(self, key: str, item: Any, contract: Contract) -> Variant:
        if isinstance(item, str) and item.strip():
            return Variant(" ".join(item.split()))
        sub = _Reader(self.path, f"{self.item}, {key}", item)
        sub.only({"text", "when", "unless", "tiers", "within", "fired", "unless_fired", "route"})
        tiers = sub.texts("tiers")
        for tier in tiers:
            if tier not in TIERS:
                sub.fail(f"'tiers' has {show(tier)}; use {', '.join(TIERS)}")
        within = sub.texts("within")
        for w in within:
            if w not in ACT_WITHIN:
                sub.fail(f"'within' has {show(w)}; use {', '.join(ACT_WITHIN)}")
        return Variant(
            sub.text("text"),
            sub.optional_condition("when", contract),
            sub.optional_condition("unless", contract),
            tiers,
            within,
            sub.texts("fired"),  # rule ids: checked once every rule is loaded
            sub.texts("unless_fired"),
            sub.one_of("route", ROUTES) if "route" in sub.data else "",
        )

    def optional_condition(self, key: str, contract: HasFields) -> conditions.Condition | None:
        return self.condition(key, contract) if key in self.data else None

    def condition(self, key: str, contract: HasFields) -> conditions.Condition:
        try:
            return conditions.parse(self.data.get(key), contract.fields)
        except conditions.ConditionError as exc:
            self.fail(f"'{key}': {exc}")


def _items(path: Path, data: Any, key: str) -> list[Any]:
    if not isinstance(data, Mapping) or not isinstance(data.get(key), list):
        raise DataFileError(str(path), key, f"the file must have a top-level list '{key}'")
    return list(data[key])


def _table(path: Path, data: Any, key: str) -> Mapping[str, Any]:
    value = data.get(key) if isinstance(data, Mapping) else None
    if not isinstance(value, Mapping):
        raise DataFileError(str(path), key, f"the file must have a top-level mapping '{key}'")
    return value


def _by_id(path: Path, items: list[Any], build: Callable[[_Reader], T], label: str) -> dict[str, T]:
    out: dict[str, T] = {}
    for n, raw in enumerate(items, 1):
        item_id = raw.get("id") if isinstance(raw, Mapping) else None
        name = f"{label} {item_id}" if item_id else f"{label} #{n}"
        reader = _Reader(path, name, raw)
        if not isinstance(item_id, str) or not item_id:
            reader.fail("needs an 'id'")
        if item_id in out:
            reader.fail("this id is used twice")
        out[str(item_id)] = build(reader)
    return out


def load_contract(rules: Path, say: Phrases) -> Contract:
    """The answers contract, with the words of its refusals (rules/ui.yaml)."""
    return Contract.load(rules / "answers.schema.json", say)


# -- questions ---------------------------------------------------------------------------------


def load_questions(docs: Documents, contract: Contract) -> tuple[Question, ...]:
    path = docs.root / "questions.yaml"
    asked_before: set[str] = set()
    say = load_phrases(docs)  # the words every question shares: yes, no, "None of these"
    words = yes_no(say)
    table = docs[path].get("not_sure") if isinstance(docs[path], Mapping) else None
    not_sure_lists = set(table.get("lists") or ()) if isinstance(table, Mapping) else set()

    def build(r: _Reader) -> Question:
        r.only(
            {
                "id",
                "key",
                "type",
                "prompt",
                "help",
                "choices",
                "when",
                "min",
                "max",
                "below_min",
                "none",
                "short",
                "choices_from",
                "keep",
            }
        )
        key = r.text("key")
        field = contract.fields.get(key)
        if field is None or field.kind == "const":
            r.fail(f"'key' {show(key)} is not an answers-contract key")
        qtype = r.one_of("type", ("number", "select", "checkbox", "confirm"))
        expected = {
            "integer": "number",
            "choice": "select",
            "list": "checkbox",
            "boolean": "confirm",
        }
        if expected[field.kind] != qtype:
            r.fail(f"'{key}' needs type {expected[field.kind]}, not {qtype}")
        when = r.condition("when", contract)
        later = conditions.fields_used(when) - asked_before
        if later:
            r.fail(
                f"'when' uses {', '.join(sorted(later))}, which is not asked before this question"
            )
        choices = tuple(_choice(r, c, field.values) for c in r.data.get("choices", []))
        if qtype in ("select", "checkbox") and not choices:
            r.fail("needs 'choices'")
        if len(choices) > MAX_CHOICES and "choices_from" not in r.data:  # shown: those ticked
            r.fail(
                f"has {len(choices)} choices; at most {MAX_CHOICES} fit on a screen with their"
                " help: split it into two questions"
            )
        prompt = r.text("prompt")
        if len(prompt.split()) > MAX_PROMPT_WORDS:
            r.fail(f"'prompt' has {len(prompt.split())} words; keep it to {MAX_PROMPT_WORDS}")
        for c in choices:
            if len(c.label.split()) > MAX_CHOICE_WORDS:
                r.fail(
                    f"choice {c.value!r} has {len(c.label.split())} words; keep it to"
                    f" {MAX_CHOICE_WORDS} (put the rest in its 'help')"
                )
        minimum, maximum = r.data.get("min", field.minimum), r.data.get("max", field.maximum)
        asked_before.add(key)
        if r.data.get("id") in not_sure_lists:
            asked_before.add("symptoms_not_sure")  # its "which ones?" question comes next
        return Question(
            id=str(r.data["id"]),
            key=key,
            type=qtype,
            prompt=prompt,
            help=r.text("help", ""),
            choices=choices,
            when=when,
            minimum=minimum,
            maximum=maximum,
            below_minimum=r.text("below_min", ""),
            none_label=r.text("none", say("answer.none") if qtype == "checkbox" else ""),
            short=r.text("short"),
            choices_from=_choices_from(r, qtype, asked_before, choices),
            keep=tuple(r.data.get("keep") or ()),
            **words,
        )

    questions = _by_id(path, _items(path, docs[path], "questions"), build, "question")
    return _with_not_sure(path, docs, questions, words)


def _choices_from(r: _Reader, qtype: str, asked_before: set[str], choices: Any) -> str:
    source = r.data.get("choices_from")
    if source is None:
        if "keep" in r.data:
            r.fail("'keep' needs 'choices_from'")
        return ""
    if qtype != "checkbox" or not isinstance(source, str) or source not in asked_before:
        r.fail("'choices_from' must name a list key asked before this tick list")
    keep = r.data.get("keep") or []
    values = {c.value for c in choices}
    if not isinstance(keep, list) or not set(keep) <= values:
        r.fail("'keep' must name some of its choices")
    return str(source)


NOT_SURE_NEVER = ("feels_like_emergency",)  # contract rev 3: the person's own judgement


def _with_not_sure(
    path: Path, docs: Documents, questions: Mapping[str, Question], words: YesNo
) -> tuple[Question, ...]:
    """rev 3: each list named in `not_sure.lists` offers "I'm not sure about one of these", and
    is followed by a question on `symptoms_not_sure` asking which ones: the list's items (but
    the catch-all), each with its check from messages.yaml `not_sure_signs` as its help."""
    data = docs[path]
    table = _table(path, data, "not_sure") if isinstance(data, Mapping) else {}
    r = _Reader(path, "not_sure", table)
    r.only({"label", "prompt", "short", "help", "none", "lists", "emergency"})
    lists = table.get("lists")
    if not isinstance(lists, list) or not all(isinstance(x, str) for x in lists):
        r.fail("'lists' must be a list of question ids")
    messages = docs.root / "messages.yaml"
    signs = _table(messages, docs[messages], "not_sure_signs")
    out: list[Question] = []
    for q in questions.values():
        if q.id not in lists:
            out.append(q)
            continue
        if q.key != "symptoms" or q.type != "checkbox":
            r.fail(f"{q.id!r} is not a tick list of symptoms")
        out.append(q._replace(not_sure=r.text("label")))
        choices = []
        for c in q.choices:
            if c.value in NOT_SURE_NEVER:
                continue
            sign = signs.get(c.value)
            if not isinstance(sign, Mapping):
                r.fail(f"{c.value!r} has no words in messages.yaml not_sure_signs")
            check = str(sign.get("check", "")).replace("{emergency}", r.text("emergency"))
            choices.append(c._replace(help=check))
        out.append(
            Question(
                id=f"{q.id}_not_sure",
                key="symptoms_not_sure",
                type="checkbox",
                prompt=r.text("prompt"),
                help=r.text("help"),
                choices=tuple(choices),
                when=q.when,
                none_label=r.text("none"),
                short=r.text("short").format(list=q.short),
                not_sure_of=q.id,
                **words,
            )
        )
    unknown = set(lists) - set(questions)
    if unknown:
        r.fail(f"'lists' names {', '.join(sorted(unknown))}, not a question")
    return tuple(out)


def _choice(r: _Reader, raw: Any, allowed: tuple[Any, ...]) -> Choice:
    if not isinstance(raw, Mapping) or "value" not in raw or not isinstance(raw.get("label"), str):
        r.fail(f"each choice needs 'value' and 'label': {show(raw)}")
    if raw["value"] not in allowed:
        r.fail(f"choice value {show(raw['value'])} is not in the answers contract")
    return Choice(
        raw["value"], " ".join(raw["label"].split()), " ".join(str(raw.get("help", "")).split())
    )


# -- the words of the terminal and the command line ------------------------------------------


WORD_FILES = ("ui.yaml", "followup.yaml")  # read by key as the code asks: checked whole in a copy


def check_copy(docs: Documents, built_in: Documents) -> None:
    """A copy of rules/ (another language, say) keeps every key of the built-in ui.yaml and
    followup.yaml, each of the same kind, and no text names a placeholder the code does not
    fill: the code looks these up one by one as it needs them, so a key left out would
    otherwise fail halfway through a sheet, after some of the output was written."""
    for name in WORD_FILES:
        path = docs.root / name
        _like(built_in[built_in.root / name], docs[path], path, "")


def _like(model: Any, given: Any, path: Path, where: str) -> None:
    item = where or "file"
    if isinstance(model, Mapping):
        if not isinstance(given, Mapping):
            raise DataFileError(str(path), item, "must be a mapping, as in the built-in rules")
        for key, value in model.items():
            inner = f"{where}.{key}" if where else str(key)
            if key not in given:
                raise DataFileError(
                    str(path),
                    inner,
                    "is missing; a copy of rules/ keeps every key of the built-in one",
                )
            _like(value, given[key], path, inner)
    elif isinstance(model, str):
        if not isinstance(given, str):
            raise DataFileError(str(path), item, "must be text, as in the built-in rules")
        if where.startswith("cli.argparse."):  # argparse fills these in, %-style, every one
            if sorted(_PERCENT.findall(given)) != sorted(_PERCENT.findall(model)):
                keep = " ".join(_PERCENT.findall(model)) or "none"
                raise DataFileError(str(path), item, f"must keep argparse's own {keep}, no more")
            return
        wanted = _placeholders(model)
        if wanted is None:
            return
        found = _placeholders(given)
        if found is None:
            raise DataFileError(str(path), item, "has a { or } that is not a {name} placeholder")
        if found - wanted:
            raise DataFileError(
                str(path),
                item,
                f"names {{{sorted(found - wanted)[0]}}}, which the code does not fill here;"
                f" keep the built-in's: {', '.join(sorted(wanted)) or 'none'}",
            )
    elif type(given) is not type(model):
        raise DataFileError(
            str(path), item, f"must be a {type(model).__name__}, as in the built-in rules"
        )


_PERCENT = re.compile(r"%(?:\([^)]*\))?[a-z%]")  # %s, %r, %(name)s, %%


def _placeholders(text: str) -> set[str] | None:
    """The {names} of a text as str.format reads it; None when it cannot be read so."""
    try:
        return {
            field.split(".")[0].split("[")[0]
            for _, field, _, _ in string.Formatter().parse(text)
            if field is not None
        }
    except ValueError:
        return None


def load_phrases(docs: Documents) -> Phrases:
    """rules/ui.yaml: nested mappings of texts, flattened to dotted keys."""
    path = docs.root / "ui.yaml"
    return phrases_from(docs[path], path)


def phrases_from(data: Any, path: Path) -> Phrases:
    """The Phrases of ui.yaml's parsed `data` (also for Documents, to word a broken file)."""
    table: dict[str, str] = {}

    def walk(node: Any, prefix: str) -> None:
        if not isinstance(node, Mapping) or not node:
            raise DataFileError(str(path), prefix or "file", "expected a mapping of texts")
        for key, value in node.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, Mapping):
                walk(value, name)
            elif isinstance(value, str) and "\n" in value.strip("\n"):
                # a literal block (|) is a layout of lines (the help's examples): kept
                table[name] = "\n".join(line.rstrip() for line in value.strip("\n").split("\n"))
            elif isinstance(value, str) and value.strip():
                # YAML folding and indentation collapse; a no-break space (Esc B) stays
                table[name] = re.sub(r"[ \t\r\n]+", " ", value).strip()
            else:
                raise DataFileError(str(path), name, "must be non-empty text")

    walk(data, "")
    return Phrases(table, str(path))


# -- knowledge ---------------------------------------------------------------------------------


def load_knowledge(docs: Documents, contract: Contract) -> Knowledge:
    """Load every clinical data file and check that every id used is defined, and vice versa."""
    rules = docs.root
    evidence_path = rules / "evidence.yaml"
    evidence = {
        str(k): " ".join(str(v).split())
        for k, v in _table(evidence_path, docs[evidence_path], "grades").items()
    }
    cap = _Reader(
        evidence_path,
        "traditional_cap",
        _table(evidence_path, docs[evidence_path], "traditional_cap"),
    )
    cap.only({"full", "fewer", "fewer_for", "rest"})
    fewer_for = _Reader(evidence_path, "traditional_cap, fewer_for", cap.data.get("fewer_for"))
    fewer_for.only({"column", "conditions", "medicines"})
    traditional_cap = TraditionalCap(
        int(cap.number("full")),
        int(cap.number("fewer")),
        fewer_for.text("column"),
        int(fewer_for.number("conditions")),
        int(fewer_for.number("medicines")),
        cap.text("rest"),
    )
    try:
        said = traditional_cap.rest.format(names="x")
    except (KeyError, IndexError, ValueError):
        said = ""
    if "{names}" not in traditional_cap.rest or not said:
        cap.fail("'rest' must hold {names}, where the remedies are named, and no other {field}")

    path = rules / "sources.yaml"
    sources = _by_id(path, _items(path, docs[path], "sources"), _source, "source")

    path = rules / "dispositions.yaml"
    tier_items = _items(path, docs[path], "tiers")
    tiers = _by_id(path, tier_items, lambda r: _tier(r, contract), "tier")
    if tuple(tiers) != TIERS:
        raise DataFileError(
            str(path), "tiers", f"must list exactly {', '.join(TIERS)} in that order"
        )
    safety_net: dict[str, tuple[Wording, ...]] = {}
    for item in tier_items:
        reader = _Reader(path, f"tier {item['id']}", item)
        lines = item.get("safety_net")
        if not isinstance(lines, list) or not lines:
            reader.fail("'safety_net' must be a non-empty list of lines")
        safety_net[str(item["id"])] = tuple(  # a line: one wording, or variants (first fits)
            reader.wording("safety_net", contract, line) for line in lines
        )

    path = rules / "points.yaml"
    points = _by_id(path, _items(path, docs[path], "points"), _point, "point")

    path = rules / "medicines.yaml"
    medicines = _by_id(path, _items(path, docs[path], "medicines"), _medicine, "medicine")
    missing = set(contract.fields["medications"].values) ^ set(medicines)
    if missing:
        raise DataFileError(
            str(path),
            "medicines",
            f"must match the contract's medications; differs on {sorted(missing)}",
        )

    path = rules / "messages.yaml"
    msg = docs[path]
    texts: dict[str, dict[str, Wording]] = {}
    for name in ("reasons", "warnings", "consider"):
        table = _table(path, msg, name)
        reader = _Reader(path, name, table)
        texts[name] = {str(k): reader.wording(str(k), contract) for k in table}

    columns, actions = _safety_table(docs, contract, sources, medicines, texts["warnings"])
    reading = _reading(path, msg, contract)
    listing = _Reader(path, "lists", _table(path, msg, "lists"))
    lists = ListWords(listing.text("last"), listing.text("unnamed_medicine"))

    path = rules / "remedies.yaml"

    def remedy(r: _Reader) -> Remedy:
        r.only(
            {
                "id",
                "title",
                "when",
                "evidence",
                "sources",
                "steps",
                "action",
                "points",
                "picture",
                "fit",
                "lead",
                "effort",
            }
        )
        effort = r.data.get("effort", 2)
        if effort not in (1, 2, 3) or isinstance(effort, bool):
            r.fail("'effort' must be 1, 2 or 3")
        raw_steps = r.data.get("steps")
        if not isinstance(raw_steps, list) or not raw_steps:
            r.fail("needs 'steps'")
        steps = tuple(_step(r, s, contract, actions) for s in raw_steps)
        title = r.texts("action")
        if not title:
            r.fail("needs 'action': its title action (a row of safety.yaml)")
        done = {a for step in steps for a in step.does}
        for a in title:
            if a not in done:
                r.fail(
                    f"'action' {a!r} is not done by any of its steps; name it under a step's 'does'"
                )
        rem = Remedy(
            str(r.data["id"]),
            r.text("title"),
            r.one_of("when", WHEN),
            r.one_of("evidence", tuple(evidence)),
            r.texts("sources"),
            steps,
            title,
            r.texts("points"),
            r.text("picture", ""),
            r.optional_condition("fit", contract),
            r.optional_condition("lead", contract),
            int(effort),
        )
        _known(r, rem.sources, sources, "source")
        for step in steps:
            if step.source and step.source not in rem.sources:
                r.fail(f"a step's 'source' {step.source!r} is not one of the remedy's 'sources'")
        _known(r, rem.points, points, "point")
        if not rem.sources:
            r.fail("needs 'sources'")
        return rem

    remedies = _by_id(path, _items(path, docs[path], "remedies"), remedy, "remedy")
    rules_list: list[Rule] = []
    for rule_path in (rules / name for name in docs.names("logic")):
        data = docs[rule_path]
        built = _by_id(
            rule_path,
            _items(rule_path, data, "rules"),
            functools.partial(
                _rule,
                path=rule_path,
                contract=contract,
                remedies=remedies,
                sources=sources,
                texts=texts,
            ),
            "rule",
        )
        rules_list.extend(built.values())
    seen: dict[str, str] = {}
    for rule in rules_list:
        if rule.id in seen:
            raise DataFileError(
                rule.file, f"rule {rule.id}", f"this id is also used in {seen[rule.id]}"
            )
        seen[rule.id] = rule.file
    if not rules_list:
        raise DataFileError(str(rules / "logic"), "rules", "no rule files found")

    path = rules / "safety.yaml"
    rule_ids = {r.id for r in rules_list}
    for column in columns:
        for rid in column.rules:
            if rid not in rule_ids:
                raise DataFileError(str(path), f"column {column.id}", f"unknown rule id {rid!r}")
    used = {a for m in remedies.values() for step in m.steps for a in step.does}
    for action in actions.values():
        if action.never_advised and action.id in used:
            raise DataFileError(
                str(path), f"action {action.id}", "is never advised, but a remedy step does it"
            )
        if not action.never_advised and action.id not in used:
            raise DataFileError(
                str(path),
                f"action {action.id}",
                "no remedy step does it; name it under a step's 'does', or remove the row",
            )
    interactions, no_interaction = _interactions(docs, contract, sources, medicines, rules_list)
    _check_fired(docs, rules_list)
    blood_tests, blood_test_line = _blood_tests(docs, contract)
    path = rules / "followup.yaml"
    calendar = _table(path, docs[path], "calendar")
    months = _Reader(path, "calendar", calendar).texts("months")
    if len(months) != 12:
        raise DataFileError(
            str(path), "calendar", "'months' must name the 12 months, January first"
        )

    knowledge = Knowledge(
        tuple(rules_list),
        actions,
        columns,
        remedies,
        points,
        sources,
        tiers,
        evidence,
        medicines,
        texts["reasons"],
        texts["warnings"],
        texts["consider"],
        safety_net,
        interactions,
        no_interaction,
        months,
        blood_tests,
        blood_test_line,
        reading,
        traditional_cap,
        lists,
    )
    if traditional_cap.frail_column not in {c.id for c in columns}:
        raise DataFileError(
            str(evidence_path),
            "traditional_cap, fewer_for",
            f"column {traditional_cap.frail_column!r} is not a column of rules/safety.yaml",
        )
    _check_unused(rules, knowledge)
    return knowledge


def _step(r: _Reader, raw: Any, contract: Contract, actions: Mapping[str, Action]) -> Step:
    if isinstance(raw, str) and raw.strip():
        return Step(" ".join(raw.split()))
    sub = _Reader(r.path, f"{r.item}, step", raw)
    sub.only({"text", "does", "when", "unless", "source", "alternative"})
    alternative = sub.data.get("alternative", False)
    if not isinstance(alternative, bool):
        sub.fail("'alternative' must be true or false (true: another way to do a step before it)")
    own = sub.texts("does")
    for action in own:
        if action not in actions:
            sub.fail(
                f"action {action!r} has no row in safety.yaml; add the row and decide every cell"
            )
    return Step(
        sub.text("text"),
        tuple(dict.fromkeys(own)),
        sub.optional_condition("when", contract),
        sub.optional_condition("unless", contract),
        sub.text("source", ""),
        alternative,
    )


# -- the safety table ---------------------------------------------------------------------------


def _safety_table(
    docs: Documents,
    contract: Contract,
    sources: Mapping[str, Source],
    medicines: Mapping[str, Medicine],
    warnings: Mapping[str, Wording],
) -> tuple[tuple[Column, ...], dict[str, Action]]:
    """rules/safety.yaml: every column decided in every row, every column reachable."""
    path = docs.root / "safety.yaml"
    data = docs[path]
    columns = tuple(
        _by_id(
            path,
            _items(path, data, "columns"),
            lambda r: _column(r, contract, sources),
            "column",
        ).values()
    )
    if not columns:
        raise DataFileError(str(path), "columns", "the table needs at least one column")
    ids = [c.id for c in columns]
    rows: dict[str, Action] = {}
    for n, raw in enumerate(_items(path, data, "rows"), 1):
        action = raw.get("action") if isinstance(raw, Mapping) else None
        r = _Reader(path, f"action {action}" if action else f"row #{n}", raw)
        if not isinstance(action, str) or not action:
            r.fail("needs an 'action' id")
        if action in rows:
            r.fail("this action has two rows")
        rows[action] = _row(r, action, ids, contract, medicines, warnings)
    for column in columns:
        for way in column.ways:
            for rid in way.rows:
                if rid not in rows:
                    raise DataFileError(
                        str(path), f"column {column.id}", f"'rows' names unknown action {rid!r}"
                    )
        if not any(_reachable(way, contract) for way in column.ways if not way.rows):
            raise DataFileError(
                str(path),
                f"column {column.id}",
                "no answers can put a person in this column; check its 'who'",
            )
    return columns, rows


def _column(r: _Reader, contract: Contract, sources: Mapping[str, Source]) -> Column:
    r.only({"id", "label", "who", "rules", "sources"})
    raw_ways = r.data.get("who")
    if not isinstance(raw_ways, list) or not raw_ways:
        r.fail("'who' must list the ways into this column")
    ways = []
    for raw in raw_ways:
        w = _Reader(r.path, f"{r.item}, who", raw)
        w.only({"when", "unless", "prefix", "rows"})
        if "when" not in w.data:
            w.fail("each way needs 'when'")
        ways.append(
            Way(
                w.condition("when", contract),
                w.optional_condition("unless", contract),
                str(w.data.get("prefix", "")),
                w.texts("rows"),
            )
        )
    column = Column(
        str(r.data["id"]), r.text("label"), tuple(ways), r.texts("rules"), r.texts("sources")
    )
    _known(r, column.sources, sources, "source")
    return column


def _row(
    r: _Reader,
    action: str,
    columns: list[str],
    contract: Contract,
    medicines: Mapping[str, Medicine],
    warnings: Mapping[str, Wording],
) -> Action:
    r.only({"action", "what", "label", "cells", "never_advised"})
    cells = r.data.get("cells")
    if not isinstance(cells, Mapping):
        r.fail("needs 'cells': one decision for every column")
    for key in cells:
        if key not in columns:
            raise DataFileError(
                str(r.path),
                f"action {action}, column {key}",
                f"unknown column; the columns are {', '.join(columns)}",
            )
    decided = []
    for column in columns:
        where = f"action {action}, column {column}"
        cell = cells.get(column)
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            raise DataFileError(
                str(r.path),
                where,
                "the cell is empty; decide it: ok, 'caution: <words>' or 'withhold: <why>'",
            )
        decided.append(_cell(str(r.path), where, cell))
    never = r.data.get("never_advised")
    takers: tuple[str, ...] = ()
    message = otherwise = ""
    if never is not None:
        n = _Reader(r.path, f"{r.item}, never_advised", never)
        n.only({"takers", "message", "otherwise"})
        takers = n.texts("takers")
        if not takers:
            n.fail("'takers' must name the medicines whose takers see its cautions")
        _known(n, takers, medicines, "medicine")
        message = n.text("message", "")
        if message:
            _known(n, [message], warnings, "warning")
            if not any("{" + action + "}" in v.text for v in warnings[message]):
                n.fail(f"warning {message!r} has no {{{action}}} for its reason")
            otherwise = n.text("otherwise")
    return Action(
        action,
        r.text("label"),
        r.text("what"),
        tuple(decided),
        never is not None,
        takers,
        message,
        otherwise,
    )


def _cell(path: str, where: str, raw: Any) -> Cell:
    if raw == "ok":
        return Cell("ok")
    verdict, _, words = str(raw).partition(":") if isinstance(raw, str) else ("", "", "")
    words = " ".join(words.split())
    if verdict.strip() not in VERDICTS[1:] or not words:
        raise DataFileError(
            path,
            where,
            f"{raw!r} is not a decision; use ok, 'caution: <words>' or 'withhold: <why>'",
        )
    return Cell(verdict.strip(), words)


def _reachable(way: Way, contract: Contract) -> bool:
    """Can any valid answers put a person in through this way? A small search over the values
    its conditions name (and their neighbours), each candidate checked against the contract."""
    for answers in _candidates(way, contract):
        try:
            checked = contract.check(answers, source="")
        except AnswersError:
            continue
        if conditions.holds(way.when, checked) and not (
            way.unless is not None and conditions.holds(way.unless, checked)
        ):
            return True
    return False


_ABSENT = object()


def _candidates(way: Way, contract: Contract) -> Iterator[dict[str, Any]]:
    tests: dict[str, list[conditions.Test]] = {}

    def collect(cond: conditions.Condition) -> None:
        if isinstance(cond, conditions.Test):
            tests.setdefault(cond.field, []).append(cond)
        else:
            for part in cond.parts:
                collect(part)

    collect(way.when)
    if way.unless is not None:
        collect(way.unless)
    options: list[list[Any]] = []
    for name, found in tests.items():
        field = contract.fields[name]
        if field.kind == "integer":
            low = field.minimum if field.minimum is not None else 0
            high = field.maximum if field.maximum is not None else low + 100
            near = {
                v + d
                for t in found
                if isinstance(t.value, int)
                for v in [t.value]
                for d in (-1, 0, 1)
            }
            options.append([*sorted(v for v in near | {low, high} if low <= v <= high), _ABSENT])
        elif field.kind == "list":
            named = [
                v
                for t in found
                for v in (t.value if t.op == "has_any" else (t.value,))
                if t.op in ("has", "has_any")
            ]
            named = list(dict.fromkeys(named))
            options.append([[v] for v in named] + [named, [], _ABSENT])
        else:
            options.append([*field.values, _ABSENT])
    # every key the contract requires, with a value it allows (version, and any a changed copy
    # of rules/ adds), so only the way's own keys vary
    base = {name: _any_value(contract.fields[name]) for name in contract.schema["required"]}
    for combo in itertools.product(*options):
        answers = dict(base)
        for name, value in zip(tests, combo, strict=True):
            if value is not _ABSENT:
                answers[name] = value
        yield answers


def _any_value(field: Field) -> Any:
    """A value the contract allows for this key, whatever the others are."""
    if field.kind == "integer":
        return field.minimum if field.minimum is not None else 0
    if field.kind == "list":
        return list(field.values[:1])
    return field.values[0]


# -- medicines and interactions --------------------------------------------------------------


def _interactions(
    docs: Documents,
    contract: Contract,
    sources: Mapping[str, Source],
    medicines: Mapping[str, Medicine],
    rules: Iterable[Rule] = (),
) -> tuple[tuple[Interaction, ...], tuple[str, ...]]:
    """rules/interactions.yaml: every medicine of the contract in a row, or marked as having
    no known interaction here (never both). A row applied by a rule of rules/logic names it
    (`rule`): the rule's condition is the row's (one condition, in one file). That the rule sets
    the row's tier and timeframe and carries its warning is checked by the tests
    (tests/test_loader.py), so that ./dev mutate judges a weakened rule by what it does."""
    path = docs.root / "interactions.yaml"
    data = docs[path]
    by_id = {rule.id: rule for rule in rules}
    rows = tuple(
        _by_id(
            path,
            _items(path, data, "interactions"),
            lambda r: _interaction(r, contract, sources, by_id),
            "interaction",
        ).values()
    )
    marked = data.get("no_known_interaction", []) if isinstance(data, Mapping) else []
    if not isinstance(marked, list) or not all(isinstance(m, str) for m in marked):
        raise DataFileError(str(path), "no_known_interaction", "must be a list of medicine ids")
    named = {
        v
        for row in rows
        for t in _tests(row.when)
        if t.field == "medications"
        for v in (t.value if isinstance(t.value, tuple) else (t.value,))
    }
    for medicine in medicines:
        if medicine in named and medicine in marked:
            raise DataFileError(
                str(path),
                f"medicine {medicine}",
                "is in an interaction row and also marked 'no known interaction here'",
            )
        if medicine not in named and medicine not in marked:
            raise DataFileError(
                str(path),
                f"medicine {medicine}",
                "is in no interaction row and not marked 'no known interaction here'; add a row,"
                " or list it under no_known_interaction",
            )
    for medicine in marked:
        if medicine not in medicines:
            raise DataFileError(
                str(path), "no_known_interaction", f"{medicine!r} is not a contract medicine"
            )
    return rows, tuple(marked)


def _interaction(
    r: _Reader, contract: Contract, sources: Mapping[str, Source], rules: Mapping[str, Rule]
) -> Interaction:
    r.only(
        {
            "id",
            "rule",
            "situation",
            "when",
            "tier",
            "act_within",
            "route",
            "routing",
            "warning",
            "words",
            "safety_net",
            "sources",
            "finding",
        }
    )
    tier = r.one_of("tier", (*TIERS, "none"))
    name = r.text("rule", "")
    rule = rules.get(name) if name else None
    if name and rule is None:
        r.fail(f"'rule' {name!r} is not a rule of rules/logic")
    if rule is not None and "when" in r.data:
        r.fail("has a 'rule': its condition is the rule's, so give no 'when' here")
    row = Interaction(
        str(r.data["id"]),
        r.text("situation"),
        rule.when if rule is not None else r.condition("when", contract),
        tier,
        r.one_of("act_within", ACT_WITHIN_OF.get(tier, ("none",))),
        r.one_of("route", ROUTES),
        r.text("routing", ""),
        r.text("warning"),
        r.wording("words", contract),
        r.text("safety_net", ""),
        r.texts("sources"),
        r.text("finding", ""),
        name,
    )
    _known(r, row.sources, sources, "source")
    if not row.sources:
        r.fail("needs 'sources'")
    return row


def _check_fired(docs: Documents, rules: Iterable[Rule]) -> None:
    """Every `fired` of a wording names a rule of rules/logic."""
    ids = {rule.id for rule in rules}

    def walk(node: Any, path: Path) -> None:
        if isinstance(node, Mapping):
            for key in ("fired", "unless_fired"):
                names = node.get(key)
                for name in names if isinstance(names, list) else ():
                    if name not in ids:
                        raise DataFileError(str(path), key, f"{name!r} is not a rule id")
            for value in node.values():
                walk(value, path)
        elif isinstance(node, list):
            for item in node:
                walk(item, path)

    for name in ("dispositions.yaml", "messages.yaml"):
        walk(docs[docs.root / name], docs.root / name)


def _blood_tests(docs: Documents, contract: Contract) -> tuple[tuple[BloodTest, ...], str]:
    """rules/blood_tests.yaml: the tests a soon or urgent sheet asks for, and the line."""
    path = docs.root / "blood_tests.yaml"
    data = docs[path]

    def build(r: _Reader) -> BloodTest:
        r.only({"id", "words", "when"})
        return BloodTest(str(r.data["id"]), r.text("words"), r.condition("when", contract))

    tests = tuple(_by_id(path, _items(path, data, "tests"), build, "test").values())
    line = _Reader(path, "line", data).text("line")
    if "{tests}" not in line:
        raise DataFileError(str(path), "line", "must hold {tests}, where the tests are named")
    return tests, line


def _tests(cond: conditions.Condition) -> Iterator[conditions.Test]:
    if isinstance(cond, conditions.Test):
        yield cond
    else:
        for part in cond.parts:
            yield from _tests(part)


def load_countries(docs: Documents, rules: Path) -> dict[str, Country]:
    """rules/countries.yaml: each country's numbers, checked like every other data file."""
    path = rules / "countries.yaml"
    built = _by_id(path, _items(path, docs[path], "countries"), _country, "country")
    if "generic" not in built:
        raise DataFileError(str(path), "countries", "needs the default country 'generic'")
    return built


def _country(r: _Reader) -> Country:
    r.only({"id", "name", "aliases", "emergency", "emergency_again", "urgent_line"})
    emergency = r.text("emergency")
    return Country(
        str(r.data["id"]),
        r.text("name"),
        r.texts("aliases"),
        emergency,
        r.text("emergency_again", emergency),
        r.text("urgent_line"),
    )


def _source(r: _Reader) -> Source:
    r.only({"id", "short", "cite", "url", "where"})
    url = r.text("url", "")
    if url and not url.startswith("https://"):
        r.fail("'url' must be an https:// address, or left out")
    return Source(str(r.data["id"]), r.text("short"), r.text("cite"), url, r.text("where"))


def _tier(r: _Reader, contract: Contract) -> Tier:
    r.only(
        {
            "id",
            "label",
            "headline",
            "action",
            "timeframe",
            "colour",
            "safety_net",
            "page_one",
            "first_line",
            "early_stop",
            "withheld_because",
        }
    )
    if (r.data.get("id") == "emergency") != ("withheld_because" in r.data):
        r.fail("'withheld_because' is needed on the emergency tier, and only there")
    stop = r.data.get("early_stop", {})
    if not isinstance(stop, Mapping) or (
        stop
        and (
            set(stop) != {"within", "warnings", "words"}
            or not isinstance(stop["within"], list)
            or not all(w in ACT_WITHIN for w in stop["within"])
            or not isinstance(stop["warnings"], list)
            or not isinstance(stop["words"], int)
        )
    ):
        r.fail(
            "'early_stop' must give 'within' (timeframes), 'warnings' (warning ids kept) and "
            "'words' (page one's word limit)"
        )
    page_one = r.data.get("page_one", {})
    limits = {"during": 3, "prevent": 3, "words": 1000, "first": 1}
    if (
        not isinstance(page_one, Mapping)
        or set(page_one) != set(limits)
        or not all(isinstance(v, int) and 0 <= v <= limits[k] for k, v in page_one.items())
    ):
        r.fail(
            "'page_one' must give 'during' and 'prevent' (each 0 to 3), 'words' (its word limit) "
            "and 'first' (true: the first thing to try always shows)"
        )
    action = r.wording("action", contract)
    if not all(v.route for v in action):
        r.fail("every wording of 'action' needs its 'route' (the service it names first)")
    return Tier(
        r.one_of("id", TIERS),
        r.text("label"),
        r.wording("headline", contract),
        action,
        r.wording("timeframe", contract),
        r.text("colour"),
        {str(k): int(v) for k, v in page_one.items()},
        r.wording("first_line", contract) if "first_line" in r.data else (),
        tuple(str(w) for w in stop.get("within", ())),
        tuple(str(w) for w in stop.get("warnings", ())),
        int(stop.get("words", 0)),
        r.text("withheld_because") if "withheld_because" in r.data else "",
    )


def _point(r: _Reader) -> Point:
    r.only({"id", "name", "where", "press", "view", "x", "y"})
    return Point(
        str(r.data["id"]),
        r.text("name"),
        r.text("where"),
        r.text("press"),
        r.one_of("view", VIEWS),
        r.number("x"),
        r.number("y"),
    )


def _medicine(r: _Reader) -> Medicine:
    r.only({"id", "label", "examples", "causes_cramps", "clot_risk"})
    return Medicine(
        str(r.data["id"]),
        r.text("label"),
        r.text("examples"),
        bool(r.data.get("causes_cramps", False)),
        bool(r.data.get("clot_risk", False)),
    )


def _known(
    r: _Reader, ids: tuple[str, ...] | list[str], table: Mapping[str, Any], what: str
) -> None:
    for item in ids:
        if item not in table:
            r.fail(f"unknown {what} id {show(item)}")


def _rule(
    r: _Reader,
    path: Path,
    contract: Contract,
    remedies: Mapping[str, Remedy],
    sources: Mapping[str, Source],
    texts: Mapping[str, Mapping[str, Wording]],
) -> Rule:
    for key in ("withhold", "caution"):
        if key in r.data:
            r.fail(f"'{key}' is decided in safety.yaml, the safety table, not by a rule")
    r.only({"id", "when", "tier", "offer", "warn", "consider", "source", "act_within"})
    if str(r.data["id"]).startswith(RESERVED_PREFIX):
        r.fail(
            f"ids starting with {RESERVED_PREFIX!r} are kept for the rules engine's own rules"
            " (its catch-all would replace this one); rename it"
        )
    # A rule true of everyone is written `when: {}` on purpose, and can only set the lowest
    # tier (the self-care base every sheet starts from). A missing or blank `when` is a slip,
    # and one on a higher tier would raise every person's sheet: both are refused.
    if r.data.get("when") is None or (
        r.data["when"] == {} and r.data.get("tier", TIERS[0]) != TIERS[0]
    ):
        r.fail(
            "'when' is missing or empty: this rule would fire for every person; give its"
            f" condition (only a {TIERS[0]} rule may say when: {{}}, true of everyone)"
        )
    rule = Rule(
        id=str(r.data["id"]),
        when=r.condition("when", contract),
        source=r.text("source"),
        file=str(path),
        tier=r.one_of("tier", TIERS) if "tier" in r.data else None,
        offer=r.texts("offer"),
        warn=r.texts("warn"),
        consider=r.texts("consider"),
        act_within=r.wording("act_within", contract) if "act_within" in r.data else (),
    )
    for v in rule.act_within:
        if rule.tier is None or v.text not in ACT_WITHIN_OF[rule.tier]:
            r.fail(
                f"'act_within' {show(v.text)} does not fit its tier; use one of "
                + ", ".join(ACT_WITHIN_OF.get(rule.tier or "", ()))
            )
    _known(r, [rule.source], sources, "source")
    _known(r, rule.offer, remedies, "remedy")
    _known(r, rule.warn, texts["warnings"], "warning")
    _known(r, rule.consider, texts["consider"], "consider")
    if rule.tier and rule.id not in texts["reasons"]:
        r.fail("has a tier but no text under 'reasons' in messages.yaml")
    if not (rule.tier or rule.offer or rule.warn or rule.consider):
        r.fail("concludes nothing (give a tier, offer, warn or consider)")
    return rule


def _reading(path: Path, msg: Any, contract: Contract) -> ReadingWords:
    """messages.yaml's words for how the answers were read (rev 3): the not-sure line and the
    name and check of every sign that may be not sure, the keys that may be "not reported" with
    their lines, and what a contradictory file is read as."""
    frame = _Reader(path, "reading", _table(path, msg, "reading"))
    frame.only({"not_sure_one", "not_sure_many", "medicines_not_sure"})
    table = _table(path, msg, "not_sure_signs")
    signs = {}
    for value, item in table.items():
        r = _Reader(path, f"not_sure_signs, {value}", item)
        r.only({"what", "check"})
        signs[str(value)] = NotSureSign(r.text("what"), r.text("check", "") or None)
    allowed = set(contract.fields["symptoms_not_sure"].values) - {"feels_like_emergency"}
    if set(signs) != allowed:
        raise DataFileError(
            str(path),
            "not_sure_signs",
            f"must name every sign that may be not sure; differs on {sorted(set(signs) ^ allowed)}",
        )
    raw = msg.get("not_reported")
    if not isinstance(raw, list) or not raw:
        raise DataFileError(str(path), "not_reported", "must be a list of keys")
    keys = []
    for n, item in enumerate(raw):
        r = _Reader(path, f"not_reported[{n}]", item)
        r.only({"key", "when", "line", "check"})
        key = r.one_of("key", tuple(contract.fields))
        keys.append(
            NotReported(
                key,
                r.optional_condition("when", contract),
                r.text("line", "") or None,
                r.texts("check"),
            )
        )
    inferred = {}
    for value, item in _table(path, msg, "inferred").items():
        r = _Reader(path, f"inferred, {value}", item)
        r.only({"because", "line"})
        inferred[str(value)] = Inferring(r.text("because"), r.text("line", "") or None)
    return ReadingWords(
        frame.text("not_sure_one"),
        frame.text("not_sure_many"),
        frame.text("medicines_not_sure"),
        signs,
        tuple(keys),
        inferred,
    )


def _check_unused(rules: Path, k: Knowledge) -> None:
    """A text or remedy nobody uses is a sign of a typo elsewhere: refuse it too."""
    used = {
        "reasons": {r.id for r in k.rules if r.tier},
        "warnings": {w for r in k.rules for w in r.warn},
        "consider": {c for r in k.rules for c in r.consider},
    }
    for table, ids in used.items():
        unused = sorted(set(getattr(k, table)) - ids)
        if unused:
            raise DataFileError(
                str(rules / "messages.yaml"),
                f"{table} {unused[0]}",
                "is defined but no rule uses it",
            )
    offered = {o for r in k.rules for o in r.offer}
    for rid in k.remedies:
        if rid not in offered:
            raise DataFileError(str(rules / "remedies.yaml"), f"remedy {rid}", "no rule offers it")
    pointed = {p for m in k.remedies.values() for p in m.points}
    for code in k.points:
        if code not in pointed:
            raise DataFileError(str(rules / "points.yaml"), f"point {code}", "no remedy uses it")
    cited = {r.source for r in k.rules} | {s for m in k.remedies.values() for s in m.sources}
    cited |= {s for c in k.columns for s in c.sources} | {
        s for i in k.interactions for s in i.sources
    }
    for source in k.sources:
        if source not in cited:
            raise DataFileError(
                str(rules / "sources.yaml"),
                f"source {source}",
                "no rule, remedy, column or interaction cites it",
            )
    for tier in TIERS:
        if not any(r.tier == tier for r in k.rules):
            raise DataFileError(str(rules / "logic"), f"tier {tier}", "no rule reaches this tier")


# -- follow-up: the re-check's questions and the words of the diary -------------------------------


class Words:
    """A table of rules/followup.yaml: `words["messages"]["saved"]`. A missing or misspelt entry
    is a DataFileError naming the file and the path to it, not a KeyError."""

    def __init__(self, path: Path, data: Any, where: str = "") -> None:
        self.path, self.where = path, where
        if not isinstance(data, Mapping):
            raise DataFileError(str(path), where or "file", "must be a mapping")
        self.data = data

    def _at(self, key: str) -> Any:
        if key not in self.data:
            raise DataFileError(str(self.path), f"{self.where}.{key}".lstrip("."), "is missing")
        return self.data[key]

    def __getitem__(self, key: str) -> Any:
        value = self._at(key)
        if isinstance(value, Mapping):
            return Words(self.path, value, f"{self.where}.{key}".lstrip("."))
        if isinstance(value, str):
            return " ".join(value.split())
        return value

    def text(self, key: str) -> str:
        value = self[key]
        if not isinstance(value, str) or not value:
            raise DataFileError(str(self.path), f"{self.where}.{key}", "must be non-empty text")
        return str(value)

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self.data else default

    def __contains__(self, key: object) -> bool:
        return key in self.data

    def keys(self) -> list[str]:
        return [str(k) for k in self.data]

    def plain(self) -> dict[str, str]:
        """A flat table of texts (messages), every value checked to be text."""
        return {k: self.text(k) for k in self.keys()}


def load_followup(docs: Documents) -> Words:
    path = docs.root / "followup.yaml"
    return Words(path, docs[path])


def load_recheck_questions(
    docs: Documents, contract: Contract, questions: tuple[Question, ...]
) -> tuple[tuple[Question, ...], str]:
    """The re-check's questions in order, and the key of its gate (not an answers key).

    An entry naming a question of questions.yaml takes that question, with its `when` and the
    entry's own (both must hold) and, if given, the entry's prompt. Other entries are the
    re-check's own questions, each for an answers-contract key (or the gate).
    """
    path = docs.root / "followup.yaml"
    table = _table(path, docs[path], "recheck")
    gate = table.get("gate")
    if not isinstance(gate, str) or gate in contract.fields:
        raise DataFileError(str(path), "recheck.gate", "must name a key that is not an answer")
    fields = {**contract.fields, gate: Field(gate, "boolean", (True, False))}
    count = table.get("pregnancy_count")
    flag = count.get("flag") if isinstance(count, Mapping) else None
    if not isinstance(flag, str) or flag in fields:
        raise DataFileError(
            str(path), "recheck.pregnancy_count.flag", "must name a key that is not an answer"
        )
    fields[flag] = Field(flag, "boolean", (True, False))  # the weeks counted on pass the last week
    known = {q.id: q for q in questions}
    words = yes_no(load_phrases(docs))
    out: list[Question] = []
    for n, raw in enumerate(_items(path, table, "questions"), 1):
        qid = raw.get("id") if isinstance(raw, Mapping) else None
        r = _Reader(path, f"recheck question {qid or n}", raw)
        extra = r.optional_condition("when", _Fields(fields))
        if qid in known:
            r.only({"id", "when", "prompt"})
            q = known[str(qid)]
            when = q.when if extra is None else conditions.All((extra, q.when or conditions.ALWAYS))
            out.append(q._replace(when=when, prompt=r.text("prompt", q.prompt)))
            continue
        r.only({"id", "key", "type", "prompt", "help", "choices", "when"})
        key = r.text("key")
        field = fields.get(key)
        if field is None:
            r.fail(f"{qid!r} is neither a question of questions.yaml nor for an answers key")
        qtype = r.one_of("type", ("select", "confirm"))
        if (qtype == "confirm") != (field.kind == "boolean"):
            r.fail(f"'{key}' cannot be asked as {qtype}")
        choices = tuple(_choice(r, c, field.values) for c in r.data.get("choices", []))
        if qtype == "select" and sorted(map(str, (c.value for c in choices))) != sorted(
            map(str, field.values)
        ):
            r.fail(f"'choices' must offer every value of {key}: {', '.join(field.values)}")
        out.append(
            Question(
                str(qid),
                key,
                qtype,
                r.text("prompt"),
                r.text("help", ""),
                choices,
                extra,
                **words,
            )
        )
    ids = [q.id for q in out]
    if len(ids) != len(set(ids)):
        raise DataFileError(str(path), "recheck.questions", "a question is listed twice")
    return tuple(out), gate


class _Fields:
    """The contract's fields as `_Reader.condition` wants them (it asks `contract.fields`)."""

    def __init__(self, fields: Mapping[str, Field]) -> None:
        self.fields = fields
