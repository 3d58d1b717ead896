"""`zhibu codeowners` writes .github/CODEOWNERS from the maintainers in records/; `zhibu check` flags it stale."""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml

from generator.cli import main

REPO = Path(__file__).resolve().parents[1]
BRANCH = "records/gongcheng/gongcheng-js1"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def problems(capsys, root: Path) -> list[dict]:
    code, out, _ = run(capsys, "--root", str(root), "check", "--as-of", "2025-03-31", "--format", "json")
    assert code == 0, out
    return json.loads(out)["problems"]


def stale(capsys, root: Path) -> list[dict]:
    return [p for p in problems(capsys, root) if p["code"] == "codeowners-stale"]


def rules(text: str) -> list[tuple[str, list[str]]]:
    """(pattern, owners) of every rule line, in file order."""
    out = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *owners = line.split()
            out.append((pattern, owners))
    return out


def set_maintainers(file: Path, handles: list) -> None:
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["maintainers"] = handles
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_demo_codeowners_is_committed_and_current(capsys):
    code, out, err = run(capsys, "--root", str(REPO), "codeowners", "--check")
    assert code == 0, err
    assert "一致" in out


def test_demo_codeowners_follows_the_records():
    """Expected owners read straight from the YAML files, not through the code under test."""
    text = (REPO / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert text.startswith("# ") and "zhibu codeowners" in text.splitlines()[0] and "请勿手工编辑" in text
    got = dict(rules(text))
    records = REPO / "records"
    college = ["@" + h for h in yaml.safe_load((records / "organization.yaml").read_text("utf-8"))["maintainers"]]
    assert got["*"] == college
    assert got["/standards/"] == college
    assert got["/records/organization.yaml"] == college
    units = sorted(p.parent for p in records.glob("*/unit.yaml"))
    branches = sorted(p.parent for p in records.glob("*/*/branch.yaml"))
    assert len(units) >= 5 and len(branches) == 24
    for unit in units:
        handles = yaml.safe_load((unit / "unit.yaml").read_text("utf-8"))["maintainers"]
        assert got[f"/records/{unit.name}/"] == ["@" + h for h in handles]
    for branch in branches:
        own = yaml.safe_load((branch / "branch.yaml").read_text("utf-8"))["maintainers"]
        unit = yaml.safe_load((branch.parent / "unit.yaml").read_text("utf-8"))["maintainers"]
        assert got[f"/records/{branch.parent.name}/{branch.name}/"] == ["@" + h for h in own + unit]
    assert len(got) == 3 + len(units) + len(branches)  # nothing else
    patterns = [p for p, _ in rules(text)]
    # GitHub applies the last matching rule: the catch-all first, a branch after its unit.
    assert patterns[0] == "*"
    unit_lines = [p for p in patterns if p.count("/") == 3 and p.startswith("/records/")]
    assert unit_lines == sorted(unit_lines)
    for unit in units:
        assert patterns.index(f"/records/{unit.name}/") < min(
            patterns.index(f"/records/{unit.name}/{b.name}/") for b in branches if b.parent == unit)


def test_codeowners_written_and_checked(make_repo, capsys):
    root = make_repo()
    assert stale(capsys, root) == []  # no .github/: the repository does not use GitHub's code owners
    (root / ".github").mkdir()
    found = stale(capsys, root)
    assert len(found) == 1
    assert found[0]["path"] == ".github/CODEOWNERS" and found[0]["severity"] == "warning"
    assert "不存在" in found[0]["message"] and "zhibu codeowners" in found[0]["message"]

    code, _, err = run(capsys, "--root", str(root), "codeowners", "--check")
    assert code == 1 and "zhibu codeowners" in err
    assert not (root / ".github/CODEOWNERS").exists()  # --check writes nothing
    code, out, _ = run(capsys, "--root", str(root), "codeowners")
    assert code == 0 and "已更新" in out
    text = (root / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert rules(text) == [
        ("*", ["@test-dangwei"]),
        ("/records/gongcheng/", ["@gongcheng-zuzhi"]),
        ("/records/gongcheng/gongcheng-js1/", ["@gongcheng-js1-shuji", "@gongcheng-zuzhi"]),
        ("/standards/", ["@test-dangwei"]),
        ("/records/organization.yaml", ["@test-dangwei"]),
    ]
    assert stale(capsys, root) == []
    code, out, _ = run(capsys, "--root", str(root), "codeowners")
    assert code == 0 and "无变化" in out
    assert (root / ".github/CODEOWNERS").read_text(encoding="utf-8") == text  # deterministic

    set_maintainers(root / BRANCH / "branch.yaml", ["new-shuji", "acme/zuzhi-team"])
    found = stale(capsys, root)
    assert len(found) == 1 and found[0]["row"] == text.splitlines().index(
        "/records/gongcheng/gongcheng-js1/ @gongcheng-js1-shuji @gongcheng-zuzhi") + 1
    assert run(capsys, "--root", str(root), "codeowners", "--check")[0] == 1
    run(capsys, "--root", str(root), "codeowners")
    new = dict(rules((root / ".github/CODEOWNERS").read_text(encoding="utf-8")))
    assert new["/records/gongcheng/gongcheng-js1/"] == ["@new-shuji", "@acme/zuzhi-team", "@gongcheng-zuzhi"]
    assert stale(capsys, root) == []


def test_branch_without_maintainers_falls_back_to_its_unit(make_repo, capsys):
    root = make_repo()
    set_maintainers(root / BRANCH / "branch.yaml", [])
    run(capsys, "--root", str(root), "codeowners")
    patterns = [p for p, _ in rules((root / ".github/CODEOWNERS").read_text(encoding="utf-8"))]
    assert "/records/gongcheng/gongcheng-js1/" not in patterns and "/records/gongcheng/" in patterns


def test_malformed_handle_never_becomes_a_rule(make_repo, capsys):
    root = make_repo()
    (root / ".github").mkdir()
    set_maintainers(root / BRANCH / "branch.yaml", ["ok-handle", "evil\n* @attacker", "two words", "@at-sign"])
    code, out, _ = run(capsys, "--root", str(root), "check", "--as-of", "2025-03-31", "--format", "json")
    assert code == 1  # the schema rejects the bad handles
    assert any(p["path"] == f"{BRANCH}/branch.yaml" for p in json.loads(out)["problems"])
    run(capsys, "--root", str(root), "codeowners")
    text = (root / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert "attacker" not in text and "two" not in text and "@@" not in text
    assert dict(rules(text))["/records/gongcheng/gongcheng-js1/"] == ["@ok-handle", "@gongcheng-zuzhi"]


def test_unreadable_records_refuse_to_generate(make_repo, capsys):
    root = make_repo()
    (root / BRANCH / "branch.yaml").write_text("code: [unclosed\n", encoding="utf-8")
    code, _, err = run(capsys, "--root", str(root), "codeowners")
    assert code == 1 and f"{BRANCH}/branch.yaml" in err
    assert not (root / ".github/CODEOWNERS").exists()


def test_symlinked_codeowners_is_not_followed(make_repo, capsys, tmp_path):
    root = make_repo()
    (root / ".github").mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me\n", encoding="utf-8")
    os.symlink(outside, root / ".github/CODEOWNERS")
    assert len(stale(capsys, root)) == 1
    run(capsys, "--root", str(root), "codeowners")
    assert outside.read_text(encoding="utf-8") == "keep me\n"
    assert not (root / ".github/CODEOWNERS").is_symlink()
    assert stale(capsys, root) == []


def test_symlinked_github_folder_is_not_written_through(make_repo, capsys, tmp_path):
    root = make_repo()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    os.symlink(outside, root / ".github")
    code, _, err = run(capsys, "--root", str(root), "codeowners")
    assert code == 2 and "符号链接" in err
    assert list(outside.iterdir()) == []


def test_a_narrowed_check_keeps_the_lines_of_the_units_it_did_not_read(tmp_path):
    """A check of one branch parses only its own unit's unit.yaml; the other units' CODEOWNERS lines and
    comments are kept as they are (unchanged since the base), and the checked unit's are still compared."""
    import datetime as dt
    import shutil

    from generator.pipeline import run_check

    root = tmp_path / "demo"
    for name in ("records", "standards", ".github"):
        shutil.copytree(REPO / name, root / name)
    branch = sorted(p.parent for p in (root / "records").glob("*/*/branch.yaml"))[0]
    selected = [str(branch.relative_to(root))]

    def stale_now() -> list[str]:
        run = run_check(root, selected, as_of=dt.date(2025, 3, 31))
        assert [b.code for b in run.ledger.branches] == [branch.name]
        assert set(run.ledger.units) == {branch.parent.name}  # the other units were not read
        return [p.path for p in run.problems if p.code == "codeowners-stale"]

    assert stale_now() == []
    owners = root / ".github/CODEOWNERS"
    text = owners.read_text(encoding="utf-8")
    unit_line = next(line for line in text.splitlines() if line.startswith(f"/records/{branch.parent.name}/ "))
    owners.write_text(text.replace(unit_line, unit_line + " @someone-else"), encoding="utf-8")
    assert stale_now() == [".github/CODEOWNERS"]
