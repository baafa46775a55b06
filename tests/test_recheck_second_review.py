"""The re-check against a second independent clinician's review of the follow-up (issue 22c):
pregnancy weeks counted on between visits, a recent rise in the diary not averaged away, and one
deadline per sheet. What each must do is written here by hand from the findings and the policy
(docs/policy.md, "Follow-up: the re-check and the cramp diary"), never from the code's output.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from triage.diary import Entry, fill
from triage.errors import AnswersError
from triage.pipeline import Triage
from triage.recheck import Recheck, Rechecker

from .conftest import base_answers
from .test_recheck import FOLLOWUP, Scripted, run, write
from .test_safety import any_answers

WORDS = FOLLOWUP["recheck"]
RECHECK_DAY = datetime.date(2026, 12, 2)
FREQUENCY = ("rare", "monthly", "weekly", "most_days")  # the contract's, least first


def from_file(
    triage: Triage, saved: dict[str, Any], later: dict[str, Any], entries: tuple[Entry, ...] = ()
) -> Recheck:
    """`triage recheck SAVED --answers LATER [--diary]`, in this process."""
    r = Rechecker(triage)
    checked = triage.contract.check(saved)
    follow_up = r.follow_up_from_data({"version": 1, **later}, "later.yaml")
    day = datetime.date.fromisoformat(follow_up["answered_on"])
    told = fill(entries, day) if entries else None
    return r.from_file(checked, follow_up, told, "later.yaml")


# -- 1: pregnancy weeks count on between visits --------------------------------------------------

PREGNANT_14 = base_answers(
    answered_on="2026-10-07", sex="female", age=30, pregnant=True, pregnancy_weeks=14
)
PRE_ECLAMPSIA_QUESTION = "pregnancy_signs"  # asked from 20 weeks (questions.yaml)


def test_14_weeks_on_7_october_is_about_22_weeks_on_2_december(triage: Triage) -> None:
    """The finding: 56 days (8 whole weeks) after 14 weeks she is about 22 weeks pregnant; the
    answers the re-check runs on and saves say 22, the sheet now carries the pre-eclampsia
    warning signs (from 20 weeks), and the summary says the weeks were counted on."""
    before = triage.evaluate(triage.contract.check(PREGNANT_14))
    assert "pregnancy_signs" not in {w.id for w in before.warnings}  # 14 weeks: not yet
    done = from_file(triage, PREGNANT_14, {"answered_on": "2026-12-02"})
    assert done.answers["pregnant"] is True and done.answers["pregnancy_weeks"] == 22
    assert "pregnancy_signs" in {w.id for w in done.result.warnings}
    assert "now about 22 weeks pregnant" in done.summary, done.summary


def test_the_new_answers_saved_say_22_weeks(tmp_path: Path) -> None:
    saved = write(tmp_path / "me.yaml", PREGNANT_14)
    later = write(tmp_path / "later.yaml", {"version": 1, "answered_on": "2026-12-02"})
    out = tmp_path / "new.yaml"
    done = run("recheck", str(saved), "--answers", str(later), "--save-answers", str(out),
               "--format", "text")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["pregnancy_weeks"] == 22
    assert "now about 22 weeks pregnant" in " ".join(done.stdout.split())


def test_the_interactive_re_check_asks_the_pre_eclampsia_signs_at_22_weeks(
    triage: Triage,
) -> None:
    saved = triage.contract.check(PREGNANT_14)
    ask = Scripted(
        triage,
        {"changed": False, "frequency": "weekly", "duration": "minutes",
         "sleep_disrupted": False, "stretching_tried": "not_sure"},
    )  # fmt: skip
    done = Rechecker(triage).interview(saved, ask, None, RECHECK_DAY)
    assert PRE_ECLAMPSIA_QUESTION in ask.asked
    assert "pregnant" not in ask.asked, "under 42 weeks, pregnancy is not asked again"
    assert done.answers["pregnancy_weeks"] == 22


def test_weeks_given_in_the_follow_up_are_kept(triage: Triage) -> None:
    done = from_file(triage, PREGNANT_14, {"answered_on": "2026-12-02", "pregnancy_weeks": 21})
    assert done.answers["pregnancy_weeks"] == 21


PREGNANT_LONG_AGO = {**PREGNANT_14, "answered_on": "2026-03-04"}  # 39 weeks before 2 December


def test_past_42_weeks_a_file_that_does_not_say_is_pregnancy_not_known(triage: Triage) -> None:
    """14 weeks, 39 weeks ago: 53 weeks, so a birth has surely happened. The follow-up does not
    say: no pregnancy is carried on silently, pregnancy is not known, and one line says so."""
    done = from_file(triage, PREGNANT_LONG_AGO, {"answered_on": "2026-12-02"})
    assert done.answers["pregnant"] == "not_sure"
    assert "pregnancy_weeks" not in done.answers and "postpartum" not in done.answers
    line = WORDS["changes"]["pregnancy_unknown"].format(before=14)
    assert line in done.summary
    sheet = triage.sheet(
        done.result, done.answers, "text", False, extras={"recheck": done.record()}
    )
    assert " ".join(line.split()) in " ".join(sheet.split())


def test_past_42_weeks_a_file_that_says_she_gave_birth_is_kept(triage: Triage) -> None:
    later = {"answered_on": "2026-12-02", "pregnant": False, "postpartum": True,
             "weeks_since_birth": 2}  # fmt: skip
    done = from_file(triage, PREGNANT_LONG_AGO, later)
    assert done.answers["pregnant"] is False and done.answers["postpartum"] is True
    assert WORDS["changes"]["gave_birth"] in done.summary
    assert WORDS["changes"]["pregnancy_unknown"].format(before=14) not in done.summary


def test_past_42_weeks_the_interactive_re_check_asks_again(triage: Triage) -> None:
    """Interactively, past 42 weeks she is asked again whether she is still pregnant and, as
    the questionnaire does, about the birth; her answers are used."""
    saved = triage.contract.check(PREGNANT_LONG_AGO)
    ask = Scripted(
        triage,
        {"pregnant": False, "postpartum": True, "weeks_since_birth": 3, "breastfeeding": True,
         "changed": False, "frequency": "weekly", "duration": "minutes",
         "sleep_disrupted": False, "stretching_tried": "not_sure"},
    )  # fmt: skip
    done = Rechecker(triage).interview(saved, ask, None, RECHECK_DAY)
    assert {"pregnant", "postpartum", "weeks_since_birth", "breastfeeding"} <= set(ask.asked)
    assert ask.asked.index("pregnant") < ask.asked.index("pregnancy_emergency")
    assert done.answers["pregnant"] is False and done.answers["weeks_since_birth"] == 3
    assert "pregnancy_weeks" not in done.answers
    assert WORDS["changes"]["gave_birth"] in done.summary


def test_past_42_weeks_still_pregnant_is_asked_the_weeks(triage: Triage) -> None:
    saved = triage.contract.check(PREGNANT_LONG_AGO)
    ask = Scripted(
        triage,
        {"pregnant": True, "pregnancy_weeks": 10, "changed": False, "frequency": "weekly",
         "duration": "minutes", "sleep_disrupted": False, "stretching_tried": "not_sure"},
    )  # fmt: skip
    done = Rechecker(triage).interview(saved, ask, None, RECHECK_DAY)
    assert "pregnancy_weeks" in ask.asked  # a new pregnancy: its own weeks
    assert done.answers["pregnant"] is True and done.answers["pregnancy_weeks"] == 10


# -- 2: the diary's last 14 days count as well as its 4 weeks -----------------------------------


def nightly(days: int, to: datetime.date = RECHECK_DAY) -> list[Entry]:
    """A cramp at 3 in the morning on each of the last `days` days up to `to`."""
    return [
        Entry(n + 1, datetime.datetime.combine(to - datetime.timedelta(days=n), datetime.time(3)),
              "calf", "minutes", 4, False)
        for n in range(days)
    ]  # fmt: skip


def test_14_cramps_on_the_last_14_nights_are_most_days_not_averaged_away(triage: Triage) -> None:
    """The finding: 14 cramps on 14 nights in a row at the end of a longer gap. Over 4 weeks that
    is 3.5 a week ("1 to 3 times a week"); over the last 2 weeks it is 7 a week, "4 or more times
    a week", so most days, which is a soon sheet for this man (cramps on most days)."""
    told = fill(nightly(14), RECHECK_DAY)
    assert told is not None and told.answers["frequency"] == "most_days"
    saved = base_answers(answered_on="2026-09-01", frequency="monthly")
    done = from_file(triage, saved, {"answered_on": "2026-12-02"}, nightly(14))
    assert done.answers["frequency"] == "most_days"
    assert done.result.disposition == "soon"
    assert "cramps_most_days" in {r.rule for r in done.result.reasons}
    assert done.diary_line is not None
    assert "a cramp on 14 of the last 14 days" in done.diary_line, done.diary_line


def test_the_diary_never_judges_less_often_over_14_days_than_over_4_weeks(triage: Triage) -> None:
    """Cramps only early in the 4 weeks: the last 14 days alone would say less; the 4 weeks'
    answer stands and the sheet does not speak of the last 14 days."""
    early = nightly(14, RECHECK_DAY - datetime.timedelta(days=14))  # days 14 to 27 back
    told = fill(early, RECHECK_DAY)
    assert told is not None and told.answers["frequency"] == "weekly"  # 14 in 28 days
    done = from_file(triage, base_answers(answered_on="2026-09-01"), {"answered_on": "2026-12-02"},
                     early)  # fmt: skip
    assert done.diary_line is not None and "last 14 days" not in done.diary_line


def test_the_recent_rise_beats_a_lower_answer_and_the_summary_says_the_diary_shows_more(
    triage: Triage,
) -> None:
    """The person says 1 to 3 times a week; the diary's last 14 nights say most days: the more
    frequent is used, and the summary names the difference (as before)."""
    done = from_file(
        triage,
        base_answers(answered_on="2026-09-01"),
        {"answered_on": "2026-12-02", "frequency": "weekly"},
        nightly(14),
    )
    assert done.answers["frequency"] == "most_days"
    assert "your diary shows more than you said" in done.summary


def test_the_diary_never_lowers_what_the_person_said(triage: Triage) -> None:
    """The person says most days; the diary has a cramp on 3 of the last 14 nights: their answer
    is kept, and the summary says the diary shows fewer."""
    done = from_file(
        triage,
        base_answers(answered_on="2026-09-01"),
        {"answered_on": "2026-12-02", "frequency": "most_days"},
        nightly(3),
    )
    assert done.answers["frequency"] == "most_days"
    assert "your diary shows fewer than you said" in done.summary


def test_the_question_says_the_last_14_days_and_picks_most_days(triage: Triage) -> None:
    """Interactively, the frequency question comes with the diary's answer picked, and says
    how many of the last 14 days had a cramp."""
    saved = triage.contract.check(base_answers(answered_on="2026-09-01"))
    told = fill(nightly(14), RECHECK_DAY)
    ask = Scripted(
        triage,
        {"changed": False, "frequency": "most_days", "duration": "minutes",
         "sleep_disrupted": False, "stretching_tried": "not_sure"},
    )  # fmt: skip
    seen: dict[str, str] = {}
    record = ask.__call__

    def asked(q: Any, default: Any = None) -> Any:
        seen[q.id] = q.help
        return record(q, default)

    done = Rechecker(triage).interview(saved, asked, told, RECHECK_DAY)
    assert ask.defaults["frequency"] == "most_days"
    assert "a cramp on 14 of the last 14 days" in seen["frequency"], seen["frequency"]
    assert done.answers["frequency"] == "most_days"


def test_every_count_of_recent_cramps_is_judged_by_the_frequency_rule() -> None:
    """For each count of cramps on the last nights (none before them), the diary's answer is the
    more frequent of the 4 weeks' and the 14 days' averages, each by the contract's words: 4 or
    more a week is most days, 1 or more a week is weekly, fewer is monthly."""

    def words(per_week: float) -> str:
        return "most_days" if per_week >= 4 else "weekly" if per_week >= 1 else "monthly"

    for n in range(1, 15):
        told = fill(nightly(n), RECHECK_DAY)
        assert told is not None
        expected = max(words(n / 4), words(n / 2), key=FREQUENCY.index)
        assert told.answers["frequency"] == expected, n


# -- 3: one deadline per sheet -------------------------------------------------------------------

BLEEDING = "raise the risk of serious bleeding"
MONTHS = FOLLOWUP["calendar"]["months"]
SPELT = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b")
WITHIN = re.compile(r"^Within (\d+) (day|week)s?$")


def spelt_days(text: str) -> list[datetime.date]:
    return [datetime.date(int(y), MONTHS.index(m) + 1, int(d)) for d, m, y in SPELT.findall(text)]


def deadline(timeframe: str, answered_on: str) -> datetime.date | None:
    """The last day a "Within N days/weeks" timeframe allows, counted from the answers' date."""
    match = WITHIN.match(timeframe)
    if match is None:
        return None
    n = int(match.group(1)) * (7 if match.group(2) == "week" else 1)
    return datetime.date.fromisoformat(answered_on) + datetime.timedelta(days=n)


THINNER_AND_PAINKILLER = base_answers(
    answered_on="2026-09-02", medications=["anticoagulant", "naproxen"]
)


@pytest.mark.parametrize(
    "medicines",
    [["anticoagulant", "naproxen"], ["lithium", "thiazide_diuretic"]],
    ids=["thinner-painkiller", "lithium-water-tablet"],
)
def test_a_2_day_medicine_pair_has_one_deadline_2_days_on(
    triage: Triage, medicines: list[str]
) -> None:
    """The finding: "Within 2 days" and "If you have not been seen by (14 days on)" on one sheet.
    The dated line and recheck_on name 2 days after the answers' date, and no later day (the
    policy's two pairs that are soon within 2 days)."""
    answers = base_answers(answered_on="2026-09-02", medications=medicines)
    result = triage.evaluate(triage.contract.check(answers))
    assert result.disposition == "soon" and result.advice.timeframe == "Within 2 days"
    assert result.recheck_on == "2026-09-04"
    said = [d for line in result.safety_net for d in spelt_days(line)]
    assert said == [datetime.date(2026, 9, 4)], result.safety_net


def test_the_re_check_of_that_sheet_names_the_bleeding_risk_and_2_days_from_today(
    triage: Triage,
) -> None:
    """Re-checked 18 days later, not seen since: still soon, within 2 days of the re-check, the
    dated line and recheck_on 2 days after it, and the "why" names the reason (bleeding) first,
    not only "the advice is still to see a doctor"."""
    done = from_file(
        triage,
        THINNER_AND_PAINKILLER,
        {"answered_on": "2026-09-20", "checked_since": "not_checked"},
    )
    result = done.result
    assert result.disposition == "soon" and result.advice.timeframe == "Within 2 days"
    assert result.recheck_on == "2026-09-22"
    said = [d for line in result.safety_net for d in spelt_days(line)]
    assert said == [datetime.date(2026, 9, 22)], result.safety_net
    assert BLEEDING in result.reasons[0].text, [r.text for r in result.reasons]
    sheet = triage.sheet(result, done.answers, "text", False, extras={"recheck": done.record()})
    first_why = sheet.split("WHY", 1)[1].split("\n\n", 1)[0]
    assert BLEEDING in " ".join(first_why.split()), first_why


@st.composite
def dated_answers(draw: Any, triage: Triage) -> dict[str, Any]:
    """Sampled answers with a date, now and then a re-check's keys and the medicine pair."""
    a = draw(any_answers(triage))
    a["answered_on"] = draw(st.sampled_from(["2026-01-31", "2026-11-10", "2026-02-28"]))
    if draw(st.booleans()):
        thinner = draw(st.sampled_from(["anticoagulant", "antiplatelet"]))
        painkiller = draw(st.sampled_from(["naproxen", "other_nsaid"]))
        a["medications"] = sorted({*a.get("medications", ()), thinner, painkiller})
    if draw(st.booleans()):
        a["previous_disposition"] = draw(st.sampled_from(TIERS))
        a["days_since_previous"] = draw(st.integers(0, 60))
        if draw(st.booleans()):
            a["checked_since"] = draw(st.sampled_from(["checked", "not_checked", "not_sure"]))
    return a


TIERS = ("self-care", "soon", "urgent", "emergency")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_sheet_names_a_day_later_than_its_timeframe_allows(triage: Triage, data: Any) -> None:
    """Over sampled answer sets: every day a sheet names (its dated lines, recheck_on) is no later
    than the timeframe's "Within N days/weeks" allows, counted from the answers' date."""
    try:
        answers = triage.contract.check(data.draw(dated_answers(triage)))
    except AnswersError:
        assume(False)
        return
    result = triage.evaluate(answers)
    limit = deadline(result.advice.timeframe, answers["answered_on"])
    if limit is None:
        return
    named = [d for line in result.safety_net for d in spelt_days(line)]
    if result.recheck_on is not None:
        named.append(datetime.date.fromisoformat(result.recheck_on))
    assert all(day <= limit for day in named), (result.advice.timeframe, result.safety_net)
