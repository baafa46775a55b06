"""Measure start-up: `triage --answers X --json` and time to the first question, as medians.

Run: python benchmarks/startup.py [runs]. Prints numbers; never fails on time.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

# the questionnaire's first question, read from rules/ (a new first question moves it)
FIRST_PROMPT = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "rules" / "questions.yaml").read_text(
        encoding="utf-8"
    )
)["questions"][0]["prompt"]

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 15
PY = sys.executable


def median_seconds(cmd: list[str], runs: int = RUNS, env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pty_seconds(args: list[str], shown: str, runs: int = RUNS) -> float:
    """Median time from spawning in a pseudo-terminal until `shown` appears on it."""
    import pexpect

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        child = pexpect.spawn(
            PY,
            args,
            env={**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm"},
            timeout=30,
            dimensions=(40, 100),
        )
        child.expect_exact(shown)
        times.append(time.perf_counter() - start)
        child.sendintr()
        child.expect(pexpect.EOF)
        child.close()
    return statistics.median(times)


def main() -> None:
    # pip byte-compiles an installed package; an editable checkout under PYTHONDONTWRITEBYTECODE
    # (set on some machines) would otherwise recompile triage on every start. Match an install.
    import triage

    subprocess.run([PY, "-m", "compileall", "-q", os.path.dirname(triage.__file__)], check=True)
    answers = {
        "version": 1,
        "age": 52,
        "sex": "male",
        "locations": ["calf"],
        "sides": "one",
        "timing": ["night"],
        "frequency": "rare",
        "duration": "minutes",
        "symptoms": [],
        "medications": [],
        "conditions": [],
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(answers, fh)
    try:
        floor = median_seconds([PY, "-c", "import durable.engine, jinja2, yaml"])
        run_json = median_seconds([PY, "-m", "triage", "--answers", fh.name, "--json"])
        sheet = median_seconds([PY, "-m", "triage", "--answers", fh.name])
        # the same with no cache at all: every run parses, builds and checks rules/ and
        # compiles the template, as the first run after an install or an edit does
        cold = median_seconds(
            [PY, "-m", "triage", "--answers", fh.name],
            env={**os.environ, "TRIAGE_CACHE_DIR": "off"},
        )
        q_floor = median_seconds([PY, "-c", "import questionary"])
        q_floor_pty = pty_seconds(["-c", "import questionary; print('ready')"], "ready")
        one_prompt = pty_seconds(
            [
                "-c",
                "import questionary; questionary.checkbox('Do you have any of these right now?', "
                "choices=['a', 'b']).unsafe_ask()",
            ],
            "Do you have any of these right now?",
        )
        first_q = pty_seconds(["-m", "triage"], FIRST_PROMPT)
    finally:
        os.unlink(fh.name)
    print(f"runs per figure (median): {RUNS}")
    print(f"import floor  python -c 'import durable.engine, jinja2, yaml': {floor * 1000:7.1f} ms")
    print(
        f"triage --answers X --json:                                {run_json * 1000:7.1f} ms"
        f"  ({run_json / floor:.2f}x floor; target <= 1.0x)"
    )
    print(
        f"triage --answers X (text sheet):                          {sheet * 1000:7.1f} ms"
        f"  ({sheet / floor:.2f}x floor; target <= 1.3x)"
    )
    print(
        f"  the same with the cache off (as a first run):           {cold * 1000:7.1f} ms"
        f"  ({cold / floor:.2f}x floor; no target)"
    )
    print(f"import floor  python -c 'import questionary':             {q_floor * 1000:7.1f} ms")
    print(f"  same, timed in a pty like the line below:              {q_floor_pty * 1000:7.1f} ms")
    print(
        f"start to first question shown (pty):                      {first_q * 1000:7.1f} ms"
        f"  ({first_q / q_floor_pty:.2f}x the pty floor, {first_q / q_floor:.2f}x the plain one; target <= 1.3x)"
    )
    print(
        f"a bare questionary program showing one checkbox (pty):    {one_prompt * 1000:7.1f} ms"
        f"  (triage: {first_q / one_prompt:.2f}x this)"
    )


if __name__ == "__main__":
    main()
