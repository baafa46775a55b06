"""The data flow, in order: questions -> answers -> engine -> result -> sheet.

`Triage` loads and checks every data file once (so a broken rules file fails before the
first question) and runs each stage. What it loaded is kept, signed, for the next run (`_kept`).
Heavy modules are imported only by the stage that needs them: no questionary when answers come
from a file, no Jinja for --json.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import gc
import hashlib
import json
import pickle
import sys
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from triage import loader, paths
from triage.contract import Contract
from triage.documents import Documents, RulesFiles
from triage.errors import TriageError, UsageError, show
from triage.model import Country, Knowledge, Phrases, Question

if TYPE_CHECKING:
    from triage.engine import Engine, Plan
    from triage.result import Assembler, Result


T = TypeVar("T")
MAX_KEPT = 8_000_000  # bytes in the kept copy of the loaded data (about 0.4 MB today)


class Loaded(NamedTuple):
    """Everything loaded and checked from rules/, kept between runs as one (Triage._kept)."""

    phrases: Phrases
    contract: Contract
    knowledge: Knowledge
    questions: tuple[Question, ...]
    followup: loader.Words
    recheck_questions: tuple[tuple[Question, ...], str]
    countries: dict[str, Country]
    engine_plan: Plan


@functools.cache
def _code_digest() -> bytes:
    """A digest of triage's own code: a kept copy made by other code is never used."""
    made = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        made.update(path.name.encode() + b"\0" + path.read_bytes())
    return made.digest()


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """Python's cycle collector waits while data is loaded. Loading makes tens of thousands of
    objects that live as long as the Triage, and the collector walked them again and again
    while they were being made (measured: about 7 ms of a --json start). A load inside a load,
    or a program that turned the collector off, leaves it as it was."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _loaded(load: Callable[[Any], T]) -> cached_property[T]:
    """A cached property whose loading runs without the cycle collector (_no_collection)."""

    @functools.wraps(load)
    def without_collection(self: Any) -> T:
        with _no_collection():
            return load(self)

    return cached_property(without_collection)


class Triage:
    def __init__(
        self, rules: Path | None = None, templates: Path | None = None, keep: bool = True
    ) -> None:
        """`keep`: load through the kept copy of the loaded data (`_kept`), when there is one."""
        self.rules_dir = rules or paths.rules_dir()
        self._templates_dir = templates
        self._keep = keep

    # -- data, loaded once and checked ---------------------------------------------------------
    @_loaded
    def files(self) -> RulesFiles:
        """The rules' files, read once: what the documents are parsed from, and what names the
        kept copy of the loaded data (`_kept`)."""
        return RulesFiles(self.rules_dir)

    @_loaded
    def documents(self) -> Documents:
        return Documents(self.rules_dir, self.files)

    @_loaded
    def _kept(self) -> Loaded | None:
        """Everything loaded from rules/, as an earlier run built and checked it, or None (then
        each part loads alone when first needed, as below). Building and checking is most of a
        short run's own work; the same objects come back from the cache in a tenth of the time.
        An entry is trusted only with this user's MAC (triage.documents.SignedStore) and is
        named by a digest of every rules file's bytes, this folder's path, triage's own code and
        this Python, so any change to any of them builds afresh. Broken data is never kept: its
        error then comes from the part that reads it, where it always did."""
        from triage.documents import SignedStore

        store = SignedStore.open() if self._keep else None
        if store is None:
            return None
        try:
            digest = self._digest()
        except (OSError, TriageError):  # a missing or unreadable file: its part will say so
            return None
        name = f"loaded-{digest[:40]}.b64"
        payload = store.get(name, MAX_KEPT)
        if payload is not None:
            try:
                kept = pickle.loads(base64.b64decode(payload, validate=True))
            except Exception:  # signed by us, so only another build of triage: build afresh
                kept = None
            if isinstance(kept, Loaded):
                return kept
        fresh = Triage(self.rules_dir, self._templates_dir, keep=False)
        try:
            kept = Loaded(*(getattr(fresh, part) for part in Loaded._fields))
        except TriageError:
            return None
        # kept only if no file changed while it was read: the name must say what the entry holds
        with contextlib.suppress(OSError, TriageError):
            if fresh._digest() == digest:
                kept_bytes = pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
                store.put(name, base64.b64encode(kept_bytes))
        return kept

    def _digest(self) -> str:
        """What the loaded data is made from: the rules' files, where they are, and the code."""
        made_from = hashlib.sha256(f"{sys.version}\0{self.rules_dir.resolve()}\0".encode())
        made_from.update(self.files.digest.encode())  # every YAML file, and the version
        made_from.update((self.rules_dir / "answers.schema.json").read_bytes())
        made_from.update(_code_digest())
        return made_from.hexdigest()

    @_loaded
    def contract(self) -> Contract:
        if self._kept:
            return self._kept.contract
        return loader.load_contract(self.rules_dir, self.phrases)

    @_loaded
    def knowledge(self) -> Knowledge:
        if self._kept:
            return self._kept.knowledge
        return loader.load_knowledge(self.documents, self.contract)

    @_loaded
    def questions(self) -> tuple[Question, ...]:
        if self._kept:
            return self._kept.questions
        return loader.load_questions(self.documents, self.contract)

    @_loaded
    def phrases(self) -> Phrases:
        """The words of the terminal, the command line and the print-out's headings."""
        if self._kept:
            return self._kept.phrases
        return loader.load_phrases(self.documents)

    @_loaded
    def followup(self) -> loader.Words:
        """The words of the re-check, the diary and the reminder (rules/followup.yaml)."""
        if self._kept:
            return self._kept.followup
        return loader.load_followup(self.documents)

    @_loaded
    def recheck_questions(self) -> tuple[tuple[Question, ...], str]:
        if self._kept:
            return self._kept.recheck_questions
        return loader.load_recheck_questions(self.documents, self.contract, self.questions)

    @_loaded
    def engine_plan(self) -> Plan:
        """The rules as durable's C engine takes them, checked and split (triage.engine)."""
        if self._kept:
            return self._kept.engine_plan
        from triage.engine import make_plan

        return make_plan(self.knowledge.rules)

    @_loaded
    def engine(self) -> Engine:
        from triage.engine import Engine

        return Engine(self.knowledge.rules, self.engine_plan)

    @_loaded
    def countries(self) -> dict[str, Country]:
        if self._kept:
            return self._kept.countries
        return loader.load_countries(self.documents, self.rules_dir)

    def load(self) -> None:
        """Load and check every data file and build the engine's ruleset (durable-rules may
        refuse it): a broken data file stops the program here, before any question or case."""
        self.knowledge, self.questions, self.countries, self.engine, self.phrases  # noqa: B018
        self.followup, self.recheck_questions  # noqa: B018 - the follow-up words and questions
        if self.rules_dir.resolve() != paths.rules_dir().resolve():  # a copy: all its words
            loader.check_copy(self.documents, Documents(paths.rules_dir()))

    # -- stages --------------------------------------------------------------------------------
    def answers_from_file(self, path: str) -> dict[str, Any]:
        from triage.files import read_answers

        name = self.phrases("cli.stdin_name") if path == "-" else ""  # "": read_answers names it
        return self.answers_from_data(
            read_answers(path, self.phrases, name), source=name or Path(path).name
        )

    def answers_from_data(self, data: Any, source: str) -> dict[str, Any]:
        """Parsed answers, or a FHIR QuestionnaireResponse (by its resourceType), checked."""
        if isinstance(data, Mapping) and "resourceType" in data:
            from triage import fhir

            data = fhir.answers(data, self.questions, source, self.phrases)
        return self.contract.check(data, source=source)

    def interview(
        self,
        ask: Callable[[Question, Any], Any] | None = None,
        plain: bool = False,
        today: date | None = None,
    ) -> dict[str, Any]:
        """Ask the questions (in this terminal, or in plain numbered lines); stop at once when
        the answers so far are an emergency. The answers carry the day they were given
        (`answered_on`, contract rev 3): today, unless told."""
        import contextlib

        from triage.interview import Interview
        from triage.terminal import Terminal

        self.load()  # before the first question
        screen: Any = contextlib.nullcontext()
        if ask is None and plain:
            from triage.plain import Plain, console_width

            ask = Plain(self.phrases, width=console_width())
        elif ask is None:
            terminal = Terminal(self.phrases)
            ask, screen = terminal, terminal.screen()
        interview = Interview(self.questions, ask, stop=self.stops_early)
        with screen:
            answers = interview.run()
        answers["answered_on"] = (today or date.today()).isoformat()
        return self.contract.check(answers, source="your answers")

    def stops_early(self, answers: Mapping[str, Any]) -> bool:
        """Do the answers so far end the questions at once? An emergency, or an urgent rule
        that says act now (policy rev 3, "Early stop": a maternity unit to call at once). The
        one early stop of the questionnaire and of the re-check."""
        result = self.evaluate(answers)
        return result.disposition == "emergency" or (
            result.disposition == "urgent" and result.act_within == "now"
        )

    @_loaded
    def assembler(self) -> Assembler:
        from triage.result import Assembler

        return Assembler(self.knowledge)

    def evaluate(self, answers: Mapping[str, Any], country: str = "generic") -> Result:
        """The result for checked answers, read as the contract says first (triage.reading:
        not-sure signs count as yes, what a contradictory file implies is filled in)."""
        from triage.reading import read

        reading = read(self.knowledge, answers)
        return self.assembler.build(
            reading.answers, self.engine.fired(reading.answers), self.numbers(country), reading
        )

    def numbers(self, country: str) -> dict[str, str]:
        if country not in self.countries:
            known = ", ".join(self.countries)
            raise UsageError(
                self.phrases("cli.unknown_country_id", given=show(country), known=known)
            )
        return self.countries[country].numbers()

    def compose(
        self,
        result: Result,
        answers: Mapping[str, Any],
        made_on: str = "",
        extras: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The sheet's record: page one, decided once, and the rest (triage.composition)."""
        from triage.composition import compose

        return compose(
            self.knowledge, result, answers, self.questions, self.sheet_words, made_on, extras
        )

    @cached_property
    def sheet_words(self) -> dict[str, str]:
        """The sheet's own words: headings, labels, the footer (rules/ui.yaml, `sheet`)."""
        return self.phrases.group("sheet")

    def result_data(
        self,
        result: Result,
        answers: Mapping[str, Any],
        extras: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The contract's result (--json): the clinical result, with `featured` marking the
        remedies page one shows, from the same decision as the sheet's."""
        return result.to_dict(self.featured(result, answers, extras))

    def featured(
        self,
        result: Result,
        answers: Mapping[str, Any],
        extras: Mapping[str, Any] | None = None,
    ) -> list[str]:
        """The remedies page one shows: the sheet's own decision (triage.composition)."""
        from triage.composition import featured

        return featured(self.knowledge, result, answers, self.sheet_words, extras)

    def decide(self, answers: Mapping[str, Any], country: str = "generic") -> dict[str, Any]:
        """The contract's result for checked answers, as --json gives it."""
        return self.result_data(self.evaluate(answers, country), answers)

    def result_json(
        self,
        result: Result,
        answers: Mapping[str, Any],
        extras: Mapping[str, Any] | None = None,
    ) -> str:
        data = self.result_data(result, answers, extras)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def sheet(
        self,
        result: Result,
        answers: Mapping[str, Any],
        fmt: str,
        full: bool = False,
        made_on: str = "",
        extras: Mapping[str, Any] | None = None,
    ) -> str:
        """The sheet as text, Markdown or HTML. Text and Markdown show page one unless `full`;
        HTML always has everything after page one, on pages of its own, the clinician's page
        (dated `made_on`, for example 2025-03-01) first."""
        return self.render(self.compose(result, answers, made_on, extras), fmt, full)

    def render(self, record: Mapping[str, Any], fmt: str, full: bool = False) -> str:
        """A composed sheet (`compose`) in one format, as `sheet` renders it: one record can
        be rendered in every format without being composed again."""
        from triage import sheet

        return sheet.render(
            self._templates, fmt, dict(record, full=full or fmt == "html", format=fmt)
        )

    def headline(self, result: Result) -> str:
        """The tier and the one thing to do, as the sheet starts: for the screen when the sheet
        itself goes to a file."""
        from triage import sheet

        advice = result.advice
        tier = {
            k: getattr(advice, k)
            for k in ("label", "headline", "action", "timeframe", "first_line")
        }
        return sheet.render(self._templates, "headline", {"tier": tier, "words": self.sheet_words})

    @_loaded
    def _templates(self) -> Any:
        """The Jinja environment, made once: it compiles each template only the first time."""
        from triage import sheet

        return sheet.environment(self._templates_dir or paths.templates_dir())

    def tables(self, fmt: str) -> str:
        """Both clinical tables (safety, and medicines and interactions) for a clinician to
        review, as Markdown or HTML, with their sources."""
        from triage import review, sheet

        words = dict(self.phrases.group("tables"), language=self.sheet_words["language"])
        return sheet.render(
            self._templates, fmt, review.record(self.knowledge, words), sheet.TABLES
        )

    def show(
        self,
        result: Result,
        answers: Mapping[str, Any],
        full: bool = False,
        plain: bool = False,
        again: str = "",
        extras: Mapping[str, Any] | None = None,
    ) -> None:
        """Print the sheet in this terminal, with colour where the terminal has it. Taller than
        the screen, it opens in the pager first (not in plain mode), and the tier and what to do
        are printed again after it, so they are on screen at the end, with how to read the whole
        sheet again (`again`: the answers file that replays it, if there is one). `extras`: a
        re-check's line, the diary's chart."""
        import shutil
        import sys

        from triage import pager, sheet

        record = self.compose(result, answers, extras=extras)
        say = self.phrases

        def recap(fmt: str, paged: bool, more: Mapping[str, Any] | None = None) -> str:
            if not paged:
                end = say("result.end")
            elif again:
                end = say("result.end_paged_file", file=again)
            else:
                end = say("result.end_paged")
            return sheet.render(self._templates, fmt, {**record, **(more or {}), "end": end})

        if plain:  # plain lines, in reading order: the text sheet, never a pager
            from triage.plain import MIN_WIDTH, console_width

            # As wide as the questions were (red team round 4, C4): a narrow terminal or a
            # braille line would otherwise break the sheet's lines in the middle of words.
            narrow = {"width": max(MIN_WIDTH, min(sheet.WIDTH, console_width() - 1))}
            page = dict(record, full=full, format="text", **narrow)
            text = sheet.render(self._templates, "text", page)
            sys.stdout.write(text)
            if text.count("\n") >= shutil.get_terminal_size((80, 24)).lines:
                sys.stdout.write(recap("recap-text", False, narrow))
            return
        markdown = sheet.render(
            self._templates, "terminal", dict(record, full=full, format="terminal")
        )
        sheet.show_in_terminal(
            markdown,
            self.knowledge.tiers[result.disposition].colour,
            recap=lambda paged: recap("recap", paged),
            page=lambda text: pager.show(text, say("result.pager")),
        )

    def answers_text(self, answers: dict[str, Any], path: str = "") -> str:
        """The answers to save: a FHIR QuestionnaireResponse for a *.fhir.json name, else YAML."""
        if path.lower().endswith(".fhir.json"):
            from triage import fhir

            return fhir.response_text(answers, self.questions, self.phrases)
        from triage.files import dump_answers

        days = [k for k, f in self.contract.fields.items() if f.kind == "date"]
        header = self.phrases("cli.answers_header")
        return dump_answers(answers, list(self.contract.properties), header, days)
