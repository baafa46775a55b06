"""Typed, immutable records for everything loaded from rules/. No I/O here.

NamedTuples rather than dataclasses: they are as typed and immutable, and start-up is
measured (importing dataclasses and building ~20 of them costs ~19 ms before the first question).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from triage.conditions import Condition

TIERS = ("self-care", "soon", "urgent", "emergency")  # lowest to highest
RESERVED_PREFIX = "__"  # rule ids the engine keeps for itself (its catch-all); refused in rules/
WHEN = ("during", "bedtime", "daily")
VIEWS = ("back", "front", "outer", "inner", "sole", "hand", "face")  # drawing order on the sheet


def tier_rank(tier: str) -> int:
    return TIERS.index(tier)


# rev 3 (docs/policy.md, "Dispositions"): the timeframes inside each tier, strictest first, and
# the one a tier has when no rule sets another. `next_session` comes before `2_weeks`: a dialysis
# session is days away, and the dialysis team sees the other reasons of a soon sheet too (clinical
# review, session 7: "tell your dialysis team at your next session" beside "within 2 weeks" read
# as two plans).
ACT_WITHIN = ("now", "today", "2_days", "next_session", "2_weeks", "none")
ACT_WITHIN_OF = {
    "emergency": ("now",),
    "urgent": ("now", "today"),
    "soon": ("2_days", "2_weeks", "next_session"),
    "self-care": ("none",),
}
ACT_WITHIN_DEFAULT = {"emergency": "now", "urgent": "today", "soon": "2_weeks", "self-care": "none"}
ROUTES = (
    "emergency_services",
    "maternity_unit",
    "early_pregnancy_unit",
    "midwife",
    "gp",
    "urgent_line",
    "dialysis_unit",
    "dialysis_team",
    "anticoagulant_clinic",
    "lithium_prescriber",
    "diabetes_team",
    "care_team",
    "prescriber",
    "pharmacist",
    "none",
)


class Choice(NamedTuple):
    value: Any
    label: str
    help: str = ""


NOT_SURE = "__not_sure_about_one__"  # a red-flag list's "I'm not sure about one of these" (rev 3)


class Question(NamedTuple):
    id: str
    key: str  # the answers-contract key this question fills
    type: str  # number | select | checkbox | confirm
    prompt: str
    help: str = ""
    choices: tuple[Choice, ...] = ()
    when: Condition | None = None
    minimum: int | None = None
    maximum: int | None = None
    below_minimum: str = ""  # what to say to someone below the minimum (e.g. a child)
    none_label: str = ""  # checkbox: the "None of these" choice
    short: str = ""  # the question in a few words, naming what "these" are: the review, the sheet
    # rev 3 ("Not sure" in the questionnaire): a red-flag tick list's extra choice, "I'm not sure
    # about one of these" (its label; "" when the list has none) ...
    not_sure: str = ""
    # ... and, on the question that follows it, the id of the list whose not-sure it asks about:
    # asked only when that choice was ticked (which ones, with the check for each).
    not_sure_of: str = ""
    # A tick list whose choices are those of its own that the answers' list `choices_from` holds
    # (plus the `keep` ones, always offered): asked only with two or more such candidates; with
    # one, that one is the answer, written without asking (rev 3: cramps_began_with).
    choices_from: str = ""
    keep: tuple[Any, ...] = ()
    # The words of a yes and a no (rules/ui.yaml answer.yes, answer.no), put here by whoever
    # builds the question (`**answer.yes_no(phrases)`), so its answer reads the same on screen
    # and on the sheet, which has no terminal words of its own (triage.answer.answer_words).
    yes: str = ""
    no: str = ""


# The sheet's formats a person can ask for (--format), each a template of templates/
# (triage.sheet.FORMATS): a new format is a template there and its name here.
SHEET_FORMATS = ("text", "markdown", "html")


class Phrases:
    """The words of the terminal, the command line and the print-out's own headings
    (rules/ui.yaml), by dotted key: `phrases("review.bad", count=19)`.

    A missing key or field is a broken data file, never a half-filled sentence on screen.
    """

    def __init__(self, table: Mapping[str, str], path: str = "ui.yaml") -> None:
        self.table = dict(table)
        self.path = path

    def __call__(self, key: str, **fields: Any) -> str:
        from triage.errors import DataFileError

        text = self.table.get(key)
        if text is None:
            raise DataFileError(self.path, key, "this text is missing")
        try:
            return text.format(**fields) if fields else text
        except (KeyError, IndexError, ValueError) as exc:
            raise DataFileError(self.path, key, f"cannot fill in {exc}") from None

    def group(self, prefix: str) -> dict[str, str]:
        """Every text under `prefix.`, by the rest of its key (for templates)."""
        start = prefix + "."
        return {k[len(start) :]: v for k, v in self.table.items() if k.startswith(start)}


class Variant(NamedTuple):
    """One wording of a text, for the people and tiers it fits.

    A text in rules/ is a list of variants; the first that fits this person is used, and when
    none fits the text is left out. `when` must hold, `unless` must not, and the sheet's tier
    must be in `tiers` (all tiers when empty). Evaluated in Python after the engine has run, so
    `unless` is safe here (the order-dependent negation of durable-rules never sees it).
    """

    text: str
    when: Condition | None = None
    unless: Condition | None = None
    tiers: tuple[str, ...] = ()
    # rev 3: the sheet's timeframe (`act_within`) must be one of these (any when empty)
    within: tuple[str, ...] = ()
    # rev 3: one of these rules must have fired (any rule when empty): the sheet's words follow
    # the rule that decided, without repeating its condition
    fired: tuple[str, ...] = ()
    unless_fired: tuple[str, ...] = ()  # ... and none of these
    # rev 3: on a tier's action only, the service this wording sends the person to first (the
    # result's `route`), so the words and the route cannot disagree
    route: str = ""


Wording = tuple[Variant, ...]


class Step(NamedTuple):
    """One thing a remedy asks the person to do, and the actions it involves."""

    text: str
    does: tuple[str, ...] = ()  # action ids (rows of rules/safety.yaml): what the table acts on
    when: Condition | None = None
    unless: Condition | None = None
    source: str = ""  # rev 3: the remedy's source for this step, named on page one when shown
    # "Or ...": another way to do what a step before it does; a remedy left with only such steps
    # is left out whole (policy rule 2)
    alternative: bool = False


VERDICTS = ("ok", "caution", "withhold")


class Cell(NamedTuple):
    """One decision of the safety table: an action for the people in one column."""

    verdict: str  # ok | caution | withhold
    words: str = ""  # caution: shown with the remedy; withhold: why, under "left out for you"


class Way(NamedTuple):
    """One way into a column of the safety table."""

    when: Condition
    unless: Condition | None = None
    prefix: str = ""  # put before its reasons and cautions ("If you could be pregnant: ")
    rows: tuple[str, ...] = ()  # only for these actions (policy rules 5, 6, 10); empty: all


class Column(NamedTuple):
    """A risk state of the safety table (docs/policy.md, "The safety table"), in policy order."""

    id: str
    label: str
    ways: tuple[Way, ...]
    rules: tuple[str, ...] = ()  # also in it when one of these rules fired
    sources: tuple[str, ...] = ()


class Action(NamedTuple):
    """A row of the safety table: something a remedy step can ask a person to do."""

    id: str
    label: str  # what the person would be doing, as a subject: "Rubbing the leg"
    what: str = ""  # the policy's description of the action
    cells: tuple[Cell, ...] = ()  # one per column, in the order of Knowledge.columns
    never_advised: bool = False  # no remedy does it (policy rule 4)
    takers: tuple[str, ...] = ()  # never advised: medicines whose takers are shown its cautions
    message: str = ""  # never advised: the warning whose {action id} placeholder gives its reason
    otherwise: str = ""  # ... and what fills it for someone in no withholding column


class Interaction(NamedTuple):
    """A medicine pair or situation the tool recognises (rules/interactions.yaml)."""

    id: str
    situation: str
    when: Condition
    tier: str  # a tier, or "none"
    act_within: str
    route: str
    routing: str
    warning: str  # a warning id of the answers contract, or "none"
    words: Wording
    safety_net: str
    sources: tuple[str, ...]
    finding: str
    rule: str = ""  # the rule of rules/logic that applies this row ("" : none yet)


class BloodTest(NamedTuple):
    """A blood test a soon or urgent sheet asks for (docs/policy.md, "Blood tests")."""

    id: str  # fixed by the answers contract
    words: str  # what the test is, in plain words
    when: Condition


class Rule(NamedTuple):
    id: str
    when: Condition
    source: str
    file: str
    tier: str | None = None
    offer: tuple[str, ...] = ()
    warn: tuple[str, ...] = ()
    consider: tuple[str, ...] = ()
    # rev 3: the timeframe this rule sets inside its tier (variants whose text is an act_within
    # id, the first that fits wins); () or none fitting: the tier's own (ACT_WITHIN_DEFAULT)
    act_within: Wording = ()


class Point(NamedTuple):
    code: str
    name: str
    where: str
    press: str
    view: str  # front | back | outer | inner | sole | hand | face
    x: float = 0.0  # position on its drawing, 0-100
    y: float = 0.0


class Remedy(NamedTuple):
    id: str
    title: str
    when: str
    evidence: str
    sources: tuple[str, ...]
    steps: tuple[Step, ...]
    action: tuple[str, ...] = ()  # its title action(s): withheld, the remedy is left out whole
    points: tuple[str, ...] = ()
    picture: str = ""
    fit: Condition | None = None  # fits this person's cramp best (ranking, after evidence)
    lead: Condition | None = None  # comes first among its grade for these people (e.g. heat cramps)
    effort: int = 2  # how much it asks of the person, 1 least: ties in ranking go to the simpler


class Source(NamedTuple):
    id: str
    short: str  # a name a person recognises: "NHS", "Mayo Clinic"
    cite: str  # the real title, findable
    url: str
    where: str  # for maintainers: the docs/policy.md sections that use it, and how it was read


class Country(NamedTuple):
    """Whose numbers a sheet shows (--country): what fills {emergency} and {urgent_line}."""

    id: str
    name: str
    aliases: tuple[str, ...]
    emergency: str
    emergency_again: str  # the emergency number after its first use on a sheet
    urgent_line: str

    def numbers(self) -> dict[str, str]:
        return {
            "emergency": self.emergency,
            "emergency_again": self.emergency_again,
            "urgent_line": self.urgent_line,
        }


class Tier(NamedTuple):
    id: str
    label: str
    headline: Wording
    action: Wording
    timeframe: Wording
    colour: str  # shown only together with the label's words, never alone
    page_one: dict[str, int]  # how many remedies page one shows: during, prevent
    # rev 3: the sheet's first line, above the tier (someone answering for another person);
    # () when the tier has none
    first_line: Wording = ()
    # rev 3 (policy "Early stop"): the timeframes (act_within) whose sheet is an early-stop sheet,
    # like an emergency's: no remedies, only these warnings, and its own page-one word limit
    early_stop: tuple[str, ...] = ()
    early_stop_warnings: tuple[str, ...] = ()
    early_stop_words: int = 0
    # emergency only (policy rule 1): why every remedy the rules offered is left out
    withheld_because: str = ""


class Medicine(NamedTuple):
    id: str
    label: str
    examples: str
    causes_cramps: bool
    clot_risk: bool = False


class NotReported(NamedTuple):
    """A key the rules need (rules/messages.yaml, `not_reported`): what page one says when the
    file leaves it out (rev 3, policy "Not reported")."""

    key: str
    when: Condition | None  # it counts only where this holds (pregnancy: where it is possible)
    line: str | None  # page one's line about it, if any
    check: tuple[str, ...] = ()  # the short check shown before any remedy (warning signs)


class Inferring(NamedTuple):
    """What a contradictory file is read as (rules/messages.yaml, `inferred`)."""

    because: str  # the result's `inferred[].because`
    line: str | None  # page one's line, or None: inferred silently


class NotSureSign(NamedTuple):
    what: str  # the sign, in the not-sure line
    check: str | None  # the check to do now


class ListWords(NamedTuple):
    """How a list is said in a sentence (rules/messages.yaml, `lists`): "A, B and C"."""

    last: str  # before the last item: "and"
    unnamed_medicine: str  # a medicine the answers do not name: "a medicine"

    def join(self, items: Sequence[str]) -> str:
        if len(items) < 2:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self.last} {items[-1]}"


class ReadingWords(NamedTuple):
    """The words of how the answers were read (rules/messages.yaml, `reading` and the tables
    after it)."""

    not_sure_one: str
    not_sure_many: str
    medicines_not_sure: str
    signs: dict[str, NotSureSign]
    not_reported: tuple[NotReported, ...]
    inferred: dict[str, Inferring]


class TraditionalCap(NamedTuple):
    """How many traditional remedies "More things people try" describes in full
    (rules/evidence.yaml, `traditional_cap`; docs/policy.md, "The sheet", rev 3): all
    acupressure counts as one."""

    full: int  # for most people
    fewer: int  # for the frail column, or many conditions or medicines
    frail_column: str  # the safety-table column that lowers the cap
    conditions: int  # this many long-term conditions or more lower it
    medicines: int  # this many listed medicines or more lower it
    rest: str  # "Other traditional remedies, not shown to work: {names}."


class Knowledge(NamedTuple):
    """Everything under rules/, loaded, checked and cross-referenced."""

    rules: tuple[Rule, ...]
    actions: dict[str, Action]  # the rows of the safety table, in its order
    columns: tuple[Column, ...]  # the columns of the safety table, left to right
    remedies: dict[str, Remedy]
    points: dict[str, Point]
    sources: dict[str, Source]
    tiers: dict[str, Tier]
    evidence: dict[str, str]  # grade id -> plain words
    medicines: dict[str, Medicine]
    reasons: dict[str, Wording]  # rule id -> why it matters, in plain words
    warnings: dict[str, Wording]
    consider: dict[str, Wording]
    safety_net: dict[str, tuple[Wording, ...]]  # tier -> lines, each shown when it fits
    interactions: tuple[Interaction, ...] = ()
    no_interaction: tuple[str, ...] = ()  # medicines marked "no known interaction here"
    months: tuple[str, ...] = ()  # month names, January first: dates are written out in words
    blood_tests: tuple[BloodTest, ...] = ()  # rev 3, in the policy's order
    blood_test_line: str = ""  # "Ask for a blood test for {tests}."
    reading: ReadingWords | None = None  # rev 3: not sure, not reported, inferred
    traditional_cap: TraditionalCap | None = None  # rev 3: how many traditional remedies in full
    lists: ListWords = ListWords("and", "a medicine")  # how a list is said in a sentence
