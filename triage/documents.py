"""The parsed files of rules/, read through a content-addressed cache.

Parsing YAML costs ~35 ms (import and parse) on every start; the same data as JSON loads in
under 1 ms. The cache holds only the parsed documents (never answers), under a name made from
a hash of every file's path and bytes and the triage version, so any edit makes a new entry
and a stale one can never be used. Everything is still validated after loading, on every run.
The cache is skipped when TRIAGE_CACHE_DIR=off or the folder cannot be written.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from triage import __version__
from triage.errors import DataFileError


def cache_dir() -> Path | None:
    setting = os.environ.get("TRIAGE_CACHE_DIR", "")
    if setting.lower() == "off":
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "triage"


class Documents:
    """rules/*.yaml, parsed: `docs[path]` gives one file's data."""

    def __init__(self, root: Path) -> None:
        self.root = root
        files = sorted(p for p in root.rglob("*.yaml") if p.is_file())
        contents = {p.relative_to(root).as_posix(): p.read_bytes() for p in files}
        digest = hashlib.sha256(__version__.encode())
        for name, data in contents.items():
            digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
        self._data = self._from_cache(digest.hexdigest()[:32], contents)

    def __getitem__(self, path: Path) -> Any:
        name = path.relative_to(self.root).as_posix()
        if name not in self._data:
            raise DataFileError(str(path), "file", "cannot be read: no such file")
        return self._data[name]

    def names(self, folder: str) -> list[str]:
        return sorted(n for n in self._data if n.startswith(folder + "/"))

    def _from_cache(self, key: str, contents: dict[str, bytes]) -> dict[str, Any]:
        folder = cache_dir()
        entry = folder / f"rules-{key}.json" if folder else None
        if entry is not None:
            try:
                cached = json.loads(entry.read_text(encoding="utf-8"))
                if isinstance(cached, dict) and set(cached) == set(contents):
                    return cached
            except (OSError, ValueError):
                pass
        data = {name: self._parse(name, raw) for name, raw in contents.items()}
        if entry is not None:
            self._store(entry, data)
        return data

    def _parse(self, name: str, raw: bytes) -> Any:
        import yaml

        from triage.files import parse_yaml, yaml_problem

        path = str(self.root / name)
        try:
            return parse_yaml(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise DataFileError(path, "file", f"is not UTF-8 text: {exc}") from None
        except yaml.YAMLError as exc:
            raise DataFileError(path, "YAML", yaml_problem(exc)) from None

    @staticmethod
    def _store(entry: Path, data: dict[str, Any]) -> None:
        """Best effort: a cache that cannot be written only costs time."""
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            tmp = entry.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(tmp, entry)
        except (OSError, TypeError, ValueError):
            pass
