"""The command line: exit codes, one-line errors, no tracebacks, nothing half-written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from triage import __version__
from triage.cli import main
from triage.pipeline import Triage

from .conftest import VIGNETTES, base_answers, require


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def good(tmp_path: Path) -> str:
    return write(tmp_path, "me.json", json.dumps(base_answers()))


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["--version"])
    assert ended.value.code == 0 and capsys.readouterr().out.strip() == f"triage {__version__}"
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "--answers FILE" in out and "not a diagnosis" in out and "exit codes" in out


def _error_codes() -> set[int]:
    """Every exit code an error of triage can end with: the classes of triage.errors, the one
    place errors are defined (an error class defined elsewhere is found by the test below)."""
    import inspect

    from triage import errors

    return {
        cls.exit_code
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, errors.TriageError)
    }


def test_every_error_is_defined_in_one_place() -> None:
    """No module but triage.errors defines an error a person can see."""
    import importlib
    import inspect
    import pkgutil

    import triage
    from triage.errors import TriageError

    elsewhere = []
    for info in pkgutil.iter_modules(triage.__path__):
        if info.name in ("__main__", "errors"):
            continue
        module = importlib.import_module(f"triage.{info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, TriageError) and cls.__module__ == module.__name__:
                elsewhere.append(f"{module.__name__}.{name}")
    assert not elsewhere, elsewhere


@pytest.mark.parametrize("command", [[], ["batch"], ["tables"], ["diary"], ["recheck"]])
def test_every_exit_code_is_in_the_help(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Each command's help names every exit code it can end with: each error's code, 0, and
    130 for a stop."""
    with pytest.raises(SystemExit) as ended:
        main([*command, "--help"])
    assert ended.value.code == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "exit codes:" in said
    codes = said.split("exit codes:", 1)[1]
    missing = [c for c in sorted(_error_codes() | {0, 130}) if f" {c} " not in f" {codes} "]
    assert not missing, f"{command}: exit codes {missing} are not in the help"


BAD_FILES = [
    (
        "sex.yaml",
        "version: 1\nsex: mail\n",
        "sex: 'mail' is not allowed. Use one of: female, male, other",
    ),
    ("typo.yaml", "version: 1\nsymptom: []\n", "symptom: unknown key"),
    ("list.yaml", "- version\n- 1\n", "expected a mapping"),
    ("empty.yaml", "   \n", "is empty"),
    ("broken.json", '{"version": 1,', "is not valid JSON"),
    ("broken.yaml", "version: 1\nage: [\n", "is not valid YAML"),
    ("dup.json", '{"version": 1, "age": 40, "age": 50}', "key 'age' appears twice"),
    ("age.yaml", "version: 1\nage: 130\n", "age: 130 is out of range"),
    (
        "weeks.yaml",
        "version: 1\npregnancy_weeks: 20\n",
        "pregnancy_weeks is only allowed together with pregnant: true",
    ),
    ("nover.yaml", "age: 40\n", "version: missing"),
]


@pytest.mark.parametrize(("name", "text", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_answers_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, message: str
) -> None:
    out = tmp_path / "sheet.txt"
    assert main(["--answers", write(tmp_path, name, text), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    err = captured.err
    assert err.startswith(f"triage: {name}: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert captured.out == "" and not out.exists()


def test_missing_file_binary_file_and_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "blob.yaml"
    binary.write_bytes(bytes(range(256)) * 4)
    for path, words in (
        (str(tmp_path / "nope.yaml"), "cannot be read"),
        (str(binary), "not a text file"),
        (str(tmp_path), "is a folder"),
    ):
        assert main(["--answers", path]) == 2
        err = capsys.readouterr().err
        assert words in err and err.count("\n") == 1


def test_huge_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--answers", write(tmp_path, "big.yaml", "version: 1\n" + "#" * 2_000_000)]) == 2
    assert "larger than 1 MB" in capsys.readouterr().err


def test_unknown_country(good: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--answers", good, "--country", "mars"]) == 2
    assert "--country 'mars' is not known; use one of: generic, uk" in capsys.readouterr().err


def test_out_and_save_answers_round_trip(
    tmp_path: Path, good: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Saved answers replay to the same sheet, byte for byte."""
    sheet, saved, again = tmp_path / "a.html", tmp_path / "saved.yaml", tmp_path / "b.html"
    assert (
        main(
            [
                "--answers",
                good,
                "--format",
                "html",
                "--out",
                str(sheet),
                "--save-answers",
                str(saved),
            ]
        )
        == 0
    )
    assert saved.read_text(encoding="utf-8").startswith("# triage answers")
    assert main(["--answers", str(saved), "--format", "html", "--out", str(again)]) == 0
    assert sheet.read_bytes() == again.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "a.html",
        "b.html",
        "me.json",
        "saved.yaml",
    ]


def test_out_to_missing_folder_leaves_nothing(
    tmp_path: Path, good: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--answers", good, "--out", str(tmp_path / "no" / "sheet.txt")]) == 2
    assert "folder" in capsys.readouterr().err and not (tmp_path / "no").exists()


def test_failed_write_keeps_the_old_file(
    tmp_path: Path, good: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """If writing fails half-way, the previous file is untouched and no temp file is left."""
    out = tmp_path / "sheet.txt"
    out.write_text("OLD SHEET", encoding="utf-8")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    assert main(["--answers", good, "--out", str(out)]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "OLD SHEET"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["me.json", "sheet.txt"]


def run(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    return subprocess.run(
        [sys.executable, "-m", "triage", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        **kwargs,
    )


def test_no_terminal_points_to_answers() -> None:
    done = run(stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert done.stderr == (
        "triage: no terminal to ask questions in; run triage in a terminal, "
        "or give saved answers with --answers FILE\n"
    )


def test_json_as_a_separate_process(tmp_path: Path) -> None:
    case = next(v for v in VIGNETTES if v["id"] == "P05")
    done = run("--answers", write(tmp_path, "p05.yaml", json.dumps(case["answers"])), "--json")
    assert done.returncode == 0 and done.stderr == ""
    assert json.loads(done.stdout)["disposition"] == "urgent"


def test_ctrl_c_exits_130_and_writes_nothing(tmp_path: Path) -> None:
    """In a real pseudo-terminal: Ctrl-C at a question exits 130 and saves no file."""
    pexpect = require("pexpect")
    saved = tmp_path / "saved.yaml"
    child = pexpect.spawn(
        sys.executable,
        ["-m", "triage", "--save-answers", str(saved)],
        env={**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm"},
        dimensions=(40, 100),
        timeout=20,
        encoding="utf-8",
    )
    child.expect_exact(Triage().questions[0].prompt)
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Stopped. Nothing was saved." in child.before
    assert not saved.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("UK", "NHS 111"),
        ("gb", "NHS 111"),
        ("United Kingdom", "NHS 111"),
        ("Great-Britain", "NHS 111"),
        ("USA", "urgent care clinic"),
        ("NZ", "Healthline"),
        ("de", "out-of-hours"),
    ],
)
def test_country_in_any_case_and_common_aliases(
    tmp_path: Path, typed: str, number: str, capsys: pytest.CaptureFixture[str]
) -> None:
    urgent = write(tmp_path, "a.json", json.dumps(base_answers(symptoms=["one_leg_swollen"])))
    assert main(["--answers", urgent, "--country", typed, "--format", "text"]) == 0
    assert number in capsys.readouterr().out


# -- saving, standard input, typos, and what a terminal is given (issue 21) ----------------


def test_saved_answers_are_confirmed_and_never_replaced_unasked(
    tmp_path: Path, good: str, capsys: pytest.CaptureFixture[str], phrases: Any
) -> None:
    saved, sheet = tmp_path / "saved.yaml", str(tmp_path / "sheet.txt")
    args = ["--answers", good, "--save-answers", str(saved), "--out", sheet]
    assert main(args) == 0
    assert phrases("cli.saved", path=saved) in capsys.readouterr().err
    saved.write_text("# mine\n", encoding="utf-8")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err == f"triage: {phrases('cli.exists', path=saved)}\n"
    assert saved.read_text(encoding="utf-8") == "# mine\n"  # refused before anything was written
    assert main([*args, "--overwrite"]) == 0
    assert saved.read_text(encoding="utf-8").startswith("# triage answers")


def test_answers_from_standard_input_as_yaml_or_json(tmp_path: Path, good: str) -> None:
    from_file = run("--answers", good, "--json")
    as_json = run("--answers", "-", "--json", input=json.dumps(base_answers()))
    import yaml

    as_yaml = run("--answers", "-", "--json", input=yaml.safe_dump(base_answers()))
    flow = run("--answers", "-", "--json", input="{version: 1, age: 45}")
    assert from_file.returncode == as_json.returncode == as_yaml.returncode == 0, as_json.stderr
    assert from_file.stdout == as_json.stdout == as_yaml.stdout
    assert flow.returncode == 0 and json.loads(flow.stdout)["disposition"]
    bad = run("--answers", "-", "--json", input="version: 1\nsex: mail\n")
    assert bad.returncode == 2 and bad.stderr.startswith("triage: standard input: sex: ")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("--ful", "--full"), ("--save-answer", "--save-answers"), ("--answer", "--answers")],
)
def test_abbreviations_are_refused_with_did_you_mean(
    good: str, typed: str, meant: str, capsys: pytest.CaptureFixture[str], phrases: Any
) -> None:
    """--ful used to mean --full silently; now it is an error that names what was meant."""
    with pytest.raises(SystemExit) as ended:
        main(["--answers", good, typed] if typed != "--answer" else [typed, good])
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert phrases("cli.did_you_mean", option=typed, suggestion=meant) in err


def test_an_option_like_none_is_named_with_the_way_to_help(
    capsys: pytest.CaptureFixture[str], phrases: Any
) -> None:
    with pytest.raises(SystemExit):
        main(["--zzzz"])
    assert phrases("cli.unknown_option", option="--zzzz") in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["batch", "--job", "2"])
    assert "did you mean --jobs?" in capsys.readouterr().err


def test_one_word_where_a_list_goes_says_to_write_brackets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write(tmp_path, "me.yaml", "version: 1\nlocations: calf\n")
    assert main(["--answers", answers, "--json"]) == 2
    err = capsys.readouterr().err
    assert "locations: [calf]" in err and err.count("\n") == 1


def on_a_terminal(*args: str, shell: str = "") -> Any:
    """triage (or a shell line running it) in a pseudo-terminal; returns (exit code, screen text)."""
    from .screen import TRIAGE, Pty, flat

    argv = ["/bin/sh", "-c", shell.replace("triage", str(TRIAGE))] if shell else None
    term = Pty(argv) if argv else Pty.triage(*args)
    code = term.finish()
    return code, "".join(flat(term.lines()).split())  # the terminal breaks long lines anywhere


def test_html_is_not_poured_onto_the_screen(good: str, phrases: Any) -> None:
    code, screen = on_a_terminal("--answers", good, "--format", "html")
    assert (
        code == 2
        and "".join(phrases("cli.html_on_screen").split()) in screen
        and "<html" not in screen
    )


def test_a_terminal_whose_output_goes_to_a_file_is_told_to_use_out(
    tmp_path: Path, phrases: Any
) -> None:
    """`triage > sheet.txt` typed in a terminal: the person is in a terminal; say --out."""
    out = tmp_path / "sheet.txt"
    code, screen = on_a_terminal(shell=f"triage > {out}")
    assert code == 2 and "".join(phrases("cli.output_not_terminal").split()) in screen
    assert out.read_text(encoding="utf-8") == ""


def test_answers_from_standard_input_that_is_the_terminal_is_refused(phrases: Any) -> None:
    code, screen = on_a_terminal("--answers", "-")
    assert code == 2 and "".join(phrases("cli.stdin_is_terminal").split()) in screen
