"""Shared fixtures: the real rules/, the real engine, real questionary prompts on a pipe."""

from __future__ import annotations

import importlib
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings
from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from triage import paths
from triage.pipeline import Triage

TESTS = Path(__file__).parent
# TRIAGE_QUICK=1: the property tests sample a tenth as much. For CI's compatibility runs (other
# Pythons, the newest releases), which check that everything works there, not the answer space:
# the full-size proofs run once, in ./dev test and ./dev exhaustive.
QUICK = bool(os.environ.get("TRIAGE_QUICK"))

# The long property tests (every red-flag set, the sampled answer sets, the fuzzing) are left out
# of coverage measurement: tracing them took three times as long, and what they run is measured
# by the rest of the suite (the floor in pyproject.toml holds without them). They still run, and
# fail, as every other test does.
UNMEASURED = pytest.mark.no_cover

# TRIAGE_FULL_SIZE_LATER=1 (set by .ci/run for its ./dev test stage only, whose next stage is
# ./dev exhaustive): those long property tests of the three files ./dev exhaustive runs are left
# for that stage, which runs the very same tests at full size (more sets and samples, the same
# checks), so CI does not run them twice. They are named in the summary; anywhere else, and
# under TRIAGE_EXHAUSTIVE=1 itself, everything runs.
FULL_SIZE_LATER = bool(os.environ.get("TRIAGE_FULL_SIZE_LATER")) and not os.environ.get(
    "TRIAGE_EXHAUSTIVE"
)
FULL_SIZE_FILES = {"test_safety.py", "test_composition.py", "test_fuzz.py"}  # as ./dev exhaustive

# Under CI the property tests are reproducible: the same examples in every clone (derandomize)
# and no example database carried over from earlier runs. Elsewhere they explore at random and
# replay what failed before (.hypothesis/). Every counterexample ever found is pinned with
# @example beside its test, so it is checked under both profiles.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "explore")
VIGNETTES = yaml.safe_load((TESTS / "vignettes.yaml").read_text(encoding="utf-8"))

# A suite started in the background by a script (`cmd &` in a shell without job control) starts
# with Ctrl-C ignored, and every process it starts inherits that: triage, rightly, leaves a
# signal its caller chose to ignore alone, and every Ctrl-C test would fail. The tests press
# Ctrl-C as a person at a terminal does, so it is put back here; a handled signal returns to
# its default in the processes started from here.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(scope="session")
def triage() -> Triage:
    """One loaded Triage (rules, engine, questions) for the whole run, as the CLI uses it."""
    return Triage()


@pytest.fixture(scope="session")
def knowledge(triage: Triage) -> Any:
    return triage.knowledge


class ScreenOf(DummyOutput):
    """An output that writes nothing and says it is `rows` by `columns`."""

    def __init__(self, rows: int = 200, columns: int = 80) -> None:
        super().__init__()
        self.rows, self.columns = rows, columns

    def get_size(self) -> Size:
        return Size(rows=self.rows, columns=self.columns)


@pytest.fixture
def pipe() -> Iterator[Any]:
    """Real prompt_toolkit input: keys sent here reach the questionary prompts under test. The
    screen is 200 rows: the review is one page, so Enter once after it ends the questionnaire."""
    with create_pipe_input() as inp, create_app_session(input=inp, output=ScreenOf()):
        yield inp


@pytest.fixture
def phrases(triage: Triage) -> Any:
    """The words of rules/ui.yaml."""
    return triage.phrases


def imported_modules(path: Path) -> list[str]:
    """Every module a Python file imports (plain and `from` imports), by full name."""
    import ast

    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.append(node.module or "")
    return names


def require(module: str) -> Any:
    """importorskip, except under CI (the CI variable set), where a missing test tool fails the run."""
    if os.environ.get("CI"):
        try:
            return importlib.import_module(module)
        except ImportError as exc:
            pytest.fail(
                f"CI must run these tests, but {module} cannot be imported: {exc}", pytrace=False
            )
    return pytest.importorskip(module)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under TRIAGE_FULL_SIZE_LATER, leave the long property tests for ./dev exhaustive. Under
    --no-cov, the no_cover marks go (pytest-cov would stop every such test with an error)."""
    if config.getoption("no_cov", default=False):
        for item in items:
            item.own_markers[:] = [m for m in item.own_markers if m.name != "no_cover"]
    if not FULL_SIZE_LATER:
        return
    later = [
        i for i in items if i.path.name in FULL_SIZE_FILES and i.get_closest_marker("no_cover")
    ]
    if later:
        config.hook.pytest_deselected(items=later)
        items[:] = [i for i in items if i not in later]
        LEFT_FOR_FULL_SIZE.extend(i.nodeid for i in later)


LEFT_FOR_FULL_SIZE: list[str] = []


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many fuzz cases went through the CLI in this run (./dev exhaustive prints it), and
    which tests were left for ./dev exhaustive (TRIAGE_FULL_SIZE_LATER).

    Each fuzz test records its count as a user property, which pytest-xdist carries from the
    worker that ran it to this summary.
    """
    reports = [
        r for key in ("", "passed", "failed", "error") for r in terminalreporter.stats.get(key, [])
    ]
    cases = sum(
        value
        for r in reports
        for name, value in getattr(r, "user_properties", ())
        if name == "fuzz_cases"
    )
    if cases:
        terminalreporter.write_line(f"fuzz cases run through the CLI: {cases}")
    if FULL_SIZE_LATER:  # said here, where the run ends (under xdist the workers collect)
        terminalreporter.write_line(
            "left for ./dev exhaustive, which runs them at full size next (TRIAGE_FULL_SIZE_LATER):"
            f" the long property tests (marked no_cover) of {', '.join(sorted(FULL_SIZE_FILES))}"
            + (f": {len(LEFT_FOR_FULL_SIZE)} tests" if LEFT_FOR_FULL_SIZE else "")
        )
        for nodeid in LEFT_FOR_FULL_SIZE:
            terminalreporter.write_line(f"  {nodeid}")


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    """A private copy of the real rules/, to break or to give as `--rules`."""
    target = tmp_path / "rules"
    shutil.copytree(paths.rules_dir(), target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a (copied) data file; the test's setup fails if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def page_words(text: str) -> int:
    """The words on a sheet as the policy counts them ("Page one": headings and footer
    included): each run of letters or digits between spaces is one; bullets and rules are not."""
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


def base_answers(**changes: Any) -> dict[str, Any]:
    """An ordinary self-care case (occasional night calf cramp, adult) to vary one thing at a time."""
    answers: dict[str, Any] = {
        "version": 1,
        "answering_for": "self",  # rev 3: the first question
        "age": 45,
        "sex": "male",
        "locations": ["calf"],
        "sides": "one",
        "timing": ["night"],
        "frequency": "monthly",
        "duration": "minutes",
        "sleep_disrupted": False,
        "daily_life_affected": False,
        "stretching_tried": "not_tried",  # rev 3: asked instead of stretching_not_helping
        "symptoms": [],
        "medications": [],
        "conditions": [],
        "mobility": [],  # rev 3: the questionnaire asks everyone; "None of these"
    }
    answers.update(changes)
    return answers


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests use their own parsed-rules cache, never the user's."""
    import os

    old = os.environ.get("TRIAGE_CACHE_DIR")
    os.environ["TRIAGE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("TRIAGE_CACHE_DIR", None)
    else:
        os.environ["TRIAGE_CACHE_DIR"] = old


@pytest.fixture(autouse=True, scope="session")
def _private_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never read or write the user's cramp diary: the data folder is a temporary one."""
    old = os.environ.get("TRIAGE_DATA_DIR")
    os.environ["TRIAGE_DATA_DIR"] = str(tmp_path_factory.mktemp("data") / "triage")
    yield
    if old is None:
        os.environ.pop("TRIAGE_DATA_DIR", None)
    else:
        os.environ["TRIAGE_DATA_DIR"] = old


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder (and so a fresh cramp diary) for one test, inherited by subprocesses."""
    folder = tmp_path / "data" / "triage"
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(folder))
    return folder
