"""ECharts options as plain dicts (rendered into the page; the vendored ECharts draws them offline)."""

from __future__ import annotations

import math

# A percent axis starts at 0 unless every value is at least this high: then it starts just below the
# smallest value (a multiple of 5), so that 91 % and 99 % do not look the same, and the chart says so.
ZOOM_FROM = 50.0


def _percents(values: list[float | int | None]) -> list[float | None]:
    return [None if v is None else round(v * 100, 1) for v in values]


def percent_axis(values: list[float | None]) -> tuple[dict, str | None]:
    """The value axis for percentages (0–100 %, or zoomed to the data) and the note that says it is zoomed."""
    known = [v for v in values if v is not None]
    axis: dict = {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}}
    if not known or min(known) < ZOOM_FROM:
        return axis, None
    # ticks on multiples of the interval, the first at the axis' start, never more than six of them: a
    # phone's value axis is about 200 px wide and eleven labels (50 %, 55 % … 100 %) ran into each other
    low = 5 * math.floor((min(known) - 2.5) / 5)
    interval = 5
    if 100 - low > 25:
        low = 10 * math.floor((min(known) - 2.5) / 10)
        interval = 10 if 100 - low <= 50 else 20
    axis.update({"min": low, "interval": interval})
    return axis, f"注意：坐标轴从 {low}% 开始，不是从 0 开始，差别被放大了；准确数字见数据表。"


def bars(categories: list[str], values: list[float | int | None], name: str, percent: bool = False,
         label_lines: int = 1) -> dict:
    """Horizontal bars: long Chinese category names stay readable on a 390 px screen.

    Categories are listed top to bottom in the given order (charts.js turns the axis over, like the table
    under the chart) and the chart grows by a fixed height per category, so every label shows. A label of
    several lines (a rule's code, then its title) gets `label_lines` lines of room and wraps instead of
    being cut.
    """
    data = _percents(values) if percent else list(values)
    value_axis, note = percent_axis(data) if percent else ({"type": "value"}, None)
    category_axis: dict = {"type": "category", "data": categories}
    option: dict = {
        "grid": {"top": 12},
        "xAxis": value_axis,
        "yAxis": category_axis,
        "series": [{"type": "bar", "name": name, "data": data,
                    "label": {"show": True, "position": "right", **({"formatter": "{c}%"} if percent else {})}}],
    }
    if label_lines > 1:
        category_axis["axisLabel"] = {"width": 150, "overflow": "break", "lineHeight": 18}
        option["bar_px"] = 18 * label_lines + 8
    if note:
        option["note"] = note
    return option


def lines(x: list[str], series: dict[str, list], percent: bool = False, stack: bool = False) -> dict:
    """One line (or stacked bar) per series over periods."""
    out = []
    shown: list[float | None] = []
    for name, values in series.items():
        data = _percents(values) if percent else values
        shown += data
        item = {"type": "bar" if stack else "line", "name": name, "data": data}
        if stack:
            item["stack"] = "total"
        out.append(item)
    value_axis, note = percent_axis(shown) if percent else ({"type": "value"}, None)
    option: dict = {
        "legend": {"type": "scroll", "top": 0},
        "grid": {"top": 40},
        "xAxis": {"type": "category", "data": x},
        "yAxis": value_axis,
        "series": out,
    }
    if note:
        option["note"] = note
    return option
