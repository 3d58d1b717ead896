"""ECharts options as plain dicts (rendered into the page; the vendored ECharts draws them offline)."""

from __future__ import annotations


def bars(categories: list[str], values: list[float | int | None], name: str, percent: bool = False) -> dict:
    """Horizontal bars: long Chinese category names stay readable on a 390 px screen."""
    data = [None if v is None else (round(v * 100, 1) if percent else v) for v in values]
    return {
        "xAxis": {"type": "value", **({"max": 100, "axisLabel": {"formatter": "{value}%"}} if percent else {})},
        "yAxis": {"type": "category", "data": categories[::-1]},
        "series": [{"type": "bar", "name": name, "data": data[::-1],
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


def funnel(stages: list[tuple[str, int]]) -> dict:
    return {
        "tooltip": {"trigger": "item"},
        "series": [{"type": "funnel", "sort": "none", "left": "10%", "width": "80%", "label": {"show": True,
                    "formatter": "{b}：{c}"}, "data": [{"name": n, "value": v} for n, v in stages]}],
    }
