"""Fuzzing (Hypothesis): hostile bytes and mutated records go through load → check → render without escaping.

Properties, for every generated repository:
- no exception escapes the check (`run_check`), the reports, the statistics, the rendered pages or open data;
- every problem has a catalogued code, a severity and a location inside the repository (relative path, no
  `..`, an existing file or a record file the check expects) and a row inside the file when it names one;
- the real site build either succeeds with a complete site or leaves the previous site byte-identical.

`make test` runs the small `ci` profile; `make fuzz` runs the `fuzz` profile (HYPOTHESIS_PROFILE=fuzz).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import inspect
import io
import json
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import frictionless.errors
import pytest
import yaml
from conftest import BROKEN, FULL_RECORDS
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st
from sitehelpers import REPO, copy_project, digest

from generator.cli import main
from generator.pipeline import run_check
from generator.problems.caps import PER_KIND, offender
from generator.problems.catalogue import CATALOG, ERROR, WARNING, Problem
from generator.records.load import BRANCH_FILES, TABLES
from generator.report import formats as report
from generator.report import jobsummary
from generator.site.opendata import build_open_data
from generator.site.render import render_site
from generator.site.statistics import compute
from generator.standards.catalogue import StandardsError

AS_OF = dt.date(2025, 3, 31)
BRANCH = "records/gongcheng/gongcheng-js1"
# Every table the full fixture (conftest.FULL_RECORDS) holds, so that byte and cell mutations reach each schema
# (the optional tables of elections, absences, rectification and appraisal included).
CSV_FILES = [f"{BRANCH}/{name}.csv" for name in TABLES]
YAML_FILES = ["records/organization.yaml", "records/gongcheng/unit.yaml", f"{BRANCH}/branch.yaml",
              f"{BRANCH}/exemptions.yaml"]
RECORD_FILES = CSV_FILES + YAML_FILES
KNOWN_NAMES = BRANCH_FILES | {"unit.yaml", "organization.yaml"}
FRICTIONLESS_CODES = {cls.type for _, cls in inspect.getmembers(frictionless.errors, inspect.isclass)
                      if isinstance(getattr(cls, "type", None), str)}
# Codes that are about one row of a CSV file: they must name that row.
ROW_CODES = {"type-error", "constraint-error", "meeting-kind-unknown", "primary-key", "foreign-key", "blank-row",
             "extra-cell", "missing-cell", "stray-whitespace", "fullwidth-digits", "date-order",
             "present-exceeds-expected", "unknown-group", "group-required", "unknown-member", "left-reason"}

SLOW = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
BUILD_EXAMPLES = max(4, settings.default.max_examples // 25)  # a real MkDocs build per example


# ---------------------------------------------------------------- strategies

SPECIAL_CHARS = ["\u202e", "\u200f", "\u200b", "\ufeff", "\u200d", "\u2028", "\x00", "\r", "\n", '"', ",", "\t",
                 "\\", "'", "：", "，", "０", "\u3000", "𠀀", "🎉", "\u0301", "{", "}", "<", "|", "=", "-", "@"]
SPECIAL_STRINGS = SPECIAL_CHARS + ["{{ 7*7 }}", "<script>alert(1)</script>", "=1+1", "| --- |", "<!--", "--", "\r\n"]
EXTREME_DATES = ["0001-01-01", "9999-12-31", "2025-02-30", "2025-13-01", "2025-00-10", "0000-00-00", "2024-02-29",
                 "2025-1-5", "25-01-05", "2025/01/05", "20250105", "+2025-01-05", "2025-01-05T00:00:00", "2025-W01",
                 "99999-01-01", "-0001-01-01", "0023-01-16", "1921-06-30", "1921-07-01", "1930-01-01", "2003-03-15",
                 "2036-01-01", "9999-01-01"]
EXTREME_NUMBERS = ["0", "-1", "-0", "1e308", "1e999", "-1e999", "NaN", "nan", "inf", "-inf", "Infinity",
                   "0x1F", "1_000", "007", "3.", ".5", "99999999999999999999999999999999999999",
                   str(2**63), str(-(2**63) - 1), "1" * 400, "１２", "٣"]
EXTREME_MONTHS = ["0001-01", "9999-12", "2025-13", "2025-00", "2025-1", "2025-Q1", "2025", "1921-06", "2003-03",
                  "2027-01"]
# Personal data as a careless contributor types it; no output may show their middle digits (see _assert_masked).
PERSONAL = ["13987654321", "0086 139 8765 4321", "+86-139-8765-4321", "(+86)139 8765 4321", "11010519491231002X",
            "110105 19491231 002X", "139-8765-4321"]
SECRETS = ("98765432", "0519491231")


def _decorate(value: str, char: str, where: int) -> str:
    where = where % (len(value) + 1)
    return value[:where] + char + value[where:]


@st.composite
def hostile_text(draw, original: str = "") -> str:
    """A cell value: extreme dates and numbers, random Unicode, or the original with invisible marks inside."""
    return draw(st.one_of(
        st.sampled_from(EXTREME_DATES + EXTREME_NUMBERS + EXTREME_MONTHS + SPECIAL_STRINGS + PERSONAL + [""]),
        st.text(max_size=30),
        st.text(alphabet=st.sampled_from(SPECIAL_CHARS + list("abc-019 ")), max_size=12),
        st.builds(_decorate, st.just(original), st.sampled_from(SPECIAL_STRINGS), st.integers(0, 40)),
        st.just(original * draw(st.integers(2, 200))),
    ))


yaml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**18, max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.sampled_from(EXTREME_DATES + EXTREME_NUMBERS + SPECIAL_STRINGS + PERSONAL),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.one_of(st.text(max_size=10), st.integers(), st.booleans()),
                                               children, max_size=4)),
    max_leaves=12,
)
RAW_YAML = [
    "!!python/object/apply:os.system ['echo pwned']", "a: &x [1]\nb: *x", "? [a, b]\n: c", "- - - -",
    "[" * 2000, "{" * 2000 + "}" * 2000, "a: 1e999", "a: .nan", "code: 0x1F", "founded_on: 2025-02-30",
    "founded_on: 9999-12-31", "founded_on: 0001-01-01", "a: !!binary aGVsbG8=", "x: !!set {a, b}", "<<: {a: 1}",
    "code: gongcheng-js1\ncode: gongcheng-js1", "---\na: 1\n---\nb: 2", "\t- a", "%YAML 1.1\n---\na: 1", "~",
    "''", "- " * 500 + "x", "a:\n" + "  " * 300 + "b: 1", "exemptions: {rule: MT-07}", "!!str", "? ? ? x",
    "a: !custom 1", "!!timestamp 2025-01-01T00:00:00Z", "groups: [{code: g1}, {code: g1}]",
    "committee: {term_years: 0o3}", "committee: {term_years: 1_000}", "a: 1:30", "a: +3", "a: 3.", "code: 08",
]


@st.composite
def csv_mutation(draw, rows: list[list[str]]) -> list[list[str]]:
    """Apply a few structural and cell mutations to a parsed CSV file (header first)."""
    rows = [list(r) for r in rows]
    for _ in range(draw(st.integers(1, 4))):
        width = max([len(r) for r in rows] + [1])  # at least 1: two drop-columns empty absences.csv's two columns
        op = draw(st.sampled_from(["cell", "cell", "cell", "swap-columns", "drop-column", "duplicate-column",
                                   "rename-header", "empty-row", "duplicate-row", "drop-row", "short-row",
                                   "long-row", "many-rows", "drop-header"]))
        row = draw(st.integers(0, max(len(rows) - 1, 0)))
        col = draw(st.integers(0, width - 1))
        other = draw(st.integers(0, width - 1))
        if op == "cell" and rows and col < len(rows[row]):
            rows[row][col] = draw(hostile_text(rows[row][col]))
        elif op == "swap-columns":
            with_header = draw(st.booleans())
            for r in rows[(0 if with_header else 1):]:
                if max(col, other) < len(r):
                    r[col], r[other] = r[other], r[col]
        elif op == "drop-column":
            for r in rows:
                if col < len(r):
                    del r[col]
        elif op == "duplicate-column":
            for r in rows:
                if col < len(r):
                    r.insert(other % (len(r) + 1), r[col])
        elif op == "rename-header" and rows and col < len(rows[0]):
            rows[0][col] = draw(hostile_text(rows[0][col]))
        elif op == "empty-row":
            rows.insert(row + 1, [] if draw(st.booleans()) else [""] * width)
        elif op == "duplicate-row" and rows:
            rows.insert(row + 1, list(rows[row]))
        elif op == "drop-row" and rows:
            del rows[row]
        elif op == "short-row" and rows:
            rows[row] = rows[row][:col]
        elif op == "long-row" and rows:
            rows[row] = rows[row] + [draw(hostile_text())] * (other + 1)
        elif op == "many-rows" and len(rows) > 1:
            rows.extend([list(rows[-1]) for _ in range(draw(st.integers(1, 300)))])
        elif op == "drop-header" and rows:
            del rows[0]
    return rows


def _csv_text(rows: list[list[str]], quoting: bool) -> str:
    if not quoting:  # written by hand: no quoting at all, commas inside cells break the row
        return "".join(",".join(r) + "\n" for r in rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _read_rows(rel: str) -> list[list[str]]:
    text = (FULL_RECORDS / rel.removeprefix("records/")).read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


def _read_yaml(rel: str):
    source = REPO / rel if rel.startswith("standards/") else FULL_RECORDS / rel.removeprefix("records/")
    return yaml.safe_load(source.read_text(encoding="utf-8"))


def _set_in(data, path: list[int], value, mode: str):
    """Replace, delete or add somewhere inside a YAML document; the path picks keys/items by index."""
    if not path or not isinstance(data, dict | list) or not data:
        return value if mode != "delete" else None
    keys = list(data.keys()) if isinstance(data, dict) else list(range(len(data)))
    key = keys[path[0] % len(keys)]
    if len(path) > 1 and isinstance(data[key], dict | list) and data[key]:
        data[key] = _set_in(data[key], path[1:], value, mode)
    elif mode == "delete":
        del data[key]
    elif mode == "add" and isinstance(data, dict):
        data[f"extra-{path[0]}"] = value
    elif mode == "add":
        data.append(value)
    else:
        data[key] = value
    return data


def _dump_yaml(data) -> str:
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:  # a value PyYAML cannot represent: write its text
        return yaml.safe_dump(json.loads(json.dumps(data, default=str)), allow_unicode=True)


def _rename_key(data, path: list[int], name):
    """Rename a key somewhere inside a YAML document (the path picks keys/items by index)."""
    if not isinstance(data, dict | list) or not data:
        return data
    keys = list(data.keys()) if isinstance(data, dict) else list(range(len(data)))
    key = keys[path[0] % len(keys)] if path else keys[0]
    if len(path) > 1 and isinstance(data[key], dict | list) and data[key]:
        data[key] = _rename_key(data[key], path[1:], name)
    elif isinstance(data, dict):
        data = {(name if k == key else k): v for k, v in data.items()}
    return data


def _comment(text: str, line: int, words: str, trailing: bool) -> str:
    """A comment inserted as its own line, or after the value on a line."""
    lines = text.split("\n")
    line %= len(lines)
    words = words.replace("\n", " ").replace("\r", " ")
    if trailing and lines[line].strip():
        lines[line] += f"  # {words}"
    else:
        lines.insert(line, f"# {words}")
    return "\n".join(lines)


@st.composite
def yaml_mutation(draw, rel: str) -> str:
    kind = draw(st.sampled_from(["inside", "inside", "inside", "whole", "raw", "key", "comment"]))
    if kind == "whole":
        return _dump_yaml(draw(yaml_values))
    if kind == "raw":
        return draw(st.sampled_from(RAW_YAML))
    data = _read_yaml(rel)
    if kind == "key":  # keys: misspelt, hostile, personal data, numbers, booleans
        for _ in range(draw(st.integers(1, 2))):
            path = draw(st.lists(st.integers(0, 20), min_size=1, max_size=4))
            data = _rename_key(data, path, draw(st.one_of(hostile_text(), st.integers(), st.booleans())))
        return _dump_yaml(data)
    if kind == "comment":  # comments are never data, but personal data in them is still a problem
        text = _dump_yaml(data)
        for _ in range(draw(st.integers(1, 3))):
            text = _comment(text, draw(st.integers(0, 200)), draw(hostile_text()), draw(st.booleans()))
        return text
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.lists(st.integers(0, 20), min_size=1, max_size=4))
        mode = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        value = draw(st.one_of(yaml_values, hostile_text()))
        data = _set_in(data, path, value, mode)
    return _dump_yaml(data)


arbitrary_bytes = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.text(max_size=300).map(lambda t: b"\xef\xbb\xbf" + t.encode("utf-8", "surrogatepass")),
    st.text(max_size=200).map(lambda t: t.encode("utf-16")),
    st.text(max_size=200).map(lambda t: t.encode("gb18030", "replace")),
)


@st.composite
def file_edits(draw) -> dict[str, bytes | None]:
    """A few record files replaced (bytes) or removed (None); the rest of the full fixture stays."""
    edits: dict[str, bytes | None] = {}
    for rel in draw(st.lists(st.sampled_from(RECORD_FILES), min_size=1, max_size=3, unique=True)):
        kind = draw(st.sampled_from(["structured", "structured", "structured", "bytes", "delete"]))
        if kind == "bytes":
            edits[rel] = draw(arbitrary_bytes)
        elif kind == "delete":
            edits[rel] = None
        elif rel.endswith(".csv"):
            edits[rel] = _csv_text(draw(csv_mutation(_read_rows(rel))), draw(st.booleans())).encode("utf-8")
        else:
            edits[rel] = draw(yaml_mutation(rel)).encode("utf-8")
    return edits


FOLDER = b"<folder>"  # an edit that makes a folder instead of a file
NAMES = ["13987654321", "0086-139-8765-4321", "11010519491231002x", "x.csv", "members.CSV", "会议记录.xlsx",
         "with space", "UPPER", "-start", ".hidden", "a" * 120, "\u202egnp.exe", "０１", "🎉", "branch.yaml",
         "unit.yaml", "members.csv.bak", "…", "g1", "gongcheng-js1"]
name_text = st.text(alphabet=st.characters(exclude_categories=["Cc", "Cs"], exclude_characters="/\\"), min_size=1,
                    max_size=30).filter(lambda n: n not in (".", "..") and len(n.encode("utf-8")) < 200)


@st.composite
def name_edits(draw) -> dict[str, bytes | None]:
    """Files and folders with hostile names at each level of records/ (names are quoted in problems and pages)."""
    edits: dict[str, bytes | None] = {}
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(["records", "records/gongcheng", BRANCH]))
        name = draw(st.one_of(st.sampled_from(NAMES), name_text))
        edits[f"{where}/{name}"] = FOLDER if draw(st.booleans()) else draw(st.sampled_from([b"", b"a,b\n1,2\n",
                                                                                          b"code: x\n"]))
    return edits


STANDARDS_YAML = ["standards/rules.yaml", "standards/settings.yaml", "standards/vocabulary.yaml"]


@st.composite
def standards_edits(draw) -> dict[str, bytes | None]:
    """A standards file mutated as a college editing its rules might: values, keys, comments, shapes, bytes."""
    rel = draw(st.sampled_from(STANDARDS_YAML))
    if draw(st.integers(0, 5)) == 0:
        return {rel: draw(arbitrary_bytes)}
    return {rel: draw(yaml_mutation(rel)).encode("utf-8")}


# ---------------------------------------------------------------- helpers

@contextlib.contextmanager
def fresh_repo(edits: dict[str, bytes | None]) -> Iterator[Path]:
    """A new repository folder (the full fixture + the real standards) with the edits applied."""
    with tempfile.TemporaryDirectory(prefix="zhibu-fuzz-") as tmp:
        root = Path(tmp)
        shutil.copytree(FULL_RECORDS, root / "records")
        shutil.copytree(REPO / "standards", root / "standards")
        _apply(root, edits)
        yield root


def _apply(root: Path, edits: dict[str, bytes | None]) -> None:
    for rel, content in edits.items():
        target = root / rel
        if content is None:
            target.unlink(missing_ok=True)
        elif content == FOLDER:
            if not target.is_file():
                target.mkdir(parents=True, exist_ok=True)
        elif not target.is_dir():
            target.write_bytes(content)


def assert_problems_well_formed(root: Path, run) -> None:
    for problem in run.problems:
        assert problem.code in CATALOG or problem.code in FRICTIONLESS_CODES, problem
        assert problem.severity in (ERROR, WARNING), problem
        assert problem.message, problem
        path = problem.path
        assert path and not path.startswith("/") and "\\" not in path, problem
        assert ".." not in path.split("/"), problem
        assert path.startswith(("records/", "standards/")) or path in ("records", ".github/CODEOWNERS"), problem
        target = root / path
        assert target.exists() or (target.parent.is_dir() and target.name in KNOWN_NAMES), problem
        if problem.row is not None:
            assert problem.row >= 1, problem
            if target.is_file():
                lines = len(re.split(rb"\r\n|\r|\n", target.read_bytes()))  # as an editor counts them
                assert problem.row <= lines, (problem, lines)
        if problem.code in ROW_CODES and path.endswith(".csv"):
            assert problem.row is not None and problem.row >= 2, problem  # the header is line 1
        if problem.column is not None:
            assert problem.column >= 1, problem


# Problems that make a whole file unusable wherever they are, or say that some of its problems are only counted.
FILE_CODES = {"csv-unclosed-quote", "cell-too-large", "encoding-error", "file-too-large", "more-problems"}


def assert_no_row_dropped(root: Path, run) -> None:
    """Every data row of a branch's CSV file that no problem names is in the ledger (nothing vanishes silently)."""
    named = {(p.path, row) for p in run.problems for row in (p.row, *p.rows)}  # one cause may cover many lines
    for p in run.problems:  # other lines it names: "第 3 行和第 4 行", "第 5 行到第 9 行", "第 2–12 行", "第 21、40 行"
        for first, last in re.findall(r"第 (\d+)(?: 行到第 |–)(\d+) 行", p.message):
            named |= {(p.path, line) for line in range(int(first), int(last) + 1)}
        for numbers in re.findall(r"第 ([\d、]+) 行", p.message):
            named |= {(p.path, int(n)) for n in numbers.split("、")}
    # the file itself (or its header) is unusable, or some of its problems are only counted (caps)
    whole = {p.path for p in run.problems if p.row in (None, 1) or p.code in FILE_CODES}
    for branch in run.ledger.branches:
        for table, rel in branch.files.items():
            if rel in whole:
                continue
            with (root / rel).open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.reader(handle)
                next(reader, None)
                start, rows = reader.line_num + 1, []  # a quoted line break in the header moves the first row down
                for record in reader:
                    if any(record):
                        rows.append(start)
                    start = reader.line_num + 1
            kept = {record.line for record in getattr(branch, table)}
            dropped = [line for line in rows if line not in kept and (rel, line) not in named]
            assert not dropped, f"{rel}: rows {dropped} carry no problem but are not in the ledger"


def _assert_masked(text: str, where: str) -> None:
    digits = re.sub(r"[^0-9]", "", text)
    for secret in SECRETS:
        assert secret not in digits, f"{where} shows personal data in full"


def assert_capped(run) -> None:
    """No file lists more than the caps allow; whatever is beyond them is counted (more-problems)."""
    per_kind = Counter((p.path, p.code) for p in run.problems if p.code != "more-problems" and p.row is not None)
    assert not per_kind or max(per_kind.values()) <= PER_KIND, per_kind.most_common(1)
    per_folder = Counter((where[0], p.code) for p in run.problems if (where := offender(p)) is not None)
    assert not per_folder or max(per_folder.values()) <= PER_KIND, per_folder.most_common(1)


def check_and_render(root: Path) -> None:
    """The whole pipeline short of MkDocs; every stage must finish and problems must be well formed."""
    try:
        run = run_check(root, as_of=AS_OF)
    except StandardsError:  # a standards file that cannot be read at all: exit 2 with its own message
        if currently_in_test_context():
            event("standards unreadable")
        return
    if currently_in_test_context():
        event("records with errors" if run.errors else "records valid")
    assert_problems_well_formed(root, run)
    assert_no_row_dropped(root, run)
    assert_capped(run)
    for problem in run.problems:
        _assert_masked(f"{problem.path} {problem.field} {problem.message} {problem.message_en}", problem.code)
    outputs = [report.as_json(run), report.as_text(run), report.as_text(run, "en"), report.as_github(run),
               jobsummary.render(run, None, "zh")]
    json.loads(outputs[0])
    for output in outputs:
        _assert_masked(output, "a report")
    stats = compute(run.ledger, run.results, run.as_of)
    pages = render_site(run, stats)
    assert any(p.path == "index.md" for p in pages)
    build_open_data(run, stats)


# ---------------------------------------------------------------- properties

def test_full_fixture_holds_every_table_and_column():
    """The mutations start from the fixture: a table or column it lacks is a schema no fuzzing reaches."""
    for rel in CSV_FILES:
        header = _read_rows(rel)[0]
        schema = json.loads((REPO / "standards" / "schemas" / f"{Path(rel).stem}.schema.json").read_text("utf-8"))
        assert header == [field["name"] for field in schema["fields"]], rel
        assert len(_read_rows(rel)) > 1, f"{rel} has no row to mutate"


def test_valid_fixture_passes_the_same_properties():
    """The helpers accept the untouched fixture (so a failure below is caused by the mutation)."""
    with fresh_repo({}) as root:
        run = run_check(root, as_of=AS_OF)
        assert run.problems == []
        check_and_render(root)


@pytest.mark.parametrize("bad", [
    {"code": "no-such-code"}, {"severity": "fatal"}, {"path": "../outside.csv"}, {"path": "/etc/passwd"},
    {"path": "records/gongcheng/../../x.csv"}, {"path": "generator/cli.py"}, {"row": 0}, {"row": 999},
    {"row": None}, {"row": 1}, {"path": "records/gongcheng/gongcheng-js1/nothing.csv"}, {"column": 0},
])
def test_the_location_property_can_fail(bad):
    """The checker above rejects problems a fuzzer must never see (so its silence means something)."""
    good = {"code": "type-error", "severity": ERROR, "path": f"{BRANCH}/meetings.csv", "row": 3, "field": "date",
            "message": "“x”不是有效的日期。"}
    fields = {**good, **bad}
    with fresh_repo({}) as root:
        assert_problems_well_formed(root, SimpleNamespace(problems=[Problem(**good)]))
        with pytest.raises(AssertionError):
            assert_problems_well_formed(root, SimpleNamespace(problems=[Problem(**fields)]))


@pytest.mark.parametrize("case", sorted(p.name for p in BROKEN.iterdir() if (p / "expected.yaml").is_file()))
def test_every_broken_case_renders(case):
    """Each broken fixture (including the fuzzer's minimal examples) goes through check, reports and pages."""
    folder = BROKEN / case
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    with fresh_repo({rel: None for rel in expected.get("delete") or []}) as root:
        for part in ("records", "standards"):  # a standards case replaces files of the real standards/
            if (folder / part).is_dir():
                shutil.copytree(folder / part, root / part, dirs_exist_ok=True)
        check_and_render(root)


_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("rel", RECORD_FILES)
def test_extreme_dates_in_every_date_field(rel, day):
    """Regression (found by the fuzzer: 9999-12-31 + a term overflowed the calendar): every date at the edge."""
    text = (FULL_RECORDS / rel.removeprefix("records/")).read_text(encoding="utf-8")
    with fresh_repo({rel: _ISO_DATE.sub(day, text).encode("utf-8")}) as root:
        check_and_render(root)


@settings(deadline=None, suppress_health_check=SLOW)
@given(rel=st.sampled_from(RECORD_FILES), content=arbitrary_bytes)
def test_arbitrary_bytes_in_any_record_file(rel, content):
    with fresh_repo({rel: content}) as root:
        check_and_render(root)


@settings(deadline=None, suppress_health_check=SLOW)
@given(rel=st.sampled_from(CSV_FILES), data=st.data())
def test_mutated_csv(rel, data):
    rows = data.draw(csv_mutation(_read_rows(rel)))
    content = _csv_text(rows, data.draw(st.booleans())).encode("utf-8")
    with fresh_repo({rel: content}) as root:
        check_and_render(root)


@settings(deadline=None, suppress_health_check=SLOW)
@given(rel=st.sampled_from(YAML_FILES), data=st.data())
def test_yaml_of_any_shape(rel, data):
    content = data.draw(yaml_mutation(rel)).encode("utf-8")
    with fresh_repo({rel: content}) as root:
        check_and_render(root)


@pytest.mark.parametrize("edits_of", [file_edits, name_edits, standards_edits],
                         ids=["several-files-at-once", "hostile-file-and-folder-names", "mutated-standards-files"])
@settings(deadline=None, suppress_health_check=SLOW)
@given(data=st.data())
def test_edits_are_checked_and_rendered(edits_of, data):
    with fresh_repo(data.draw(edits_of(), label="edits")) as root:
        check_and_render(root)


printable = st.text(alphabet=st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=60).map(
    str.strip).filter(bool)
YAML_TEXT = [("records/organization.yaml", ("name",)), ("records/organization.yaml", ("site_title",)),
             ("records/gongcheng/unit.yaml", ("name",)), (f"{BRANCH}/branch.yaml", ("name",)),
             (f"{BRANCH}/branch.yaml", ("groups", 0, "name")), (f"{BRANCH}/branch.yaml", ("committee", "members", 0,
                                                                                           "roles", 0)),
             (f"{BRANCH}/exemptions.yaml", ("exemptions", 0, "reason")),
             (f"{BRANCH}/exemptions.yaml", ("exemptions", 0, "approver"))]


@st.composite
def hostile_text_edits(draw) -> dict[str, bytes | None]:
    """Free-text fields (topics, names, reasons) set to arbitrary printable Unicode: records stay mostly valid."""
    edits: dict[str, bytes | None] = {}
    rows = _read_rows(f"{BRANCH}/meetings.csv")
    for row in draw(st.lists(st.integers(1, len(rows) - 1), min_size=1, max_size=4, unique=True)):
        rows[row][3] = draw(printable)
    edits[f"{BRANCH}/meetings.csv"] = _csv_text(rows, True).encode("utf-8")
    for rel, path in draw(st.lists(st.sampled_from(YAML_TEXT), max_size=3, unique=True)):
        data = yaml.safe_load(edits[rel]) if rel in edits else _read_yaml(rel)
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = draw(printable)
        edits[rel] = _dump_yaml(data).encode("utf-8")
    return edits


@settings(deadline=None, suppress_health_check=SLOW)
@given(edits=hostile_text_edits())
def test_hostile_text_in_valid_records(edits):
    with fresh_repo(edits) as root:
        check_and_render(root)


# ---------------------------------------------------------------- the real site build

@st.composite
def build_edits(draw) -> dict[str, bytes | None]:
    """Half the time free text changed (records stay mostly valid: the build must succeed), else anything."""
    if draw(st.booleans()):
        return draw(hostile_text_edits())
    return draw(st.one_of(file_edits(), file_edits(), name_edits(), standards_edits()))


@pytest.fixture(scope="module")
def built_project(tmp_path_factory) -> Path:
    """The fixture project with a site built once; each example copies it."""
    project = copy_project(tmp_path_factory.mktemp("fuzz-build") / "p", FULL_RECORDS)
    assert main(["--root", str(project), "build", "--out", "site", "--as-of", AS_OF.isoformat()]) == 0
    return project


@settings(deadline=None, suppress_health_check=SLOW, max_examples=BUILD_EXAMPLES)
@given(edits=build_edits())
def test_site_build_succeeds_or_leaves_previous_site(built_project, edits):
    with tempfile.TemporaryDirectory(prefix="zhibu-fuzz-build-") as tmp:
        project = Path(tmp) / "p"
        shutil.copytree(built_project, project, symlinks=True)
        before = digest(project / "site")
        _apply(project, edits)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = main(["--root", str(project), "build", "--out", "site", "--as-of", AS_OF.isoformat()])
        assert CRASH not in err.getvalue(), err.getvalue()
        _assert_masked(err.getvalue(), "build output")
        standards = any(rel.startswith("standards/") for rel in edits)
        assert code in (0, 1) or (code == 2 and standards), f"build crashed (exit {code}): {err.getvalue()}"
        event("build succeeded" if code == 0 else "build refused")
        leftovers = [p.name for p in project.iterdir() if p.name.startswith(".site")
                     and not p.name.endswith(".lock")]
        assert leftovers == [], leftovers
        after = digest(project / "site")
        if code in (1, 2):
            assert after == before
        else:
            for page in ("index.html", "data/datapackage.json", "data/compliance.csv", "statistics/index.html"):
                assert page in after, page
            assert set(before) <= set(after) | {p for p in before if p.startswith("branches/")}


any_edits = st.one_of(file_edits(), name_edits(), standards_edits(), hostile_text_edits(),
                      st.tuples(file_edits(), name_edits()).map(lambda pair: {**pair[0], **pair[1]}))
CRASH = "加 --debug 查看详情"  # the CLI's catch-all: an exception nobody turned into a problem


@settings(deadline=None, suppress_health_check=SLOW)
@given(edits=any_edits, fmt=st.sampled_from(["text", "json", "github"]))
def test_check_never_prints_the_generic_crash_message(edits, fmt):
    """Issue 11 class 6: for every record and standards input, `zhibu check` answers with problems (1),
    nothing (0) or a configuration error about standards/ (2), never with the catch-all message."""
    with fresh_repo(edits) as root:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--root", str(root), "check", "--as-of", AS_OF.isoformat(), "--format", fmt])
        assert CRASH not in err.getvalue(), err.getvalue()
        assert code in (0, 1) or (code == 2 and any(rel.startswith("standards/") for rel in edits)), err.getvalue()
        _assert_masked(out.getvalue() + err.getvalue(), f"check --format {fmt}")


def test_the_crash_property_can_fail(monkeypatch):
    """The catch-all message is what the CLI prints when an exception escapes (so its absence means something)."""
    import generator.pipeline

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(generator.pipeline, "check", broken)
    with fresh_repo({}) as root:
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            assert main(["--root", str(root), "check"]) == 2
        assert CRASH in err.getvalue()


def test_fuzz_profile_is_registered():
    """`make fuzz` selects the long profile; the default (`ci`) stays small enough for `make test`."""
    assert settings.get_profile("fuzz").max_examples > settings.get_profile("ci").max_examples
