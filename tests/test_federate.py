"""zhibu federate end to end: demo colleges served by a real HTTP server on loopback, good and bad ones.

Each college's package is built once for the module (small demo colleges of different seeds and sizes);
the server answers with ETag / Last-Modified and 304 to conditional requests, and logs every request.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.demo.province import college_package

AS_OF = dt.date(2026, 11, 20)
PORTAL_DAY = "2026-12-01"
TIMEOUT = 3  # seconds: far beyond a loopback answer even on a busy machine, short enough for the slow college
HOSTILE = ("<script>alert('x')</script><img src=x onerror=alert(1)> **粗体** [链接](javascript:alert(2)) | 表格 |"
           + "很长的名字" * 35)
LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)


class Served:
    """Files by URL path; `log` keeps (path, status, conditional) for every request."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[bytes, str]] = {}
        self.log: list[tuple[str, int, bool]] = []
        self.lock = threading.Lock()

    def package(self, prefix: str, files: dict[str, bytes]) -> None:
        for name, data in files.items():
            self.files[f"/{prefix}/{name}"] = (data, "application/json" if name.endswith(".json") else "text/csv")


def _handler(served: Served) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            conditional = bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"))
            if self.path.startswith("/slow/"):
                self._log(0, conditional)
                time.sleep(TIMEOUT + 3)  # beyond the harvest's timeout
                return
            if self.path.startswith("/redirect/"):
                self._answer(302, b"", "text/plain", {"Location": "ftp://127.0.0.1/datapackage.json"}, conditional)
                return
            if self.path.startswith("/html/"):  # a portal page where the package should be
                data, kind = "<!DOCTYPE html><html><body><h1>欢迎访问</h1></body></html>".encode(), "text/html"
            elif self.path in served.files:
                data, kind = served.files[self.path]
            else:
                self._answer(404, b"not found", "text/plain", {}, conditional)
                return
            etag = '"' + hashlib.sha256(data).hexdigest()[:20] + '"'
            if self.headers.get("If-None-Match") == etag:
                self._answer(304, b"", kind, {"ETag": etag}, conditional)
                return
            self._answer(200, data, kind, {"ETag": etag, "Last-Modified": LAST_MODIFIED}, conditional)

        def _answer(self, status: int, body: bytes, kind: str, headers: dict, conditional: bool) -> None:
            self._log(status, conditional)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            for key, value in headers.items():
                self.send_header(key, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

        def _log(self, status: int, conditional: bool) -> None:
            with served.lock:
                served.log.append((self.path, status, conditional))

        def log_message(self, *args: object) -> None:
            pass

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the slow answer's client is gone: not a test failure


def _tamper(files: dict[str, bytes], name: str, old: bytes, new: bytes, rehash: bool) -> dict[str, bytes]:
    out = dict(files)
    assert old in out[name]
    out[name] = out[name].replace(old, new, 1)
    if rehash:
        descriptor = json.loads(out["datapackage.json"])
        for resource in descriptor["resources"]:
            if resource["path"] == name:
                resource["bytes"] = len(out[name])
                resource["hash"] = "sha256:" + hashlib.sha256(out[name]).hexdigest()
        out["datapackage.json"] = json.dumps(descriptor, ensure_ascii=False).encode()
    return out


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    work = tmp_path_factory.mktemp("colleges")
    good_a = college_package(work, "good-a", "甲职业技术学院党委", seed=11, branches=3, as_of=AS_OF)
    good_b = college_package(work, "good-b", "乙职业技术学院党委", seed=12, branches=4, as_of=AS_OF)
    # three 党课 a quarter: MT-06 is judged by another version of the rule than the other colleges'
    good_c = college_package(work, "good-c", "丙职业技术学院党委", seed=13, branches=2, as_of=dt.date(2026, 6, 30),
                             settings={"party_lecture_per_quarter": 3})
    served = Served()
    served.package("good-a/data", good_a)
    served.package("good-b/data", good_b)
    served.package("good-c/data", good_c)
    served.package("hostile/data", good_b)
    served.package("broken/data", _tamper(good_a, "branches.csv", b",3,", b",4,", rehash=False))
    first_unit = csv.DictReader(io.StringIO(good_a["units.csv"].decode())).__next__()
    line = ",".join(first_unit.values()).encode()
    served.package("inconsistent/data", _tamper(good_a, "units.csv", line,
                                                line.replace(f",{first_unit['members']},".encode(),
                                                             f",{int(first_unit['members']) + 1},".encode()),
                                                rehash=True))
    old = json.loads(good_a["datapackage.json"])
    del old["zhibu"]
    served.package("unversioned/data", {**good_a, "datapackage.json": json.dumps(old).encode()})
    server = _Server(("127.0.0.1", 0), _handler(served))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    colleges = [{"code": code, "name": name, "package": f"{base}/{code}/data/datapackage.json"} for code, name in [
        ("good-a", "甲职业技术学院"), ("good-b", "乙职业技术学院"), ("good-c", "丙职业技术学院"), ("hostile", HOSTILE),
        ("broken", "损坏职业学院"), ("inconsistent", "不一致职业学院"), ("slow", "缓慢职业学院"),
        ("html", "网页职业学院"), ("redirect", "转向职业学院"), ("unversioned", "旧版职业学院")]]
    colleges[0]["site"] = "https://good-a.example.edu.cn/dangjian/"
    registry = work / "registry.yaml"
    registry.write_text(yaml.safe_dump({"title": "测试省 · 高职院校党支部工作汇总", "colleges": colleges},
                                       allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = work / "portal"
    code = main(["federate", str(registry), "--out", str(out), "--as-of", PORTAL_DAY, "--timeout", str(TIMEOUT)])
    yield {"registry": registry, "out": out, "code": code, "served": served, "work": work}
    server.shutdown()


def _harvest(out: Path) -> dict[str, dict]:
    rows = csv.DictReader(io.StringIO((out / "data/harvest.csv").read_text(encoding="utf-8")))
    return {row["college"]: row for row in rows}


def test_bad_colleges_are_reported_with_their_reasons_and_the_good_ones_built(province):
    assert province["code"] == 0
    rows = _harvest(province["out"])
    assert list(rows) == ["good-a", "good-b", "good-c", "hostile", "broken", "inconsistent", "slow", "html",
                          "redirect", "unversioned"]
    assert {c: r["status"] for c, r in rows.items() if r["status"] == "ok"} == dict.fromkeys(
        ["good-a", "good-b", "good-c", "hostile"], "ok")
    assert {c: r["reason_code"] for c, r in rows.items() if r["status"] == "failed"} == {
        "broken": "invalid-package", "inconsistent": "inconsistent", "slow": "timeout", "html": "not-json",
        "redirect": "redirect-scheme", "unversioned": "unversioned"}
    assert "hash-count" in rows["broken"]["reason"] and "units.csv" in rows["inconsistent"]["reason"]
    assert "网页（HTML）" in rows["html"]["reason"] and "超时" in rows["slow"]["reason"]
    for row in rows.values():
        if row["status"] == "failed":
            assert re.search(r"[\u4e00-\u9fff]", row["reason"]) and not row["as_of"] and not row["branches"]
    assert rows["good-a"]["as_of"] == "2026-11-20" and rows["good-a"]["branches"] == "3"
    assert rows["good-b"]["branches"] == "4" and re.fullmatch(r"[0-9a-f]{40}", rows["good-b"]["commit"])
    for page in ("index.html", "harvest/index.html", "rules/index.html", "data/index.html",
                 "colleges/good-a/index.html", "colleges/hostile/index.html", "rules/mt-01/index.html"):
        assert (province["out"] / page).is_file(), page
    assert not (province["out"] / "colleges/broken").exists()


def _article(page: Path) -> str:
    """A built page's own content (the navigation lists other pages' titles and this page's headings)."""
    html = page.read_text(encoding="utf-8")
    return html[html.index("<article"):]


def test_rules_are_compared_only_between_colleges_judged_by_the_same_version(province):
    page = _article(province["out"] / "rules/mt-06/index.html")
    compared, _, other = page.partition("未比较：规则版本不同")
    assert "甲职业技术学院" in compared and "乙职业技术学院" in compared and "丙职业技术学院" not in compared
    assert "丙职业技术学院" in other
    same = _article(province["out"] / "rules/mt-01/index.html")
    assert "丙职业技术学院" in same and "所有公布这条规则的学校都按同一版本判定" in same
    home = _article(province["out"] / "index.html")
    # good-c's data is five months old: ranked after the current ones, marked as older
    assert home.index("丙职业技术学院") > max(home.index("甲职业技术学院"), home.index("乙职业技术学院"))
    assert "（较旧）" in home
    college = (province["out"] / "colleges/good-a/index.html").read_text(encoding="utf-8")
    assert 'href="https://good-a.example.edu.cn/dangjian/"' in college and "2026-Q3" in college


def test_nothing_harvested_is_rendered_unescaped(province):
    for page in province["out"].rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html, page
        assert 'href="javascript:' not in html and "<strong>粗体" not in html, page
    home = (province["out"] / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in home or "&#60;script&#62;" in home
    assert "很长的名字" in home


def test_province_open_data_is_a_valid_package(province):
    from frictionless import Package

    report = Package(str(province["out"] / "data/datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rules = {r["rule"]: r for r in csv.DictReader(io.StringIO(
        (province["out"] / "data/rules.csv").read_text(encoding="utf-8")))}
    assert rules["MT-06"]["compared_colleges"] == "3" and rules["MT-06"]["other_colleges"] == "1"
    parts = [r for r in csv.DictReader(io.StringIO(
        (province["out"] / "data/college_rules.csv").read_text(encoding="utf-8"))) if r["rule"] == "DU-09"]
    if any(p["suppressed"] == "true" for p in parts if p["compared"] == "true"):
        assert rules["DU-09"]["suppressed"] == "true" and rules["DU-09"]["count"] == ""


def test_reharvest_with_nothing_changed_makes_only_conditional_requests(province, capsys):
    served = province["served"]
    served.log.clear()
    out = province["work"] / "portal2"
    code = main(["federate", str(province["registry"]), "--out", str(out), "--as-of", PORTAL_DAY,
                 "--timeout", str(TIMEOUT)])
    assert code == 0
    log = [entry for entry in served.log if not entry[0].startswith("/slow/")]
    assert log and all(conditional and status == 304 for _path, status, conditional in log
                       if not _path.startswith("/redirect/")), log
    for college in ("good-a", "good-b", "good-c", "hostile"):
        assert [p for p, _s, _c in log if p.startswith(f"/{college}/")] == [f"/{college}/data/datapackage.json"]
    assert _harvest(out) == _harvest(province["out"])
    built = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    capsys.readouterr()
    assert main(["federate", str(province["registry"]), "--out", str(out), "--as-of", PORTAL_DAY,
                 "--timeout", str(TIMEOUT)]) == 0
    assert "平台未重建" in capsys.readouterr().out  # same inputs, same code: the portal is left as it is
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == built


def _period_end(period: str) -> dt.date:
    """The last day of a period (YYYY, YYYY-Qn, YYYY-MM), computed here by the calendar, not by the portal's SQL."""
    import calendar

    year = int(period[:4])
    month = 12 if len(period) == 4 else 3 * int(period[6]) if period[5] == "Q" else int(period[5:7])
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@pytest.mark.parametrize("college", ["good-a", "good-c"])
def test_college_figures_are_its_own_compliance_csv_counted_over_twelve_months(province, college):
    files = province["served"].files
    as_of = dt.date.fromisoformat(json.loads(files[f"/{college}/data/datapackage.json"][0])["zhibu"]["as_of"])
    cutoff = as_of.replace(year=as_of.year - 1)
    expected: dict[str, dict] = {}
    for row in csv.DictReader(io.StringIO(files[f"/{college}/data/compliance.csv"][0].decode("utf-8"))):
        if row["period"] != "once" and _period_end(row["period"]) < cutoff:
            continue
        rule = expected.setdefault(row["rule"], {"statuses": [], "counts": [], "required": [], "blank": False})
        rule["statuses"].append(row["status"])
        if row["count"]:
            rule["counts"].append(int(row["count"]))
            rule["required"].append(int(row["required"] or 0))
        elif row["status"] in ("pass", "fail", "notice", "due"):
            rule["blank"] = True
    published = {r["rule"]: r for r in csv.DictReader(io.StringIO(
        (province["out"] / "data/college_rules.csv").read_text(encoding="utf-8"))) if r["college"] == college}
    assert set(published) == set(expected) and len(expected) > 20
    for rule, mine in expected.items():
        row = published[rule]
        assert [int(row[s]) for s in ("pass", "fail", "notice", "due", "exempt", "na")] == [
            mine["statuses"].count(s) for s in ("pass", "fail", "notice", "due", "exempt", "n/a")], rule
        hidden = bool(mine["counts"]) and mine["blank"]
        assert row["suppressed"] == ("true" if hidden else "false"), rule
        if hidden or not mine["counts"]:
            assert row["count"] == row["required"] == "", rule
        else:
            assert (int(row["count"]), int(row["required"])) == (sum(mine["counts"]), sum(mine["required"])), rule
    assert any(r["suppressed"] == "true" for r in published.values()) or college == "good-c"


@pytest.mark.parametrize(("old", "new", "message"), [
    (",2025-Q3,", ",2025Q3,", "期间（period）不是 once、YYYY、YYYY-Qn 或 YYYY-MM 的形式"),
    (",2025-08,", ",2025-13,", "期间（period）不是 once、YYYY、YYYY-Qn 或 YYYY-MM 的形式"),
    (",pass,1,1\n", ",pass,1.0,1\n", "count 或 required 单元格不是整数"),
])
def test_verification_refuses_what_the_aggregation_could_not_read(province, tmp_path, old, new, message):
    from generator.federation.consistency import inconsistencies

    files = province["served"].files
    paths = {}
    for name in ("compliance", "branches", "units", "rules", "quarterly"):
        data = files[f"/good-a/data/{name}.csv"][0]
        if name == "compliance":
            assert old.encode() in data
            data = data.replace(old.encode(), new.encode(), 1)
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_bytes(data)
    assert any(message in found for found in inconsistencies(paths))


def test_every_rule_group_of_the_standards_has_a_name_on_the_portal():
    """The portal names each rule group (MB-01 landed without one: the ranking's header read MB（MB）)."""
    from generator.federation.pages import GROUP_NAMES
    from generator.standards.catalogue import load_standards

    groups = {rule.id.split("-")[0] for rule in load_standards(Path(__file__).resolve().parents[1] / "standards").rules}
    assert groups and groups <= set(GROUP_NAMES), groups - set(GROUP_NAMES)
