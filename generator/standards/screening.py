"""Personal data in standards/: every YAML file is screened like a record file, comments and keys included.

Records' comments were screened; a phone number left in a comment of rules.yaml, in a worked case or in
vocabulary.yaml was not, though these files are published (the standards pages quote the rules and cases)
and colleges edit them. Each find is a `personal-data` problem on its line, the value masked as everywhere.
"""

from __future__ import annotations

from pathlib import Path

from generator.problems.catalogue import Problem
from generator.records.load import personal_in_text


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
        found += personal_in_text(text, f"standards/{path.relative_to(root).as_posix()}")
    return found
