"""The data flow, in order: questions -> answers -> engine -> result -> sheet.

`Triage` loads and checks every data file once (so a broken rules file fails before the
first question) and runs each stage. Heavy modules are imported only by the stage that needs
them: no questionary when answers come from a file, no Jinja for --json.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from triage import loader, paths
from triage.documents import Documents
from triage.contract import Contract
from triage.errors import UsageError
from triage.model import Knowledge, Question

if TYPE_CHECKING:
    from triage.engine import Engine
    from triage.result import Assembler, Result


class Triage:
    def __init__(self, rules: Path | None = None, templates: Path | None = None) -> None:
        self.rules_dir = rules or paths.rules_dir()
        self._templates_dir = templates

    # -- data, loaded once and checked ---------------------------------------------------------
    @cached_property
    def documents(self) -> Documents:
        return Documents(self.rules_dir)

    @cached_property
    def contract(self) -> Contract:
        return loader.load_contract(self.rules_dir)

    @cached_property
    def knowledge(self) -> Knowledge:
        return loader.load_knowledge(self.documents, self.contract)

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        return loader.load_questions(self.documents, self.contract)

    @cached_property
    def engine(self) -> Engine:
        from triage.engine import Engine

        return Engine(self.knowledge.rules)

    @cached_property
    def countries(self) -> dict[str, dict[str, str]]:
        data = self.documents[self.rules_dir / "countries.yaml"]
        return {str(c["id"]): {k: str(v) for k, v in c.items()} for c in data["countries"]}

    # -- stages --------------------------------------------------------------------------------
    def answers_from_file(self, path: str) -> dict[str, Any]:
        from triage.files import read_answers

        return self.contract.check(read_answers(path), source=Path(path).name)

    def interview(self, ask: Callable[[Question, Any], Any] | None = None) -> dict[str, Any]:
        """Ask the questions; stop at once when the answers so far are an emergency."""
        from triage.questionnaire import Interview, ask_terminal

        # Load and check every rules file, and build the engine's ruleset (durable-rules may refuse
        # it), before the first question: a broken data file must stop the program there.
        self.knowledge, self.engine  # noqa: B018
        interview = Interview(self.questions, ask or ask_terminal,
                              stop=lambda answers: self.evaluate(answers).disposition == "emergency")
        return self.contract.check(interview.run(), source="your answers")

    @cached_property
    def assembler(self) -> Assembler:
        from triage.result import Assembler

        return Assembler(self.knowledge)

    def evaluate(self, answers: Mapping[str, Any]) -> Result:
        return self.assembler.build(answers, self.engine.fired(answers))

    def numbers(self, country: str) -> dict[str, str]:
        if country not in self.countries:
            raise UsageError(f"--country {country!r} is not known; use one of: {', '.join(self.countries)}")
        return self.countries[country]

    def sheet(self, result: Result, answers: Mapping[str, Any], fmt: str, country: str = "generic") -> str:
        from triage import sheet

        templates = self._templates_dir or paths.templates_dir()
        context = sheet.view(self.knowledge, result, answers, self.questions, self.numbers(country))
        return sheet.render(sheet.environment(templates), fmt, context)

    def show(self, result: Result, answers: Mapping[str, Any], country: str = "generic") -> None:
        """Print the sheet in this terminal, with colour where the terminal has it."""
        from triage import sheet

        markdown = self.sheet(result, answers, "terminal", country)
        sheet.show_in_terminal(markdown, self.knowledge.tiers[result.disposition].colour)

    def answers_text(self, answers: dict[str, Any]) -> str:
        from triage.files import dump_answers

        return dump_answers(answers, list(self.contract.properties))
