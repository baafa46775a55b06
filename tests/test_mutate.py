"""The mutation tool (tests/mutate.py) itself: it makes the mutants the issue found, and they are killed."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from . import mutate

# The first test pays for the baseline (every check on the real rules, twice): minutes on 2 busy
# cores, so it is made once in a run, by the first xdist worker that needs it (once_per_run).
pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="session")  # session: made once, though xdist interleaves other files' tests
def mutants() -> dict[str, mutate.Mutant]:
    return {m.name: m for m in mutate.generate()}


@pytest.fixture(scope="session")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[set[str]]:
    """The tool's work copy of rules/, and the checks that fail on the real rules (they kill nothing)."""
    target = tmp_path_factory.mktemp("mutants") / "rules"
    shutil.copytree(mutate.RULES, target)
    mutate._workdir = target
    try:
        yield once_per_run(tmp_path_factory, "mutate-baseline", mutate._baseline)
    finally:
        mutate._workdir = None


def once_per_run(factory: pytest.TempPathFactory, name: str, make: Any) -> set[str]:
    """`make()` once for the whole run, however many xdist workers need it (xdist's documented
    way: the first worker makes it under a lock, in the folder this run's workers share; the
    others read what it wrote). Without xdist, simply make()."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return set(make())
    shared = factory.getbasetemp().parent  # this run's, one per run (its workers' parent)
    path = shared / f"{name}.json"
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            path.write_text(json.dumps(sorted(make())), encoding="utf-8")
        return set(json.loads(path.read_text(encoding="utf-8")))


def test_every_kind_is_generated(mutants: dict[str, mutate.Mutant]) -> None:
    kinds = {m.kind for m in mutants.values()}
    assert kinds >= set(mutate.KINDS) - {
        "action_dropped"
    }  # `does` lists arrive with policy revision 2
    assert len(mutants) >= 150 and len(set(mutants)) == len(mutants)


def test_each_mutant_changes_one_file_only(mutants: dict[str, mutate.Mutant]) -> None:
    for m in list(mutants.values())[::15]:
        assert m.text != mutate.dump(
            mutate.yaml.safe_load((mutate.RULES / m.file).read_text(encoding="utf-8"))
        )


def test_every_explained_survivor_is_a_current_mutant(mutants: dict[str, mutate.Mutant]) -> None:
    """A reason for a mutant that no longer exists is stale: remove it."""
    assert set(mutate.EXPLAINED) <= set(mutants)


@pytest.mark.parametrize(
    "name",
    [
        "tier_lowered logic/2_urgent.yaml heat_cramps_at_risk: tier urgent -> soon",
        "tier_lowered logic/2_urgent.yaml injury_with_swelling: tier urgent -> soon",
        "question_narrowed questions.yaml pregnancy_signs: any without branch 2 {'postpartum': True}",
        "question_narrowed questions.yaml pregnant: in without other",
        "country_changed countries.yaml nz: emergency '111' -> '211'",
        "warning_removed logic/6_warnings.yaml statin_warning: warn without statin_muscle",
        # the safety table (rev 3): the rev 2 filters, and the pairs issue 19 found unfiltered
        "cell_withhold_ok safety.yaml rub_muscle: possible_clot withhold -> ok",
        "cell_withhold_ok safety.yaml press_points: pregnancy withhold -> ok",
        "cell_withhold_ok safety.yaml potassium_foods: potassium_keeping withhold -> ok",
        "cell_withhold_ok safety.yaml heating_pad: diabetes_or_signs withhold -> ok",
        "cell_withhold_ok safety.yaml raise_leg: leg_arteries withhold -> ok",
        "cell_withhold_ok safety.yaml magnesium_foods: dialysis withhold -> ok",
        "cell_withhold_ok safety.yaml heat_on_skin: recent_injury withhold -> ok",
        "cell_withhold_ok safety.yaml warm_shower_or_bath: frail withhold -> ok",
        "cell_withhold_ok safety.yaml stand_to_stretch: frail withhold -> ok",
        "cell_caution_removed safety.yaml rub_muscle: anticoagulant caution -> ok",
    ],
)
def test_the_audits_survivors_are_now_killed(
    mutants: dict[str, mutate.Mutant], workdir: set[str], name: str
) -> None:
    """The mutants of the issue's audit that passed unnoticed: each now fails a behavioural check."""
    verdict, _ = mutate._judge(mutants[name])
    assert isinstance(verdict, set), f"refused by the loader, not a behavioural catch: {verdict}"
    assert verdict - workdir, "survived"


def test_removing_the_quinine_warning_is_refused(
    mutants: dict[str, mutate.Mutant], workdir: set[str]
) -> None:
    """The tonic-water row of the safety table says its reason in the quinine warning (rule 4):
    the loader refuses the rules without that warning, so the mutant cannot even run."""
    name = "warning_removed logic/6_warnings.yaml quinine_warning: warn without quinine"
    verdict, _ = mutate._judge(mutants[name])
    assert isinstance(verdict, str) and "tonic_water" in verdict


def test_a_refused_mutant_is_not_a_kill(workdir: set[str]) -> None:
    """A broken edit the loader refuses is reported as refused, never as killed."""
    broken = mutate.Mutant("tier_lowered", "logic/2_urgent.yaml", "broken", "rules: [{id: x}]\n")
    verdict, _ = mutate._judge(broken)
    assert isinstance(verdict, str) and verdict.startswith("refused by the loader")


def test_work_copy_is_restored(workdir: set[str], mutants: dict[str, mutate.Mutant]) -> None:
    assert mutate._workdir is not None
    before = {p: p.read_bytes() for p in Path(mutate._workdir).rglob("*.yaml")}
    mutate._judge(next(iter(mutants.values())))
    assert {p: p.read_bytes() for p in Path(mutate._workdir).rglob("*.yaml")} == before


def test_the_early_stop_gives_the_same_verdicts(
    mutants: dict[str, mutate.Mutant], workdir: set[str]
) -> None:
    """Judged with the baseline (as ./dev mutate's workers judge), a killed mutant is still
    killed, by checks that the full run finds too, and a survivor still survives with the very
    set the full run gives: stopping at the first kill changes no verdict."""
    killed = mutants["tier_lowered logic/2_urgent.yaml heat_cramps_at_risk: tier urgent -> soon"]
    survivor = mutants[next(name for name in mutate.EXPLAINED if name in mutants)]
    for mutant in (killed, survivor):
        full, _ = mutate._with_mutant(mutant, mutate.failing_checks)
        early, _ = mutate._with_mutant(mutant, lambda r: mutate.failing_checks(r, workdir))
        assert isinstance(full, set) and isinstance(early, set)
        assert bool(full - workdir) == bool(early - workdir), mutant.name
        assert early - workdir <= full - workdir
        if not full - workdir:
            assert early == full
    assert bool(
        mutate._with_mutant(killed, lambda r: mutate.failing_checks(r, workdir))[0] - workdir
    )
    assert mutate._killers, "the check that killed it is tried first next time"
