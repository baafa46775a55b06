"""How the rules read a checked answers file (answers contract rev 3, "Not sure", "Not reported"
and "Contradictory files"). Nothing is decided here that the contract does not say.

- A sign in `symptoms_not_sure` counts as present: the rules, the safety table and the words
  read it as if it were in `symptoms` (the sure answer wins where a sign is in both).
- A file that leaves a fact out, but implies it, is read with the fact filled in, and the result
  lists each in `inferred`: cramps during dialysis imply dialysis; dialysis implies kidney
  disease; cramps that began with a medicine, with no medicine linked to cramps named, imply a
  medicine not on the lists (`another_medicine`); `weeks_since_birth` implies `postpartum`.
  A list the file left out stays "not reported" for the safety table: an inferred value joins
  `not_sure` there (conditions) or is itself one the table cannot check (`another_medicine`).
- In pregnancy (or maybe), `cramps_elsewhere` also counts as `pregnancy_belly_pain`: a file
  cannot show whether the belly was meant (contract rev 3, `symptoms`).
- Which keys the rules needed and the file left out (`not_reported`) is worked out on the file
  as given, from the table in rules/messages.yaml.

Contradictions with no safe reading are refused by the contract's schema, before this runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from triage.conditions import holds
from triage.model import Knowledge

POSTPARTUM_WEEKS = 6  # `postpartum: true` is a birth 0-6 weeks ago (contract)
# A list the file left out, as the safety table reads it once a value is inferred into it: the
# conditions stay "not sure" (the same column as not reported); an inferred medicine is
# `another_medicine`, which is in that column itself.
_LEFT_OUT = {"conditions": ("not_sure",), "medications": ()}


class Inferred(NamedTuple):
    key: str
    value: Any
    because: str


class Reading(NamedTuple):
    answers: dict[str, Any]  # what the rules read
    inferred: tuple[Inferred, ...]
    not_sure: tuple[str, ...]  # the signs counted as yes only because the person was not sure
    not_reported: tuple[str, ...]  # the keys the rules needed that the file left out


def read(k: Knowledge, given: Mapping[str, Any]) -> Reading:
    k_reading = k.reading
    assert k_reading is not None  # loaded with the knowledge
    answers = {key: list(v) if isinstance(v, list) else v for key, v in given.items()}
    inferred: list[Inferred] = []

    def infer(key: str, value: Any) -> None:
        if key in ("conditions", "medications"):
            had = answers.get(key)
            answers[key] = [*(had if had is not None else _LEFT_OUT[key]), value]
        else:
            answers[key] = value
        words = k_reading.inferred[key if key == "postpartum" else value]  # postpartum: by its key
        inferred.append(Inferred(key, value, words.because))

    sure = answers.get("symptoms", [])
    not_sure = tuple(s for s in answers.get("symptoms_not_sure", ()) if s not in sure)
    if not_sure:
        answers["symptoms"] = [*sure, *not_sure]
    # contract rev 3: in pregnancy (or maybe) cramps_elsewhere also counts as pregnancy_belly_pain,
    # because a file cannot show whether the belly was meant (policy "urgent, now")
    if (
        answers.get("pregnant") in (True, "not_sure")
        and "cramps_elsewhere" in answers.get("symptoms", ())
        and "pregnancy_belly_pain" not in answers["symptoms"]
    ):
        answers["symptoms"] = [*answers["symptoms"], "pregnancy_belly_pain"]
    conditions = answers.get("conditions", ())
    if "during_dialysis" in answers.get("timing", ()) and "dialysis" not in conditions:
        infer("conditions", "dialysis")
    if "dialysis" in answers.get("conditions", ()) and "kidney_disease" not in conditions:
        infer("conditions", "kidney_disease")
    medications = answers.get("medications", ())
    if answers.get("cramps_began_with_medicine", False) is not False and not any(
        k.medicines[m].causes_cramps or m == "another_medicine" for m in medications
    ):
        infer("medications", "another_medicine")
    if "weeks_since_birth" in answers and "postpartum" not in answers:
        weeks: int = given["weeks_since_birth"]
        infer("postpartum", weeks <= POSTPARTUM_WEEKS)
    missing = tuple(
        item.key
        for item in k_reading.not_reported
        if item.key not in given and (item.when is None or holds(item.when, given))
    )
    return Reading(answers, tuple(inferred), not_sure, missing)
