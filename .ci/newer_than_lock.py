"""Exit 0 when every package installed in this Python is at the version the lock pins for it
(this Python's marker), 1 when any is not, naming each difference; the project itself and the
installers are not compared. Run by .ci/run's newest-releases stage with that virtualenv's Python.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")
SKIP = {"triage", "pip", "setuptools", "wheel"}


def pins(lock: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match and (match[3] is None or Marker(match[3]).evaluate()):
            found[canonicalize_name(match[1])] = match[2]
    return found


def main() -> int:
    locked = pins(Path(sys.argv[1]))
    newer = []
    for dist in metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"])
        if name not in SKIP and locked.get(name) != dist.version:
            newer.append(f"{name} {dist.version} (locked: {locked.get(name, 'not in the lock')})")
    for line in sorted(newer):
        print(f"newest releases: {line}")
    if not newer:
        print("newest releases: every package is at its locked version")
    return 1 if newer else 0


if __name__ == "__main__":
    sys.exit(main())
