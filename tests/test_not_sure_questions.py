"""The rev 3 questions a person can answer truthfully (policy rev 3, "Question order and early
stop", "Not sure and not reported"; contract rev 3): "I'm not sure about one of these" in the
red-flag lists, what stretching has done, which medicine the cramps began with, and the signs
not asked in pregnancy or after a birth. Expectations are the policy's, not read from rules/."""

from __future__ import annotations

import json
from typing import Any

import pytest

from triage import fhir
from triage.interview import BACK, Interview
from triage.model import NOT_SURE, Question
from triage.pipeline import Triage
from triage.plain import Plain

from .conftest import base_answers
from .keys import ENTER, typed

# The policy's red-flag tick lists (steps 2, 4, 5, 6): the emergency screen and its dark-urine
# follow-up, the pregnancy signs, the urgent screen (leg signs; sweating, vomiting), injury and
# fall, and tetanus after a dirty wound. (Step 7, the children's signs, is R1's new question.)
RED_FLAG_LISTS = {
    "emergency_signs",
    "emergency_signs_more",
    "dark_urine_causes",
    "pregnancy_emergency",
    "pregnancy_tummy",
    "pregnancy_later_signs",
    "pregnancy_signs",
    "urgent_signs",
    "body_signs",
    "injury_signs",
    "tetanus_signs",
    "child_signs",  # step 7: children and teenagers
}


def by_id(triage: Triage) -> dict[str, Question]:
    return {q.id: q for q in triage.questions}


def test_the_red_flag_lists_offer_not_sure_and_ask_which_right_after(triage: Triage) -> None:
    qs = triage.questions
    offering = {q.id for q in qs if q.not_sure}
    assert offering == RED_FLAG_LISTS
    for n, q in enumerate(qs):
        if not q.not_sure:
            continue
        follow = qs[n + 1]
        assert follow.not_sure_of == q.id and follow.key == "symptoms_not_sure"
        # the list's items, but the catch-all, which is the person's own judgement
        assert [c.value for c in follow.choices] == [
            c.value for c in q.choices if c.value != "feels_like_emergency"
        ]
    assert not any(
        c.value == "feels_like_emergency" for q in qs if q.not_sure_of for c in q.choices
    )


def test_the_checks_the_policy_names_are_shown(triage: Triage) -> None:
    """The policy's examples: the feet side by side, wiggle the toes, the colour of urine."""
    helps = {c.value: c.help for q in triage.questions if q.not_sure_of for c in q.choices}
    assert "feet side by side" in helps["cold_pale_leg"]
    assert "wiggle your toes" in helps["cannot_move_foot"]
    assert "colour next time you pass urine" in helps["dark_urine"]
    assert "{" not in "".join(helps.values())  # no unfilled placeholder


def test_not_sure_in_the_terminal_is_recorded(triage: Triage, pipe: Any) -> None:
    wanted = base_answers(symptoms_not_sure=["one_leg_swollen"])
    pipe.send_text(typed(triage.questions, wanted) + ENTER)
    answers = triage.interview()
    assert answers["symptoms_not_sure"] == ["one_leg_swollen"]
    assert answers["symptoms"] == []  # not sure is not a yes in the file; the rules read it so
    result = triage.evaluate(answers)
    assert result.disposition != "self-care"  # counted as present (policy: "Not sure")


class Script:
    """An ask function answering by question id, keeping what it was asked."""

    def __init__(self, replies: dict[str, list[Any]]) -> None:
        self.replies = {k: list(v) for k, v in replies.items()}
        self.asked: list[Question] = []

    def __call__(self, q: Question, default: Any = None) -> Any:
        self.asked.append(q)
        if self.replies.get(q.id):
            return self.replies[q.id].pop(0)
        if q.type == "checkbox":
            return []
        if q.type == "confirm":
            return False
        if q.type == "number":
            return 45
        values = [c.value for c in q.choices]
        return "not_tried" if "not_tried" in values else values[0]


def ids(script: Script) -> list[str]:
    return [q.id for q in script.asked]


def test_going_back_from_which_ones_and_unticking_not_sure_drops_them(triage: Triage) -> None:
    script = Script(
        {
            "urgent_signs": [[NOT_SURE], []],
            "urgent_signs_not_sure": [BACK],
        }
    )
    answers = Interview(triage.questions, script).run()
    assert ids(script).count("urgent_signs") == 2 and "symptoms_not_sure" not in answers


def test_not_sure_kept_after_the_check(triage: Triage) -> None:
    script = Script(
        {"urgent_signs": [["red_warm_skin", NOT_SURE]], "urgent_signs_not_sure": [["new_weakness"]]}
    )
    answers = Interview(triage.questions, script).run()
    assert answers["symptoms_not_sure"] == ["new_weakness"]
    assert "red_warm_skin" in answers["symptoms"] and NOT_SURE not in answers["symptoms"]
    # a sign not sure opens what it opens when ticked: new weakness asks the duration at once
    after = ids(script)[ids(script).index("urgent_signs_not_sure") + 1]
    assert by_id(triage)[after].key == "duration"


def test_not_sure_about_dark_urine_asks_its_causes_at_once(triage: Triage) -> None:
    script = Script(
        {"emergency_signs_more": [[NOT_SURE]], "emergency_signs_more_not_sure": [["dark_urine"]]}
    )
    Interview(triage.questions, script).run()
    order = ids(script)
    assert order[order.index("emergency_signs_more_not_sure") + 1] == "dark_urine_causes"


def test_plain_mode_shows_each_check_and_records_not_sure(triage: Triage) -> None:
    q = by_id(triage)["urgent_signs"]
    lines: list[str] = []
    typed_in = iter([str(len(q.choices) + 1), "1"])  # "I'm not sure...", then the first item
    plain = Plain(triage.phrases, read=lambda _: next(typed_in), write=lines.append)
    assert plain(q) == [NOT_SURE]
    follow = by_id(triage)["urgent_signs_not_sure"]
    assert plain(follow) == ["one_leg_swollen"]
    shown = " ".join(" ".join(lines).split())
    assert "I'm not sure about one of these" in shown
    assert "Check it now: look at both legs side by side" in shown


def test_stretching_is_asked_in_four_answers(triage: Triage) -> None:
    q = next(q for q in triage.questions if q.key == "stretching_tried")
    assert {c.value for c in q.choices} == {"helped", "not_helped", "not_tried", "not_sure"}
    assert not any(q.key == "stretching_not_helping" for q in triage.questions)
    recheck, _ = triage.recheck_questions
    assert any(q.key == "stretching_tried" for q in recheck)  # policy "Follow-up"


@pytest.mark.parametrize(
    ("ticked", "asked", "written"),
    [
        (["thiazide_diuretic", "statin"], True, None),
        (["statin", "another_medicine"], True, None),
        (["statin"], False, ["statin"]),
        (["another_medicine"], False, ["another_medicine"]),
        (["not_sure_which"], False, None),
    ],
)
def test_which_medicine_is_asked_only_with_two_candidates(
    triage: Triage, ticked: list[str], asked: bool, written: list[str] | None
) -> None:
    lists = ("medicines_heart", "medicines_hormones", "medicines_other")
    own = {q.id: {c.value for c in q.choices} for q in triage.questions if q.id in lists}
    replies: dict[str, list[Any]] = {
        qid: [[v for v in ticked if v in values]] for qid, values in own.items()
    }
    replies["cramps_began_with_medicine"] = [True]
    chosen = ["statin"]
    replies["cramps_began_with"] = [chosen]
    script = Script(replies)
    answers = Interview(triage.questions, script).run()
    put = [q for q in script.asked if q.id == "cramps_began_with"]
    assert bool(put) == asked
    if asked:
        offered = [c.value for c in put[0].choices]
        candidates = [m for m in ticked if m != "not_sure_which"]
        assert set(offered) == {*candidates, "not_sure_which"}
        assert answers["cramps_began_with"] == chosen
    elif written is None:
        assert "cramps_began_with" not in answers
    else:
        assert answers["cramps_began_with"] == written


@pytest.mark.parametrize(
    ("person", "asked"),
    [
        ({"sex": "female", "age": 30, "pregnant": True}, False),
        ({"sex": "female", "age": 30, "pregnant": "not_sure"}, False),
        ({"sex": "female", "age": 30, "pregnant": False, "postpartum": True}, False),
        ({"sex": "female", "age": 30, "pregnant": False, "postpartum": False}, True),
        ({"sex": "male", "age": 30}, True),
    ],
)
def test_weight_loss_and_thyroid_signs_not_asked_in_pregnancy_or_after_birth(
    triage: Triage, person: dict[str, Any], asked: bool
) -> None:
    script = Script({k: [v] for k, v in person.items()})
    Interview(triage.questions, script).run()
    offered = {c.value for q in script.asked for c in q.choices}
    assert ("weight_loss" in offered) == asked and ("thyroid_signs" in offered) == asked


def test_wording_the_policy_fixes(triage: Triage) -> None:
    labels = {
        c.value: f"{c.label} {c.help}"
        for q in triage.questions
        if q.key == "symptoms" and not q.not_sure_of
        for c in q.choices
    }
    assert "week or more" in labels["thirst_urination"]
    assert "water tablet, pregnancy or hot weather" in labels["thirst_urination"]
    assert "weight" not in labels["thirst_urination"].lower()
    assert "more swollen than is usual for you" in labels["swelling_both_legs"]
    assert (
        "vomiting" not in labels["heavy_sweating"]
        and "sweat" not in (labels["vomiting_or_diarrhoea"])
    )


def test_fhir_not_sure_is_its_own_item_after_its_list(triage: Triage) -> None:
    answers = base_answers(
        symptoms_not_sure=["one_leg_swollen"],
        medications=["statin", "thiazide_diuretic"],
        cramps_began_with_medicine="not_sure",
        cramps_began_with=["statin"],
    )
    answers = triage.contract.check(answers)
    data = fhir.response(answers, triage.questions, triage.phrases)
    links = [i["linkId"] for i in data["item"]]
    assert links[links.index("urgent_signs") + 1] == "urgent_signs_not_sure"
    assert links.count("urgent_signs_not_sure") == 1
    assert sum(link.endswith("_not_sure") for link in links) == 1  # only where something is
    back = triage.answers_from_data(json.loads(json.dumps(data)), "x")
    assert back == answers
    exported, _ = fhir.questionnaire(triage.questions, triage.phrases)
    items = {i["linkId"]: i for i in exported["item"]}
    for key in ("pregnant", "cramps_began_with_medicine"):
        item = items[key]
        assert item["type"] == "choice"
        assert [o["valueCoding"]["code"] for o in item["answerOption"]] == [
            "true",
            "false",
            "not_sure",
        ]


def test_a_recheck_answers_not_sure_again_for_the_lists_it_asks(triage: Triage) -> None:
    """The follow-up replaces the saved answers key by key (policy "Follow-up"): a list asked
    again says afresh what is not sure of it; other lists' not-sure answers stay."""
    from triage.recheck import merge_asked

    qs = triage.questions
    saved = base_answers(symptoms_not_sure=["one_leg_swollen", "dirty_wound"])
    none = merge_asked(saved, {"urgent_signs": []}, qs, {})
    assert none["symptoms_not_sure"] == ["dirty_wound"] and none["symptoms"] == []
    again = merge_asked(
        saved, {"urgent_signs": [NOT_SURE], "urgent_signs_not_sure": ["new_weakness"]}, qs, {}
    )
    assert sorted(again["symptoms_not_sure"]) == ["dirty_wound", "new_weakness"]
    assert NOT_SURE not in again["symptoms"]
    only = merge_asked(
        base_answers(symptoms_not_sure=["one_leg_swollen"]), {"urgent_signs": []}, qs, {}
    )
    assert "symptoms_not_sure" not in only
