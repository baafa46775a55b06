"""Where the data files are: inside the installed package, or beside it in a source checkout."""

from __future__ import annotations

from pathlib import Path

from triage.errors import InstallError

_HERE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_HERE / name, _HERE.parent / name):
        if candidate.is_dir():
            return candidate
    raise InstallError(
        f"triage is installed without its {name}/ folder (looked in {_HERE} and beside it);"
        " reinstall it with: python -m pip install --force-reinstall ."
    )


def rules_dir() -> Path:
    return _find("rules")


def templates_dir() -> Path:
    return _find("templates")
