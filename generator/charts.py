"""ECharts options as plain dicts (rendered into the page; the vendored ECharts draws them offline)."""

from __future__ import annotations


def bars(categories: list[str], values: list[float | int | None], name: str, percent: bool = False) -> dict:
    """Horizontal bars: long Chinese category names stay readable on a 390 px screen.

    Categories are listed top to bottom in the given order (charts.js turns the axis over, like the table
    under the chart) and the chart grows by a fixed height per category, so every label shows.
    """
    data = [None if v is None else (round(v * 100, 1) if percent else v) for v in values]
    return {
        "grid": {"top": 12},
        "xAxis": {"type": "value", **({"max": 100, "axisLabel": {"formatter": "{value}%"}} if percent else {})},
        "yAxis": {"type": "category", "data": categories},
        "series": [{"type": "bar", "name": name, "data": data,
                    "label": {"show": True, "position": "right", **({"formatter": "{c}%"} if percent else {})}}],
    }


def lines(x: list[str], series: dict[str, list], percent: bool = False, stack: bool = False) -> dict:
    """One line (or stacked bar) per series over periods."""
    out = []
    for name, values in series.items():
        data = [None if v is None else (round(v * 100, 1) if percent else v) for v in values]
        item = {"type": "bar" if stack else "line", "name": name, "data": data}
        if stack:
            item["stack"] = "total"
        out.append(item)
    return {
        "legend": {"type": "scroll", "top": 0},
        "grid": {"top": 40},
        "xAxis": {"type": "category", "data": x},
        "yAxis": {"type": "value", **({"max": 100, "axisLabel": {"formatter": "{value}%"}} if percent else {})},
        "series": out,
    }

