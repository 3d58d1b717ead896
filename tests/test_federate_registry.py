"""The federation registry (design.md §6): a bad registry is a usage error (exit 2) with coded, located problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.federation.registry import load_registry

GOOD = """\
title: 测试省汇总
colleges:
  - code: demo-a
    name: 示例甲职业技术学院
    package: https://example.edu.cn/dangjian/data/datapackage.json
    site: https://example.edu.cn/dangjian/
  - code: demo-b
    name: 示例乙职业技术学院
    package: b/data/datapackage.json
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "registry.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_registry_lists_colleges_with_local_paths_made_absolute(tmp_path):
    registry, problems = load_registry(_write(tmp_path, GOOD))
    assert problems == [] and registry is not None
    assert [c.code for c in registry.colleges] == ["demo-a", "demo-b"]
    assert registry.colleges[0].site == "https://example.edu.cn/dangjian/"
    assert registry.colleges[1].package == str(tmp_path / "b/data/datapackage.json")
    assert registry.title == "测试省汇总"


@pytest.mark.parametrize(("change", "code", "line", "words"), [
    (("code: demo-b", "code: demo-a"), "registry-duplicate-code", 7, "重复（首次在第 3 行）"),
    (("code: demo-b", "code: Demo_B"), "registry-invalid", 7, "小写英文字母"),
    (("    package: b/data/datapackage.json\n", ""), "registry-invalid", 7, "缺少必填项 数据包地址"),
    (("package: b/data", "package: ftp://example.edu.cn/data"), "registry-invalid", 9, "http:// 或 https://"),
    (("site: https://example.edu.cn/dangjian/", "site: javascript:alert(1)"), "registry-invalid", 6, "http://"),
    (("    name: 示例乙", "    nmae: 示例乙"), "registry-invalid", 7, "不认识的项 nmae"),
    (("colleges:", "colleges: ["), "yaml-syntax", None, ""),
])
def test_registry_mistakes_are_coded_and_located(tmp_path, change, code, line, words):
    registry, problems = load_registry(_write(tmp_path, GOOD.replace(*change)))
    assert registry is None
    assert problems[0].code == code, problems
    if line is not None:
        assert problems[0].row == line, problems
    assert any(words in p.message for p in problems), [p.message for p in problems]


def test_bad_registry_or_usage_exits_2_without_a_traceback(tmp_path, capsys):
    path = _write(tmp_path, GOOD.replace("code: demo-b", "code: demo-a"))
    assert main(["federate", str(path), "--out", str(tmp_path / "portal")]) == 2
    err = capsys.readouterr().err
    assert "registry.yaml:7: [registry-duplicate-code]" in err and "Traceback" not in err
    assert not (tmp_path / "portal").exists()
    assert main(["federate", str(path)]) == 2  # --out is required
    assert main(["federate", str(tmp_path / "missing.yaml"), "--out", str(tmp_path / "p")]) == 2
    assert "[registry-unreadable]" in capsys.readouterr().err


def test_no_usable_college_exits_1_and_leaves_the_portal_alone(tmp_path, capsys):
    path = _write(tmp_path, GOOD.replace("https://example.edu.cn/dangjian/data/datapackage.json",
                                         "missing/datapackage.json"))
    out = tmp_path / "portal"
    out.mkdir()
    (out / "index.html").write_text("previous portal", encoding="utf-8")
    assert main(["federate", str(path), "--out", str(out), "--as-of", "2026-12-01"]) == 1
    assert (out / "index.html").read_text(encoding="utf-8") == "previous portal"
    err = capsys.readouterr().err
    assert "未采用 demo-a" in err and "未采用 demo-b" in err and "找不到" in err
