"""Each release is checked against its own schemas, even when one process builds several (compiled schemas
live on the Standards object of their commit, never in a module cache that a later commit could meet)."""

from __future__ import annotations

import json
from pathlib import Path

from gitrepo import BRANCH, append, commit, init, replace, tag
from sitehelpers import copy_project

from generator.cli import main
from generator.standards.catalogue import load_standards

VALID = Path(__file__).parent / "data/valid/records"
KINDS = '"enum": ["集中学习培训", "党课", "主题党日", "网络学习", "专题讲座", "其他"]'
MORE_KINDS = '"enum": ["集中学习培训", "党课", "主题党日", "网络学习", "专题讲座", "读书班", "其他"]'
STUDY_ROW = "pa000001,2025-04-10,4,读书班"


def _branch_schema_with_note(root: Path, note: bool) -> None:
    """branch.yaml's schema with (or without) an optional `note` key; it allows no other key it does not name."""
    path = root / "standards/schemas/branch.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    if note:
        schema["properties"]["note"] = {"type": "string", "title": "备注"}
    else:
        schema["properties"].pop("note", None)
    path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def test_each_release_tag_is_checked_against_its_own_schemas(tmp_path, capsys):
    root = copy_project(tmp_path / "project", VALID)
    assert KINDS in (root / "standards/schemas/study.schema.json").read_text(encoding="utf-8")
    repo = init(root)
    commit(repo, "first", "甲", "2025-03-31T18:00:00+08:00")
    tag(repo, "2025.03", "2025-04-02T09:00:00+08:00", "as-of: 2025-03-31")
    # the second release adds a study kind and a branch.yaml key to the schemas, and records use both
    replace(root / "standards/schemas/study.schema.json", KINDS, MORE_KINDS)
    _branch_schema_with_note(root, note=True)
    append(root / BRANCH / "study.csv", STUDY_ROW)
    append(root / BRANCH / "branch.yaml", "note: 与学院共建读书班")
    commit(repo, "second", "乙", "2025-04-30T18:00:00+08:00")
    tag(repo, "2025.04", "2025-04-30T20:00:00+08:00", "as-of: 2025-04-30")

    assert main(["--root", str(root), "releases", "--out", str(tmp_path / "site")]) == 0, capsys.readouterr().err
    assert (tmp_path / "site/2025.03/index.html").is_file() and (tmp_path / "site/2025.04/index.html").is_file()

    # the third takes both back out of the schemas while the records keep them: its own check refuses it,
    # in the same process that has just accepted the same records under the second release's schemas
    replace(root / "standards/schemas/study.schema.json", MORE_KINDS, KINDS)
    _branch_schema_with_note(root, note=False)
    commit(repo, "third", "丙", "2025-05-31T18:00:00+08:00")
    tag(repo, "2025.05", "2025-05-31T20:00:00+08:00", "as-of: 2025-05-31")
    repo.git.tag("-d", "2025.03")  # one release fewer to build: 2025.04 passes, then 2025.05 is checked
    capsys.readouterr()
    assert main(["--root", str(root), "releases", "--out", str(tmp_path / "site2")]) == 1
    err = capsys.readouterr().err
    assert "发布 2025.05（提交" in err
    assert "study.csv" in err and "读书班" in err and "branch.yaml" in err and "note" in err
    assert not (tmp_path / "site2").exists()


def test_compiled_schemas_belong_to_their_standards(tmp_path):
    """Two Standards objects loaded from different schemas compile their own validators, each on first use."""
    first = copy_project(tmp_path / "one", VALID)
    second = copy_project(tmp_path / "two", VALID)
    replace(second / "standards/schemas/study.schema.json", KINDS, MORE_KINDS)
    _branch_schema_with_note(second, note=True)
    old, new = load_standards(first / "standards"), load_standards(second / "standards")
    assert old.compiled is old.compiled and old.compiled is not new.compiled
    assert list(old.compiled.yaml("branch").iter_errors({"note": "x"}))
    assert not [e for e in new.compiled.yaml("branch").iter_errors({"note": "x"}) if e.validator != "required"]
    assert "读书班" in next(e for e in new.compiled.enums("study") if e.name == "kind").values
    assert "读书班" not in next(e for e in old.compiled.enums("study") if e.name == "kind").values
