"""Word-wrapping for the questionnaire's screens (the terminal's prompts and the plain lines)."""

from __future__ import annotations

import textwrap


def wrap(text: str, width: int, first: int = 0, indent: int = 0) -> str:
    """Word-wrap `text` to `width`.

    The first line starts at column `first`, the others at `indent`.
    """
    lines = textwrap.wrap(
        text,
        width - 1,
        initial_indent=" " * first,
        subsequent_indent=" " * indent,
        break_on_hyphens=False,
        break_long_words=False,  # a word is never cut: a reader, or a braille line, gets it whole
    ) or [""]
    return "\n".join(lines)[first:]
