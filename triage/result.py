"""The triage result: from the rules that fired to the contract's result format.

Nothing clinical is decided here; this only combines what the rules concluded and what the
data files say. `Assembler.build` does it in named steps, each a method:

- `decide`: the highest tier wins; its timeframe (act_within), early stop and route;
- `remedies`: the safety table (triage.safety, once per person) says which actions are withheld
  and which carry cautions: a withheld action takes out every step that does it, and a remedy
  whose title action is withheld, or that is left with no step or only with "Or ..." steps, is
  withheld whole (`against_table`); an emergency keeps no remedies; `never_advised`: the rows
  no remedy does;
- `rank`: evidence grade, then what must lead, then fit to this person's cramp, then effort;
- the words (`Say`): each text takes the wording that fits this person and this tier, with the
  country's numbers filled in: `reasons`, `read_as`, `advice`, `warnings`, `consider`,
  `safety_net`; and `blood_tests`.

The result knows nothing of pages: which remedies page one shows (`featured` in the contract's
result) is decided once, by triage.composition, and given to `Result.to_dict`.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from triage import dates, safety
from triage.conditions import holds
from triage.model import (
    ACT_WITHIN,
    ACT_WITHIN_DEFAULT,
    TIERS,
    BloodTest,
    Knowledge,
    Rule,
    Step,
    Tier,
    Variant,
    Wording,
    tier_rank,
)

if TYPE_CHECKING:
    from triage.reading import Reading

CONTRACT_VERSION = 1
RECORD_LISTS = (
    "reasons",
    "remedies",
    "withheld",
    "withheld_actions",
    "warnings",
    "consider",
    "inferred",
)


class Reason(NamedTuple):
    rule: str
    tier: str
    text: str


class RemedyPick(NamedTuple):
    id: str
    title: str
    when: str
    evidence: str
    steps: tuple[str, ...]  # only the steps that fit this person and that no filter withheld
    points: tuple[str, ...]
    cautions: tuple[str, ...]
    source: str


class Withheld(NamedTuple):
    id: str  # a remedy id (in `withheld`) or an action id (in `withheld_actions`)
    because: str
    column: str | None  # the safety-table column whose reason this is (None on an emergency)


class Note(NamedTuple):
    id: str
    text: str


class Inferred(NamedTuple):
    key: str
    value: Any
    because: str


class Advice(NamedTuple):
    label: str
    headline: str
    action: str
    timeframe: str
    first_line: str = ""  # rev 3: above the tier, e.g. for someone answering for another person


class Result(NamedTuple):
    version: int
    disposition: str
    advice: Advice
    reasons: list[Reason]
    remedies: list[RemedyPick]
    withheld: list[Withheld]
    withheld_actions: list[Withheld]
    warnings: list[Note]
    consider: list[Note]
    safety_net: list[str]
    columns: list[str]  # the safety-table columns the person is in (for every row), in order
    recheck_on: str | None  # the day the sheet says to re-check (ISO), from answered_on
    # rev 3 (contract "Not reported", "Contradictory files"): the keys the rules needed that the
    # file left out, and what was inferred from a contradictory file
    not_reported: list[str]
    inferred: list[Inferred]
    # rev 3: page one's lines on how the answers were read: the short warning-sign check shown
    # before any remedy when the warning signs were not answered, and, in "why", the not-sure
    # and inferred lines
    checks: list[str]
    read_as: list[str]
    # rev 3 (contract, "The result"): the timeframe inside the tier, the service the action names
    # first, and the blood tests page one asks for (with the line that asks for them)
    act_within: str = "none"
    route: str = "none"
    blood_tests: tuple[str, ...] = ()
    blood_test_line: str = ""

    def to_dict(self, featured: Collection[str]) -> dict[str, Any]:
        """The contract's result as plain JSON data: dicts, lists, strings and numbers.
        `featured`: the remedies page one shows (composition decides them, not the result)."""
        out = self._asdict()
        out["advice"] = self.advice._asdict()
        out["blood_tests"] = list(self.blood_tests)
        for key in RECORD_LISTS:
            items = out[key]
            if items:
                fields = items[0]._fields
                out[key] = [
                    {
                        f: list(v) if isinstance(v, tuple) else v
                        for f, v in zip(fields, item, strict=True)
                    }
                    for item in items
                ]
        out["remedies"] = [_with_featured(r, r["id"] in featured) for r in out["remedies"]]
        return out


def fits(
    variant: Variant | Step,
    answers: Mapping[str, Any],
    tier: str | None = None,
    within: str | None = None,
    fired: frozenset[str] | None = None,
) -> bool:
    """Does this wording or step fit this person (and this sheet's tier, timeframe and rules)?"""
    if variant.when is not None and not holds(variant.when, answers):
        return False
    if variant.unless is not None and holds(variant.unless, answers):
        return False
    if not isinstance(variant, Variant):
        return True
    if variant.within and within is not None and within not in variant.within:
        return False
    if variant.fired and fired is not None and not fired.intersection(variant.fired):
        return False
    if variant.unless_fired and fired is not None and fired.intersection(variant.unless_fired):
        return False
    return tier is None or not variant.tiers or tier in variant.tiers


def pick_variant(
    wording: Wording,
    answers: Mapping[str, Any],
    tier: str,
    within: str | None = None,
    fired: frozenset[str] | None = None,
) -> Variant | None:
    """The first variant that fits, or None: the text is not for this person."""
    first = wording[0]
    if (
        first.when is None
        and first.unless is None
        and not first.tiers
        and not first.within
        and not first.fired
        and not first.unless_fired
    ):  # most texts: one wording for all
        return first
    return next((v for v in wording if fits(v, answers, tier, within, fired)), None)


def choose(
    wording: Wording,
    answers: Mapping[str, Any],
    tier: str,
    within: str | None = None,
    fired: frozenset[str] | None = None,
) -> str | None:
    """The text of the first variant that fits, or None: the text is not for this person."""
    chosen = pick_variant(wording, answers, tier, within, fired)
    return None if chosen is None else chosen.text


def act_within(rules: Iterable[Any], answers: Mapping[str, Any], disposition: str) -> str:
    """The strictest timeframe the rules of the sheet's tier set (policy "Dispositions"): each
    rule's first fitting act_within, or its tier's own."""
    own = [
        (pick_variant(r.act_within, answers, disposition) if r.act_within else None)
        for r in rules
        if r.tier == disposition
    ]
    chosen = [v.text if v is not None else ACT_WITHIN_DEFAULT[disposition] for v in own]
    return min(chosen or [ACT_WITHIN_DEFAULT[disposition]], key=ACT_WITHIN.index)


class Decision(NamedTuple):
    """The sheet's tier and how soon to act (policy "Dispositions"), from the rules that fired."""

    disposition: str  # the highest tier any rule reached
    tier: Tier
    within: str  # act_within: the strictest timeframe the rules of that tier set
    stopped: bool  # an early-stop sheet (rev 3, "Early stop"): no remedies, no cramp advice
    route: str  # the service the action names first (policy "Routing")
    fired: frozenset[str]


class Say:
    """The words of one sheet: each text in the wording that fits this person, this tier, its
    timeframe and the rules that fired, with dates, numbers and the safety table's reasons
    filled in.

    It holds what no single text knows, across the sheet: whether the emergency number has been
    said (the generic number lists every country's number the first time only, then says "your
    emergency number"), and the re-check days the dated lines named, in the order said. So the
    order in which the sheet's texts are said matters (Assembler.build keeps it).
    """

    def __init__(
        self,
        k: Knowledge,
        answers: Mapping[str, Any],
        decision: Decision,
        numbers: Mapping[str, str],
        place: safety.Place,
    ) -> None:
        self.k = k
        self.answers = answers
        self.tier, self.within, self.fired = decision.disposition, decision.within, decision.fired
        self.first = numbers
        self.again = {**numbers, "emergency": numbers.get("emergency_again", numbers["emergency"])}
        # a never-advised action's {id} placeholder: why the table withholds it for this person
        self.fills = {
            "{" + a.id + "}": place.of(a.id).because or a.otherwise
            for a in k.actions.values()
            if a.message
        }
        self.said_number = False
        self.days: list[str] = []  # the re-check day of each dated line said, in order

    def __call__(self, wording: Wording) -> str | None:
        """The text that fits, filled in, or None: the text is not for this person (or its
        date is not known)."""
        text = choose(wording, self.answers, self.tier, self.within, self.fired)
        if text is None:
            return None
        if "{" in text:
            text, day = dates.fill(text, self.answers, self.k.months)
            if text is None:
                return None  # its date is not known: the line is left out
            if day is not None:
                self.days.append(day.isoformat())
        numbers = self.again if self.said_number else self.first
        filled = _fill(text, self.k, self.answers, numbers, self.fills)
        self.said_number = self.said_number or "{emergency}" in text
        return filled

    def text(self, text: str) -> str:
        """A plain text of rules/ (one wording for all), filled in the same way."""
        return self((Variant(text),)) or ""


class Remedies(NamedTuple):
    """The offered remedies after the safety table (policy, "How the table is applied")."""

    kept: list[RemedyPick]  # in the order offered, not yet ranked nor featured
    withheld: list[Withheld]  # left out whole
    actions: dict[str, None]  # actions taken out of some offered remedy, in order


class Assembler:
    """Builds results for one knowledge base; orders and per-remedy data are worked out once.

    `build` is the whole of it, as a short list of steps; each step is a method that can be
    called (and tested) on its own with the rules that fired.
    """

    def __init__(self, k: Knowledge) -> None:
        self.k = k
        self.rules = {r.id: (n, r) for n, r in enumerate(k.rules)}
        grades = list(k.evidence)  # strongest first, as listed in rules/evidence.yaml
        self.grade = {rid: grades.index(m.evidence) for rid, m in k.remedies.items()}
        self.catalogue = {rid: n for n, rid in enumerate(k.remedies)}
        self.source = {
            rid: "; ".join(k.sources[s].cite for s in m.sources) for rid, m in k.remedies.items()
        }

    def build(
        self,
        answers: Mapping[str, Any],
        fired: Iterable[str],
        numbers: Mapping[str, str],
        reading: Reading | None = None,
    ) -> Result:
        """The result for these answers and the rules they fired, step by step."""
        fired_ids = tuple(fired)
        rules = self.in_file_order(fired_ids)
        decision = self.decide(rules, answers, frozenset(fired_ids))
        # The person's place in the safety table, worked out once: every step, caution, "left
        # out" line and placeholder below comes from it.
        place = safety.place(self.k, answers, fired_ids)
        offered = self.remedies(rules, decision, answers, place)
        remedies = self.rank(offered.kept, answers)
        notes, never = self.never_advised(decision, answers, place)
        removed = {**offered.actions, **dict.fromkeys(never)}  # actions left out, in order
        # The words, said in this order: Say gives the emergency number in full the first time.
        say = Say(self.k, answers, decision, numbers, place)
        reasons = self.reasons(rules, decision, answers, say, reading)
        checks, read_as, unchecked = self.read_as(answers, reading, say)
        advice = self.advice(decision, say)
        warnings = self.warnings(rules, decision, say, notes, unchecked)
        consider = self.consider(rules, decision, say)
        safety_net, recheck_on = self.safety_net(decision, say)
        tests, blood_test_line = self.blood_tests(decision, answers)
        result = Result(
            version=CONTRACT_VERSION,
            disposition=decision.disposition,
            advice=advice,
            reasons=reasons,
            remedies=remedies,
            withheld=offered.withheld,
            withheld_actions=[
                Withheld(a, place.of(a).because, place.of(a).column or None) for a in removed
            ],
            warnings=warnings,
            consider=consider,
            safety_net=safety_net,
            columns=list(place.columns),
            recheck_on=recheck_on,
            act_within=decision.within,
            route=decision.route,
            blood_tests=tuple(t.id for t in tests),
            blood_test_line=blood_test_line,
            not_reported=list(reading.not_reported) if reading else [],
            inferred=[Inferred(*i) for i in reading.inferred] if reading else [],
            checks=checks if decision.disposition != "emergency" else [],
            read_as=read_as,
        )
        return result

    def in_file_order(self, fired: Iterable[str]) -> list[Rule]:
        """The rules that fired, in the order of rules/logic (stable, whatever the engine's)."""
        return [r for _, r in sorted(self.rules[rid] for rid in fired)]

    def decide(
        self, rules: Sequence[Rule], answers: Mapping[str, Any], fired: frozenset[str]
    ) -> Decision:
        """The tier (the highest any rule reached), its timeframe, whether the sheet stops
        early, and the service its action names first (policy "Dispositions", "Routing")."""
        disposition = max((r.tier for r in rules if r.tier), key=tier_rank, default=TIERS[0])
        tier = self.k.tiers[disposition]
        within = act_within(rules, answers, disposition)
        action = pick_variant(tier.action, answers, disposition, within, fired)
        route = action.route if action is not None else "none"
        return Decision(disposition, tier, within, within in tier.early_stop, route, fired)

    def reasons(
        self,
        rules: Sequence[Rule],
        decision: Decision,
        answers: Mapping[str, Any],
        say: Say,
        reading: Reading | None = None,
    ) -> list[Reason]:
        """Why: each rule's reason, highest tier first; self-care reasons only on a self-care
        sheet. On an early-stop sheet the rules that set its timeframe lead (its one line)."""
        disposition = decision.disposition
        # contract rev 3: a file that left the warning signs out never has "no warning signs"
        unanswered = {"no_warning_signs"} if reading and "symptoms" in reading.not_reported else ()
        lead = {
            r.id
            for r in rules
            if decision.stopped and r.act_within
            for v in [pick_variant(r.act_within, answers, disposition)]
            if v is not None and v.text == decision.within
        }
        return [
            Reason(r.id, r.tier, text)
            for r in sorted(rules, key=lambda r: (-tier_rank(r.tier or TIERS[0]), r.id not in lead))
            if r.tier and (r.tier != TIERS[0] or disposition == TIERS[0])
            if r.id not in unanswered
            for text in [say(self.k.reasons[r.id])]
            if text
        ]

    def remedies(
        self,
        rules: Sequence[Rule],
        decision: Decision,
        answers: Mapping[str, Any],
        place: safety.Place,
    ) -> Remedies:
        """The remedies the rules offered, each kept (with only its steps that fit) or withheld
        by the safety table. An emergency keeps none and the table is not used (policy rule 1);
        an early-stop sheet offers none."""
        offered = _unique(o for r in rules for o in r.offer)
        if decision.disposition == "emergency":
            because = decision.tier.withheld_because
            return Remedies([], [Withheld(rid, because, None) for rid in offered], {})
        out = Remedies([], [], {})
        if decision.stopped:
            return out
        for rid in offered:
            verdict, removed = self.against_table(rid, answers, place)
            out.actions.update(dict.fromkeys(removed))
            if isinstance(verdict, RemedyPick):
                out.kept.append(verdict)
            elif verdict is not None:
                out.withheld.append(verdict)
        return out

    def against_table(
        self, rid: str, answers: Mapping[str, Any], place: safety.Place
    ) -> tuple[RemedyPick | Withheld | None, tuple[str, ...]]:
        """One remedy for this person (policy rule 2): kept, with its steps that fit and that do
        no withheld action; withheld whole, when its title action is withheld or what is left is
        no step or only "Or ..." steps; or None, when none of its steps fits this person. With
        the withheld actions it names, in order."""
        m = self.k.remedies[rid]
        fitting = [s for s in m.steps if (s.when is None and s.unless is None) or fits(s, answers)]
        title = next((a for a in m.action if place.of(a).withheld), None)
        kept = [s for s in fitting if not any(place.of(a).withheld for a in s.does)]
        hit = tuple(a for s in fitting for a in s.does if place.of(a).withheld)
        if title is None and kept and not all(s.alternative for s in kept):
            cautions = _unique(
                c
                for a in (*m.action, *(a for s in kept for a in s.does))
                for c in place.of(a).cautions
            )
            pick = RemedyPick(
                rid,
                m.title,
                m.when,
                m.evidence,
                tuple(s.text for s in kept),
                tuple(m.points),
                tuple(cautions),
                self.source[rid],
            )
            return pick, hit
        if title is None and not fitting:
            return None, ()  # nothing here fits this person; nothing was withheld
        # the reason is its first withheld action's
        why = place.of(title or (hit[0] if hit else m.action[0]))
        return Withheld(rid, why.because, why.column or None), (*hit, title) if title else hit

    def never_advised(
        self, decision: Decision, answers: Mapping[str, Any], place: safety.Place
    ) -> tuple[list[Note], list[str]]:
        """The never-advised rows without a warning of their own (policy rule 4): the warnings
        of their cautions, said only to someone who takes one of its medicines, and the ids of
        those withheld (said under "left out")."""
        if decision.disposition == "emergency":
            return [], []
        taken = set(answers.get("medications", ()))
        notes: list[Note] = []
        withheld: list[str] = []
        for a in self.k.actions.values():
            if not a.never_advised or a.message:
                continue
            verdict = place.of(a.id)
            if verdict.withheld:
                withheld.append(a.id)
            elif verdict.cautions and taken & set(a.takers):
                notes.append(Note(a.id, f"{a.label}: {' '.join(verdict.cautions)}"))
        return notes, withheld

    def rank(self, remedies: Iterable[RemedyPick], answers: Mapping[str, Any]) -> list[RemedyPick]:
        """Best first (policy "Ranking"): evidence grade, then what must lead for this person,
        then fit to their cramp, then least effort, then the order of rules/remedies.yaml."""

        def key(pick: RemedyPick) -> tuple[int, ...]:
            m = self.k.remedies[pick.id]
            lead = m.lead is not None and holds(m.lead, answers)
            fit = m.fit is not None and holds(m.fit, answers)
            return (self.grade[pick.id], not lead, not fit, m.effort, self.catalogue[pick.id])

        return sorted(remedies, key=key)

    def advice(self, decision: Decision, say: Say) -> Advice:
        """The tier's words: label, headline, what to do, when, and the first line above them."""
        tier = decision.tier
        return Advice(
            tier.label,
            say(tier.headline) or "",
            say(tier.action) or "",
            say(tier.timeframe) or "",
            (say(tier.first_line) or "") if tier.first_line else "",
        )

    def warnings(
        self,
        rules: Sequence[Rule],
        decision: Decision,
        say: Say,
        notes: Sequence[Note] = (),
        unchecked: Sequence[str] = (),
    ) -> list[Note]:
        """The warnings the rules raised, in messages.yaml's order, then the never-advised
        notes; an early-stop sheet keeps only those its tier names. What could not be checked
        comes after the quinine and medicine lines (not on an emergency or early-stop sheet)."""
        warned = {w for r in rules for w in r.warn}
        warnings = [
            Note(w, text)
            for w in self.k.warnings
            if w in warned
            for text in [say(self.k.warnings[w])]
            if text
        ] + list(notes)
        if decision.stopped:
            warnings = [n for n in warnings if n.id in decision.tier.early_stop_warnings]
        if unchecked and decision.disposition != "emergency" and not decision.stopped:
            warnings.insert(min(2, len(warnings)), Note("not_checked", " ".join(unchecked)))
        return warnings

    def consider(self, rules: Sequence[Rule], decision: Decision, say: Say) -> list[Note]:
        """The "this may not be a cramp" lines the rules name, each once (none on an early-stop
        sheet; each is said all the same, as before the early stop was added)."""
        return [
            Note(c, text)
            for c in _unique(c for r in rules for c in r.consider)
            for text in [say(self.k.consider[c])]
            if text and not decision.stopped
        ]

    def safety_net(self, decision: Decision, say: Say) -> tuple[list[str], str | None]:
        """The tier's safety-net lines that fit, and the re-check day (ISO) the last dated one
        names, if any."""
        start = len(say.days)
        lines = [t for line in self.k.safety_net[decision.disposition] for t in [say(line)] if t]
        return lines, say.days[-1] if len(say.days) > start else None

    def blood_tests(
        self, decision: Decision, answers: Mapping[str, Any]
    ) -> tuple[list[BloodTest], str]:
        """rev 3 ("Blood tests"): on soon and urgent sheets only (not an early stop), every test
        that applies, in the policy's order, and the one line that names them."""
        if decision.disposition not in ("soon", "urgent") or decision.stopped:
            return [], ""
        tests = [t for t in self.k.blood_tests if holds(t.when, answers)]
        words = self.k.lists.join([t.words for t in tests])
        return tests, (self.k.blood_test_line.replace("{tests}", words) if tests else "")

    def read_as(
        self,
        answers: Mapping[str, Any],
        reading: Reading | None,
        say: Say,
    ) -> tuple[list[str], list[str], list[str]]:
        """Page one's lines on how the answers were read (policy "Not sure and not reported"):
        the warning-sign check (warning signs not answered), the not-sure and inferred lines
        for "why", and the lines of the not_checked warning (medicines, conditions, age or
        pregnancy not known; medicines not sure)."""
        words = self.k.reading
        if reading is None or words is None:
            return [], [], []
        fill = say.text
        checks: list[str] = []
        unchecked: list[str] = []
        for item in words.not_reported:
            if item.key not in reading.not_reported:
                continue
            if item.check:
                checks += [fill(t) for t in (item.line or "", *item.check) if t]
            elif item.line:
                unchecked.append(fill(item.line))
        if "medications" not in reading.not_reported and set(answers.get("medications", ())) & {
            "not_sure_which",
            "another_medicine",
        }:
            unchecked.append(words.medicines_not_sure)
        read_as: list[str] = []
        if reading.not_sure:
            signs = [words.signs[s] for s in reading.not_sure]
            frame = words.not_sure_one if len(signs) == 1 else words.not_sure_many
            read_as.append(
                fill(
                    frame.replace("{signs}", self.k.lists.join([s.what for s in signs])).replace(
                        "{checks}", " ".join(s.check for s in signs if s.check)
                    )
                ).strip()
            )
        read_as += [
            fill(line)
            for i in reading.inferred
            for line in [words.inferred[i.key if i.key == "postpartum" else i.value].line]
            if line
        ]
        return checks, read_as, unchecked


def _with_featured(remedy: Mapping[str, Any], featured: bool) -> dict[str, Any]:
    """A remedy of the contract's result: `featured` (on page one, as composition decided)
    follows its evidence grade."""
    out: dict[str, Any] = {}
    for key, value in remedy.items():
        out[key] = value
        if key == "evidence":
            out["featured"] = featured
    return out


class LineEncoder:
    """Compact one-line JSON of results, for batch runs.

    Across a batch the same remedy, reason and warning records recur case after case, so each
    record's JSON is made once and reused (the cache is bounded by the distinct records the
    rules can produce). The output parses to exactly `Result.to_dict()` (tested).
    """

    def __init__(self) -> None:
        self._json = json.JSONEncoder(separators=(",", ":"), check_circular=False)
        self._fragments: dict[Any, str] = {}

    def _fragment(self, item: Any) -> str:
        text = self._fragments.get(item)
        if text is None:
            text = self._fragments[item] = self._json.encode(
                dict(zip(item._fields, item, strict=True))
            )
        return text

    def _remedy(self, pick: RemedyPick, featured: bool) -> str:
        text = self._fragments.get((pick, featured))
        if text is None:
            data = _with_featured(dict(zip(pick._fields, pick, strict=True)), featured)
            text = self._fragments[pick, featured] = self._json.encode(data)
        return text

    def encode(self, extra: Mapping[str, Any], result: Result, featured: Collection[str]) -> str:
        """`{...extra, "result": {...}}` on one line; `featured`: the remedies on page one."""
        head = self._json.encode(dict(extra))[:-1]
        parts = [
            f'"version":{result.version}',
            f'"disposition":{self._json.encode(result.disposition)}',
            f'"advice":{self._fragment(result.advice)}',
        ]
        for key in result._fields[3:]:  # in the result's own order, as to_dict gives them
            value = getattr(result, key)
            if key == "remedies":
                picks = (self._remedy(p, p.id in featured) for p in value)
                parts.append(f'"{key}":[{",".join(picks)}]')
            elif key in RECORD_LISTS:
                parts.append(f'"{key}":[{",".join(map(self._fragment, value))}]')
            else:
                parts.append(f'"{key}":{self._json.encode(value)}')
        return f'{head}{"," if len(head) > 1 else ""}"result":{{{",".join(parts)}}}}}'


def _fill(
    text: str,
    k: Knowledge,
    answers: Mapping[str, Any],
    numbers: Mapping[str, str],
    fills: Mapping[str, str] | None = None,
) -> str:
    """Fill the placeholders texts may use: the person's medicines linked to cramps, the
    country's numbers, and the reasons of never-advised actions. No text leaves here with a
    placeholder in it."""
    if "{" not in text:
        return text
    for placeholder, value in (fills or {}).items():
        text = text.replace(placeholder, value)
    taken = set(answers.get("medications", ()))
    names = [  # in the contract's order: a list answer is a set, whatever order a file gives
        med.label for m, med in k.medicines.items() if m in taken and med.causes_cramps
    ]
    # rev 3 (F29): the medicine the person says the cramps began with, not every one they take
    chosen = set(answers.get("cramps_began_with", ()))
    began = [
        med.label
        for m, med in k.medicines.items()
        if m in taken and m in chosen and med.causes_cramps
    ]
    return (
        text.replace("{medicines}", k.lists.join(names) or k.lists.unnamed_medicine)
        .replace("{began_with}", k.lists.join(began or names) or k.lists.unnamed_medicine)
        .replace("{emergency}", numbers["emergency"])
        .replace("{urgent_line}", numbers["urgent_line"])
    )


def _leads(lead: Any, answers: Mapping[str, Any]) -> bool:
    return lead is not None and holds(lead, answers)


def _words(*texts: str) -> int:
    return sum(len(text.split()) for text in texts)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
