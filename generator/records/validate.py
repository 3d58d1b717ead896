"""Validate stage: structure of every record file (Frictionless for CSV, JSON Schema for YAML)."""

from __future__ import annotations

import bisect
import functools
import itertools
import multiprocessing
import os
import re
import signal
import sys
from dataclasses import dataclass, field
from typing import Any

from frictionless import Checklist, Package, Resource
from jsonschema import Draft202012Validator

from generator.problems.caps import Caps
from generator.problems.catalogue import Problem, make
from generator.records import cellformat, personal
from generator.records.compiled import BRANCH
from generator.records.compiled import names as _names
from generator.records.load import TABLES, BranchFiles, RawRecords, YamlDoc
from generator.records.nearmiss import question
from generator.records.textfile import CsvTable
from generator.records.yamlfile import line_for
from generator.standards.catalogue import Standards

_FULLWIDTH = re.compile(r"[\uff01-\uff5e\u3000]")
# A cell that starts or ends with whitespace, in cells joined by NUL (textfile rejects NUL in records).
_STRAY = re.compile(r"(?:^|\x00)\s|\s(?:\x00|$)")
_SPACE = re.compile(r"\s")
_CONSTRAINT = re.compile(r'constraint "(\w+)" is "(.*)"')
TYPE_ZH = {"date": "日期（格式 YYYY-MM-DD，如 2025-03-01）", "integer": "整数", "number": "数字",
           "string": "文本", "boolean": "是/否", "year": "年份"}


@dataclass
class Validated:
    """Problems plus, per file, the data rows (1-based person-visible lines) that are unusable."""

    problems: list[Problem] = field(default_factory=list)
    bad_rows: dict[str, set[int]] = field(default_factory=dict)  # path -> row numbers (header = 1)
    bad_files: set[str] = field(default_factory=set)
    caps: Caps = field(default_factory=Caps)  # problems beyond the caps are counted here, not kept
    found: int = 0  # problems found, listed or not

    def keeps(self, path: str, code: str, row: int | None, branch: str | None) -> bool:
        """Count an error about to be made; True when it is to be listed (make it only then: cheap floods)."""
        self.found += 1
        return self.caps.admit(path, code, row, "error", branch)

    def add(self, problem: Problem) -> None:
        """Keep a problem, or only count it when its file already lists enough of its kind (see caps)."""
        self.found += 1
        if self.caps.admit(problem.path, problem.code, problem.row, problem.severity, problem.branch):
            self.problems.append(problem)


def validate(raw: RawRecords, standards: Standards, jobs: int | None = None) -> Validated:
    """Check every loaded file against its schema and scan every value for personal data.

    `jobs` forked processes share the Frictionless work (None: the ZHIBU_JOBS environment variable, else
    one per core from 100,000 rows on); the problems are the same whatever the number.
    """
    return start_validation(raw, standards, jobs).result()


def start_validation(raw: RawRecords, standards: Standards, jobs: int | None = None) -> PendingValidation:
    """Check the YAML files now and start the tables' check, in forked processes when the records are large.

    The caller may go on working while the processes run (the site build renders meanwhile) and collects
    the answer with `result()` (generator/speculation.py). Why and when this pays, with figures: the README's
    performance section; on a machine busy with other work more processes are slower, which ZHIBU_JOBS=1 avoids.
    """
    known = Validated(problems=list(raw.problems))
    known.bad_files.update(p.path for p in raw.problems)
    if raw.organization is not None:
        _yaml(raw.organization, standards.compiled.yaml("organization"), known, None)
    for code, doc in raw.units.items():
        _yaml(doc, standards.compiled.yaml("unit"), known, None)
        _code_matches(doc, code, known, None)
    for branch in raw.branches:
        for branch_doc, kind in ((branch.branch, "branch"), (branch.exemptions, "exemptions")):
            if branch_doc is not None:
                _yaml(branch_doc, standards.compiled.yaml(kind), known, branch.code)
        if branch.branch is not None:
            _code_matches(branch.branch, branch.code, known, branch.code)
    if "fork" not in multiprocessing.get_all_start_methods():
        jobs = 1
    jobs = jobs or _env_jobs() or _jobs(sum(len(t.rows) for b in raw.branches for t in b.tables.values()))
    parts = [raw.branches[i::jobs] for i in range(max(1, min(jobs, len(raw.branches))))]
    return PendingValidation(known, parts, standards)


class PendingValidation:
    """The tables' check of some parts of the branches, running in forked processes when there are several parts.

    `known` holds what was found before the tables were checked (files that could not be read, YAML
    problems): the ledger can already be built on it if it is empty.
    """

    def __init__(self, known: Validated, parts: list[list[BranchFiles]], standards: Standards) -> None:
        self.known = known
        self._answer: Validated | None = None
        self._pool = None
        if len(parts) == 1:
            self._parts, self._standards = parts, standards
            return
        _PARTS[:] = [(part, standards) for part in parts]
        # Ctrl-C reaches the whole process group. The processes are born deaf to it (the signal is blocked
        # while they are forked): the parent stops, and its exit ends them, without a traceback from each.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:  # fork now: the processes inherit the rows, nothing is sent to them
            self._pool = multiprocessing.get_context("fork").Pool(len(parts), initializer=_ignore_ctrl_c)
            self._async = self._pool.map_async(_validate_part, range(len(parts)))
        finally:
            _PARTS.clear()
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a Ctrl-C pressed meanwhile arrives now

    @property
    def background(self) -> bool:
        """True when the tables are being checked in other processes (the caller can do other work)."""
        return self._pool is not None

    def result(self) -> Validated:
        """Wait for the tables' check; everything found, in a stable order whatever the number of processes."""
        if self._answer is None:
            if self._pool is None:
                answers = [_check_part(part, self._standards) for part in self._parts]
            else:
                try:
                    answers = self._async.get()
                finally:
                    self.cancel()
            out = Validated(problems=list(self.known.problems), bad_files=set(self.known.bad_files),
                            bad_rows={path: set(rows) for path, rows in self.known.bad_rows.items()})
            out.caps.merge(self.known.caps)
            for part in answers:
                out.problems += part.problems
                out.caps.merge(part.caps)
                out.bad_files |= part.bad_files
                for path, rows in part.bad_rows.items():
                    out.bad_rows.setdefault(path, set()).update(rows)
            out.problems.sort(key=Problem.sort_key)
            self._answer = out
        return self._answer

    def cancel(self) -> None:
        """Stop the processes (after `result()`, or when the caller gives up)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


PARALLEL_ROWS = 100_000  # below this, starting processes costs more than it saves


def _jobs(rows: int) -> int:
    return max(1, min(os.cpu_count() or 1, rows // (PARALLEL_ROWS // 2))) if rows >= PARALLEL_ROWS else 1


def _env_jobs() -> int:
    """ZHIBU_JOBS=N sets the number of processes."""
    value = os.environ.get("ZHIBU_JOBS", "")
    return int(value) if value.isdigit() else 0


_PARTS: list[tuple[list[BranchFiles], Standards]] = []


def _ignore_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _validate_part(index: int) -> Validated:
    """In a forked process: check one part of the branches (inherited from the parent)."""
    return _check_part(*_PARTS[index])


def _check_part(branches: list[BranchFiles], standards: Standards) -> Validated:
    out = Validated()
    batch = _Batch(standards)
    for branch in branches:
        batch.add(branch.tables, out, branch.code)
    batch.validate(out)
    return out


YAML_ERRORS = 1_000  # schema errors of one file held at once (the rest are counted as they come)


def _yaml(doc: YamlDoc, validator: Draft202012Validator, out: Validated, branch: str | None) -> None:
    before = out.found
    errors = validator.iter_errors(doc.data)
    held = list(itertools.islice(errors, YAML_ERRORS))
    for _ in errors:  # 400,000 wrong list items: counted one by one, never all held
        out.keeps(doc.path, "yaml-invalid", None, branch)
    # a date cell (format: date) that also misses its pattern is one mistake: said once, as invalid-date
    bad_dates = {tuple(e.path) for e in held if e.validator == "format"}
    for error in sorted(held, key=lambda e: [str(p) for p in e.path]):
        path = tuple(error.path)
        if error.validator == "pattern" and path in bad_dates:
            continue
        name = next((str(p) for p in reversed(path) if isinstance(p, str)), None)
        if error.validator in ("required", "additionalProperties") and error.message:
            key = re.search(r"'([^']+)'", error.message)
            name = key.group(1) if key else name
        if error.validator == "format":  # the only format checked is date: a day not on the calendar
            out.add(make("invalid-date", doc.path, row=line_for(doc.lines, path), field=name,
                                     branch=branch, value=personal.quote(error.instance)))
            continue
        zh, en = _json_message(error)
        out.add(make("yaml-invalid", doc.path, row=line_for(doc.lines, path), field=name,
                                 branch=branch, detail=zh, detail_en=en))
    _yaml_personal(doc, branch, out)
    if out.found > before:
        out.bad_files.add(doc.path)


def _yaml_personal(doc: YamlDoc, branch: str | None, out: Validated) -> None:
    """Personal data in a YAML file's values and keys as read (escapes resolved) and in its text (comments)."""
    seen: set[tuple] = set()
    for path, value in _scalars(doc.data, ()):
        row = line_for(doc.lines, path)
        for kind, masked in personal.find(value):
            seen.add((row, masked))
            _personal_problem(kind, masked, doc.path, row, str(path[-1]) if path else None, branch, out)
    field_at = {line: str(path[-1]) for path, line in doc.lines.items() if path and isinstance(path[-1], str)}
    for row, kind, masked in personal.in_lines(doc.text):
        if (row, masked) not in seen:
            seen.add((row, masked))
            _personal_problem(kind, masked, doc.path, row, field_at.get(row), branch, out)


def _code_matches(doc: YamlDoc, folder: str, out: Validated, branch: str | None) -> None:
    """The code inside unit.yaml / branch.yaml must equal its folder name (codes are stable forever)."""
    code = doc.data.get("code") if isinstance(doc.data, dict) else None
    if code is not None and str(code) != folder:
        out.add(make("code-mismatch", doc.path, line_for(doc.lines, ("code",)), "code", branch=branch,
                                 code=personal.quote(code), folder=folder))
        out.bad_files.add(doc.path)


def _json_message(error) -> tuple[str, str]:
    value = error.instance
    where = personal.quote("/".join(str(p) for p in error.path), 80) or "（文件顶层）"
    kind = error.validator
    if kind == "required":
        missing = re.findall(r"'([^']+)'", error.message)
        return f"{where} 缺少必填项“{personal.quote(missing[0]) if missing else ''}”", _english(error)
    if kind == "additionalProperties":
        extra = [key for key in error.instance if key not in error.schema.get("properties", {})]
        shown = "、".join(personal.quote(key) for key in extra[:10])
        shown += f" 等 {len(extra):,} 个" if len(extra) > 10 else ""
        return f"{where} 中有未知的键“{shown}”，请检查拼写", _english(error)
    if kind == "enum":
        allowed = "、".join(str(v) for v in error.validator_value)
        return f"{where} 的取值“{personal.quote(value)}”不在允许范围内，可选：{allowed}", _english(error)
    if kind == "pattern":  # the schema's description says the format in words; a regex means nothing to a secretary
        text = f"{where} 的取值“{personal.quote(value)}”格式不对。{error.schema.get('description', '')}"
        return text.rstrip(), _english(error)
    if kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        words = "或".join(_JSON_TYPES.get(str(w), str(w)) for w in wanted)
        return f"{where} 应为{words}，实际是“{personal.quote(value)}”", _english(error)
    if kind in _JSON_LIMITS:
        return f"{where} {_JSON_LIMITS[kind]} {error.validator_value}", _english(error)
    return f"{where}：{_english(error)}", _english(error)


def _english(error) -> str:
    """jsonschema's own message (it quotes the value), masked and cut to a readable length."""
    return personal.quote(error.message, 160)


_JSON_TYPES = {"string": "文本", "integer": "整数", "number": "数字", "boolean": "true 或 false",
               "array": "列表（每项一行，以“- ”开头）", "object": "一组“键: 值”", "null": "空（null）"}
_JSON_LIMITS = {"minimum": "不能小于", "maximum": "不能大于", "minItems": "至少要有几项：",
                "maxItems": "最多只能有几项：", "minLength": "长度不能少于", "maxLength": "长度不能超过"}


def _scalars(value, path: tuple):
    """(path, text) of every scalar value and every key."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield path + (key,), str(key)
            yield from _scalars(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _scalars(item, path + (index,))
    elif isinstance(value, str | int):
        yield path, str(value)


@dataclass
class _Segment:
    """One file's rows inside a merged table: they start at `start`; `indices` are rows of the file."""

    start: int
    table: CsvTable
    branch: str
    order: list[int]
    skip: set[tuple]
    indices: list[int]


@dataclass
class _Origin:
    """Where a row of a merged table came from."""

    table: CsvTable
    line: int
    branch: str
    values: list[str]  # the row in schema order, without the branch column
    skip: set[tuple]


@dataclass
class _Merged:
    """The rows of one table kind from many branches, each prefixed with its branch code."""

    rows: list[list] = field(default_factory=list)
    segments: list[_Segment] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)

    def origin(self, position: int) -> _Origin | None:
        """The file row behind merged data row `position` (0-based)."""
        if not 0 <= position < len(self.rows):
            return None
        segment = self.segments[bisect.bisect_right(self.starts, position) - 1]
        index = segment.indices[position - segment.start]
        values = _reordered(segment.table.rows[index], segment.order)
        return _Origin(segment.table, segment.table.lines[index], segment.branch, values, segment.skip)


class _Batch:
    """All branches' tables of one kind validated as one Frictionless resource.

    Opening a resource costs Frictionless milliseconds of metadata work whatever its size, so one
    resource per kind (not one per file) keeps a 1,000-branch check cheaper than validating the files
    one by one. Each row carries its branch in a first column, and the schema's keys are qualified with
    it: primary keys stay unique within a branch and foreign keys (dues.member → members.id) resolve
    within the branch only, exactly as a per-branch package would. A branch that lacks a key's target
    table is validated without that foreign key. Branches are independent, so batches of different
    branches can be validated in parallel.
    """

    def __init__(self, standards: Standards) -> None:
        self.standards = standards
        self.merged: dict[tuple[str, bool], _Merged] = {}

    def add(self, tables: dict[str, CsvTable], out: Validated, branch: str) -> None:
        usable = []
        for name in TABLES:
            table = tables.get(name)
            if table is None:
                continue
            descriptor = self.standards.table_schemas[name]
            order = _header(table, descriptor, out, branch)
            if order is None:
                out.bad_files.add(table.path)
                continue
            usable.append((name, table, order, _cells(table, descriptor, order, out, branch)))
        present = {name for name, *_ in usable}
        targets = {fk.get("reference", {}).get("resource") for descriptor in self.standards.table_schemas.values()
                   for fk in descriptor.get("foreignKeys", [])}  # members: its ids must all be there
        for name, table, order, skip in usable:
            descriptor = self.standards.table_schemas[name]
            merged = self.merged.setdefault((name, _fk_targets_present(descriptor, present)), _Merged())
            typed = self.standards.compiled.formats(name)
            width = len(table.header)
            short = optional_tail(table.header, descriptor)
            identity = order == list(range(len(order)))
            segment = _Segment(len(merged.rows), table, branch, order, skip, [])
            for index, row in enumerate(table.rows):
                if short <= len(row) < width:  # only optional cells left off the end: they read as empty
                    row = row + [""] * (width - len(row))
                if not any(row):  # Frictionless would see the branch cell and miss a blank row
                    line = table.lines[index]
                    if out.keeps(table.path, "blank-row", line, branch):
                        out.problems.append(make("blank-row", table.path, line, branch=branch))
                    out.bad_rows.setdefault(table.path, set()).add(line)
                    continue
                if len(row) > width:  # one problem for the row, however wide: never a problem per extra cell
                    line = table.lines[index]
                    if out.keeps(table.path, "extra-cell", line, branch):
                        out.problems.append(make("extra-cell", table.path, line, column=width + 1, branch=branch,
                                                 more=f"（多出 {len(row) - width:,} 个）",
                                                 more_en=f" ({len(row) - width:,} more)"))
                    out.bad_rows.setdefault(table.path, set()).add(line)
                    continue
                cells: list[Any] = [branch, *(row if identity else _reordered(row, order))]
                found = out.found
                for position, cell_format in typed:
                    if position + 1 < len(cells) and cells[position + 1]:
                        cells[position + 1] = _strict(cells[position + 1], cell_format, descriptor, position,
                                                      table, index, order, skip, out, branch)
                if out.found > found and name not in targets:
                    continue  # unusable already; no other table refers to its keys: Frictionless need not see it
                merged.rows.append(cells)
                segment.indices.append(index)
            merged.segments.append(segment)
            merged.starts.append(segment.start)

    def validate(self, out: Validated) -> None:
        """Run Frictionless over the merged tables; problems on the files and lines a person sees.

        Each resource is validated with a checklist whose `match` asks the caps first: Frictionless keeps
        an error only while its file lists fewer than the caps allow, so a file with 200,000 wrong rows
        holds 20 errors, not 200,000 (each with a copy of its row), whatever the records.
        """
        if not self.merged:
            return
        resources, merged_of = [], {}
        for (name, with_fk), merged in sorted(self.merged.items()):
            header = [BRANCH] + [f["name"] for f in self.standards.table_schemas[name]["fields"]]
            resource_name = name if with_fk or name == "members" else f"{name}-without-foreign-keys"
            merged_of[resource_name] = (name, merged)
            resources.append(Resource(name=resource_name, data=_Rows([header, *merged.rows]),
                                      schema=self.standards.compiled.table(name, with_fk)))
        Package(resources=resources)  # foreign keys find their target resource through the package
        reported: set[tuple] = set()
        for resource in resources:
            name, merged = merged_of[resource.name]
            checklist = Checklist()
            checklist.match = functools.partial(_admit, merged=merged, out=out)  # type: ignore[method-assign]  # Frictionless's own hook
            for error in resource.validate(checklist, limit_errors=sys.maxsize).tasks[0].errors:
                origin = merged.origin((getattr(error, "row_number", None) or 0) - 2)
                if origin is not None:  # the merged header comes from the schema: no header errors arise
                    _frictionless(error, origin, merged, self.standards.table_schemas[name], out, reported)


def _admit(error, merged: _Merged, out: Validated) -> bool:
    """Checklist.match for one merged resource: keep a Frictionless error only while its file's caps allow.

    An error that is only counted still makes its row unusable (the ledger must not read it).
    """
    row_number = getattr(error, "row_number", None)
    origin = merged.origin(row_number - 2) if row_number else None
    if origin is None:
        return True
    name = getattr(error, "field_name", None) or None
    if (origin.line, name) in origin.skip:
        return False  # reported already (strict cells, stray spaces): _frictionless would drop it anyway
    if out.caps.admit(origin.table.path, _code(error, name, origin), origin.line, "error", origin.branch):
        return True
    out.found += 1
    out.bad_rows.setdefault(origin.table.path, set()).add(origin.line)
    return False


def _code(error, name: str | None, origin: _Origin) -> str:
    """The code _frictionless will give this error (so that its count joins the problems of the same code)."""
    if error.type == "constraint-error":
        meetings = name == "kind" and origin.table.path.endswith("/meetings.csv")
        return "meeting-kind-unknown" if meetings and 'constraint "enum"' in (error.note or "") else error.type
    if error.type == "unique-error":
        return "primary-key"
    known = ("type-error", "primary-key", "foreign-key", "blank-row", "extra-cell", "missing-cell")
    return error.type if error.type in known else "constraint-error"


def _strict(cell: str, cell_format: cellformat.CellFormat, descriptor: dict, position: int, table: CsvTable,
            index: int, order: list[int], skip: set[tuple], out: Validated, branch: str) -> object:
    """The cell as Frictionless should read it (a date object for a good date), or "" with a problem when it
    does not fully match its format (see cellformat); Frictionless then skips the cell (it is in `skip`)."""
    value, wrong = cell_format.read(cell)
    if wrong is None:
        return value
    line, name = table.lines[index], cell_format.name
    if (line, name) not in skip:  # stray spaces or full-width digits were reported already
        field_desc = descriptor["fields"][position]
        column = order[position] + 1 if position < len(order) else None
        shown = personal.quote(cell)
        if wrong == "type":
            kind = field_desc.get("type", "")
            problem = make("type-error", table.path, line, name, column=column, branch=branch, value=shown,
                           type=kind, type_zh=TYPE_ZH.get(kind, "取值"), hint=_type_hint(cell, field_desc), hint_en="")
        else:
            pattern = cell_format.pattern.pattern if cell_format.pattern else ""
            problem = make("constraint-error", table.path, line, name, column=column, branch=branch, value=shown,
                           detail=f"格式不对。{field_desc.get('description', '')}".strip().rstrip("。"),  # no regex
                           detail_en=f'constraint "pattern" is "{pattern}"')
        out.add(problem)
        skip.add((line, name))
        out.bad_rows.setdefault(table.path, set()).add(line)
    return ""


class _Rows:
    """Inline rows that Frictionless reads but does not deep-copy into descriptors (it copies plain lists)."""

    def __init__(self, rows: list[list[str]]) -> None:
        self.rows = rows

    def __call__(self):
        return iter(self.rows)


def optional_tail(header: list[str], descriptor: dict) -> int:
    """How many cells a row needs at least: the optional columns at the end of the header may be left off.

    A secretary who copies a row written before an optional column was added (or from a branch whose file
    has none) leaves those cells out; they are empty cells, not a broken row.
    """
    optional = {f["name"] for f in descriptor["fields"] if f.get("optionalColumn")}
    need = len(header)
    while need and header[need - 1].strip() in optional:
        need -= 1
    return need


def _reordered(row: list[str], order: list[int]) -> list[str]:
    """Put cells in schema order; a file in schema order passes through untouched (short rows stay short)."""
    if order == list(range(len(order))):
        return row
    width = len(order) - order.count(ABSENT)  # the file's own columns: cells beyond them are extra cells
    cells = [row[i] if i < len(row) else "" for i in order]
    if len(row) < width and order[:len(row)] == list(range(len(row))):
        return cells[:len(row)]  # a short row stays short, so Frictionless reports its missing cells
    return cells + row[width:]


def _header(table: CsvTable, descriptor: dict, out: Validated, branch: str) -> list[int] | None:
    """Map schema fields to file columns; None when the header cannot be used."""
    expected = [f["name"] for f in descriptor["fields"]]
    shown = ",".join(expected)
    header = [h.strip() for h in table.header]
    before = out.found
    for number, name in enumerate(table.header, start=1):
        _personal(name, table.path, 1, None, branch, out, column=number)
    seen: set[str] = set()
    for number, name in enumerate(header, start=1):
        code = ("blank-label" if not name else "duplicate-label" if name in seen
                else "extra-label" if name not in expected else None)
        seen.add(name)
        if code and out.keeps(table.path, code, 1, branch):  # a 40,000-column header: 20 problems made, not 40,000
            out.problems.append(make(code, table.path, 1, name or None, column=number, branch=branch, number=number,
                                     name=name, expected=shown))
    optional = {f["name"] for f in descriptor["fields"] if f.get("optionalColumn")}
    for name in expected:
        if name not in header and name not in optional:
            out.add(make("missing-label", table.path, 1, name, branch=branch, name=name, expected=shown))
    if out.found > before:
        return None
    return [header.index(name) if name in header else ABSENT for name in expected]


ABSENT = sys.maxsize  # the position of an optional column the file leaves out: every row reads "" there


def _cells(table: CsvTable, descriptor: dict, order: list[int], out: Validated, branch: str) -> set[tuple]:
    """Checks Frictionless does not make: stray spaces, full-width digits, personal data."""
    skip: set[tuple] = set()
    # One scan of the whole table decides which checks can find anything; most tables are clean.
    blob = "\x00\x00".join("\x00".join(row) for row in table.rows)
    spaces = _SPACE.search(blob) is not None and _STRAY.search(blob) is not None  # most tables have no space
    fullwidth = not blob.isascii() and _FULLWIDTH.search(blob) is not None
    private = personal.in_cells(blob)
    if not (spaces or fullwidth or private):
        return skip
    types = {f["name"]: f.get("type", "string") for f in descriptor["fields"]}
    names = [f["name"] for f in descriptor["fields"]]
    for row, line in zip(table.rows, table.lines, strict=True):
        for name, index in zip(names, order, strict=True) if spaces or fullwidth else ():
            value = row[index] if index < len(row) else ""
            if not value:
                continue
            code = None
            if value != value.strip():
                code = "stray-whitespace"
            elif types[name] != "string" and _FULLWIDTH.search(value):
                code = "fullwidth-digits"
            if code:
                out.add(make(code, table.path, line, name, column=index + 1, branch=branch,
                                         value=personal.quote(value)))
                skip.add((line, name))
                out.bad_rows.setdefault(table.path, set()).add(line)
        if private and personal.contains("\x00".join(row)):
            for index, value in enumerate(row):
                name = table.header[index] if index < len(table.header) else None
                _personal(value, table.path, line, name, branch, out, column=index + 1)
    return skip


def _personal(value: str, path: str, row: int | None, name: str | None, branch: str | None, out: Validated,
              column: int | None = None) -> None:
    for kind, masked in personal.find(value):
        _personal_problem(kind, masked, path, row, name, branch, out, column)


def _personal_problem(kind: str, masked: str, path: str, row: int | None, name: str | None, branch: str | None,
                      out: Validated, column: int | None = None) -> None:
    zh, en = personal.KINDS[kind]
    out.add(make("personal-data", path, row, name, column=column, branch=branch,
                             kind=zh, kind_en=en, masked=masked))
    if row:
        out.bad_rows.setdefault(path, set()).add(row)


def _frictionless(error, origin: _Origin, merged: _Merged, descriptor: dict, out: Validated,
                  reported: set[tuple]) -> None:
    """One Frictionless error on a merged row, as a problem on the file and line a person sees."""
    table, line, branch = origin.table, origin.line, origin.branch
    name = getattr(error, "field_name", None) or None
    if (line, name) in origin.skip:
        return
    names = [f["name"] for f in descriptor["fields"]]
    number = getattr(error, "field_number", None)
    column = table.header.index(name) + 1 if name in table.header else (number - 1 if number else None)
    value = personal.quote(getattr(error, "cell", "") or "")
    field_desc: dict[str, Any] = next((f for f in descriptor["fields"] if f["name"] == name), {})
    if field_desc.get("optionalColumn") and name not in {h.strip() for h in table.header}:
        return  # an optional column the file leaves out: a short row misses none of its cells
    params: dict[str, Any] = {"value": value, "name": name or ""}
    code = error.type
    if code == "type-error":
        params.update(type=field_desc.get("type", ""), type_zh=TYPE_ZH.get(field_desc.get("type", ""), "取值"),
                      hint=_type_hint(value, field_desc), hint_en="")
    elif code == "constraint-error":
        code, params = _constraint(error.note, value, field_desc, params)
        if code == "meeting-kind-unknown" and table.path.rsplit("/", 1)[-1] != "meetings.csv":
            code = "constraint-error"
    elif code in ("primary-key", "unique-error"):
        keys = _names(descriptor.get("primaryKey"))
        if code == "unique-error" and name not in keys:
            keys = [name or ""]  # a `unique` column outside the primary key
        if not all(_cell(origin, names, key) for key in keys):
            return  # key cells empty: a required-cell error already says so
        code, name = "primary-key", keys[0] if keys else name
        column = table.header.index(name) + 1 if name in table.header else column
        other = re.search(r"position (\d+)", error.note or "")
        first = merged.origin(int(other.group(1)) - 2) if other else None
        params.update(other=first.line if first else "?", fields="、".join(keys))
        if (table.path, line, name) in reported:
            return  # Frictionless reports a duplicate key both as unique-error and primary-key
        reported.add((table.path, line, name))
    elif code == "foreign-key":
        fk = (descriptor.get("foreignKeys") or [{}])[0]
        fields = _names(fk.get("fields"))
        if not any(_cell(origin, names, key) for key in fields):
            return  # an empty reference: a required-cell error already says so
        name = fields[0] if fields else name
        params.update(value=personal.quote(", ".join(_cell(origin, names, key) for key in fields)),
                      target=f"{fk.get('reference', {}).get('resource', '')}.csv")
        column = table.header.index(name) + 1 if name in table.header else column
    elif code not in ("blank-row", "extra-cell", "missing-cell"):
        code = "constraint-error"
        params.update(detail=error.note or error.type, detail_en=error.note or error.type)
    out.problems.append(make(code, table.path, line, name, column=column, branch=branch, **params))  # admitted (_admit)
    out.bad_rows.setdefault(table.path, set()).add(line)


def _cell(origin: _Origin, names: list[str], name: str) -> str:
    index = names.index(name) if name in names else len(origin.values)
    return origin.values[index] if index < len(origin.values) else ""


def _constraint(note: str, value: str, field_desc: dict, params: dict) -> tuple[str, dict]:
    found = _CONSTRAINT.search(note or "")
    kind, limit = (found.group(1), found.group(2)) if found else ("", note)
    constraints = field_desc.get("constraints", {})
    if kind == "enum":
        allowed = "、".join(str(v) for v in constraints.get("enum", []))
        guess = question(params.get("value", ""), [str(v) for v in constraints.get("enum", [])])
        if field_desc.get("name") == "kind" and "党员大会" in allowed:
            return "meeting-kind-unknown", {**params, "allowed": allowed, "suggestion": guess}
        detail = f"只能是 {allowed} 之一" + (f"（{guess}）" if guess else "")
    elif kind == "required":
        detail, params["value"] = f"“{field_desc.get('title', field_desc.get('name'))}”为必填项，不能为空", ""
    elif kind == "pattern":  # the field's description says the format in words; never the regex itself
        detail = f"格式不对。{field_desc.get('description', '')}".strip().rstrip("。")
    elif kind in ("minimum", "maximum", "minLength", "maxLength"):
        word = {"minimum": "不能小于", "maximum": "不能大于",
                "minLength": "长度不能少于", "maxLength": "长度不能超过"}[kind]
        detail = f"{word} {limit}"
    else:
        detail = note or kind
    return "constraint-error", {**params, "detail": detail, "detail_en": note or kind}


def _type_hint(value: str, field_desc: dict) -> str:
    if field_desc.get("type") == "date":
        if re.fullmatch(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?", value):
            return "请写成 2025-03-01 这样的格式（年-月-日，用减号连接，月和日补足两位）。"
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return "该日期在日历上不存在，请核对。"
        return "请写成 2025-03-01 这样的格式。"
    if field_desc.get("type") in ("integer", "number"):
        return "请只填写阿拉伯数字（半角），不要带单位或文字。"
    return ""


def _fk_targets_present(descriptor: dict, present: set[str]) -> bool:
    return all(fk.get("reference", {}).get("resource") in present for fk in descriptor.get("foreignKeys", []))
