"""The advice sheet: the only module that imports jinja2.

`view` turns a Result into plain data for the templates (titles, plain-words evidence
labels, grouped remedies, the points to press); the templates in templates/ only lay it out.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from triage.errors import DataFileError
from triage.model import VIEWS, Knowledge, Question
from triage.result import Result

FORMATS = {"text": "sheet.txt.j2", "markdown": "sheet.md.j2", "html": "sheet.html.j2", "terminal": "sheet.md.j2"}
HOME_CARE = ("self-care", "soon")
GROUPS = (("during", "During a cramp"), ("bedtime", "Before bed"), ("daily", "Every day"))
_SHOWN = ("age", "sex", "pregnant", "pregnancy_weeks", "postpartum", "locations", "sides", "timing",
          "frequency", "duration", "sleep_disrupted", "daily_life_affected", "stretching_not_helping",
          "symptoms", "medications", "conditions")


def _wrap(text: str, width: int = 78, indent: str = "", first: str | None = None) -> str:
    return textwrap.fill(str(text), width=width, initial_indent=indent if first is None else first,
                         subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "html.j2"], default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
    )
    env.filters["wrap"] = _wrap
    return env


def fill_numbers(text: str, numbers: Mapping[str, str]) -> str:
    return text.replace("{emergency}", numbers["emergency"]).replace("{urgent_line}", numbers["urgent_line"])


def view(k: Knowledge, result: Result, answers: Mapping[str, Any], questions: tuple[Question, ...],
         numbers: Mapping[str, str]) -> dict[str, Any]:
    tier = k.tiers[result.disposition]
    pregnant_or_after = bool(answers.get("pregnant") or answers.get("postpartum"))
    action = tier.pregnancy_action if pregnant_or_after and tier.pregnancy_action else tier.action
    picks = []
    for pick in result.remedies:
        m = k.remedies[pick.id]
        picks.append({
            "id": m.id, "title": m.title, "when": m.when, "steps": list(m.steps),
            "evidence": pick.evidence, "evidence_words": k.evidence[pick.evidence],
            "cautions": pick.cautions, "source": pick.source, "picture": m.picture,
            "points": [k.points[p]._asdict() for p in pick.points],
        })
    ordered = sorted(_unique_points(p for pick in picks for p in pick["points"]), key=lambda p: VIEWS.index(p["view"]))
    numbered = [dict(point, n=n) for n, point in enumerate(ordered, 1)]  # numbered in the order drawn
    grades = list(k.evidence)  # strongest first, as listed in rules/evidence.yaml
    helpful = sorted((p for p in picks if p["evidence"] != "not-recommended"),
                     key=lambda p: grades.index(p["evidence"]))  # stable: catalogue order within a grade
    groups = [{"id": gid, "title": title, "remedies": [p for p in helpful if p["when"] == gid]}
              for gid, title in GROUPS]
    # The sheet leads with one thing to do: the disposition's action, then (only when home care
    # is the plan) the first remedy to try during a cramp.
    first = next((p for p in helpful if p["when"] == "during"), None) if result.disposition in HOME_CARE else None
    source_ids = sorted({r.source for r in k.rules if r.id in {x.rule for x in result.reasons}}
                        | {s for p in result.remedies for s in k.remedies[p.id].sources})
    return {
        "disposition": result.disposition,
        "emergency": result.disposition == "emergency",
        "tier": {"label": tier.label, "headline": tier.headline, "timeframe": tier.timeframe,
                 "colour": tier.colour, "action": fill_numbers(action, numbers)},
        "first_step": first,
        "reasons": [r.text for r in result.reasons],
        "consider": [c.text for c in result.consider],
        "groups": [g for g in groups if g["remedies"]],
        "not_advised": [p for p in picks if p["evidence"] == "not-recommended"],
        "withheld": [{"title": k.remedies[w.id].title, "because": w.because} for w in result.withheld],
        "warnings": [w.text for w in result.warnings],
        "safety_net": [fill_numbers(line, numbers) for line in result.safety_net],
        "sources": [k.sources[s].cite for s in source_ids],
        "told": _told(answers, questions, k),
        "points": numbered,
        "point_numbers": {p["code"]: p["n"] for p in numbered},
        "locations": list(answers.get("locations", [])),
        "numbers": dict(numbers),
    }


def _unique_points(points: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for point in points:
        seen.setdefault(point["code"], point)
    return list(seen.values())


def _told(answers: Mapping[str, Any], questions: tuple[Question, ...], k: Knowledge) -> list[dict[str, str]]:
    """A short summary of the answers, for a clinician reading the sheet."""
    labels = {(q.key, c.value): c.label for q in questions for c in q.choices}
    rows = []
    for key in _SHOWN:
        if key not in answers:
            continue
        value = answers[key]
        if isinstance(value, bool):
            shown = "yes" if value else "no"
        elif isinstance(value, list):
            shown = "; ".join(labels.get((key, v), str(v)) for v in value) or "none"
        else:
            shown = labels.get((key, value), str(value))
        rows.append({"key": key.replace("_", " "), "value": shown})
    return rows


def render(env: jinja2.Environment, fmt: str, context: Mapping[str, Any]) -> str:
    try:
        return env.get_template(FORMATS[fmt]).render(context)
    except jinja2.TemplateError as exc:
        name, line = _template_position(exc, FORMATS[fmt])
        raise DataFileError(name, f"line {line}", str(exc)) from None


def _template_position(exc: jinja2.TemplateError, default: str) -> tuple[str, object]:
    """Jinja puts template frames into the traceback; the innermost one is where it failed."""
    name, line = getattr(exc, "filename", None) or default, getattr(exc, "lineno", None) or "?"
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            name, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    return str(name), line


def show_in_terminal(markdown: str, colour: str, console: Any = None) -> None:
    """Print the Markdown sheet with rich: the tier's words in its colour, wrapped to the terminal.

    rich drops colour by itself when NO_COLOR is set or the output is not a terminal.
    """
    from rich.console import Console
    from rich.markdown import Markdown
    from rich.theme import Theme

    if console is None:
        console = Console(highlight=False)
        console.width = min(console.width, 100)
    console.push_theme(Theme({"markdown.h1": f"bold white on {colour}", "markdown.h1.border": colour,
                              "markdown.h2": "bold underline"}))
    console.print(Markdown(markdown))
