"""The vocabulary (standards/vocabulary.yaml): the one source of every label a value is shown with.

Each group lists the values of one field of the records or the standards (branch types, statuses, stages …)
with a stable key, a Chinese name (zh), an English description (en) and, for some groups, more labels (a
result's mark, a period's unit). The check, the job summary and the site read their labels here, through
`Standards.vocab`. The file is checked against standards/schemas/vocabulary.schema.json when it is loaded
(a damaged one stops the run); a value the vocabulary does not list is still shown, by its key.
"""

from __future__ import annotations

from typing import Any


class Vocabulary:
    """Labels of the values of one vocabulary.yaml, looked up by group, key and field."""

    def __init__(self, groups: Any) -> None:
        self._groups = groups if isinstance(groups, dict) else {}
        self._labels: dict[tuple[str, str], dict[str, str]] = {}

    def items(self, group: str) -> list[dict]:
        """The group's items (mappings with a key), in the file's order."""
        found = self._groups.get(group)
        items = found.get("items") if isinstance(found, dict) else None
        return [item for item in items if isinstance(item, dict) and "key" in item] if isinstance(items, list) else []

    def labels(self, group: str, field: str = "zh") -> dict[str, str]:
        """key → label; an item without `field` falls back to its zh (a short form is given only where needed)."""
        if (group, field) not in self._labels:
            self._labels[group, field] = {str(item["key"]): str(item.get(field, item.get("zh", item["key"])))
                                          for item in self.items(group)}
        return self._labels[group, field]

    def label(self, group: str, key: str, field: str = "zh") -> str:
        """The label of one value; a value the vocabulary does not list is shown as itself."""
        return self.labels(group, field).get(key, key)

    def values(self, group: str) -> list[str]:
        """The group's values as the records store them: the key or the zh, as the group's stored_as says."""
        found = self._groups.get(group)
        field = found.get("stored_as") if isinstance(found, dict) else None
        field = field if field in ("key", "zh") else "key"
        return [str(item[field]) for item in self.items(group) if field in item]

    def order(self, group: str) -> dict[str, int]:
        """Position of each value (as stored) in the group: lists of values follow the vocabulary's order."""
        return {value: index for index, value in enumerate(self.values(group))}
