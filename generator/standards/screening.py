"""Personal data in standards/: every YAML file is screened like a record file, comments and keys included.

Records' comments were screened; a phone number left in a comment of rules.yaml, in a worked case or in
vocabulary.yaml was not, though these files are published (the standards pages quote the rules and cases)
and colleges edit them. Each find is a `personal-data` problem on its line, the value masked as everywhere.
A file with a backslash may hide digits in escapes ("\\u0031\\u0033…"): its values are screened as read too.
"""

from __future__ import annotations

from pathlib import Path

from generator.problems.catalogue import Problem, make
from generator.records import personal
from generator.records.load import personal_in_text
from generator.records.yamlfile import leaves, line_for, load_yaml


def personal_in_standards(root: Path) -> list[Problem]:
    """A personal-data problem for each find in any standards/**/*.yaml (values, keys and comments alike)."""
    found: list[Problem] = []
    for path in sorted(root.rglob("*.yaml")):
        if path.is_symlink() or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # an unreadable file is reported where it is read
        rel = f"standards/{path.relative_to(root).as_posix()}"
        in_text = personal_in_text(text, rel)
        found += in_text
        if "\\" in text:
            found += _in_values(text, rel, {(p.row, p.message) for p in in_text})
    return found


def _in_values(text: str, rel: str, seen: set[tuple[int | None, str]]) -> list[Problem]:
    data, lines, problems = load_yaml(text, rel)
    if problems:
        return []  # not readable: reported where it is read, and its text was screened
    out = []
    for where, value in leaves(data, keys=True):
        row = line_for(lines, where)
        for kind, masked in personal.find(value):
            problem = make("personal-data", rel, row, str(where[-1]) if where else None, kind=personal.KINDS[kind][0],
                           kind_en=personal.KINDS[kind][1], masked=masked)
            if (row, problem.message) not in seen:
                seen.add((row, problem.message))
                out.append(problem)
    return out

