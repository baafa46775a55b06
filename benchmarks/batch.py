"""Measure `triage batch`: evaluations per second on one core, against the raw engine, and memory.

The raw engine is durable-rules used the plain way, through its own Python API (a Host, actions
that do nothing), on the same ruleset as triage: the same split rulesets (triage.engine cuts the
rules apart for durable's 64-node matching stack), each given the same fact triage gives it.
So one raw evaluation is one assert and one delete per ruleset, as in triage.

Run: python benchmarks/batch.py. Prints numbers as medians; never fails on time.
"""

from __future__ import annotations

import copy
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from durable import engine as durable_engine

from triage import batch, engine
from triage.pipeline import Triage
from triage.reading import read

PY = sys.executable


# the contract takes these only in a pregnancy (or a birth, not drawn here)
PREGNANCY_SIGNS = (
    "pregnancy_emergency",
    "pregnancy_belly_pain",
    "pregnancy_bleeding",
    "pregnancy_tightenings",
    "reduced_movements",
)


def random_answers(rng: random.Random, triage: Triage) -> dict[str, Any]:
    """Valid answers across the whole contract (deterministic for a seed)."""
    f = triage.contract.fields
    sex = rng.choice(f["sex"].values)
    age = rng.randint(12, 95)
    a: dict[str, Any] = {
        "version": 1,
        "age": age,
        "sex": sex,
        "locations": rng.sample(f["locations"].values, rng.randint(1, 2)),
        "sides": rng.choice(f["sides"].values),
        "timing": rng.sample(f["timing"].values, rng.randint(1, 2)),
        "frequency": rng.choice(f["frequency"].values),
        "duration": rng.choice(f["duration"].values),
        "sleep_disrupted": rng.random() < 0.3,
        "daily_life_affected": rng.random() < 0.2,
        "stretching_not_helping": rng.random() < 0.1,
    }
    for key, most in (("symptoms", 2), ("medications", 2), ("conditions", 1)):
        a[key] = rng.sample(f[key].values, rng.randint(0, most)) if rng.random() < 0.4 else []
    if sex != "male" and age <= 55:
        a["pregnant"] = rng.random() < 0.2
        if a["pregnant"]:
            a["pregnancy_weeks"] = rng.randint(4, 41)
    if not a.get("pregnant"):  # the contract takes these only in a pregnancy
        a["symptoms"] = [s for s in a["symptoms"] if s not in PREGNANCY_SIGNS]
    return a


def rates(contenders: dict[str, tuple[Any, list[Any]]], passes: int = 11) -> dict[str, float]:
    """Median items per CPU-second for each contender, passes interleaved so both see the same machine."""
    seen: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(passes):
        for name, (fn, items) in contenders.items():
            start = time.process_time()
            for item in items:
                fn(item)
            seen[name].append(len(items) / (time.process_time() - start))
    return {name: statistics.median(values) for name, values in seen.items()}


def peak_kib(cmd: list[str], stdin: str) -> int:
    with open(stdin, "rb") as fh:
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", *cmd],
            stdin=fh,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=True,
        )
    return int(done.stderr.strip().splitlines()[-1])


def main() -> None:
    triage = Triage()
    rng = random.Random(2026)
    cases = [random_answers(rng, triage) for _ in range(1000)]
    # what triage's engine asserts: the answers as the rules read them, marked for the catch-all
    facts = [
        {**read(triage.knowledge, triage.contract.check(c)).answers, engine.MARK: 1} for c in cases
    ]

    # The raw engine: durable-rules through its own API, asserting the same facts on the same
    # rulesets, with actions that do nothing, and no validation, result or JSON around it.
    class RawHost(durable_engine.Host):  # type: ignore[misc]
        def _run(self) -> None:
            pass

        def get_action(self, name: str) -> Any:
            return lambda c: None

    parts = engine.split_ruleset(engine.compile_ruleset(triage.knowledge.rules))
    rulesets = [
        (f"raw-{n}", frozenset().union(*map(engine.fields_of, part.values())))
        for n, part in enumerate(parts)
    ]
    host = RawHost()
    host.set_rulesets(
        {name: copy.deepcopy(part) for (name, _), part in zip(rulesets, parts, strict=True)}
    )
    counter = iter(range(10**9))

    def raw(fact: dict[str, Any]) -> None:
        sid = str(next(counter))
        for name, fields in rulesets:
            host.assert_fact(name, {**{k: v for k, v in fact.items() if k in fields}, "sid": sid})
            host.delete_state(name, sid)  # the catch-all matches every fact: always handled

    batch.start_worker()
    items = [batch.Case(str(i), "data", c) for i, c in enumerate(cases)]
    measured = rates({"raw": (raw, facts), "ours": (batch.evaluate, items)})
    raw_rate, ours = measured["raw"], measured["ours"]
    print(
        f"cases: {len(cases)} random valid answer sets; 11 interleaved passes, median, per CPU-second"
    )
    print(
        f"raw engine (durable's API, same {len(parts)} rulesets and facts): {raw_rate:8.0f} evaluations/s"
    )
    print(
        f"triage batch, one core, in process:                {ours:8.0f} evaluations/s"
        f"  ({ours / raw_rate:.2f}x raw; target >= 0.5x)"
    )

    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for n in (1_000, 10_000):
            path = Path(tmp) / f"{n}.jsonl"
            with path.open("w") as fh:
                for _ in range(n):
                    fh.write(json.dumps(random_answers(rng, triage)) + "\n")
            files[n] = str(path)
        start = time.perf_counter()
        subprocess.run(
            [PY, "-m", "triage", "batch"],
            stdin=open(files[10_000]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        whole = time.perf_counter() - start
        print(
            f"triage batch < 10,000 lines, whole process:        {10_000 / whole:8.0f} evaluations/s ({whole:.2f} s)"
        )
        jobs = os.cpu_count() or 1
        start = time.perf_counter()
        subprocess.run(
            [PY, "-m", "triage", "batch", "--jobs", "0"],
            stdin=open(files[10_000]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        print(
            f"triage batch --jobs 0 ({jobs} cores), whole process:   {10_000 / (time.perf_counter() - start):8.0f} evaluations/s"
        )
        small, big = (peak_kib([PY, "-m", "triage", "batch"], files[n]) for n in (1_000, 10_000))
        print(
            f"peak memory (max RSS): 1,000 answers {small / 1024:.1f} MiB; 10,000 answers {big / 1024:.1f} MiB"
            f"  ({(big - small) / 1024:+.1f} MiB for 9,000 more)"
        )


if __name__ == "__main__":
    main()
