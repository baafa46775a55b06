"""A small questionnaire of the tests' own, asked by the real `Terminal` (or, with --plain, the
real `Plain`) with the real words of rules/ui.yaml: the pseudo-terminal tests drive it to check
the mechanics of the prompts (messages, going back, the review), whatever the real questions
are. Prints the answers as JSON at the end. Run: python -m tests.prompt_demo [--plain]"""

from __future__ import annotations

import json
import sys

from triage.interview import Interview
from triage.model import Choice, Question
from triage.pipeline import Triage
from triage.plain import Plain
from triage.terminal import Terminal

MINI = (
    Question(
        "signs",
        "symptoms",
        "checkbox",
        "Do you have any of these?",
        short="Signs",
        choices=(
            Choice("dark_urine", "Dark urine", help="Look at the colour next time you pee."),
            Choice("twitching", "Twitching"),
        ),
        none_label="None of these",
    ),
    Question("sure", "pregnant", "confirm", "Are you sure?", short="Sure", yes="Yes", no="No"),
    Question(
        "side",
        "sides",
        "select",
        "Which side?",
        short="Side",
        choices=(Choice("one", "One leg"), Choice("both", "Both legs")),
    ),
    Question("age", "age", "number", "How old are you?", short="Age", minimum=12, maximum=120),
    Question(
        "where",
        "locations",
        "checkbox",
        "Where?",
        short="Where",
        choices=(Choice("calf", "Calf"), Choice("foot", "Foot")),
    ),
)


def main() -> int:
    phrases = Triage().phrases
    if "--plain" in sys.argv:
        answers = Interview(MINI, Plain(phrases)).run()
    else:
        terminal = Terminal(phrases)
        with terminal.screen():
            answers = Interview(MINI, terminal).run()
    print("ANSWERS " + json.dumps(answers, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
