"""The composed sheet: what this person reads, and in what order. No Jinja here.

The data flow's second-to-last stage: questions -> answers -> engine -> result -> **composed
sheet** -> render. `compose` turns a Result (texts already chosen for this person, numbers
filled, remedies ranked and featured) into one plain record: page one in the policy's order
(docs/policy.md, "Page one"), then everything after it. The templates only lay that
record out, in every format, and the sheet invariants are tested on this record directly.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from triage.conditions import holds
from triage.model import VIEWS, Knowledge, Question
from triage.result import Note, RemedyPick, Result

# after page one, in this order, each with the heading it shows
GROUPS = (("during", "during_group"), ("bedtime", "bedtime_group"), ("daily", "daily_group"))
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
    words: Mapping[str, str],
    made_on: str = "",
    extras: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The whole sheet's record: page one, decided once (`_page_one`), then the rest.
    `words`: the sheet's own words (rules/ui.yaml, `sheet`); `extras`: a re-check's line, the
    diary's chart."""
    sheet = _page_one(k, result, answers, words, extras)
    shown = {v["id"] for v in sheet["featured_views"]}
    after = [v for v in sheet.pop("views") if v["id"] not in shown]
    del sheet["featured_views"]
    more, named = _cap_traditional(
        k, result, answers, [v for v in after if v["evidence"] != "not-recommended"]
    )
    points = _numbered_points(k, (code for v in more for code in v["codes"]))
    sheet.update(
        {
            "more": [
                {"id": gid, "title": words[heading], "remedies": group}
                for gid, heading in GROUPS
                for group in [[v for v in more if v["when"] == gid]]
                if group
            ],
            "more_named": named,  # rev 3: the traditional remedies beyond the cap, in one line
            "not_advised": [v for v in after if v["evidence"] == "not-recommended"],
            "points": points,
            "point_numbers": {p["code"]: p["n"] for p in points},
            "locations": list(answers.get("locations", [])),
            "told": _told(answers, questions),
            "summary": _summary(result, answers, questions, made_on),
            "sources": _sources(k, result),
        }
    )
    return sheet


def featured(
    k: Knowledge,
    result: Result,
    answers: Mapping[str, Any],
    words: Mapping[str, str],
    extras: Mapping[str, Any] | None = None,
) -> list[str]:
    """The remedies page one shows, best first: the same decision as the sheet's (for --json)."""
    page = _page_one(k, result, answers, words, extras)
    return [v["id"] for v in [page["first"], *page["during"], *page["prevent"]] if v]


# Page one (docs/policy.md, "Page one"): at most this many reasons, all of the sheet's own tier
# (an early-stop sheet: one); it keeps at least its first reason and its first warnings
# (keep_warnings) whatever its word limit. A remedy with more than MOST_CAUTIONS cautions, or with
# points to press, or not advised, is never on page one (docs/policy.md, "The safety table").
WHY_LINES, KEEP_REASONS, KEEP_WARNINGS, MOST_CAUTIONS = 3, 1, 2, 2


def keep_warnings(warnings: Sequence[Note]) -> int:
    """How many of the first warnings page one keeps, whatever its word limit: the quinine line
    (or the interaction line standing in for it), the medicine line that says what to stop or
    pause now (messages.yaml order), and what could not be checked, where there is such a line
    (policy rev 3, "Lines page one always shows")."""
    return KEEP_WARNINGS + any(w.id == "not_checked" for w in warnings)


def _page_one(
    k: Knowledge,
    result: Result,
    answers: Mapping[str, Any],
    words: Mapping[str, str],
    extras: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """Page one, decided once, counted as the default text sheet shows it (`page_one_words`):

    every line the policy puts there, then the first thing to try during a cramp where the tier
    keeps its place (if it fits beside what never moves, or it must lead), then the best-ranked
    remedies that fit the words left (in rank order; one that does not fit closes its group),
    then, while page one is still too long, its movable lines after it (MOVABLE)."""
    tier = k.tiers[result.disposition]
    views = [_remedy(k, pick) for pick in result.remedies]
    why = [r.text for r in result.reasons if r.tier == result.disposition]
    left_out, more_left_out = _left_out(k, result, answers)
    # rev 3 (policy "Early stop"): an early-stop sheet gives why in one line
    stopped = result.act_within in tier.early_stop
    shown = 1 if stopped else WHY_LINES
    sheet: dict[str, Any] = {
        "disposition": result.disposition,
        "emergency": result.disposition == "emergency",
        "words": dict(words),
        "tier": {
            "label": result.advice.label,
            "headline": result.advice.headline,
            "action": result.advice.action,
            "timeframe": result.advice.timeframe,
            "first_line": result.advice.first_line,
            "colour": tier.colour,
        },
        "first": None,
        "checks": list(result.checks),  # rev 3: the warning-sign check, before any remedy
        "read_as": list(result.read_as),  # rev 3: in "why": not sure, inferred
        "why": why[:shown],
        "blood_tests": result.blood_test_line,  # rev 3: "Ask for a blood test for ..."
        "more_why": why[shown:] + [r.text for r in result.reasons if r.tier != result.disposition],
        "consider": [] if result.disposition == "emergency" else [c.text for c in result.consider],
        "during": [],
        "prevent": [],
        "left_out": left_out,
        "warnings": [w.text for w in result.warnings],
        "keep_warnings": keep_warnings(result.warnings),  # never moved after page one
        "safety_net": list(result.safety_net),
        "more_consider": [],
        "more_left_out": more_left_out,
        "more_warnings": [],
        "recheck": None,  # a re-check: what changed since the saved answers (triage.recheck)
        "diary": None,  # the cramp diary's last weeks, for the clinician (triage.chart)
        "views": views,
    }
    sheet.update(extras or {})
    # rev 3 (policy "Early stop"): an early-stop sheet has its own, shorter limit
    limit = tier.early_stop_words if stopped else tier.page_one["words"]
    room = {"during": tier.page_one["during"], "prevent": tier.page_one["prevent"]}
    chosen: list[dict[str, Any]] = []

    def place(view: dict[str, Any]) -> None:
        chosen.append(view)
        during = [v for v in chosen if v["when"] == "during"]
        sheet["first"] = during[0] if during and tier.page_one["first"] else None
        sheet["during"] = [v for v in during if v is not sheet["first"]]
        sheet["prevent"] = [v for v in chosen if v["when"] != "during"]

    eligible = [
        v
        for v in views
        if v["evidence"] != "not-recommended"
        and not v["points"]
        and len(v["cautions"]) <= MOST_CAUTIONS
    ]
    first = next((v for v in eligible if v["when"] == "during"), None)
    if tier.page_one["first"] and first is not None and room["during"]:
        # its place is kept whatever else page one says, if it fits beside what never moves (the
        # lines move after it), or always when it must lead (rev 3, "Lines page one always
        # shows": the heat cool-down)
        lists = {key: list(sheet[key]) for move in MOVABLE for key in move[:2]}
        fixed = dict(sheet, first=first, **lists)  # its own lists: moving leaves sheet's alone
        while move_one_line(fixed):
            pass
        lead = k.remedies[first["id"]].lead
        if page_one_words(fixed) <= limit or (lead is not None and holds(lead, answers)):
            room["during"] -= 1
            place(first)
    lines = _line_words(sheet)  # the lines do not change while remedies are chosen
    for view in eligible:
        group = "during" if view["when"] == "during" else "prevent"
        if view in chosen or not room[group]:
            continue
        trial = dict(sheet)
        place(view)
        if lines + _remedies_words(sheet) <= limit:
            room[group] -= 1
        else:  # in rank order: a lower-ranked remedy never jumps a longer, better one
            chosen.pop()
            sheet.update({key: trial[key] for key in ("first", "during", "prevent")})
            room[group] = 0
    while page_one_words(sheet) > limit and move_one_line(sheet):
        pass
    sheet["featured_views"] = chosen
    return sheet


# When many answers each add a line, page one may pass its word limit. Then its last lines move
# after page one, one at a time, in this order (the tier's words, the first reason, the first
# warnings and the safety-netting never move): "left out" lines, "may not be a cramp" lines,
# reasons after the first, and warnings after those page one keeps (keep_warnings: the
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


_WORD = re.compile(r"\w")


def count_words(*texts: str) -> int:
    """Words as a reader counts them: bullets, rules and lone punctuation are not words."""
    return sum(map(_count, texts))


@functools.lru_cache(maxsize=8192)
def _count(text: str) -> int:
    return sum(1 for token in text.split() if _WORD.search(token))


def page_one_words(sheet: Mapping[str, Any]) -> int:
    """The words of page one as the default text sheet shows it (templates/sheet.txt.j2), its
    headings and footer included (docs/policy.md, "Page one"); the text sheet's tests check that
    this count is the rendered one, for every answer set they make."""
    return _line_words(sheet) + _remedies_words(sheet)


def _line_words(sheet: Mapping[str, Any]) -> int:
    """Page one's words but its remedies'."""
    w, tier = sheet["words"], sheet["tier"]
    n = count_words(tier["first_line"], tier["label"], tier["headline"], tier["action"])
    n += count_words(w["when"], tier["timeframe"], w["why"], *sheet["why"], *sheet["read_as"])
    n += count_words(sheet["blood_tests"], w["footer"])
    if sheet["recheck"]:
        n += count_words(sheet["recheck"]["summary"])
    if sheet["checks"]:
        n += count_words(w["checks"], *sheet["checks"])
    if sheet["consider"]:
        n += count_words(w["consider"], *sheet["consider"])
    if sheet["emergency"]:
        return n + count_words(w["wait"], *sheet["safety_net"])
    if sheet["left_out"]:
        n += count_words(w["left_out"], *(f"{x['what']} {x['because']}" for x in sheet["left_out"]))
    n += count_words(w["warnings"], *sheet["warnings"], w["get_help"], *sheet["safety_net"])
    return n + count_words(w["see_more"])


def _remedies_words(sheet: Mapping[str, Any]) -> int:
    """The words of page one's remedies, with their headings (none on an emergency sheet)."""
    w, n = sheet["words"], 0
    if sheet["first"]:
        n += count_words(w["first"]) + _remedy_words(w, sheet["first"])
    if sheet["during"]:
        n += count_words(w["before_then"] if sheet["disposition"] == "urgent" else w["also_during"])
        n += sum(_remedy_words(w, v) for v in sheet["during"])
    if sheet["prevent"]:
        n += count_words(w["prevent"]) + sum(_remedy_words(w, v) for v in sheet["prevent"])
    return n


def _remedy_words(w: Mapping[str, str], view: Mapping[str, Any]) -> int:
    """A remedy as page one shows it: title, steps, each caution after "Careful:", how good its
    evidence is and where it comes from."""
    texts = (view["title"], *view["steps"], *view["cautions"], view["evidence_words"], view["from"])
    return len(view["cautions"]) * count_words(w["careful"]) + count_words(*texts)


def _remedy(k: Knowledge, pick: RemedyPick) -> dict[str, Any]:
    m = k.remedies[pick.id]
    return {
        "id": pick.id,
        "title": pick.title,
        "when": pick.when,
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
