"""Mutation testing of rules/: does the suite notice when a clinical rule is weakened?

Each mutant is one small, realistic edit of one file under rules/ (found by walking the YAML,
so it keeps working when the files change shape):

- tier_lowered         a `tier:` in rules/logic lowered one step (urgent -> soon ...)
- value_dropped        one value dropped from a `has_any` or `in` list of a rule
- cell_withhold_ok     one `withhold` cell of the safety table (rules/safety.yaml) made `ok`
- cell_caution_removed one `caution` cell of the safety table made `ok`
- warning_removed      one id removed from a `warn` list
- question_narrowed    a question's `when` narrowed: one branch of an `any` dropped, one value of
                       an `in`/`has_any` dropped, a `min` raised or a `max` lowered by one
- country_changed      a country's `emergency` or `urgent_line` changed (a digit, or the text of
                       another country)
- action_dropped       one action id dropped from a remedy step's `does` list

Each mutant the loader accepts is judged by the behavioural checks, in-process against the real
pipeline: every row of the clinical oracle (tests/oracle.py, policy lines and question
branching) and every clinical vignette (tests/vignettes.yaml). It is killed when a check that
passes on the real rules fails on the mutant (checks that already fail, e.g. revision-2 rows
before the rules implement them, kill nothing). A mutant the loader refuses (DataFileError) is
reported apart and never counted as killed.

A survivor is either named in EXPLAINED below with the reason it cannot be killed, or it fails
the run. For each survivor the tool also compares the mutant with the real rules on thousands
of random answer sets and says whether any result differs.

    python -m tests.mutate                 # all mutants (./dev mutate)
    python -m tests.mutate --sample 60     # a seeded random sample
    python -m tests.mutate --list          # the mutants, not run
"""

from __future__ import annotations

import argparse
import atexit
import copy
import functools
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from multiprocessing.util import Finalize
from pathlib import Path
from typing import Any, NamedTuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
TIERS = ("self-care", "soon", "urgent", "emergency")
KINDS = (
    "tier_lowered",
    "value_dropped",
    "cell_withhold_ok",
    "cell_caution_removed",
    "warning_removed",
    "question_narrowed",
    "country_changed",
    "action_dropped",
)

# Survivors that cannot be killed by a policy-derived check, each with the reason. Keys are
# mutant names as printed by --list. Anything surviving that is not here fails the run.
TITLE_ACTION = (
    "equivalent: the step's action is its remedy's title action (remedies.yaml `action`), which leaves "
    "the remedy out whole where a column withholds it and brings its cautions wherever one cautions "
    "it, whatever the step declares"
)
KNEAD_COVERS = (
    "equivalent: the same step also kneads firmly, and every column that withholds or cautions "
    "rubbing the leg (clot, broken bone, injury; liver, blood thinner, after birth) withholds firm "
    "kneading, so the step goes either way"
)
# rev 3 (contract "Contradictory files"): dialysis is read as kidney disease too (triage.reading)
DIALYSIS_IS_KIDNEY = (
    "equivalent since rev 3: answers with dialysis are read with kidney_disease inferred "
    "(triage.reading), which the same has_any names"
)
EXPLAINED: dict[str, str] = {
    # issue 20: the weeks of pregnancy cannot be left out in the questionnaire yet ("?" for not
    # sure is the questionnaire slice's), so no interview reaches this branch; a file with the
    # weeks left out is judged by the rules (oracle R1-weeks-not-given-tightenings)
    "question_narrowed questions.yaml pregnancy_later_signs: any without branch 2 {'pregnant': True, 'pregnancy_weeks': {'absent': True}}": "equivalent until the questionnaire can leave pregnancy_weeks out ('?'): no interview reaches the branch",
    "value_dropped logic/2_urgent.yaml sweating_at_risk: has_any without dialysis": DIALYSIS_IS_KIDNEY,
    "value_dropped logic/3_soon.yaml long_term_condition: has_any without dialysis": DIALYSIS_IS_KIDNEY,
    "value_dropped logic/3_soon.yaml nsaid_with_condition: has_any without dialysis": DIALYSIS_IS_KIDNEY,
    "value_dropped logic/6_warnings.yaml potassium_keeping: has_any without dialysis": DIALYSIS_IS_KIDNEY,
    "tier_lowered logic/2_urgent.yaml statin_muscle_symptoms: tier urgent -> soon": "equivalent: each symptom it tests (severe_muscle_pain, new_weakness, dark_urine) is urgent on its own",
    "value_dropped logic/2_urgent.yaml injury_with_swelling: has_any without one_leg_swollen": "equivalent: one_leg_swollen is urgent on its own (possible_dvt)",
    "tier_lowered logic/3_soon.yaml taking_quinine: tier soon -> self-care": "the policy sets no tier for prescribed quinine (ask the doctor at the next visit); the warning is checked",
    "tier_lowered logic/3_soon.yaml recent_injury: tier soon -> self-care": "the policy raises a recent injury only with swelling or trouble bearing weight (urgent, checked); alone: no line",
    "tier_lowered logic/3_soon.yaml clot_risk_one_side: tier soon -> self-care": "equivalent on rev-1 rules: oestrogen and raloxifene are medicines linked to cramps, so medicine_linked gives "
    "soon anyway; after rev 2 (cramps_began_with_medicine: false) row S-one-calf-oestrogen-not-began kills it",
    "value_dropped logic/4_self_care.yaml exercise_cramps: has_any without during_exercise": "equivalent: a self-care rule that only adds a self-care reason; self-care is the floor",
    "value_dropped logic/4_self_care.yaml exercise_cramps: has_any without after_exercise": "equivalent: a self-care rule that only adds a self-care reason; self-care is the floor",
    "value_dropped logic/5_remedies.yaml offer_bedtime_routine: has_any without rest": "the policy matches the bedtime routine to night cramps; daytime cramps at rest are not named",
    "value_dropped logic/2_urgent.yaml statin_muscle_symptoms: has_any without severe_muscle_pain": "equivalent: severe muscle pain is urgent on its own (severe_muscle_pain)",
    "value_dropped logic/2_urgent.yaml statin_muscle_symptoms: has_any without new_weakness": "equivalent: new weakness is urgent on its own (new_weakness_or_numbness)",
    "action_dropped remedies.yaml stretch_during_cramp step 1: does without stretch_sitting": TITLE_ACTION,
    "action_dropped remedies.yaml stretch_during_cramp step 2: does without stretch_sitting": TITLE_ACTION,
    "action_dropped remedies.yaml towel_stretch step 1: does without stretch_sitting": TITLE_ACTION,
    "action_dropped remedies.yaml towel_stretch step 2: does without stretch_sitting": TITLE_ACTION,
    "action_dropped remedies.yaml towel_stretch step 3: does without stretch_sitting": TITLE_ACTION,
    "action_dropped remedies.yaml stretch_foot_toes step 1: does without stretch_sitting": TITLE_ACTION,
    "action_dropped remedies.yaml stretch_foot_toes step 2: does without stretch_sitting": TITLE_ACTION,
    "action_dropped remedies.yaml stretch_thigh_back step 1: does without stretch_sitting": TITLE_ACTION,
    "action_dropped remedies.yaml stretch_thigh_back step 2: does without stretch_sitting": TITLE_ACTION,
    "action_dropped remedies.yaml squeeze_roll_calf step 1: does without knead_firmly": TITLE_ACTION,
    "action_dropped remedies.yaml squeeze_roll_calf step 2: does without knead_firmly": TITLE_ACTION,
    "action_dropped remedies.yaml bedtime_thigh_front step 1: does without stretch_sitting": TITLE_ACTION,
    "action_dropped remedies.yaml bedtime_thigh_front step 2: does without stretch_sitting": TITLE_ACTION,
    "action_dropped remedies.yaml bedtime_thigh_back step 1: does without stretch_sitting": TITLE_ACTION,
    "action_dropped remedies.yaml bedtime_thigh_back step 2: does without stretch_sitting": TITLE_ACTION,
    "action_dropped remedies.yaml epsom_bath step 1: does without warm_shower_or_bath": TITLE_ACTION,
    "action_dropped remedies.yaml epsom_bath step 3: does without warm_shower_or_bath": TITLE_ACTION,
    "action_dropped remedies.yaml warm_up step 1: does without warm_up": TITLE_ACTION,
    "action_dropped remedies.yaml warm_up step 2: does without warm_up": TITLE_ACTION,
    # session 7: both drinking steps (exercise: drink to thirst; night: through the day) do the
    # remedy's title action
    "action_dropped remedies.yaml hydration step 1: does without drink_more_water": TITLE_ACTION,
    "action_dropped remedies.yaml hydration step 2: does without drink_more_water": TITLE_ACTION,
    "action_dropped remedies.yaml squeeze_roll_calf step 1: does without rub_muscle": KNEAD_COVERS,
    "action_dropped remedies.yaml acupressure_calf step 1: does without rub_muscle": KNEAD_COVERS,
    "action_dropped remedies.yaml warmth step 1: does without bedding": "equivalent for the person: bedding is withheld only with heat exertion, which also withholds the title action (heat on the skin), so the remedy goes whole either way; only the order of the left-out lines can change (loosen_bed_covers names bedding too)",
    "cell_caution_removed safety.yaml salty_drink: long_event_drinking caution -> ok": "equivalent: every step that asks for a salty drink (the cool-down's and the sports drink's) is a drink too (drink_more_water), which this column withholds, so no such step reaches a person in it and the caution has nothing to show on; the policy's cell is kept for a salty-snack step",
    "cell_withhold_ok safety.yaml tonic_water: possible_broken_bone withhold -> ok": "equivalent: everyone in the possible broken bone column is in the recent injury column too, the next withholding one, whose tonic-water reason has the same words",
    "cell_withhold_ok safety.yaml tonic_water: potassium_keeping withhold -> ok": "equivalent: everyone in the potassium-keeping column is in the kidney disease, dialysis or water tablet column too; the water tablet reason (the only one to its right) has the same words, and the other two are to its left",
    # rev 3 (interactions.yaml applied, act_within)
    "value_dropped logic/4_self_care.yaml exercise_cramps: has_any without during_work": "equivalent: a self-care rule that only adds a self-care reason; self-care is the floor",
    "warning_removed logic/2_urgent.yaml statin_muscle_symptoms: warn without statin_muscle": "equivalent: statin_warning gives statin_muscle to every statin user; its wording follows the symptoms, not the rule",
    "tier_lowered logic/2_urgent.yaml sick_day: tier urgent -> soon": "equivalent: vomiting or diarrhoea (and fluid_loss) is urgent on its own (fluid_loss); the rule's own conclusion is its warning, checked",
    "tier_lowered logic/3_soon.yaml quinine_blood_thinner: tier soon -> self-care": "equivalent: every quinine user is soon on its own (taking_quinine), within 2 weeks; the rule's warning and route are checked",
    "country_changed countries.yaml us: urgent_line \"your doctor's nurse line or an urgent care clinic\" -> 'a nurse line or urgent care'": "equivalent for the person: the US has no national urgent line; both send to a nurse line or urgent care",
}


class Mutant(NamedTuple):
    kind: str
    file: str  # relative to rules/
    name: str  # stable, readable: "<kind> <file> <item>: <change>"
    text: str  # the whole mutated file


# ---- generating -----------------------------------------------------------------------------


def _label(data: Any, path: tuple[Any, ...]) -> str:
    """The id of the innermost item on the path that has one (a rule, question, remedy, country)."""
    node, label = data, ""
    for step in path:
        node = node[step]
        if isinstance(node, dict):
            found = node.get("id", node.get("action"))  # a safety-table row is named by its action
            if isinstance(found, str):
                label = found
    return label or "/".join(map(str, path))


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def _walk(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any, Any]]:
    """(path of the mapping, key, value) for every key of every mapping, depth first."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, key, value
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _walk(item, (*path, i))


def _changed_text(value: str, others: list[str]) -> str | None:
    """A realistic wrong number: one digit changed, or (no digit) another country's text."""
    m = re.search(r"\d", value)
    if m:
        return value[: m.start()] + str((int(m.group()) + 1) % 10) + value[m.end() :]
    return next((o for o in others if o != value), None)


def _edits(rel: str, data: Any) -> Iterator[tuple[str, str, Any]]:
    """(kind, description, function applying the edit to a deep copy) for one file's data."""
    questions = rel == "questions.yaml"
    for path, key, value in _walk(data):
        where = _label(data, (*path, key))
        in_question_when = questions and "when" in path
        if key == "tier" and rel.startswith("logic/") and value in TIERS[1:]:
            lower = TIERS[TIERS.index(value) - 1]
            yield "tier_lowered", f"{where}: tier {value} -> {lower}", _set(path, key, lower)
        if (
            key in ("has_any", "in")
            and isinstance(value, list)
            and (rel.startswith("logic/") or in_question_when)
        ):
            kind = "question_narrowed" if questions else "value_dropped"
            for item in value:
                yield (
                    kind,
                    f"{where}: {key} without {item}",
                    _set(path, key, [v for v in value if v != item]),
                )
        if rel == "safety.yaml" and path and path[-1] == "cells" and isinstance(value, str):
            verdict = value.split(":")[0]
            if verdict in ("withhold", "caution"):
                kind = "cell_withhold_ok" if verdict == "withhold" else "cell_caution_removed"
                yield kind, f"{where}: {key} {verdict} -> ok", _set(path, key, "ok")
        if key == "warn" and isinstance(value, list):
            for item in value:
                yield (
                    "warning_removed",
                    f"{where}: warn without {item}",
                    _set(path, key, [v for v in value if v != item]),
                )
        if key == "does" and isinstance(value, list):
            step = f" step {path[path.index('steps') + 1] + 1}" if "steps" in path else ""
            for item in value:
                yield (
                    "action_dropped",
                    f"{where}{step}: does without {item}",
                    _set(path, key, [v for v in value if v != item]),
                )
        if in_question_when and key == "any" and isinstance(value, list) and len(value) > 1:
            for i in range(len(value)):
                yield (
                    "question_narrowed",
                    f"{where}: any without branch {i + 1} {value[i]}",
                    _set(path, key, value[:i] + value[i + 1 :]),
                )
        if (
            in_question_when
            and key in ("min", "max")
            and isinstance(value, (int, float))
            and not isinstance(value, bool)
        ):
            new = value + 1 if key == "min" else value - 1
            yield "question_narrowed", f"{where}: {key} {value} -> {new}", _set(path, key, new)
        if (
            rel == "countries.yaml"
            and key in ("emergency", "urgent_line")
            and isinstance(value, str)
        ):
            others = [
                c.get(key)
                for c in data.get("countries", [])
                if isinstance(c, dict) and isinstance(c.get(key), str)
            ]
            new = _changed_text(value, others)
            if new is not None:
                yield (
                    "country_changed",
                    f"{where}: {key} {value!r} -> {new!r}",
                    _set(path, key, new),
                )


def _set(path: tuple[Any, ...], key: Any, value: Any) -> Any:
    def apply(data: Any) -> Any:
        data = copy.deepcopy(data)
        _at(data, path)[key] = value
        return data

    return apply


# libyaml's dumper where PyYAML has it (its wheels do): the pure-Python one took most of the
# time of making the mutants (a whole rules file is written out for each). The baseline re-writes
# every file with this same dumper, so a difference in its layout is never a kill.
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=1000)


def generate(rules: Path = RULES) -> list[Mutant]:
    out: list[Mutant] = []
    for path in sorted(rules.rglob("*.yaml")):
        rel = path.relative_to(rules).as_posix()
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for kind, description, apply in _edits(rel, data):
            out.append(Mutant(kind, rel, f"{kind} {rel} {description}", dump(apply(data))))
    return out


# ---- judging --------------------------------------------------------------------------------


@functools.cache
def vignettes() -> list[dict[str, Any]]:
    """tests/vignettes.yaml, read once per process (it is never mutated)."""
    cases: list[dict[str, Any]] = yaml.safe_load(
        (ROOT / "tests" / "vignettes.yaml").read_text(encoding="utf-8")
    )
    return cases


def vignette_checks(triage: Any) -> dict[str, list[tuple[str, str]]]:
    """The clinical cases of the policy (tests/vignettes.yaml), each expectation a check."""
    out: dict[str, list[tuple[str, str]]] = {}
    for case in vignettes():
        out.update(vignette_check(triage, case))
    return out


def vignette_check(triage: Any, case: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """One clinical case's checks: {its id: failures}."""
    from triage.errors import TriageError

    vid, expect, fails = f"V-{case['id']}", case["expect"], []
    try:
        res = triage.decide(triage.contract.check(case["answers"]))
    except TriageError as exc:
        return {vid: [(f"{vid}:answers", str(exc))]}
    remedies = {m["id"]: m for m in res["remedies"]}
    withheld = {w["id"] for w in res["withheld"]}
    points = {p for m in res["remedies"] for p in m["points"]}
    if res["disposition"] not in expect.get("accept", [expect.get("disposition")]):
        fails.append((f"{vid}:tier", res["disposition"]))
    fails += [
        (f"{vid}:include:{x}", "missing")
        for x in expect.get("remedies_include", [])
        if x not in remedies
    ]
    fails += [
        (f"{vid}:exclude:{x}", "offered")
        for x in expect.get("remedies_exclude", [])
        if x in remedies
    ]
    fails += [
        (f"{vid}:warning:{x}", "missing")
        for x in expect.get("warnings_include", [])
        if x not in {w["id"] for w in res["warnings"]}
    ]
    fails += [
        (f"{vid}:consider:{x}", "missing")
        for x in expect.get("consider_include", [])
        if x not in {c["id"] for c in res["consider"]}
    ]
    fails += [
        (f"{vid}:not_plain:{x}", "plain")
        for x in expect.get("not_plain", [])
        if not (x in withheld or (x in remedies and remedies[x]["cautions"]))
    ]
    fails += [
        (f"{vid}:points:{x}", "pressed") for x in expect.get("points_exclude", []) if x in points
    ]
    if "remedies_max" in expect and len(remedies) > expect["remedies_max"]:
        fails.append((f"{vid}:remedies_max", str(len(remedies))))
    left_out = {w["id"]: w["column"] for w in res["withheld_actions"]}
    fails += [
        (f"{vid}:left_out:{a}", str(left_out.get(a)))
        for a, column in expect.get("actions_withheld", {}).items()
        if left_out.get(a) != column
    ]
    return {vid: fails}


# a check: its name, the words of what it is about, and how to run it
Check = tuple[str, frozenset[str], Callable[[], dict[str, list[tuple[str, str]]]]]
WORDS = re.compile(r"[a-z][a-z0-9_]{2,}")
_about: dict[str, frozenset[str]] = {}  # the words of each check, found once per process


def _words(name: str, thing: Any) -> frozenset[str]:
    if name not in _about:
        _about[name] = frozenset(WORDS.findall(json.dumps(thing, default=str)))
    return _about[name]


def checks(triage: Any) -> list[Check]:
    """Every behavioural check, as (name, what it is about, run): each oracle row and question
    row, the safety table's checks, each clinical case. Running them all gives
    oracle.all_checks and vignette_checks together."""
    from tests import oracle

    found: list[Check] = []
    for row in oracle.ROWS:
        about = _words(row.id, row._asdict())
        found.append((row.id, about, lambda row=row: {row.id: oracle.check_row(triage, row)}))
    for q in oracle.QUESTIONS:
        about = _words(q.id, q)
        found.append((q.id, about, lambda q=q: {q.id: oracle.check_question(triage, q)}))
    found.append(("safety table", frozenset(), lambda: oracle.check_table(triage)))
    for case in vignettes():
        about = _words(f"V-{case['id']}", case)
        found.append((f"V-{case['id']}", about, lambda c=case: vignette_check(triage, c)))
    return found


def words_of(mutant: Mutant) -> set[str]:
    """The words a mutant is about: its name's, and, for a rule of logic/, its condition's (the
    values it tests), read from the real rules."""
    words = set(WORDS.findall(mutant.name))
    if mutant.file.startswith("logic/"):
        parsed = yaml.safe_load((RULES / mutant.file).read_text(encoding="utf-8")) or {}
        for rule in parsed.get("rules", []):
            if isinstance(rule, dict) and rule.get("id") in words:
                words |= set(WORDS.findall(json.dumps(rule)))
    return words - {"yaml", "logic", "tier", "has", "has_any", "when", "all", "any", "without"}


_killers: list[str] = []  # the checks that last killed a mutant in this process, latest first


def failing_checks(
    rules: Path, baseline: set[str] | None = None, about: set[str] = frozenset()
) -> set[str] | str:
    """Ids of every failing behavioural check with these rules, or the loader's refusal.

    With a baseline (the checks that fail on the real rules), it stops at the first check that
    fails outside it: that is all a verdict needs (killed), and most mutants are killed. The
    checks most about the mutant's words come first (`about`: a row or case with the signs,
    medicines or actions the mutated rule tests), then those that killed the latest mutants in
    this process (a mutant's neighbours in rules/ are often caught by the same check). The order
    changes no verdict: a mutant that survives has run every check, so what it is said to
    survive is the whole set."""
    from triage.errors import DataFileError
    from triage.pipeline import Triage

    triage = _take_loaded(rules) or Triage(rules=rules)
    try:
        triage.knowledge, triage.questions, triage.engine, triage.countries  # noqa: B018 - load everything
    except DataFileError as exc:
        return f"refused by the loader: {exc}"
    remember_results(triage)
    every = checks(triage)
    if baseline is not None:
        first = {name: n for n, name in enumerate(_killers)}
        every.sort(key=lambda c: (-len(about & c[1]), first.get(c[0], len(first))))
    failing: set[str] = set()
    for name, _, run in every:
        failing |= {check for fails in run().values() for check, _ in fails}
        if baseline is not None and failing - baseline:
            if name in _killers:
                _killers.remove(name)
            _killers.insert(0, name)
            del _killers[20:]
            break
    return failing


def remember_results(triage: Any) -> None:
    """Evaluate each answer set once per mutant: the checks ask for the same ones again and again
    (each caution's baseline, a row's answers for its sheet), a third of all evaluations. The
    same answers give the same result (tests/test_safety.py); each caller gets its own copy
    (of every list: what the lists hold are tuples)."""
    from triage.result import RECORD_LISTS

    evaluate, seen = triage.evaluate, {}

    def remembered(answers: Any, country: str = "generic") -> Any:
        key = (json.dumps(answers, sort_keys=True), country)
        if key not in seen:
            seen[key] = evaluate(answers, country)
        kept = seen[key]
        lists = {name: list(getattr(kept, name)) for name in (*RECORD_LISTS, "safety_net")}
        return kept._replace(**lists)

    triage.evaluate = remembered


def summary(triage: Any, answers: dict[str, Any]) -> Any:
    res = triage.decide(triage.contract.check(answers))
    return (
        res["disposition"],
        tuple((m["id"], tuple(m["cautions"])) for m in res["remedies"]),
        tuple(w["id"] for w in res["withheld"]),
        tuple(w["id"] for w in res["warnings"]),
        tuple(c["id"] for c in res["consider"]),
        tuple(a["id"] for a in res.get("withheld_actions", [])),
    )


def random_answers(contract: Any, rng: random.Random) -> dict[str, Any]:
    """A valid answer set from anywhere in the contract (the mutant's difference finder)."""
    fields = contract.fields
    a: dict[str, Any] = {
        "version": 1,
        "age": rng.choice([12, 16, 17, 18, 30, 55, 64, 65, 80]),
        "sex": rng.choice(fields["sex"].values),
    }
    for name, field in fields.items():
        if name in a or name in (
            "version",
            "pregnant",
            "pregnancy_weeks",
            "postpartum",
            "breastfeeding",
            "weeks_since_birth",
        ):
            continue
        if field.kind == "list":
            size = (
                rng.choice([0, 1, 1, 2, 3])
                if name not in ("locations", "timing")
                else rng.choice([1, 2])
            )
            a[name] = rng.sample(list(field.values), min(size, len(field.values)))
        elif field.kind == "choice":
            a[name] = rng.choice(field.values)
        elif field.kind == "boolean":
            a[name] = rng.random() < 0.3
    if a["sex"] != "male" and a["age"] <= 55:
        a["breastfeeding"] = rng.random() < 0.2
        a["pregnant"] = rng.random() < 0.4
        if a["pregnant"]:
            a["pregnancy_weeks"] = rng.choice([8, 19, 20, 30, 40])
        else:
            a["postpartum"] = rng.random() < 0.3
    # rev 3: the two stretching keys agree, and a re-check's day count comes with its date
    if "stretching_tried" in a and "stretching_not_helping" in a:
        a["stretching_not_helping"] = a["stretching_tried"] == "not_helped"
    if rng.random() < 0.5:
        a["answered_on"] = "2026-11-10"
        if rng.random() < 0.5:
            a["days_since_previous"] = rng.choice([3, 14, 21])
    # rev 3: the pregnancy emergency item only with a pregnancy or a birth (the contract refuses
    # it otherwise), tummy pain in pregnancy only with a pregnancy, in either list; "feels like an
    # emergency" is never not sure
    for key in ("symptoms", "symptoms_not_sure"):
        birth = a.get("postpartum") or "weeks_since_birth" in a
        for sign in ("pregnancy_emergency", "pregnancy_bleeding"):  # (issue 20: bleeding too)
            if not (a.get("pregnant") or birth) and sign in a[key]:
                a[key].remove(sign)
        for sign in ("pregnancy_belly_pain", "pregnancy_tightenings", "reduced_movements"):
            if not a.get("pregnant") and sign in a[key]:
                a[key].remove(sign)
    if "feels_like_emergency" in a["symptoms_not_sure"]:
        a["symptoms_not_sure"].remove("feels_like_emergency")
    return a


def difference(rules: Path, samples: int = 3000, seed: int = 11) -> str:
    """Whether the mutant in `rules` behaves differently from the real rules anywhere we look."""
    from tests import oracle
    from triage.pipeline import Triage

    real, mutant = Triage(), Triage(rules=rules)
    rng = random.Random(seed)
    for _ in range(samples):
        answers = real.contract.check(random_answers(real.contract, rng))
        if summary(real, answers) != summary(mutant, answers):
            return f"DIFFERS, e.g. for {answers}"
    people = [
        {
            "sex": s,
            "age": age,
            "pregnant": p,
            "pregnancy_weeks": w,
            "postpartum": pp,
            "medications": meds,
        }
        for s in ("female", "male", "other")
        for age in (12, 13, 30, 54, 55, 56)
        for p in (True, False)
        for w in (1, 19, 20, 21, 42)
        for pp in (True, False)
        for meds in ([], ["statin"], ["laba_inhaler"])
    ]
    for person in people:
        if oracle.asked(real, person) != oracle.asked(mutant, person):
            return f"DIFFERS in the questions asked of {person}"
    for country in real.countries:
        answers = real.contract.check(oracle.base(symptoms=["one_leg_swollen"]))
        if real.sheet(real.evaluate(answers), answers, "text", country) != mutant.sheet(
            mutant.evaluate(answers), answers, "text", country
        ):
            return f"DIFFERS in the {country} sheet"
    return f"no difference in {samples} random answer sets, {len(people)} questionnaire runs or any country's sheet"


_workdir: Path | None = None
_known_failing: set[str] | None = None  # the baseline, given to each worker as it starts


def _start(known_failing: set[str] | None = None) -> None:
    global _workdir, _known_failing
    _known_failing = known_failing
    os.environ["TRIAGE_CACHE_DIR"] = "off"
    # templates/ is never mutated: triage.sheet compiles each template once per process
    remember_parsed_files()
    root = tempfile.mkdtemp(prefix="triage-mutant-")
    # removed when this process ends (atexit in the main process, Finalize in pool workers)
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    Finalize(None, shutil.rmtree, args=(root,), kwargs={"ignore_errors": True}, exitpriority=1)
    _workdir = Path(root) / "rules"
    shutil.copytree(RULES, _workdir)


def remember_parsed_files() -> None:
    """Parse each rules file once per process, not once per mutant: a mutant changes one file,
    and parsing the others again was a quarter of its time. Kept as JSON, as triage's own cache
    keeps them (so the loader gets the same data either way), and only when the JSON gives back
    exactly what was parsed; a file that fails to parse fails every time."""
    from triage.documents import Documents

    parse, parsed = Documents._parse, {}

    def remembered(self: Any, name: str, raw: bytes) -> Any:
        if (name, raw) in parsed:
            return json.loads(parsed[name, raw])
        data = parse(self, name, raw)
        try:
            kept = json.dumps(data)
        except (TypeError, ValueError):
            return data
        if json.loads(kept) == data:
            parsed[name, raw] = kept
        return data

    Documents._parse = remembered  # type: ignore[method-assign]


# Refusals that only say the edit is unfinished (a message, source or rule left with nothing to
# do), and how an editor would finish it. The completed edit is judged like any other mutant.
UNFINISHED = [
    (
        re.compile(r"messages\.yaml: (\w+) (\w+): is defined but no rule uses it"),
        "messages.yaml",
        "table",
    ),
    (
        re.compile(r"sources\.yaml: source (\w+): no rule or remedy cites it"),
        "sources.yaml",
        "list:sources",
    ),
    (re.compile(r"(logic/[\w.]+): rule (\w+): concludes nothing"), None, "list:rules"),
    # a rule removed (above) that an interaction row names as the rule applying it: the row goes
    (
        re.compile(r"interactions\.yaml: interaction (\w+): 'rule' '\w+' is not a rule"),
        "interactions.yaml",
        "list:interactions",
    ),
]


def _finish(rules: Path, refusal: str) -> str | None:
    """Finish an unfinished edit in `rules` as an editor would; what was done, or None."""
    for pattern, file, how in UNFINISHED:
        m = pattern.search(refusal)
        if not m:
            continue
        if file is None:
            file, item = m.group(1), m.group(2)
        else:
            item = m.group(m.lastindex or 1)
        path = rules / file
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if how == "table":
            del data[m.group(1)][item]
        else:
            key = how.split(":")[1]
            data[key] = [x for x in data[key] if x.get("id") != item]
        path.write_text(dump(data), encoding="utf-8")
        return f"{file} {item} deleted"
    return None


def _with_mutant(mutant: Mutant, judge: Any) -> Any:
    """Apply the mutant (finished if the loader says it is unfinished) in the work copy, judge, restore."""
    assert _workdir is not None
    saved = {p: p.read_bytes() for p in _workdir.rglob("*.yaml")}
    notes: list[str] = []
    try:
        (_workdir / mutant.file).write_text(mutant.text, encoding="utf-8")
        for _ in range(6):
            done = _finish(_workdir, _refusal(_workdir))
            if done is None:
                break
            notes.append(done)
        return judge(_workdir), "".join(f" (+ {n})" for n in notes)
    finally:
        _loaded.clear()
        for path, raw in saved.items():
            path.write_bytes(raw)


def _judge(mutant: Mutant) -> tuple[set[str] | str, str]:
    return _with_mutant(
        mutant, lambda rules: failing_checks(rules, _known_failing, words_of(mutant))
    )


def _explain(mutant: Mutant) -> str:
    return _with_mutant(mutant, difference)[0]


# The rules _refusal last loaded and accepted, kept for the judge that _with_mutant calls next on
# the same, unchanged files: loading and checking rules/ was done twice for every mutant.
_loaded: dict[Path, Any] = {}


def _refusal(rules: Path) -> str:
    from triage.errors import DataFileError
    from triage.pipeline import Triage

    _loaded.clear()
    triage = Triage(rules=rules)
    try:
        triage.knowledge, triage.questions, triage.engine, triage.countries  # noqa: B018
    except DataFileError as exc:
        return str(exc)
    _loaded[rules] = triage
    return ""


def _take_loaded(rules: Path) -> Any:
    """The Triage _refusal just loaded from `rules` (once; None if there is none)."""
    return _loaded.pop(rules, None)


def _baseline() -> set[str]:
    """Failing checks with the real rules, and with every file re-written as the mutants are."""
    assert _workdir is not None
    plain = failing_checks(_workdir)
    for path in sorted(_workdir.rglob("*.yaml")):
        path.write_text(dump(yaml.safe_load(path.read_text(encoding="utf-8"))), encoding="utf-8")
    redumped = failing_checks(_workdir)
    shutil.rmtree(_workdir)
    shutil.copytree(RULES, _workdir)
    if not isinstance(plain, set) or plain != redumped:
        raise SystemExit(
            f"mutate: re-writing the YAML alone changes the checks: {plain} vs {redumped}"
        )
    return plain


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="./dev mutate", description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sample",
        type=int,
        default=0,
        help="judge a seeded random sample of this many mutants (0: all)",
    )
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--jobs", type=int, default=2, help="processes (default 2)")
    ap.add_argument("--list", action="store_true", help="list the mutants and stop")
    args = ap.parse_args(argv)

    started = time.monotonic()
    mutants = generate()
    if args.list:
        for m in mutants:
            print(m.name)
        print(f"{len(mutants)} mutants")
        return 0
    chosen = (
        mutants
        if not args.sample
        else sorted(random.Random(args.seed).sample(mutants, min(args.sample, len(mutants))))
    )
    _start()
    baseline = _baseline()
    print(
        f"mutate: {len(mutants)} mutants of rules/, judging {'all' if not args.sample else f'a sample of {len(chosen)} (seed {args.seed})'}"
        f" on {args.jobs} process(es); {len(baseline)} checks already fail on the real rules and kill nothing",
        flush=True,
    )
    with ProcessPoolExecutor(
        args.jobs, mp_context=get_context("spawn"), initializer=_start, initargs=(baseline,)
    ) as pool:
        judged = list(pool.map(_judge, chosen, chunksize=4))
        verdicts = [v for v, _ in judged]
        notes = {m.name: n for m, (_, n) in zip(chosen, judged, strict=True) if n}
        survivors = [
            m
            for m, v in zip(chosen, verdicts, strict=True)
            if isinstance(v, set) and not v - baseline
        ]
        unexplained = [m for m in survivors if m.name not in EXPLAINED]
        reasons = dict(
            zip([m.name for m in unexplained], pool.map(_explain, unexplained), strict=True)
        )

    table: dict[str, Counter[str]] = defaultdict(Counter)
    for m, v in zip(chosen, verdicts, strict=True):
        row = table[m.kind]
        row["mutants"] += 1
        row["finished"] += m.name in notes
        if isinstance(v, str):
            row["refused"] += 1
        elif v - baseline:
            row["killed"] += 1
        else:
            row["survived"] += 1
    print(
        f"\n{'kind':<20}{'mutants':>8}{'refused':>9}{'finished':>9}{'accepted':>9}{'killed':>8}{'survived':>9}"
        "  killed/accepted"
    )
    total: Counter[str] = Counter()
    for kind in KINDS:
        row = table.get(kind, Counter())
        total.update(row)
        accepted = row["mutants"] - row["refused"]
        share = f"{row['killed'] / accepted:.0%}" if accepted else "-"
        print(
            f"{kind:<20}{row['mutants']:>8}{row['refused']:>9}{row['finished']:>9}{accepted:>9}{row['killed']:>8}"
            f"{row['survived']:>9}  {share}"
        )
    accepted = total["mutants"] - total["refused"]
    print(
        f"{'all':<20}{total['mutants']:>8}{total['refused']:>9}{total['finished']:>9}{accepted:>9}{total['killed']:>8}"
        f"{total['survived']:>9}  " + (f"{total['killed'] / accepted:.0%}" if accepted else "-")
    )
    print(
        "(refused: the loader refused the edit, never a kill; finished: refused as made, accepted once the message,"
        " source or rule it left with nothing to do was deleted too)"
    )
    if notes:
        print(
            f"\n{len(notes)} mutant(s) left a message, source or rule with nothing to do; the loader refused them until"
            " that was deleted too, as an editor would finish the edit; they are counted as accepted:"
        )
        for name, note in notes.items():
            print(f"  {name}{note}")
    refused = [(m, v) for m, v in zip(chosen, verdicts, strict=True) if isinstance(v, str)]
    if refused:
        print("\nrefused by the loader (not counted as killed):")
        for m, v in refused:
            print(f"  {m.name}\n      {v[:160]}")
    if survivors:
        print("\nsurvivors:")
        for m in survivors:
            why = EXPLAINED.get(m.name) or f"UNEXPLAINED: {reasons[m.name]}"
            print(f"  {m.name}{notes.get(m.name, '')}\n      {why}")
    print(f"\nmutate: {time.monotonic() - started:.0f} s wall time")
    if unexplained:
        print(
            f"mutate: FAILED: {len(unexplained)} mutant(s) survived without a reason in tests/mutate.py EXPLAINED",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
