"""Every CSV and YAML example in the guide passes the real check (issue 16 item 5).

A secretary copies the guide's examples. Each fenced `csv` block (its header names the table) is appended
to that table of the valid fixture's branch, each `yaml` block is that branch's exemptions.yaml (a block
starting with `exemptions:`) or keys of its branch.yaml (a block whose first line names branch.yaml);
then `zhibu check`'s pipeline runs on the result and must report nothing for that branch.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml
from conftest import REPO
from markdown_it import MarkdownIt
from recordedits import write_exemption

from generator.pipeline import run_check

GUIDES = [REPO / "docs/contribute.md", REPO / "records/README.md"]
BRANCH = "records/gongcheng/gongcheng-js1"
AS_OF = dt.date(2026, 11, 20)


def examples(page: Path) -> list[tuple[str, str]]:
    """(language, text) of each fenced block, wherever it sits (numbered steps, quotations)."""
    tokens = MarkdownIt("commonmark").parse(page.read_text(encoding="utf-8"))
    return [(t.info.strip(), t.content) for t in tokens if t.type == "fence"]


def _headers() -> dict[str, str]:
    out = {}
    for schema in (REPO / "standards/schemas").glob("*.schema.json"):
        data = json.loads(schema.read_text(encoding="utf-8"))
        if "fields" in data:  # the header with every column, and without the optional ones
            name = schema.name.split(".")[0] + ".csv"
            out[",".join(f["name"] for f in data["fields"])] = name
            out[",".join(f["name"] for f in data["fields"] if not f.get("optionalColumn"))] = name
    return out


def apply(root: Path, language: str, text: str) -> str:
    """Put one example into the branch's files; returns the file it went to."""
    folder = root / BRANCH
    if language == "csv":
        header, *rows = text.strip("\n").split("\n")
        name = _headers()[header]  # KeyError: an example whose header is not a table's
        target = folder / name
        if not target.exists():  # an optional file the example starts (elections.csv, rectification.csv): header first
            target.write_text(header + "\n", encoding="utf-8")
        held, *lines = target.read_text(encoding="utf-8").rstrip("\n").split("\n")
        if held != header:  # the example adds optional columns (as the guide tells): the file's rows get empty cells
            assert header.startswith(held + ","), (held, header)
            extra = "," * (header.count(",") - held.count(","))
            target.write_text("".join(line + "\n" for line in [header] + [row + extra for row in lines]),
                              encoding="utf-8")
        with target.open("a", encoding="utf-8") as handle:
            handle.write("".join(row + "\n" for row in rows))
        return name
    assert language == "yaml", language
    data = yaml.safe_load(text)
    if isinstance(data, dict) and "exemptions" in data:
        (folder / "exemptions.yaml").write_text(text, encoding="utf-8")
        return "exemptions.yaml"
    if isinstance(data, list):  # items to add under exemptions: in exemptions.yaml
        held = yaml.safe_load((folder / "exemptions.yaml").read_text(encoding="utf-8"))
        held["exemptions"] += data
        (folder / "exemptions.yaml").write_text(yaml.safe_dump(held, allow_unicode=True, sort_keys=False),
                                                encoding="utf-8")
        return "exemptions.yaml"
    assert text.lstrip().startswith("#") and text.split("\n", 1)[0].endswith("branch.yaml"), text
    branch = yaml.safe_load((folder / "branch.yaml").read_text(encoding="utf-8"))
    branch.update({key: value for key, value in data.items() if key != "code"})
    (folder / "branch.yaml").write_text(yaml.safe_dump(branch, allow_unicode=True, sort_keys=False),
                                        encoding="utf-8")
    return "branch.yaml"


def test_guide_examples_pass_the_check(make_repo):
    root = make_repo()
    blocks = [(lang, text) for page in GUIDES for lang, text in examples(page) if lang in ("csv", "yaml")]
    # Members first (the other examples name the members the guide adds), whole files before items added to them.
    blocks.sort(key=lambda block: (not block[1].startswith("id,category"), block[1].startswith(" ")))
    touched = [apply(root, lang, text) for lang, text in blocks]
    assert {"members.csv", "meetings.csv", "dues.csv", "exemptions.yaml", "branch.yaml"} <= set(touched), touched
    assert len(blocks) >= 9
    run = run_check(root, as_of=AS_OF)
    found = [(p.code, p.path, p.row, p.message) for p in run.problems if p.path.startswith(BRANCH)]
    assert not found
    [branch] = run.ledger.branches
    assert {"p4x8m2qa", "p9t3k7wd"} <= {m.id for m in branch.members}  # the rows were read, not skipped
    assert branch.dues_payment == "quarterly"  # the branch.yaml example took effect
    assert {(d.month, d.member) for d in branch.dues} >= {("2025-04", "p4x8m2qa"), ("2025-06", "p4x8m2qa")}


def test_guide_links_the_record_formats_page():
    text = (REPO / "docs/contribute.md").read_text(encoding="utf-8")
    assert "[记录格式](standards/formats.md)" in text


def test_exemption_starting_mid_month_warns(make_repo):
    root = make_repo()
    write_exemption(root, "2025-07-15", "2025-08-31", "2025-06-20")
    run = run_check(root, as_of=AS_OF)
    [warning] = [p for p in run.problems if p.code == "exemption-partial-period"]
    assert (warning.severity, warning.path, warning.row, warning.field) == (
        "warning", f"{BRANCH}/exemptions.yaml", 2, "from")
    assert "2025-07 从 2025-07-15 才开始豁免" in warning.message and "from 请写 2025-07-01" in warning.message
    assert "2025-08" not in warning.message  # August is covered whole
    july = [r for r in run.results if r.rule == "MT-07" and r.period == "2025-07"]
    assert july and july[0].status != "exempt"  # what the warning says is what the check does


def test_guide_says_from_which_month_a_transferred_member_pays_here(make_repo):
    """The guide's transfer example (joined 2025-03-10): March's dues are not asked of this branch, April's are."""
    text = (REPO / "docs/contribute.md").read_text(encoding="utf-8")
    assert "从转入后的下一个月起，`dues.csv` 中要有他每月的党费记录" in text
    assert "转出当月的党费仍记在本支部" in text
    root = make_repo()
    [transfer] = [t for lang, t in examples(REPO / "docs/contribute.md")
                  if lang == "csv" and t.startswith("id,category") and "p4x8m2qa" in t]
    assert ",2025-03-10,," in transfer
    apply(root, "csv", transfer)
    run = run_check(root, as_of=AS_OF)
    status = {r.period: r.status for r in run.results if r.rule == "DU-09" and r.branch == "gongcheng-js1"}
    assert status["2025-02"] == status["2025-03"] == "pass"  # no dues row for him, and March is not failed
    assert status["2025-04"] == "fail"  # April is his first month here, and it has no row
