"""The composed sheet: what this person reads, and in what order. No Jinja here.

The data flow's second-to-last stage: questions -> answers -> engine -> result -> **composed
sheet** -> render. `compose` turns a Result (texts already chosen for this person, numbers
filled, remedies ranked and featured) into one plain record: page one in the policy's order
(docs/policy.md, "Page one"), then everything after it. The templates only lay that
record out, in every format, and the sheet invariants are tested on this record directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from triage.conditions import holds
from triage.model import VIEWS, Knowledge, Question
from triage.result import KEEP_REASONS, WHY_LINES, RemedyPick, Result, keep_warnings

GROUPS = (("during", "During a cramp"), ("bedtime", "Before bed"), ("daily", "Every day"))
SHOWN = (
    "age",
    "sex",
    "pregnant",
    "pregnancy_weeks",
    "postpartum",
    "locations",
    "sides",
    "timing",
    "frequency",
    "duration",
    "sleep_disrupted",
    "daily_life_affected",
    "stretching_not_helping",
    "symptoms",
    "can_bear_weight",
    "medications",
    "cramps_began_with_medicine",
    "conditions",
    "weeks_since_birth",
    "breastfeeding",
    "mobility",
)


def compose(
    k: Knowledge,
    result: Result,
    answers: Mapping[str, Any],
    questions: tuple[Question, ...],
    made_on: str = "",
) -> dict[str, Any]:
    tier = k.tiers[result.disposition]
    views = [_remedy(k, pick) for pick in result.remedies]
    featured = [v for v in views if v["featured"]]
    during = [v for v in featured if v["when"] == "during"]
    first = (
        during[0] if during and tier.page_one["first"] else None
    )  # the one first thing to do (home care)
    after = [v for v in views if not v["featured"] and v["evidence"] != "not-recommended"]
    more, named = _cap_traditional(k, result, answers, after)
    points = _numbered_points(k, (code for v in more for code in v["codes"]))
    why = [
        r.text for r in result.reasons if r.tier == result.disposition
    ]  # page one: what set the tier
    left_out, more_left_out = _left_out(k, result, answers)
    # rev 3 (policy "Early stop"): an early-stop sheet gives why in one line
    shown = 1 if result.act_within in tier.early_stop else WHY_LINES
    sheet = {
        "disposition": result.disposition,
        "emergency": result.disposition == "emergency",
        "tier": {
            "label": result.advice.label,
            "headline": result.advice.headline,
            "action": result.advice.action,
            "timeframe": result.advice.timeframe,
            "first_line": result.advice.first_line,
            "colour": tier.colour,
        },
        "first": first,
        "checks": list(result.checks),  # rev 3: the warning-sign check, before any remedy
        "read_as": list(result.read_as),  # rev 3: in "why": not sure, inferred
        "why": why[:shown],
        "blood_tests": result.blood_test_line,  # rev 3: "Ask for a blood test for ..."
        "more_why": why[shown:] + [r.text for r in result.reasons if r.tier != result.disposition],
        "consider": [] if result.disposition == "emergency" else [c.text for c in result.consider],
        "during": [v for v in during if v is not first],
        "prevent": [v for v in featured if v["when"] != "during"],
        "left_out": left_out,
        "warnings": [w.text for w in result.warnings],
        "keep_warnings": keep_warnings(result.warnings),  # never moved after page one
        "safety_net": list(result.safety_net),
        "more": [
            {"id": gid, "title": title, "remedies": [v for v in more if v["when"] == gid]}
            for gid, title in GROUPS
            if any(v["when"] == gid for v in more)
        ],
        "more_named": named,  # rev 3: the traditional remedies beyond the cap, in one line
        "not_advised": [v for v in views if v["evidence"] == "not-recommended"],
        "points": points,
        "point_numbers": {p["code"]: p["n"] for p in points},
        "locations": list(answers.get("locations", [])),
        "told": _told(answers, questions),
        "summary": _summary(result, answers, questions, made_on),
        "sources": _sources(k, result),
        "more_consider": [],
        "more_left_out": more_left_out,
        "more_warnings": [],
        "recheck": None,  # a re-check: what changed since the saved answers (triage.recheck)
        "diary": None,  # the cramp diary's last weeks, for the clinician (triage.chart)
    }
    return sheet


# When many answers each add a line, page one may pass its word limit. Then its last lines move
# after page one, one at a time, in this order (the tier's words, the first reason, the first
# warnings and the safety-netting never move): "left out" lines, "may not be a cramp" lines,
# reasons after the first, and warnings after those page one keeps (result.keep_warnings: the
# quinine line, the medicine line that says what to stop or pause now where there is one, and
# what could not be checked where something could not; messages.yaml order; policy: the medicine
# lines and the "could not check" lines are on page one).
MOVABLE = (
    ("left_out", "more_left_out", 0),
    ("consider", "more_consider", 0),
    ("why", "more_why", KEEP_REASONS),
    ("warnings", "more_warnings", None),  # None: the sheet's own keep_warnings
)


def move_one_line(sheet: dict[str, Any]) -> bool:
    """Move the next movable line after page one; False when none is left to move."""
    for movable, overflow, keep in MOVABLE:
        if len(sheet[movable]) > (sheet["keep_warnings"] if keep is None else keep):
            sheet[overflow].insert(0, sheet[movable].pop())
            return True
    return False


def _remedy(k: Knowledge, pick: RemedyPick) -> dict[str, Any]:
    m = k.remedies[pick.id]
    return {
        "id": pick.id,
        "title": pick.title,
        "when": pick.when,
        "featured": pick.featured,
        "evidence": pick.evidence,
        "evidence_words": k.evidence[pick.evidence],
        # page one names the main source (the first shown step's own, if it names one); the
        # source list has all
        "from": k.sources[
            next((s.source for s in m.steps if s.source and s.text in pick.steps), m.sources[0])
        ].short,
        "steps": list(pick.steps),
        "cautions": list(pick.cautions),
        "picture": m.picture,
        "codes": list(pick.points),
        "points": [k.points[p]._asdict() for p in pick.points],
    }


def _cap_traditional(
    k: Knowledge, result: Result, answers: Mapping[str, Any], more: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], str]:
    """The remedies after page one, with at most the cap's number of traditional ones described
    in full (all acupressure counts as one, in the place of its first remedy), and the line that
    names the rest (docs/policy.md, "The sheet", rev 3: F28, C12). Fewer for the frail column, or
    with many long-term conditions or listed medicines."""
    cap = k.traditional_cap
    if cap is None:
        return more, ""
    conditions = set(answers.get("conditions", ())) - {"not_sure"}
    medicines = set(answers.get("medications", ())) - {"another_medicine", "not_sure_which"}
    fewer = (
        cap.frail_column in result.columns
        or len(conditions) >= cap.conditions
        or len(medicines) >= cap.medicines
    )
    room = cap.fewer if fewer else cap.full
    kept: list[dict[str, Any]] = []
    left: list[str] = []
    units: set[str] = set()  # the traditional remedies kept, acupressure as one
    for view in more:
        if view["evidence"] != "traditional":
            kept.append(view)
            continue
        unit = "acupressure" if view["codes"] else view["id"]
        if unit in units or len(units) < room:
            units.add(unit)
            kept.append(view)
        else:
            left.append(view["title"])
    return kept, cap.rest.format(names=", ".join(left)) if left else ""


def _left_out(
    k: Knowledge, result: Result, answers: Mapping[str, Any]
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """One line per action left out (docs/policy.md, "The safety table"), with the reason of the
    left-most withholding column; a remedy left out whole is covered by its actions' lines.

    Page one keeps the lines about advice page one could carry; a line about something no
    remedy on page one could offer (an action done only by a remedy not advised, or a never-advised
    medicine the person does not take) comes after page one, under "Also left out"."""
    if result.disposition == "emergency":
        return [], []
    taken = set(answers.get("medications", ()))
    featurable = {
        a
        for m in k.remedies.values()
        if m.evidence != "not-recommended"
        for step in m.steps
        for a in step.does
    }
    first: list[dict[str, str]] = []
    later: list[dict[str, str]] = []
    for w in result.withheld_actions:
        action = k.actions[w.id]
        line = {"what": action.label, "because": w.because}
        page_one = bool(taken & set(action.takers)) if action.never_advised else w.id in featurable
        (first if page_one else later).append(line)
    said = {w.because for w in result.withheld_actions}
    for w in result.withheld:
        if w.because not in said:
            said.add(w.because)
            first.append({"what": k.remedies[w.id].title, "because": w.because})
    return first, later


def _numbered_points(k: Knowledge, codes: Iterable[str]) -> list[dict[str, Any]]:
    unique = [k.points[c]._asdict() for c in dict.fromkeys(codes)]
    drawn = sorted(unique, key=lambda p: VIEWS.index(p["view"]))
    return [dict(point, n=n) for n, point in enumerate(drawn, 1)]  # numbered in the order drawn


def _told(answers: Mapping[str, Any], questions: tuple[Question, ...]) -> list[dict[str, str]]:
    """The answers in the questions' own words, for the person and their clinician."""
    return [row for _, row in _told_rows(answers, questions)]


def _told_rows(
    answers: Mapping[str, Any], questions: tuple[Question, ...]
) -> list[tuple[Question, dict[str, str]]]:
    from triage.answer import answer_words

    rows = []
    for q in questions:
        if q.key not in answers or q.key not in SHOWN:
            continue
        if q.when is not None and not holds(q.when, answers):
            continue  # not asked of this person (another question fills the same key)
        value = answers[q.key]
        if q.type == "checkbox":
            own = {c.value for c in q.choices}
            value = [v for v in value if v in own]  # several questions fill one list key
            if not value:  # show it only where something of its own was ticked
                continue
        rows.append((q, {"question": q.short or q.prompt, "answer": answer_words(q, value)}))
    return rows


def asked(questions: tuple[Question, ...], answers: Mapping[str, Any]) -> set[str]:
    """The questions these answers show were asked: the question applies (its `when` holds),
    its key is there, and either one of its own choices was picked or the answers go on past it
    (a key that only later questions fill is there). A questionnaire that stopped early leaves
    the later tick lists of a shared key (symptoms) unasked, not answered "no"."""
    from triage.conditions import holds

    ids: set[str] = set()
    for n, q in enumerate(questions):
        if q.key not in answers or (q.when is not None and not holds(q.when, answers)):
            continue
        earlier = {p.key for p in questions[: n + 1]}
        later = {p.key for p in questions[n + 1 :]} - earlier
        value = answers[q.key]
        own = {c.value for c in q.choices}
        picked = isinstance(value, list) and any(v in own for v in value)
        if q.not_sure_of and not picked:
            continue  # rev 3: "which ones, not sure?" is asked only after a list's "not sure"
        if q.type != "checkbox" or picked or not later or any(k in answers for k in later):
            ids.add(q.id)
    return ids


def _summary(
    result: Result,
    answers: Mapping[str, Any],
    questions: tuple[Question, ...],
    made_on: str,
) -> dict[str, Any]:
    """The print-out's page for a clinician: the date, the tier and every reason, each warning
    sign that applied with its answer (yes, no, or not answered: never a "no" that was not
    given), the medicines and conditions, and who the person is."""
    from triage.conditions import holds

    was_asked = asked(questions, answers)
    signs = []
    for q in questions:
        if q.key != "symptoms" or (q.when is not None and not holds(q.when, answers)):
            continue
        given = set(answers.get("symptoms", ())) if q.id in was_asked else None
        signs.append(
            {
                "question": q.short or q.prompt,
                "answered": given is not None,
                "yes": [c.label for c in q.choices if given is not None and c.value in given],
                "no": [c.label for c in q.choices if given is not None and c.value not in given],
                "all": [c.label for c in q.choices],
            }
        )

    def ticked(key: str) -> list[str] | None:
        if key not in answers:
            return None
        labels = {c.value: c.label for q in questions if q.key == key for c in q.choices}
        return [labels.get(v, str(v)) for v in answers[key]]

    lists = ("symptoms", "medications", "conditions")
    return {
        "made_on": made_on,
        "why": [r.text for r in result.reasons],
        "signs": signs,
        "medicines": ticked("medications"),
        "conditions": ticked("conditions"),
        "about": [row for q, row in _told_rows(answers, questions) if q.key not in lists],
    }


def _sources(k: Knowledge, result: Result) -> list[dict[str, str]]:
    """Every source behind this sheet, once: the rules that decided it, then the remedies."""
    fired = {r.rule for r in result.reasons}
    ids = [r.source for r in k.rules if r.id in fired]
    ids += [s for pick in result.remedies for s in k.remedies[pick.id].sources]
    return [{"cite": k.sources[s].cite, "url": k.sources[s].url} for s in dict.fromkeys(ids)]
