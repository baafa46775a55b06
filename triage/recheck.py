"""The re-check: saved answers, updated with what may have changed, triaged again.

questions (only those of rules/followup.yaml, warning signs first) -> follow-up answers ->
merged with the saved answers -> the same contract check, engine and rules as any answers
(`Triage.evaluate`: there is no second rules path) -> result -> sheet. What the re-check adds
is only answers: `answered_on` (today, or the follow-up's), `previous_frequency` and
`days_since_previous`, from which rules/logic/ decides "more often", "no better after weeks of
stretching" and "better". With a diary, its last 28 days fill in how often, how long and sleep
(triage.diary.fill) unless answered otherwise. The new answers are saved beside the old ones,
never over them. No words a person reads are here: they are in rules/followup.yaml.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from triage import dates
from triage.errors import AnswersError, UsageError
from triage.model import Question
from triage.pipeline import Triage

if TYPE_CHECKING:
    from triage.diary import Fill
    from triage.result import Result

FREQUENCY = ("rare", "monthly", "weekly", "most_days")  # the contract's, least first
DURATION = ("seconds", "minutes", "over_10_minutes")
WRITTEN = ("previous_frequency", "days_since_previous")  # by the re-check, never asked
SIGN_QUESTIONS = ("emergency_signs", "urgent_signs", "injury_signs", "pregnancy_signs")


class Recheck(NamedTuple):
    saved: dict[str, Any]  # the saved answers, checked
    answers: dict[str, Any]  # the updated answers the rules ran on (what is saved)
    result: Result
    previous: Result  # the saved answers' own result, for "the advice is now"
    changes: list[str]  # what changed, one phrase each
    summary: str  # one line: "Since 1 December 2026: ..."
    from_diary: dict[str, Any]  # the answers that came from the diary
    diary_line: str | None  # the sheet's line naming them
    stopped_early: bool = False

    def record(self) -> dict[str, Any]:
        """What the sheet shows of the re-check (the composed sheet's `recheck`)."""
        return {"summary": self.summary, "diary": self.diary_line}

    def to_dict(self, saved_as: str | None) -> dict[str, Any]:
        """The `recheck` part of --json (an addition beside the contract's result)."""
        return {
            "previous_answered_on": self.saved.get("answered_on"),
            "answered_on": self.answers.get("answered_on"),
            "days_since_previous": self.answers.get("days_since_previous"),
            "previous_disposition": self.previous.disposition,
            "changes": self.changes,
            "summary": self.summary,
            "from_diary": self.from_diary,
            "saved_as": saved_as,
        }


# -- merging ------------------------------------------------------------------------------------


def merge_file(
    saved: Mapping[str, Any], follow_up: Mapping[str, Any], supersedes: Mapping[str, Any]
) -> dict[str, Any]:
    """A follow-up file's keys replace the saved answers' (issue: "the keys it holds replace
    those of the saved answers"); a rev 3 key replaces the rev 2 key it supersedes. A follow-up
    without answered_on leaves the new answers undated: the saved date is not theirs."""
    out = {k: v for k, v in saved.items() if k not in WRITTEN and k != "answered_on"}
    for key in follow_up:
        for old in supersedes.get(key, ()):
            out.pop(old, None)
    out.update(follow_up)
    return out


def merge_asked(
    saved: Mapping[str, Any],
    given: Mapping[str, Any],
    questions: Sequence[Question],
    supersedes: Mapping[str, Any],
) -> dict[str, Any]:
    """The saved answers updated by the questions answered (by question id). A list key filled
    by several questions keeps what the saved answers said for the questions not asked again:
    an unasked question is not a "no"."""
    out = {k: v for k, v in saved.items() if k not in WRITTEN and k != "answered_on"}
    for q in questions:
        if q.id not in given:
            continue
        value = given[q.id]
        for old in supersedes.get(q.key, ()):
            out.pop(old, None)
        if q.type == "checkbox":
            mine = {c.value for c in q.choices}
            kept = [v for v in out.get(q.key, ()) if v not in mine]
            out[q.key] = kept + [v for v in value if v not in kept]
        else:
            out[q.key] = value
    return out


def add_follow_up_keys(saved: Mapping[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """What the rules compare against: the saved frequency and the days since the saved date."""
    if "frequency" in saved:
        answers["previous_frequency"] = saved["frequency"]
    before, after = dates.answered(saved), dates.answered(answers)
    if before is not None and after is not None:
        answers["days_since_previous"] = (after - before).days
    return answers


def beside(saved_path: str, day: str | None) -> Path:
    """A new name next to the saved answers, for the new ones: me.yaml -> me.2026-12-22.yaml
    (-2, -3... when taken). A re-check of a re-check drops the older date from the name."""
    path = Path(saved_path)
    name = path.name
    for suffix in (".fhir.json", ".yaml", ".yml", ".json"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    name = re.sub(r"\.\d{4}-\d{2}-\d{2}(-\d+)?$", "", name) or "answers"
    stamp = day or "recheck"
    n = 1
    while True:
        candidate = path.with_name(f"{name}.{stamp}{'' if n == 1 else f'-{n}'}.yaml")
        if not os.path.lexists(candidate):
            return candidate
        n += 1


def save_new(path: Path, text: str) -> None:
    """Write the new answers to a name that does not exist yet, never replacing a file: the text
    goes to a temporary file, which is then linked to the name (link fails if it is taken)."""
    from triage.files import write_atomic

    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    write_atomic(str(tmp), text)
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise UsageError(f"cannot save the new answers: {path} already exists") from None
    except OSError as exc:
        raise UsageError(f"cannot save the new answers in {path}: {exc.strerror}") from None
    finally:
        os.unlink(tmp)


# -- what changed -------------------------------------------------------------------------------


def _label(questions: Sequence[Question], key: str, value: Any) -> str:
    for q in questions:
        if q.key == key:
            for c in q.choices:
                if c.value == value:
                    return _lower_first(c.label)
    return str(value)


def _lower_first(text: str) -> str:
    """'More than 10 minutes' -> 'more than 10 minutes' mid-sentence (not 'DVT' or '4 or ...')."""
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


def changes(
    saved: Mapping[str, Any],
    answers: Mapping[str, Any],
    previous: Result,
    result: Result,
    questions: Sequence[Question],
    words: Any,
    tier_labels: Mapping[str, str],
) -> list[str]:
    """What changed since the saved answers, one phrase each, in the order that matters."""
    out: list[str] = []
    sign_values = {
        c.value
        for q in questions
        if q.id in SIGN_QUESTIONS or q.key == "symptoms"
        for c in q.choices
    }
    old_signs = [s for s in saved.get("symptoms", ()) if s in sign_values]
    new_signs = [s for s in answers.get("symptoms", ()) if s in sign_values and s not in old_signs]
    if new_signs:
        named = "; ".join(_label(questions, "symptoms", s) for s in new_signs)
        out.append(words["new_sign" if len(new_signs) == 1 else "new_signs"].format(value=named))
    if result.disposition != previous.disposition:
        out.append(words["tier"].format(value=_lower_first(tier_labels[result.disposition])))
    for key, order, up, down in (
        ("frequency", FREQUENCY, "more_often", "less_often"),
        ("duration", DURATION, "longer", "shorter"),
    ):
        before, after = saved.get(key), answers.get(key)
        if before in order and after in order and before != after:
            step = up if order.index(after) > order.index(before) else down
            out.append(words[step].format(value=_label(questions, key, after)))
    woke_before, woke_now = saved.get("sleep_disrupted"), answers.get("sleep_disrupted")
    if woke_before is False and woke_now is True:
        out.append(words["woke_now"])
    elif woke_before is True and woke_now is False:
        out.append(words["woke_no_more"])
    stretching = answers.get("stretching_tried")
    if stretching is not None and stretching != saved.get("stretching_tried"):
        out.append(words["stretching"][stretching])
    for key, phrase in (("medications", "new_medicine"), ("conditions", "new_condition")):
        added = [v for v in answers.get(key, ()) if v not in saved.get(key, ())]
        if added:
            named = "; ".join(_label(questions, key, v) for v in added)
            out.append(words[phrase].format(value=named))
    gone = [s for s in old_signs if s not in answers.get("symptoms", ())]
    if gone:
        out.append(
            words["sign_gone"].format(
                value="; ".join(_label(questions, "symptoms", s) for s in gone)
            )
        )
    return out


def since(saved: Mapping[str, Any], words: Any, months: Sequence[str]) -> str:
    day = dates.answered(saved)
    if day is None:
        return str(words["since_unknown"])
    return str(words["since"]).format(date=dates.spell(day, months))


def summary_line(
    phrases: list[str], saved: Mapping[str, Any], words: Any, months: Sequence[str]
) -> str:
    body = "; ".join(phrases) if phrases else words["changes"]["none"]
    return f"{since(saved, words, months)}: {body}."


def diary_line(
    from_diary: Mapping[str, Any],
    fill: Fill | None,
    questions: Sequence[Question],
    words: Any,
    months: Sequence[str],
) -> str | None:
    if not from_diary or fill is None:
        return None
    said = words["from_diary"]
    values = "; ".join(
        f"{said['names'][key]}: "
        + (
            str(said["yes" if value else "no"])
            if isinstance(value, bool)
            else _label(questions, key, value)
        )
        for key, value in from_diary.items()
    )
    return str(said["sheet"]).format(date=dates.spell(fill.to, months), values=values)


# -- the re-check itself ------------------------------------------------------------------------


class Rechecker:
    """Runs a re-check for one person through `triage` (the same pipeline as every sheet)."""

    def __init__(self, triage: Triage) -> None:
        self.triage = triage
        self.words = triage.followup["recheck"]
        self.questions, self.gate = triage.recheck_questions
        self.supersedes = {k: list(v) for k, v in self.words["supersedes"].data.items()}

    def _finish(
        self,
        saved: dict[str, Any],
        merged: dict[str, Any],
        source: str,
        fill: Fill | None,
        from_diary: dict[str, Any],
        stopped: bool = False,
    ) -> Recheck:
        t = self.triage
        before, after = dates.answered(saved), dates.answered(merged)
        if before is not None and after is not None and after < before:
            problem = self.words["before_saved"].format(after=after, before=before)
            raise AnswersError("answered_on", problem, source)
        merged = {k: v for k, v in merged.items() if k in t.contract.fields}
        answers = t.contract.check(add_follow_up_keys(saved, merged), source=source)
        result, previous = t.evaluate(answers), t.evaluate(saved)
        tiers = {tid: tier.label for tid, tier in t.knowledge.tiers.items()}
        phrases = changes(
            saved, answers, previous, result, t.questions, self.words["changes"], tiers
        )
        months = t.knowledge.months
        return Recheck(
            saved,
            answers,
            result,
            previous,
            phrases,
            summary_line(phrases, saved, self.words, months),
            from_diary,
            diary_line(from_diary, fill, t.questions, self.words, months),
            stopped,
        )

    def from_file(
        self, saved: dict[str, Any], follow_up: dict[str, Any], fill: Fill | None, source: str
    ) -> Recheck:
        """A follow-up answers file: its keys replace the saved ones; the diary fills how often,
        how long and sleep when the file does not say."""
        from_diary = {k: v for k, v in (fill.answers if fill else {}).items() if k not in follow_up}
        merged = merge_file(saved, {**from_diary, **follow_up}, self.supersedes)
        return self._finish(saved, merged, source, fill, from_diary)

    def interview(
        self,
        saved: dict[str, Any],
        ask: Callable[[Question, Any], Any],
        fill: Fill | None,
        today: datetime.date,
    ) -> Recheck:
        """Ask the re-check's questions (warning signs first, the same early stop)."""
        from triage.questionnaire import Interview

        t = self.triage
        t.knowledge, t.engine  # noqa: B018 - a broken rules file stops before the first question
        months = t.knowledge.months
        said_since = since(saved, self.words, months)
        diary_words = self.words["from_diary"]
        defaults: dict[str, Any] = {}
        asked: list[Question] = []
        for q in self.questions:
            q = q._replace(prompt=q.prompt.replace("{since}", said_since))
            if fill is not None and q.key in fill.answers and q.id == q.key:
                defaults[q.id] = fill.answers[q.key]
                hint = str(diary_words[q.key]).format(
                    count=fill.cramps,
                    nights=fill.nights,
                    date=dates.spell(fill.to, months),
                    value=_label(t.questions, q.key, fill.answers[q.key]),
                )
                q = q._replace(help=hint)
            elif q.type == "checkbox" and q.key not in ("symptoms",) and q.key in saved:
                mine = {c.value for c in q.choices}
                defaults[q.id] = [v for v in saved[q.key] if v in mine]  # the saved ticks shown
            asked.append(q)
        questions = tuple(asked)

        def context(given: Mapping[str, Any]) -> dict[str, Any]:
            return merge_asked(saved, given, questions, self.supersedes)

        def answers_so_far(given: Mapping[str, Any]) -> dict[str, Any]:
            merged = {k: v for k, v in context(given).items() if k in t.contract.fields}
            return add_follow_up_keys(saved, {**merged, "answered_on": today.isoformat()})

        interview = Interview(
            questions,
            _Defaults(ask, defaults),
            stop=lambda merged: t.stops_early(
                {k: v for k, v in merged.items() if k in t.contract.fields}
            ),
            context=context,
        )
        interview.run()
        merged = answers_so_far(interview.given)
        from_diary = {
            k: v
            for k, v in (fill.answers if fill else {}).items()
            if merged.get(k) == v and any(q.key == k and q.id in interview.given for q in questions)
        }
        return self._finish(
            saved, merged, "your answers", fill, from_diary, interview.stopped_early
        )


class _Defaults:
    """An ask function that offers the re-check's defaults (the diary's answer, the saved
    ticks) the first time a question is asked; the terminal's review and progress pass through."""

    def __init__(self, ask: Callable[[Question, Any], Any], defaults: Mapping[str, Any]) -> None:
        self.ask, self.defaults = ask, defaults
        self.review = getattr(ask, "review", None)
        self.progress = getattr(ask, "progress", None)

    def __call__(self, q: Question, default: Any = None) -> Any:
        return self.ask(q, self.defaults.get(q.id) if default is None else default)
