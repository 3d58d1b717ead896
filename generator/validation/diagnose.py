"""Name the cause of a pile of problems once: the common ways a CSV file goes wrong in a secretary's hands.

Each shape below makes the cell-by-cell check report many problems that never say what happened: Excel
damaged the encoding, a line break inside a topic split a record in two, Chinese commas separate the
columns, the first column was forgotten so every value slid left, the comma before an empty last cell
was dropped, Excel rewrote a whole date column as 2023/1/12. `explain` recognises them on the raw rows
and replaces the pile by one problem that says what happened and how to fix it. Problems it does not
explain (personal data above all) are kept as they are.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from generator.problems.catalogue import ERROR, Problem, make
from generator.records import mojibake
from generator.records.load import RawRecords
from generator.records.textfile import CsvTable
from generator.standards.catalogue import Standards
from generator.validation.optional import cells_needed, optional_columns
from generator.validation.validated import Validated

_SLASH_DATE = re.compile(r"\d{4}[/.]\d{1,2}[/.]\d{1,2}(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SEPARATORS = re.compile(r"[,，\t]")
# Separators a person uses for the ASCII comma: a Chinese comma typed by hand, a tab pasted from Excel.
_WRONG_SEPARATORS = {"，": "csv-fullwidth-comma", "\t": "csv-tab-separator"}
KEEP = {"personal-data"}  # never explained away: it must be removed whatever else is wrong


@dataclass
class _Found:
    """Causes found in one file, and the places whose problems they explain."""

    problems: list[Problem] = field(default_factory=list)
    lines: set[int] = field(default_factory=set)  # every problem on these lines is explained
    cells: set[tuple[int, str]] = field(default_factory=set)  # (line, field) explained
    whole_file: bool = False


def explain(raw: RawRecords, standards: Standards, checked: Validated) -> Validated:
    """`checked` with each recognised cause reported once and the problems it explains left out."""
    found: dict[str, _Found] = {}
    troubled = {p.path for p in checked.problems}  # every shape makes cell problems: clean files cost nothing
    for branch in raw.branches:
        for name, table in branch.tables.items():
            if table.path not in troubled:
                continue
            fields = standards.table_schemas[name]["fields"]
            result = _diagnose(table, fields, branch.code)
            if result.problems:
                found[table.path] = result
    out = Validated(bad_rows={p: set(r) for p, r in checked.bad_rows.items()}, bad_files=set(checked.bad_files))
    missing = {(p.path, p.row, p.field) for p in checked.problems if p.code == "missing-cell"}
    for problem in checked.problems:
        if problem.code != "missing-cell" and (problem.path, problem.row, problem.field) in missing:
            continue  # a missing cell is reported once, not again as an empty required cell
        here = found.get(problem.path)
        if here and problem.code not in KEEP and (
                here.whole_file or problem.row in here.lines or (problem.row, problem.field) in here.cells):
            continue
        out.problems.append(problem)
    for path, result in found.items():
        out.problems += result.problems
        if result.whole_file:
            out.bad_files.add(path)
        out.bad_rows.setdefault(path, set()).update(result.lines | {line for line, _ in result.cells})
    unread = _unread_keys(out)
    out.problems = [_waiting(p, target) if (target := _into_unread(p, standards, out, unread)) else p
                    for p in out.problems]
    out.problems.sort(key=Problem.sort_key)
    return out


# Problems after which a row's cells are not where its header says (or not there at all): its key is not read.
_SHAPES = frozenset({"extra-cell", "missing-cell", "csv-fullwidth-comma", "csv-tab-separator", "csv-line-break",
                     "csv-missing-id", "csv-missing-trailing-comma", "csv-unclosed-quote", "date-format-column"})


def _unread_keys(out: Validated) -> dict[str, set[str | None]]:
    """Per file, the fields of problems that leave a row's key unread: a row out of shape (field None) or a bad cell."""
    unread: dict[str, set[str | None]] = {}
    for problem in out.problems:
        if problem.severity == ERROR:
            unread.setdefault(problem.path, set()).add(None if problem.code in _SHAPES else problem.field)
    return unread


def _into_unread(problem: Problem, standards: Standards, out: Validated,
                 unread: dict[str, set[str | None]]) -> str | None:
    """The target file, when a reference (absences.meeting → meetings.id) points into a table where a row's key
    could not be read (a row with an extra cell or Chinese commas, an id cell with stray spaces): the key it names
    may be on that row. Rows whose key was read (a wrong kind, a wrong date) still count as targets."""
    if problem.code != "foreign-key" or not problem.field:
        return None
    folder, _, name = problem.path.rpartition("/")
    schema = standards.table_schemas.get(name.removesuffix(".csv"), {})
    for key in schema.get("foreignKeys", []):
        fields = key.get("fields")
        if problem.field in (fields if isinstance(fields, list) else [fields]):
            target = f"{folder}/{key['reference']['resource']}.csv"
            names = key["reference"].get("fields")
            keys = set(names if isinstance(names, list) else [names])
            if target in out.bad_files or unread.get(target, set()) & (keys | {None}):
                return target
    return None


def _waiting(problem: Problem, target: str) -> Problem:
    """The reference's problem says that its target has rows not read: it may be one of them, fix those first.

    The row is still named (it is not read until the reference is checked again), never left out silently."""
    name = target.rsplit("/", 1)[1]
    return replace(problem, message=f"{problem.message}注意：{name} 有读不出编号的行（见该文件的问题），"
                                    f"这里的编号可能就在其中；请先改正 {name}，再重新检查这一行。",
                   message_en=f"{problem.message_en} Note: {name} has rows whose id could not be read (see its "
                              "problems); the id may be on one of them: fix that file first, then check again.")


def _diagnose(table: CsvTable, fields: list[dict], branch: str) -> _Found:
    found = _Found()
    damage = mojibake.find_damage("\n".join(",".join(row) for row in [table.header, *table.rows]))
    if damage is not None:
        line, sample = _first_damaged(table)
        # The whole file is unusable (row None); the message names the first damaged line.
        found.problems.append(make("encoding-damaged", table.path, None, branch=branch, sample=sample[:8],
                                   runs=damage.runs, line=line))
        found.whole_file = True
        return found
    named = {h.strip() for h in _SEPARATORS.split(",".join(table.header))}
    fields = [f for f in fields if not f.get("optionalColumn") or f["name"] in named]  # optional columns left out
    names = [f["name"] for f in fields]
    wrong = _wrong_separator(",".join(table.header))
    if len(table.header) < len(names) and wrong:
        if set(names) <= {h.strip() for h in _SEPARATORS.split(",".join(table.header))}:
            found.problems.append(make(wrong, table.path, 1, branch=branch, where="表头"))
            found.lines.add(1)
            return found  # the header is unusable: the rows were not checked
    header = [h.strip() for h in table.header]
    if sorted(header) != sorted(names):
        return found
    by_column = [next(f for f in fields if f["name"] == h) for h in header]
    _rows(table, by_column, branch, found)
    _date_columns(table, by_column, branch, found)
    return found


def _first_damaged(table: CsvTable) -> tuple[int, str]:
    for line, row in zip(table.lines, table.rows, strict=True):
        for cell in row:
            if mojibake.find_damage(cell):
                return line, cell.strip()
    return 1, ""


def _rows(table: CsvTable, fields: list[dict], branch: str, found: _Found) -> None:
    """Rows with the wrong number of cells whose shape tells why."""
    width, index = len(fields), 0
    optional = sum(1 for f in fields if f.get("optionalColumn"))
    needed = cells_needed([f["name"] for f in fields], optional_columns({"fields": fields}))
    shapes: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    while index < len(table.rows):
        row, line = table.rows[index], table.lines[index]
        if needed <= len(row) <= width:
            index += 1  # optional cells left off the end read as empty (records/optional.py): nothing wrong
            continue
        joined = _joined_record(table, index, fields)
        if joined:
            last = table.lines[index + joined - 1]
            span = f"第 {line} 行和第 {last} 行" if joined == 2 else f"第 {line} 行到第 {last} 行"
            following = tuple(table.lines[index + 1:index + joined])  # the lines the record spilled onto
            shapes["csv-line-break"].append((line, {"title": _title(fields[len(row) - 1]), "line": line,
                                                    "span": span, "rows": following}))
            found.lines.update(table.lines[index:index + joined])
            index += joined
            continue
        wrong = _wrong_separator(",".join(row))
        parts = len(_SEPARATORS.split(",".join(row))) if wrong else 0
        if wrong and len(row) < width and parts and width - 1 - optional <= parts <= width:  # optional cells left out
            shapes[wrong].append((line, {"where": "这一行"}))
        elif (len(row) < width and _fits(row, fields[1:len(row) + 1]) and _all_optional(fields[len(row) + 1:])
              and not _fits(row, fields[:len(row)])):
            shapes["csv-missing-id"].append((line, {"name": fields[0]["name"], "title": _title(fields[0]),
                                                    "example": _example(fields[0]), "count": len(row)}))
        elif len(row) < width and _all_optional(fields[len(row):]) and _fits(row, fields[:len(row)]):
            missing = fields[len(row):needed]  # the optional columns at the very end may be left off
            shapes["csv-missing-trailing-comma"].append((line, _trailing(missing, len(row) + len(missing))))
        else:
            index += 1
            continue
        found.lines.add(line)
        index += 1
    for code, places in shapes.items():
        first, params = places[0]
        others = [str(line) for line, _ in places[1:]]
        more = f"（另有 {len(others)} 行同样：第 {'、'.join(others[:10])}{' 等' if len(others) > 10 else ''} 行）" \
            if others else ""
        covered = [*params.pop("rows", ())]  # every other line the one problem stands for
        for line, other in places[1:]:
            covered += [line, *other.get("rows", ())]
        found.problems.append(make(code, table.path, first, branch=branch, more=more, rows=tuple(covered), **params))


def _wrong_separator(text: str) -> str | None:
    """The problem code for a separator used instead of the ASCII comma, if the text holds one."""
    return next((code for separator, code in _WRONG_SEPARATORS.items() if separator in text), None)


# A record broken by line breaks is looked for over this many lines at most: one-cell lines join without ever
# reaching the header's width, and following each to the end of the table made 100,000 such lines take hours.
_MAX_SPILL = 12


def _joined_record(table: CsvTable, index: int, fields: list[dict]) -> int:
    """How many consecutive short lines, from `index`, join into one record that fits the schema (0: none).

    A line break inside an unquoted cell ends the record there: the line has too few cells, and the next
    line starts with the rest of that cell. Joined back, the two share one cell: n1 + n2 - 1 = width.
    """
    joined = list(table.rows[index])
    if not any(joined) or len(joined) >= len(fields):
        return 0  # a blank line is a problem of its own
    for end in range(index + 1, min(len(table.rows), index + _MAX_SPILL)):
        if table.lines[end] != table.lines[end - 1] + 1:
            return 0
        following = table.rows[end]
        if not any(following):
            return 0
        joined = joined[:-1] + [joined[-1] + (following[0] if following else "")] + following[1:]
        if len(joined) == len(fields):
            return end - index + 1 if _fits(joined, fields) else 0
        if len(joined) > len(fields):
            return 0
    return 0


def _fits(cells: list[str], fields: list[dict]) -> bool:
    """True when each cell is a plausible value of the field at its place (types, lists, required)."""
    for value, item in zip(cells, fields, strict=True):
        kind, limits = item.get("type", "string"), item.get("constraints", {})
        if not value:
            if limits.get("required"):
                return False
            continue
        if kind == "date" and not (_ISO_DATE.fullmatch(value) or _SLASH_DATE.fullmatch(value)):
            return False
        if kind in ("integer", "number") and not re.fullmatch(r"-?\d+(\.\d+)?", value):
            return False
        if "enum" in limits and value not in limits["enum"]:
            return False
        if "pattern" in limits and not re.search(limits["pattern"], value):
            return False
    return True


def _date_columns(table: CsvTable, fields: list[dict], branch: str, found: _Found) -> None:
    """A date column Excel rewrote as 2023/1/12: one problem for the column, not one per row."""
    for position, item in enumerate(fields):
        if item.get("type") != "date":
            continue
        lines = [line for line, row in zip(table.lines, table.rows, strict=True)
                 if position < len(row) and _SLASH_DATE.fullmatch(row[position].strip()) and line not in found.lines]
        if len(lines) < 2:
            continue  # one such cell: the cell's own message says how to write it
        sample = next(row[position] for line, row in zip(table.lines, table.rows, strict=True) if line == lines[0])
        found.problems.append(make("date-format-column", table.path, lines[0], item["name"], column=position + 1,
                                   branch=branch, name=item["name"], title=item.get("title", item["name"]),
                                   count=len(lines),
                                   sample=sample.strip()[:20], line=lines[0], last=lines[-1], rows=tuple(lines[1:])))
        found.cells.update((line, item["name"]) for line in lines)


def _title(item: dict) -> str:
    return f"“{item.get('title', item['name'])}”（{item['name']}）"


def _required(item: dict) -> bool:
    return bool(item.get("constraints", {}).get("required"))


def _all_optional(fields: list[dict]) -> bool:
    return not any(_required(item) for item in fields)


def _trailing(missing: list[dict], width: int) -> dict:
    """The words for the empty last cells whose commas were dropped (one, or several optional columns)."""
    if len(missing) == 1:
        detail = f"最后一列{_title(missing[0])}为空时，行末也要保留分隔它的逗号"
    else:
        detail = f"最后 {len(missing)} 列（{'、'.join(_title(f) for f in missing)}）为空时，行末也要保留分隔它们的逗号"
    return {"count": len(missing), "detail": detail, "width": width, "commas": "," * len(missing)}


def _example(item: dict) -> str:
    found = re.search(r"例：\s*(\S+)", item.get("description", ""))
    return found.group(1).rstrip("。") if found else ""
