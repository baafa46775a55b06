"""Named causes in plain words (policy rev 3, "Named causes", F13): no data or template ever
says the vague "nerve problem", whatever the answers (the oracle's NC-* rows check each cause)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_rule_or_template_says_nerve_problem() -> None:
    files = [
        p for d in ("rules", "templates") for p in sorted((ROOT / d).rglob("*")) if p.is_file()
    ]
    assert len(files) > 20  # the check reads the real folders
    said = [
        str(p.relative_to(ROOT))
        for p in files
        if re.search(r"nerve\s+problem", p.read_text(encoding="utf-8"), re.I)
    ]
    assert not said, f"'nerve problem' in {said}"


def test_the_check_would_see_it(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("reason: can point to a nerve\n  problem.\n")
    assert re.search(r"nerve\s+problem", (tmp_path / "x.yaml").read_text(), re.I)
