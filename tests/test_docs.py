"""The README shows the real --help, and its two commands exist."""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from triage.cli import parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def words(text: str) -> str:
    """The help's words in order: argparse wraps the usage lines differently from one Python
    version to the next, and the README is checked on all of them."""
    return " ".join(text.split())


def test_readme_help_is_current(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    block = re.search(r"<!-- help:.*?-->\n```text\n(.*?)```", README, re.S)
    assert block, "README lost its --help block"
    assert words(block.group(1)) == words(parser().format_help())


def ci_commands() -> list[str]:
    """The commands .ci/run executes at the top level: comments and blank lines dropped."""
    lines = []
    for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines():
        code = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if code:
            lines.append(code)
    return lines


def ci_stages() -> list[str]:
    """The commands .ci/run runs as timed stages, in order: `stage "name" command...`."""
    stages = []
    for line in ci_commands():
        found = re.fullmatch(r'stage "[^"]+" (.+)', line)
        if found:
            stages.append(found.group(1))
    return stages


def test_readme_two_commands_match_ci() -> None:
    """CI runs the README's test command, after lint, and ./dev knows both commands."""
    assert "./dev run" in README and "./dev test" in README
    stages = ci_stages()
    tests = [n for n, s in enumerate(stages) if s.split()[:2] == ["./dev", "test"]]
    assert tests, f"CI never runs ./dev test: {stages}"
    lint = stages.index("./dev lint")
    assert lint < tests[0], "lint must come first: it fails fastest"
    dev = (ROOT / "dev").read_text(encoding="utf-8")
    assert "    run)" in dev and "    test)" in dev and os.access(ROOT / "dev", os.X_OK)


def test_ci_gates_on_safety_and_mutation_testing() -> None:
    """The exhaustive safety run and the mutation run are real, gating stages (no `|| true`)."""
    stages = ci_stages()
    for step in ("./dev exhaustive", "./dev mutate"):
        # the command itself, with options of its own at most (nothing after that could un-gate it)
        assert any(
            s.split()[:2] == step.split() and all(w.startswith("--") for w in s.split()[2:])
            for s in stages
        ), f"{step} is not a gating stage of .ci/run"
    assert "set -euo pipefail" in ci_commands()
    assert "    mutate)" in (ROOT / "dev").read_text(encoding="utf-8")


def test_ci_commands_ignore_comments() -> None:
    assert ci_commands() != [] and not any(c.startswith("#") for c in ci_commands())


def test_a_missing_test_tool_fails_under_ci_and_skips_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """CI must not pass by skipping the terminal tests because pexpect (or another tool) is missing."""
    from .conftest import require

    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="CI must run these tests"):
        require("no_such_test_tool_xyz")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        require("no_such_test_tool_xyz")
    assert require("json").dumps(1) == "1"


SESSION = re.compile(r"<!-- session: (\w+)(?: at (\w+))? -->\n```(?:text|yaml)\n(.*?)```", re.S)


def session_blocks() -> dict[str, tuple[str | None, str]]:
    return {name: (at or None, text) for name, at, text in SESSION.findall(README)}


def test_readme_says_triage_means_dev_run_at_the_two_commands() -> None:
    two = README[README.index("## Two commands") : README.index("### Python 3.13")]
    assert "./dev run --answers me.yaml" in two and "says `triage`" in two


@pytest.mark.e2e
def test_readme_example_session_is_what_the_terminal_shows(tmp_path: Path) -> None:
    """The README's session, run at 80x24 with its own answers (the answers block, turned into
    keystrokes from the loaded questions): each screen it shows is the terminal's screen at that
    moment, line for line, and the answers saved are its answers block, byte for byte."""
    import shutil

    import yaml

    from triage.pipeline import Triage

    from .keys import ENTER, for_answers
    from .screen import Pty, words

    if not shutil.which("less"):
        if os.environ.get("CI"):
            pytest.fail("CI must run the README session: less is not installed")
        pytest.skip("less not installed (the session pages the sheet)")
    blocks = session_blocks()
    assert set(blocks) == {"questions", "review", "end", "answers"}, set(blocks)
    command = re.search(r"```text\n\$ triage (.*?)\n```", README)
    assert command, "README lost the session's command line"
    triage = Triage()
    answers = yaml.safe_load(blocks["answers"][1])
    term = Pty.triage(*command.group(1).split(), cwd=tmp_path, unset=("PAGER", "LESS"))
    seen: dict[str, str] = {}
    for q, keys in for_answers(triage.questions, answers):
        term.wait(
            lambda q=q: (
                term.current().startswith(f"? {q.prompt}") and "Question " in term.current()
            ),
            repr(q.prompt),
        )
        term.settle(0.3)
        if q.id == blocks["questions"][0]:
            seen["questions"] = term.text()
        term.send(keys)
    term.see(words(triage.phrases("review.keys")))
    term.settle(0.5)
    seen["review"] = term.text()
    pager, review = words(triage.phrases("result.pager")), words(triage.phrases("review.keys"))
    while pager not in words(term.text()):
        before = term.text()
        term.send(ENTER)  # the next screen of answers, then the result in the pager
        term.wait(
            lambda before=before: (
                pager in words(term.text())
                or (term.text() != before and review in words(term.text()))
            ),
            "the next screen of answers, or the pager",
        )
        term.settle(0.3)
    term.send("q")
    assert term.finish() == 0
    seen["end"] = term.text()
    for name in ("questions", "review", "end"):
        assert seen[name] == blocks[name][1].rstrip("\n"), f"README screen '{name}' differs"
    saved = (tmp_path / command.group(1).split()[1]).read_text(encoding="utf-8")
    # The answers carry the day they were given (issue 22): the README shows one such day, the
    # file today's; every other byte is the README's.
    shown_day = str(answers["answered_on"])
    today = datetime.date.today().isoformat()
    assert saved.count(f"answered_on: {today}\n") == 1
    assert (
        saved.replace(f"answered_on: {today}", f"answered_on: {shown_day}") == blocks["answers"][1]
    )


@pytest.mark.parametrize(
    ("marker", "argv"),
    [("help-recheck", ["recheck", "--help"]), ("help-diary", ["diary", "--help"])],
)
def test_readme_follow_up_help_is_current(
    marker: str,
    argv: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The README shows the real help of `triage recheck` and `triage diary`."""
    from triage.cli import main

    monkeypatch.setenv("COLUMNS", "80")
    block = re.search(rf"<!-- {marker}:.*?-->\n```text\n(.*?)```", README, re.S)
    assert block, f"README lost its {marker} block"
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 0
    assert words(block.group(1)) == words(capsys.readouterr().out)


# ---- The repository stands alone: the policy and the contract are documents in it ----------------
#
# docs/policy.md is the clinical policy that rules/ carries out, and docs/answers-contract.md the
# answers file and the --json result. The tests below keep them in step with what is loaded from
# rules/ and triage/, so a new rule, key, value or field with no documentation fails a test that
# names it, and no file of the project points at a file outside it.

DOCS = ROOT / "docs"
POLICY = ROOT / "docs/policy.md"
CONTRACT = ROOT / "docs/answers-contract.md"
NOT_SCANNED = {".git", ".venv", "node_modules", "__pycache__", ".hypothesis", ".pytest_cache"}

# What a reference outside the repository looks like, and what it points at. The patterns are
# written so that this file does not match them itself (for example `/wor[k]/`).
OUTSIDE = {
    r"\.\./shared": "the shared folder beside the checkout",
    r"\bshared/": "the shared folder's files",
    r"/wor[k]/": "the development machine's work folder",
    r"triage-polic[y]": "the external policy file (use docs/policy.md)",
    r"clinical[- ]brief": "clinical notes kept outside the repository (cite the public source)",
    r"library[- ]notes": "notes on the libraries kept outside the repository",
    r"\bstyle\.md": "the style notes",
    r"\bseeds/": "the seed folder (cite the article as rules/sources.yaml does)",
    r"\b\d{3}_[0-9a-f]{16}\.txt\b": "a seed file (cite the article as rules/sources.yaml does)",
}
OUTSIDE_RE = {re.compile(pattern, re.I): what for pattern, what in OUTSIDE.items()}
URL = re.compile(r"[a-z][a-z0-9+.-]*://\S+", re.I)
MD_NAME = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w-][\w.-]*\.md)(?!\w|\.\w)")
SECTION_REF = re.compile(
    r"docs/(policy|answers-contract)\.md,\s*(?:#\s*)?"
    r"((?:[\"'][^\"'\n]+[\"'](?:,\s*|\s+and\s+)?)+)"
)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def project_files() -> list[Path]:
    """Every file of the project: tracked or new (git, ignoring what .gitignore ignores).

    Without git (a copy of the tree), every file under the root but caches and virtualenvs.
    """
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout.decode("utf-8")
        names = sorted({n for n in listed.split("\0") if n})
    except (OSError, subprocess.SubprocessError):
        names = sorted(
            p.relative_to(ROOT).as_posix()
            for p in ROOT.rglob("*")
            if p.is_file() and not NOT_SCANNED & set(p.relative_to(ROOT).parts)
        )
    return [ROOT / name for name in names if (ROOT / name).is_file()]


def text_of(path: Path) -> str | None:
    """The file as text, or None for a binary file."""
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def outside_references(path: Path, text: str) -> list[str]:
    """Each reference in `text` to a file outside the repository, as 'file:line: what'."""
    found = []
    name = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
    for n, line in enumerate(text.splitlines(), 1):
        for pattern, what in OUTSIDE_RE.items():
            if hit := pattern.search(line):
                found.append(f"{name}:{n}: {hit.group(0)!r}, {what}")
        for mention in MD_NAME.findall(URL.sub(" ", line)):
            if not ((ROOT / mention).is_file() or (path.parent / mention).is_file()):
                found.append(f"{name}:{n}: {mention!r}, a document that is not in the repository")
    return found


def test_no_file_refers_to_a_file_outside_the_repository() -> None:
    """The project stands alone: no file points at the shared folder, at the policy, contract or
    notes kept outside the repository, or at the seed files; and every Markdown document a file
    names (README.md, docs/...) is in the repository."""
    files = project_files()
    assert ROOT / "README.md" in files and POLICY in files and CONTRACT in files
    found = [
        hit for path in files if (text := text_of(path)) for hit in outside_references(path, text)
    ]
    assert not found, "references outside the repository:\n" + "\n".join(found)


def test_the_outside_reference_check_catches_each_kind(tmp_path: Path) -> None:
    """Each pattern finds what it is for (the samples are built in pieces, so this file passes)."""
    samples = [
        ".." + "/share" + "d/x",
        "see " + "share" + "d/reference",
        "/wor" + "k/main",
        "triage-" + "policy rev 3",
        "clinical " + "brief 1.2",
        "library" + "-notes 1.7",
        "style" + ".md",
        "seeds" + "/001",
        "000_c0e0a588" + "3e2d16eb.txt",
        "answers-contract" + ".md",
    ]
    note = tmp_path / "note.txt"
    for sample in samples:
        assert outside_references(note, f"# {sample}\n"), sample
    assert outside_references(note, "see README.md and docs/policy.md, and sheet.md.j2\n") == []


# -- reading the documents ---------------------------------------------------------------------


def plain(title: str) -> str:
    return " ".join(title.replace("`", "").split())


def sections(path: Path) -> dict[str, str]:
    """Each heading's text (backticks dropped) -> its body, up to the next heading of its level."""
    lines = path.read_text(encoding="utf-8").splitlines()
    heads: list[tuple[int, int, str]] = []
    fenced = False
    for n, line in enumerate(lines):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (m := re.match(r"(#{1,6})\s+(.+)", line)):
            heads.append((n, len(m.group(1)), plain(m.group(2))))
    out: dict[str, str] = {}
    for i, (start, level, title) in enumerate(heads):
        end = next((s for s, lv, _ in heads[i + 1 :] if lv <= level), len(lines))
        assert title not in out, f"{path.name}: two headings read {title!r}"
        out[title] = "\n".join(lines[start + 1 : end])
    return out


def rows(body: str) -> dict[str, list[str]]:
    """Table rows of a section (not the header rows) by their first cell, backticks dropped."""
    out: dict[str, list[str]] = {}
    lines = body.splitlines()
    separator = re.compile(r"\|[\s|:-]+\|?$")
    for n, line in enumerate(lines):
        header = n + 1 < len(lines) and separator.match(lines[n + 1])
        if line.startswith("|") and not separator.match(line) and not header:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            out.setdefault(plain(cells[0]), cells)
    return out


def section(path: Path, title: str) -> str:
    found = sections(path)
    assert title in found, f"{path.relative_to(ROOT)} lost its section {title!r}"
    return found[title]


def coded(text: str) -> set[str]:
    """Everything written `like this` in a text."""
    return set(re.findall(r"`([^`\n]+)`", text))


TIER_SECTION = {
    "emergency": "Emergency rules",
    "urgent": "Urgent rules",
    "soon": "Soon rules",
    "self-care": "Self-care rules",
}


def policy_section_for(rule: Any) -> str:
    """Where docs/policy.md describes a rule: by the tier it sets, else by what it concludes."""
    if rule.tier:
        return TIER_SECTION[rule.tier]
    if rule.offer:
        return "Remedies: who is offered what"
    return "Warnings"  # withholds and cautions are the safety table's, never a rule's


# -- (b) the policy covers every rule and every item the rules use -----------------------------


def test_every_rule_has_a_row_in_the_policy(knowledge: Any) -> None:
    """A rule added to rules/logic/ without a line in docs/policy.md fails here, by its id."""
    missing = [
        f"{rule.id} (under {policy_section_for(rule)!r})"
        for rule in knowledge.rules
        if rule.id not in rows(section(POLICY, policy_section_for(rule)))
    ]
    assert len(knowledge.rules) > 50
    assert not missing, "docs/policy.md has no row for these rules: " + ", ".join(missing)


def test_every_remedy_action_source_medicine_and_country_has_a_row(
    knowledge: Any, triage: Any
) -> None:
    tables = {
        "The remedies": set(knowledge.remedies),
        "Actions": set(knowledge.actions),
        "Sources": set(knowledge.sources),
        "Medicines linked to cramps": set(knowledge.medicines),
        "Numbers by country": set(triage.countries),
        "This may not be a cramp": set(knowledge.consider),
    }
    missing = [
        f"{title}: {', '.join(sorted(ids - set(rows(section(POLICY, title)))))}"
        for title, ids in tables.items()
        if ids - set(rows(section(POLICY, title)))
    ]
    assert not missing, "docs/policy.md lacks rows: " + "; ".join(missing)
    stale = [
        f"{title}: {', '.join(sorted(documented - ids))}"
        for title, ids in tables.items()
        for documented in [set(rows(section(POLICY, title)))]
        if documented - ids
    ]
    assert not stale, "docs/policy.md has rows for ids rules/ no longer has: " + "; ".join(stale)
    warned = {w for rule in knowledge.rules for w in rule.warn}
    assert warned <= coded(section(POLICY, "Warnings")), warned - coded(section(POLICY, "Warnings"))


def test_the_policy_lists_the_questions_in_their_order(triage: Any) -> None:
    table = rows(section(POLICY, "Questions and early stop"))
    documented = [
        (cells[1].strip("`"), cells[2].strip("`")) for key, cells in table.items() if key.isdigit()
    ]
    assert documented == [(q.id, q.key) for q in triage.questions]


def test_the_policy_states_the_loaders_question_limits() -> None:
    from triage import loader

    text = " ".join(section(POLICY, "Questions and early stop").split())
    for figure in (
        f"at most {loader.MAX_CHOICES} choices",
        f"a prompt of at most {loader.MAX_PROMPT_WORDS} words",
        f"at most {loader.MAX_CHOICE_WORDS} words in a choice",
    ):
        assert figure in text, f"docs/policy.md, Questions and early stop: not {figure!r}"


def test_the_policy_states_the_page_one_figures_of_rules(knowledge: Any) -> None:
    """Counts and word limits of page one, tier by tier, as rules/dispositions.yaml has them."""
    table = rows(section(POLICY, "Page one"))
    for tier, t in knowledge.tiers.items():
        assert tier in table, f"docs/policy.md, Page one: no row for {tier}"
        _, during, prevent, words, first = table[tier]
        page = t.page_one
        assert (int(during), int(prevent), int(words)) == (
            page["during"],
            page["prevent"],
            page["words"],
        ), tier
        assert first == ("yes" if page["first"] else "no"), tier


def test_the_policy_marks_the_medicines_linked_to_cramps_as_rules_do(knowledge: Any) -> None:
    table = rows(section(POLICY, "Medicines linked to cramps"))
    for mid, medicine in knowledge.medicines.items():
        linked, clot = table[mid][3], table[mid][4]
        assert linked == ("yes" if medicine.causes_cramps else "no"), mid
        assert clot == ("yes" if medicine.clot_risk else "no"), mid


def test_the_policy_gives_each_countrys_numbers(triage: Any) -> None:
    table = rows(section(POLICY, "Numbers by country"))
    for cid, country in triage.countries.items():
        assert table[cid][2:4] == [country.emergency, country.urgent_line], cid


def test_the_policy_gives_the_grades_in_order_with_their_words(knowledge: Any) -> None:
    table = rows(section(POLICY, "Evidence grades"))
    graded = [(grade, cells[1]) for grade, cells in table.items()]
    assert graded == list(knowledge.evidence.items())


# -- (c) the answers contract covers every key, value, question and result field ----------------


def test_every_contract_key_has_a_row_with_its_range(triage: Any) -> None:
    keys = rows(section(CONTRACT, "Keys"))
    fields = triage.contract.fields
    missing = sorted(set(fields) - set(keys))
    assert not missing, f"docs/answers-contract.md, Keys: no row for {missing}"
    stale = sorted(k for k in keys if k not in fields)
    assert not stale, f"docs/answers-contract.md, Keys: rows for keys not in the schema: {stale}"
    for name, field in fields.items():
        allowed = keys[name][2]
        if field.kind == "integer":
            assert f"{field.minimum} to {field.maximum}" in allowed, name
        elif field.kind in ("boolean", "const"):
            assert {json.dumps(v) for v in field.values} <= coded(allowed), name


def shown(value: Any) -> str:
    """A value as the contract document writes it: true and false as in JSON and YAML."""
    return json.dumps(value) if isinstance(value, bool) else str(value)


def test_every_allowed_value_of_the_schema_is_described(triage: Any) -> None:
    """Each value of each choice and list key has a row in that key's section, and no more."""
    values = sections(CONTRACT)
    problems = []
    for name, field in triage.contract.fields.items():
        if field.kind not in ("choice", "list"):
            continue
        if name not in values:
            problems.append(f"no section `{name}`")
            continue
        documented = set(rows(values[name]))
        allowed = {shown(v) for v in field.values}
        problems += [f"{name}: no row for {v}" for v in sorted(allowed - documented)]
        problems += [
            f"{name}: a row for {v}, not in the schema" for v in sorted(documented - allowed)
        ]
    assert not problems, "docs/answers-contract.md: " + "; ".join(problems)


def test_the_contract_says_which_question_asks_each_key_and_value(triage: Any) -> None:
    keys = rows(section(CONTRACT, "Keys"))
    values = sections(CONTRACT)
    missing = []
    for q in triage.questions:
        if q.id not in coded(keys[q.key][-1]):
            missing.append(f"Keys, {q.key}: asked by {q.id}")
        for choice in q.choices:
            row = rows(values[q.key]).get(shown(choice.value))
            if row is None or q.id not in coded(row[-1]):
                missing.append(f"{q.key}, {choice.value}: asked by {q.id}")
    assert not missing, "docs/answers-contract.md does not say: " + "; ".join(missing)


def test_every_result_field_and_value_is_described(knowledge: Any) -> None:
    from triage import result
    from triage.model import TIERS, WHEN

    text = section(CONTRACT, "The result (--json)")
    described = set(rows(text))
    records = (
        result.Result,
        result.Advice,
        result.Reason,
        result.RemedyPick,
        result.Withheld,
        result.Note,
        result.Inferred,
    )
    missing = sorted({f for record in records for f in record._fields} - described)
    assert not missing, f"docs/answers-contract.md, The result: no row for {missing}"
    values = {*TIERS, *WHEN, *knowledge.evidence}
    assert values <= coded(text), sorted(values - coded(text))


# -- (d) links and section references resolve ----------------------------------------------------


def slug(title: str) -> str:
    """GitHub's anchor for a heading."""
    return re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", title.replace("`", "").strip().lower()))


def anchors(path: Path) -> set[str]:
    return {slug(title) for title in sections(path)}


def test_relative_links_in_the_documents_resolve() -> None:
    """Every relative link of README.md and docs/*.md names a file in the repository, and its
    #anchor (if any) a heading of that file."""
    broken = []
    documents = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
    assert POLICY in documents and CONTRACT in documents
    for doc in documents:
        text = re.sub(r"```.*?```", "", doc.read_text(encoding="utf-8"), flags=re.S)
        for target in LINK.findall(text):
            if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I):
                continue  # a web address
            path, _, anchor = target.partition("#")
            file = (doc.parent / path).resolve() if path else doc
            if not file.is_file() or not file.is_relative_to(ROOT):
                broken.append(f"{doc.name}: {target} (no such file in the repository)")
            elif anchor and file.suffix == ".md" and anchor not in anchors(file):
                broken.append(f"{doc.name}: {target} (no such heading)")
    assert not broken, "\n".join(broken)


def test_section_references_name_real_headings() -> None:
    """A section reference (a document's path, a comma, then a heading in quotes) anywhere in the
    project names a real heading of that document."""
    headings = {"policy": set(sections(POLICY)), "answers-contract": set(sections(CONTRACT))}
    wrong, count = [], 0
    for path in project_files():
        text = text_of(path)
        if not text:
            continue
        for m in SECTION_REF.finditer(text):
            for name in re.findall(r"[\"']([^\"'\n]+)[\"']", m.group(2)):
                count += 1
                if plain(name) not in headings[m.group(1)]:
                    wrong.append(
                        f"{path.relative_to(ROOT)}: docs/{m.group(1)}.md has no section {name!r}"
                    )
    assert count > 30, "the section references were not found"
    assert not wrong, "\n".join(wrong)
