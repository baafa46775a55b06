"""Where the data files are: inside the installed package, or beside it in a source checkout."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_HERE / name, _HERE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cannot find the {name}/ folder next to {_HERE}")


def rules_dir() -> Path:
    return _find("rules")


def templates_dir() -> Path:
    return _find("templates")
