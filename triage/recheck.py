"""The re-check: saved answers, updated with what may have changed, triaged again.

questions (only those of rules/followup.yaml, warning signs first) -> follow-up answers ->
merged with the saved answers -> the same contract check, engine and rules as any answers
(`Triage.evaluate`: there is no second rules path) -> result -> sheet. What the re-check adds
is only answers: `answered_on` (today, or the follow-up's), `previous_frequency`,
`previous_disposition` and `days_since_previous`, from which rules/logic/ decides "more often",
"no better after weeks of stretching", "better" and "the advice of last time still stands"
(unless `checked_since: checked`). It also reads the follow-up as the person meant it: a saved
answer whose question no longer applies goes (`drop_stale`); a new one-leg sign without a side
is read as one leg; under 14 days, stretching cannot yet have helped or failed (`not_sure`).
With a diary, its last 28 days fill in how often, how long and sleep (triage.diary.fill)
unless answered otherwise, and win where they say more (`reconcile`). The new answers are
saved beside the old ones, never over them. No words a person reads are here: they are in
rules/followup.yaml.
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
from triage.model import NOT_SURE, Question
from triage.pipeline import Triage

if TYPE_CHECKING:
    from triage.diary import Fill
    from triage.result import Result

FREQUENCY = ("rare", "monthly", "weekly", "most_days")  # the contract's, least first
DURATION = ("seconds", "minutes", "over_10_minutes")
WRITTEN = ("previous_frequency", "days_since_previous", "previous_disposition")  # never asked
# Answers about the time between two sheets: a saved re-check's do not carry to the next one.
BETWEEN = ("answered_on", "checked_since", *WRITTEN)
SIGN_QUESTIONS = (
    "emergency_signs",
    "emergency_signs_more",
    "urgent_signs",
    "body_signs",
    "injury_signs",
    "pregnancy_signs",
)


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
    saved: Mapping[str, Any],
    follow_up: Mapping[str, Any],
    supersedes: Mapping[str, Any],
    questions: Sequence[Question] = (),
) -> dict[str, Any]:
    """A follow-up file's keys replace the saved answers' (issue: "the keys it holds replace
    those of the saved answers"); a rev 3 key replaces the rev 2 key it supersedes; a saved
    answer whose question no longer applies goes (see `drop_stale`). A follow-up without
    answered_on leaves the new answers undated: the saved date is not theirs."""
    out = {k: v for k, v in saved.items() if k not in BETWEEN}
    for key in follow_up:
        for old in supersedes.get(key, ()):
            out.pop(old, None)
    out.update(follow_up)
    return drop_stale(saved, out, set(follow_up), questions)


def drop_stale(
    saved: Mapping[str, Any],
    merged: dict[str, Any],
    given: set[str],
    questions: Sequence[Question],
) -> dict[str, Any]:
    """Drop the saved answers whose question no longer applies: its `when` held for the saved
    answers and does not for the merged ones (`pregnancy_weeks` once `pregnant` is false). A key
    the follow-up gave stays (the contract then names the problem); a key asked by several
    questions goes only when none of them applies. Repeated, as one drop can end another's."""
    from triage.conditions import holds

    asking: dict[str, list[Question]] = {}
    for q in questions:
        asking.setdefault(q.key, []).append(q)
    changed = True
    while changed:
        changed = False
        for key in [k for k in merged if k in saved and k not in given and k in asking]:
            qs = asking[key]
            if any(q.when is None for q in qs):
                continue
            if any(q.when is not None and holds(q.when, merged) for q in qs):
                continue
            if any(q.when is not None and holds(q.when, saved) for q in qs):
                del merged[key]
                changed = True
    return merged


def merge_asked(
    saved: Mapping[str, Any],
    given: Mapping[str, Any],
    questions: Sequence[Question],
    supersedes: Mapping[str, Any],
    everyone: Sequence[Question] | None = None,
) -> dict[str, Any]:
    """The saved answers updated by the questions answered (by question id), without the saved
    answers whose question (of `everyone`, the questionnaire's) no longer applies. A list key filled
    by several questions keeps what the saved answers said for the questions not asked again:
    an unasked question is not a "no"."""
    out = {k: v for k, v in saved.items() if k not in BETWEEN}
    for q in questions:
        if q.id not in given:
            continue
        value = given[q.id]
        for old in supersedes.get(q.key, ()):
            out.pop(old, None)
        if q.type == "checkbox":
            mine = {c.value for c in q.choices}
            kept = [v for v in out.get(q.key, ()) if v not in mine]
            out[q.key] = kept + [v for v in value if v not in kept and v != NOT_SURE]
            if q.not_sure and "symptoms_not_sure" in out:
                # the list answered again: what was not sure of it is now its answer, or (with
                # its "not sure" ticked) what its follow-up says
                unsure = [v for v in out["symptoms_not_sure"] if v not in mine]
                if unsure:
                    out["symptoms_not_sure"] = unsure
                else:
                    out.pop("symptoms_not_sure")
        else:
            out[q.key] = value
    return out if everyone is None else drop_stale(saved, out, set(), everyone)


def add_follow_up_keys(
    saved: Mapping[str, Any], answers: dict[str, Any], previous: str | None = None
) -> dict[str, Any]:
    """What the rules compare against: the saved frequency and disposition, and the days since
    the saved date."""
    if "frequency" in saved:
        answers["previous_frequency"] = saved["frequency"]
    if previous is not None:
        answers["previous_disposition"] = previous
    before, after = dates.answered(saved), dates.answered(answers)
    if before is not None and after is not None:
        answers["days_since_previous"] = (after - before).days
    return answers


def weeks_now(saved: Mapping[str, Any], day: datetime.date | None) -> int | None:
    """The saved pregnancy weeks counted on to `day` by the whole weeks since the saved answers,
    or None when the saved answers hold no weeks of a pregnancy or either day is not known."""
    weeks, before = saved.get("pregnancy_weeks"), dates.answered(saved)
    if saved.get("pregnant") is not True or not isinstance(weeks, int) or isinstance(weeks, bool):
        return None
    if before is None or day is None or day < before:
        return None
    return weeks + (day - before).days // 7


def count_weeks(
    saved: Mapping[str, Any],
    merged: dict[str, Any],
    given: set[str],
    day: datetime.date | None,
    last_week: int,
) -> tuple[int | None, int | None]:
    """Move the saved pregnancy weeks on to `day` in `merged` (issue 22c): the weeks counted on
    when they changed, else None; and, past `last_week` (a birth has surely happened) with nothing
    said about pregnancy, the saved weeks: pregnancy is then not known (`pregnant: not_sure`), and
    the saved answers about a birth go too. Weeks given now are kept; the same answer each time
    for the same saved answers and day (the interview calls it after every answer)."""
    now = weeks_now(saved, day)
    if now is None or "pregnancy_weeks" in given:
        return None, None
    if now <= last_week:
        if merged.get("pregnant") is True and now != saved["pregnancy_weeks"]:
            merged["pregnancy_weeks"] = now
            return now, None
        return None, None
    if given & {"pregnant", "postpartum", "weeks_since_birth"}:
        if merged.get("pregnant") is True:
            merged.pop("pregnancy_weeks", None)  # still pregnant, the weeks not yet said
        return None, None
    merged["pregnant"] = "not_sure"
    for key in ("pregnancy_weeks", "postpartum", "weeks_since_birth", "breastfeeding"):
        if key not in given:
            merged.pop(key, None)
    return None, int(saved["pregnancy_weeks"])


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


def save_new(path: Path, text: str, words: Any) -> None:
    """Write the new answers to a name that does not exist yet, never replacing a file: the text
    goes to a temporary file, which is then linked to the name (link fails if it is taken).
    `words`: rules/followup.yaml's `recheck`, for the one-line refusals."""
    from triage.files import write_atomic

    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    write_atomic(str(tmp), text)
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise UsageError(str(words["taken"]).format(path=path)) from None
    except OSError as exc:
        raise UsageError(str(words["cannot_save"]).format(path=path, reason=exc.strerror)) from None
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
    """'More than 10 minutes' -> 'more than 10 minutes' and 'A red patch' -> 'a red patch'
    mid-sentence (not 'DVT ...' or '4 or ...')."""
    word = text.split(" ", 1)[0]
    if not text or not word[:1].isupper() or (len(word) > 1 and word.isupper()):
        return text
    return text[0].lower() + text[1:]


class Notes(NamedTuple):
    """What the re-check itself decided, for the summary (all empty: nothing to say)."""

    side_assumed: bool = False  # a new one-leg sign without a side: read as one leg
    too_soon: int | None = None  # days since the saved answers, when too few to judge stretching
    diary_more: tuple[str, ...] = ()  # keys where the diary says more than the person
    diary_fewer: tuple[str, ...] = ()  # keys where the diary says less (their answer kept)
    weeks_counted: int | None = None  # the pregnancy weeks counted on since the saved answers
    pregnancy_unknown: int | None = None  # the saved weeks, when so long ago a birth is sure


NO_NOTES = Notes()


def changes(
    saved: Mapping[str, Any],
    answers: Mapping[str, Any],
    previous: Result,
    result: Result,
    questions: Sequence[Question],
    words: Any,
    tier_labels: Mapping[str, str],
    notes: Notes = NO_NOTES,
    names: Mapping[str, str] | None = None,
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
        # A sign that raised nothing is not called a warning sign: the sheet's "why" would say
        # "You did not report any warning signs" under it.
        calm = any(r.rule == "no_warning_signs" for r in result.reasons)
        phrase = "new" if calm else "new_sign" if len(new_signs) == 1 else "new_signs"
        out.append(words[phrase].format(value=named))
    if notes.side_assumed:
        out.append(words["side_assumed"])
    if result.disposition != previous.disposition:
        out.append(words["tier"].format(value=_lower_first(tier_labels[result.disposition])))
    if previous.disposition != "self-care" and answers.get("checked_since") == "checked":
        out.append(words["checked"])
    if notes.pregnancy_unknown is not None:
        out.append(words["pregnancy_unknown"].format(before=notes.pregnancy_unknown))
    elif saved.get("pregnant") is True and answers.get("pregnant") is not True:
        gave_birth = answers.get("postpartum") is True or "weeks_since_birth" in answers
        out.append(words["gave_birth" if gave_birth else "not_pregnant"])
    elif notes.weeks_counted is not None and answers.get("pregnancy_weeks") == notes.weeks_counted:
        before = saved.get("pregnancy_weeks")
        out.append(words["weeks_counted"].format(value=notes.weeks_counted, before=before))
    elif answers.get("pregnancy_weeks") not in (None, saved.get("pregnancy_weeks")):
        out.append(words["weeks_pregnant"].format(value=answers["pregnancy_weeks"]))
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
    for keys, phrase in ((notes.diary_more, "diary_more"), (notes.diary_fewer, "diary_fewer")):
        if keys:
            said = ", ".join((names or {}).get(k, k) for k in keys)
            out.append(words[phrase].format(names=said))
    stretching = answers.get("stretching_tried")
    if notes.too_soon is not None:
        out.append(words["too_soon"].format(days=notes.too_soon))
    elif stretching is not None and stretching != saved.get("stretching_tried"):
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
    label: Callable[[str, Any], str],
    words: Any,
    months: Sequence[str],
) -> str | None:
    if not from_diary or fill is None:
        return None
    said = words["from_diary"]
    values = "; ".join(
        f"{said['names'][key]}: "
        + (str(said["yes" if value else "no"]) if isinstance(value, bool) else label(key, value))
        for key, value in from_diary.items()
    )
    line = str(said["sheet"]).format(date=dates.spell(fill.to, months), values=values)
    if fill.recent_more and "frequency" in from_diary:
        # the last 14 days gave the more frequent answer: the sheet says so plainly
        line += " " + str(said["recent"]).format(days=fill.recent_days, count=fill.recent)
    return line


ORDERS: dict[str, tuple[Any, ...]] = {
    "frequency": FREQUENCY,
    "duration": DURATION,
    "sleep_disrupted": (False, True),
}


def reconcile(
    diary: Mapping[str, Any], said: Mapping[str, Any]
) -> tuple[dict[str, Any], tuple[str, ...], tuple[str, ...]]:
    """The diary's answers to use over what the person said, and the keys where the diary says
    more and where it says less. The more frequent, longer or sleep-breaking answer is the safer
    one and is used (issue 22, H3); where the diary says less, the person's answer is kept (M5)."""
    use: dict[str, Any] = {}
    more: list[str] = []
    fewer: list[str] = []
    for key, value in diary.items():
        order = ORDERS.get(key, ())
        if key not in said:
            use[key] = value
        elif said[key] != value and value in order and said[key] in order:
            if order.index(value) > order.index(said[key]):
                use[key] = value
                more.append(key)
            else:
                fewer.append(key)
    return use, tuple(more), tuple(fewer)


# -- the re-check itself ------------------------------------------------------------------------


class Rechecker:
    """Runs a re-check for one person through `triage` (the same pipeline as every sheet)."""

    def __init__(self, triage: Triage) -> None:
        self.triage = triage
        self.words = triage.followup["recheck"]
        self.questions, self.gate = triage.recheck_questions
        self.supersedes = {k: list(v) for k, v in self.words["supersedes"].data.items()}
        self.sided = set(self.words["sided_signs"])
        self.stretching_days = int(self.words["stretching_days"])
        count = self.words["pregnancy_count"]
        self.last_week, self.flag = int(count["last_week"]), str(count["flag"])
        diary_q = triage.followup["diary"]["questions"]
        # The diary's own words for how long a cramp lasted: one wording wherever the diary is
        # quoted (the chart's summary uses them too).
        self.diary_durations = {
            str(c["value"]): str(c["label"]) for c in diary_q["duration"]["choices"]
        }

    def label(self, key: str, value: Any) -> str:
        """A diary value as the diary says it (duration), else as the question says it."""
        if key == "duration" and value in self.diary_durations:
            return _lower_first(self.diary_durations[value])
        return _label(self.triage.questions, key, value)

    def follow_up_from_data(self, data: Any, source: str) -> dict[str, Any]:
        """A follow-up's answers, each key and value checked; how they go together is checked
        once merged with the saved answers (the follow-up holds only what changed)."""
        t = self.triage
        if isinstance(data, Mapping) and "resourceType" in data:
            from triage import fhir

            data = fhir.answers(data, t.questions, source, t.phrases)
        return t.contract.check(data, source=source, whole=False)

    def follow_up_from_file(self, path: str) -> dict[str, Any]:
        from triage.files import read_answers

        name = self.triage.phrases("cli.stdin_name") if path == "-" else ""
        words = self.triage.phrases
        return self.follow_up_from_data(read_answers(path, words, name), name or Path(path).name)

    def _finish(
        self,
        saved: dict[str, Any],
        merged: dict[str, Any],
        source: str,
        fill: Fill | None,
        from_diary: dict[str, Any],
        stopped: bool = False,
        notes: Notes = NO_NOTES,
    ) -> Recheck:
        t = self.triage
        before, after = dates.answered(saved), dates.answered(merged)
        if before is not None and after is not None and after < before:
            problem = self.words["before_saved"].format(after=after, before=before)
            raise AnswersError("answered_on", problem, source)
        previous = t.evaluate(saved)
        merged = {k: v for k, v in merged.items() if k in t.contract.fields}
        merged = add_follow_up_keys(saved, merged, previous.disposition)
        days = merged.get("days_since_previous")
        if (
            isinstance(days, int)
            and days < self.stretching_days
            and merged.get("stretching_tried") in ("helped", "not_helped")
        ):
            merged["stretching_tried"] = "not_sure"  # less than 2 weeks: the contract's not_sure
            merged.pop("stretching_not_helping", None)
            notes = notes._replace(too_soon=days)
        answers = t.contract.check(merged, source=source)
        result = t.evaluate(answers)
        tiers = {tid: tier.label for tid, tier in t.knowledge.tiers.items()}
        names = dict(self.words["from_diary"]["names"].data)
        phrases = changes(
            saved,
            answers,
            previous,
            result,
            t.questions,
            self.words["changes"],
            tiers,
            notes,
            names,
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
            diary_line(from_diary, fill, self.label, self.words, months),
            stopped,
        )

    def _sided(
        self, saved: Mapping[str, Any], follow_up: Mapping[str, Any], merged: dict[str, Any]
    ) -> bool:
        """A follow-up that adds a sign counting only in one leg, without saying the side: the
        saved side was about the cramps then, not this new pain, so it is not this answer. The
        side is then read as one leg (issue 22, H1), as the policy reads a long cramp whose side
        is not reported: the safe reading. Returns whether it did so."""
        new = set(follow_up.get("symptoms", ())) - set(saved.get("symptoms", ()))
        if "sides" in follow_up or not new & self.sided:
            return False
        merged["sides"] = "one"
        return True

    def from_file(
        self, saved: dict[str, Any], follow_up: dict[str, Any], fill: Fill | None, source: str
    ) -> Recheck:
        """A follow-up answers file: its keys replace the saved ones; the diary fills how often,
        how long and sleep when the file does not say, and wins where it says more."""
        diary, more, fewer = reconcile(fill.answers if fill else {}, follow_up)
        merged = merge_file(saved, {**follow_up, **diary}, self.supersedes, self.triage.questions)
        counted, unknown = count_weeks(
            saved, merged, set(follow_up), dates.answered(merged), self.last_week
        )
        notes = Notes(self._sided(saved, follow_up, merged), None, more, fewer, counted, unknown)
        return self._finish(saved, merged, source, fill, diary, notes=notes)

    def interview(
        self,
        saved: dict[str, Any],
        ask: Callable[[Question, Any], Any],
        fill: Fill | None,
        today: datetime.date,
    ) -> Recheck:
        """Ask the re-check's questions (warning signs first, the same early stop)."""
        from triage.interview import Interview

        t = self.triage
        t.knowledge, t.engine  # noqa: B018 - a broken rules file stops before the first question
        months = t.knowledge.months
        said_since = since(saved, self.words, months)
        diary_words = self.words["from_diary"]
        previous = t.evaluate(saved).disposition
        defaults: dict[str, Any] = {}
        asked: list[Question] = []
        for q in self.questions:
            q = q._replace(prompt=q.prompt.replace("{since}", said_since))
            if fill is not None and q.key in fill.answers and q.id == q.key:
                defaults[q.id] = fill.answers[q.key]
                recent = q.key == "frequency" and fill.recent_more
                hint = str(diary_words["frequency_recent" if recent else q.key]).format(
                    count=fill.cramps,
                    days=fill.recent_days,
                    nights=fill.nights,
                    date=dates.spell(fill.to, months),
                    value=self.label(q.key, fill.answers[q.key]),
                )
                q = q._replace(help=hint)
            elif q.type == "checkbox" and q.key not in ("symptoms",) and q.key in saved:
                mine = {c.value for c in q.choices}
                defaults[q.id] = [v for v in saved[q.key] if v in mine]  # the saved ticks shown
            asked.append(q)
        questions = tuple(asked)

        past_term = (weeks_now(saved, today) or 0) > self.last_week

        def keys_said(given: Mapping[str, Any]) -> set[str]:
            return {q.key for q in questions if q.id in given}

        def context(given: Mapping[str, Any]) -> dict[str, Any]:
            merged = merge_asked(saved, given, questions, self.supersedes, t.questions)
            count_weeks(saved, merged, keys_said(given), today, self.last_week)
            return {**merged, "previous_disposition": previous, self.flag: past_term}

        def answers_so_far(given: Mapping[str, Any]) -> dict[str, Any]:
            merged = {k: v for k, v in context(given).items() if k in t.contract.fields}
            return add_follow_up_keys(saved, {**merged, "answered_on": today.isoformat()})

        def stops(merged: Mapping[str, Any]) -> bool:
            # The saved sheet's tier counts once the person has said whether they were checked
            # (before that, a saved emergency would end the re-check before its first question).
            kept = {k: v for k, v in merged.items() if k in t.contract.fields}
            if "checked_since" not in kept:
                kept.pop("previous_disposition", None)
            return t.stops_early(kept)

        interview = Interview(questions, _Defaults(ask, defaults), stop=stops, context=context)
        interview.run()
        merged = answers_so_far(interview.given)
        said = {
            k: merged[k]
            for k in (fill.answers if fill else {})
            if k in merged and any(q.key == k and q.id in interview.given for q in questions)
        }
        told = fill.answers if fill else {}
        _, more, fewer = reconcile(told, said)
        merged.update({k: told[k] for k in more})
        from_diary = {k: v for k, v in told.items() if k in said and merged.get(k) == v}
        counted, unknown = count_weeks(
            saved, merged, keys_said(interview.given), today, self.last_week
        )
        notes = Notes(False, None, more, fewer, counted, unknown)
        return self._finish(
            saved, merged, "your answers", fill, from_diary, interview.stopped_early, notes
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
