"""Every error triage shows a person. Only cli.py catches these and turns them into exit codes."""

from __future__ import annotations


class TriageError(Exception):
    """Base class: a problem with a one-line message that says what to do."""

    exit_code = 2


class AnswersError(TriageError):
    """The answers (from a file or typed in) break the answers contract."""

    def __init__(self, key: str, problem: str, source: str = "answers") -> None:
        self.key = key
        self.problem = problem
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(f"{where}{key}: {problem}")

    def __reduce__(self) -> tuple[type[AnswersError], tuple[str, str, str]]:
        # picklable, so that an error in a worker process (triage batch --jobs) comes back whole
        return (AnswersError, (self.key, self.problem, self.source))


class UsageError(TriageError):
    """The command line asks for something that cannot be done."""


class DataFileError(TriageError):
    """A file under rules/ or templates/ is broken. Raised at load, before the first question."""

    exit_code = 3

    def __init__(self, path: str, item: str, detail: str) -> None:
        self.path = path
        self.item = item
        self.detail = detail
        super().__init__(
            f"{path}: {item}: {detail} (this is a bug in the tool's data files; please report it)"
        )

    def __reduce__(self) -> tuple[type[DataFileError], tuple[str, str, str]]:
        return (DataFileError, (self.path, self.item, self.detail))


class Aborted(TriageError):
    """The person pressed Ctrl-C."""

    exit_code = 130

    def __init__(self) -> None:
        super().__init__("Stopped. Nothing was saved.")
