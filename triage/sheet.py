"""The advice sheet, rendered: the only module that imports jinja2.

What the sheet says, and in what order, is decided before this (triage.composition); the
templates in templates/ only lay that record out as text, Markdown or HTML. The clinical tables
for review (triage.review) are laid out here too, as Markdown or HTML.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from triage.errors import DataFileError

FORMATS = {
    "text": "sheet.txt.j2",
    "markdown": "sheet.md.j2",
    "html": "sheet.html.j2",
    "terminal": "sheet.md.j2",
    "recap": "recap.md.j2",  # the tier and what to do, again, after a sheet taller than the screen
    "recap-text": "recap.txt.j2",
    "chart": "chart.txt.j2",  # the cramp diary alone, in the terminal (triage diary chart)
    "headline": "headline.txt.j2",  # the tier and what to do, for the screen
}
TABLES = {"markdown": "tables.md.j2", "html": "tables.html.j2"}  # `triage tables`


WIDTH = 78  # columns of the text formats: a file, a pipe, an 80-column terminal


def _wrap(text: str, width: int = WIDTH, indent: str = "", first: str | None = None) -> str:
    return _fill(str(text), width, indent, indent if first is None else first)


@functools.lru_cache(maxsize=4096)
def _fill(text: str, width: int, indent: str, first: str) -> str:
    """One paragraph filled to the width; remembered, as the same sentences are filled again and
    again (in every case of a batch of sheets, and in each format of one)."""
    return textwrap.fill(
        text,
        width=width,
        initial_indent=first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


class _SignedCache(jinja2.BytecodeCache):
    """The templates' compiled code, kept between runs in the private cache folder (compiling the
    text sheet's template is most of a sheet's start-up time). An entry is used only when this
    user's HMAC proves triage wrote it (triage.documents.SignedStore); Jinja then also checks it
    was compiled from exactly this template's source and by this Jinja, else compiles afresh."""

    def __init__(self, store: Any) -> None:
        self.store = store

    @staticmethod
    def _name(bucket: jinja2.bccache.Bucket) -> str:
        return f"template-{bucket.key[:40]}.b64"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        payload = self.store.get(self._name(bucket), 4_000_000)
        if payload is not None:
            with contextlib.suppress(ValueError, EOFError, TypeError):
                bucket.bytecode_from_string(base64.b64decode(payload, validate=True))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        compiled = base64.b64encode(bucket.bytecode_to_string())
        self.store.put(self._name(bucket), compiled, keep=64)  # 12 templates, a few versions each


@functools.lru_cache(maxsize=8)
def environment(templates: Path) -> jinja2.Environment:
    """The Jinja environment of a templates folder, made once per process: Jinja compiles each
    template the first time it is used (most of a short run's rendering time otherwise, for
    every Triage made, as the tests and ./dev mutate make thousands) and, before each later use,
    checks that its file is unchanged (auto_reload)."""
    from triage.documents import SignedStore

    store = SignedStore.open()
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=_SignedCache(store) if store is not None else None,
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "html.j2"], default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
    )
    env.filters["wrap"] = _wrap
    env.globals["width"] = WIDTH  # the text formats' columns, unless a render gives its own
    return env


def render(
    env: jinja2.Environment,
    fmt: str,
    context: Mapping[str, Any],
    templates: Mapping[str, str] = FORMATS,
) -> str:
    try:
        return env.get_template(templates[fmt]).render(context)
    except jinja2.TemplateError as exc:
        name, line = _template_position(exc, templates[fmt])
        raise DataFileError(name, f"line {line}", str(exc)) from None


def _template_position(exc: jinja2.TemplateError, default: str) -> tuple[str, object]:
    """Jinja puts template frames into the traceback; the innermost one is where it failed."""
    name, line = getattr(exc, "filename", None) or default, getattr(exc, "lineno", None) or "?"
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            name, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    return str(name), line


def show_in_terminal(
    markdown: str,
    colour: str,
    console: Any = None,
    recap: Callable[[bool], str] | None = None,
    page: Callable[[str], bool] | None = None,
) -> None:
    """Print the Markdown sheet with rich: the tier's words in its colour, wrapped to the terminal.

    When it is taller than the screen, `page` (a pager) shows it first if it can, and then
    `recap(paged)` (the tier and what to do, in Markdown) is printed, so they are on screen at
    the end. rich drops colour by itself when NO_COLOR is set, and every escape sequence when the
    output is not a terminal or TERM=dumb.
    """
    from rich.console import Console
    from rich.markdown import Markdown
    from rich.theme import Theme

    if console is None:
        console = Console(highlight=False)
        console.width = min(console.width, 100)
    console.push_theme(
        Theme(
            {
                "markdown.h1": f"bold white on {colour}",
                "markdown.h1.border": colour,
                "markdown.h2": "bold underline",
            }
        )
    )
    with console.capture() as captured:
        console.print(Markdown(markdown))
    text = captured.get()
    if recap is None or text.count("\n") < console.size.height:
        console.file.write(text)
        console.file.flush()
        return
    paged = page is not None and page(text)
    if not paged:
        console.file.write(text)
    with console.capture() as captured:
        console.print(Markdown(recap(paged)))
    console.file.write(captured.get())
    console.file.flush()
