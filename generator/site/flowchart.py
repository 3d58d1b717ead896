"""A process of standards/processes.yaml as an inline SVG flowchart, drawn in Python at build time.

Vertical, one box per step, so that it reads on a 390 px phone without scrolling sideways: the SVG is 360
units wide and scales down with the page. Chinese labels are wrapped by an estimate of their width (a CJK
character is one em, other characters about half); the fonts are the reader's system CJK fonts (no web
font, no JavaScript, no network). The same steps are given as text beside the chart (its text alternative).
"""

from __future__ import annotations

from html import escape

from generator.standards.processes import Process, Step

WIDTH, MARGIN, PAD, GAP = 360, 8, 10, 26  # SVG units: canvas width, outer margin, box padding, arrow length
TITLE_SIZE, SMALL_SIZE, LINE = 15, 12, 1.35  # font sizes and line height (in ems)
FONTS = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei','WenQuanYi Micro Hei',sans-serif"


def _em(char: str) -> float:
    """Width of one character in ems: CJK and full-width forms are square, the rest about half as wide."""
    return 1.0 if ord(char) >= 0x2E80 else 0.56


def wrap(text: str, size: float, width: float) -> list[str]:
    """Lines of `text` no wider than `width` at font `size` (Chinese breaks anywhere; ASCII words stay whole)."""
    lines: list[str] = []
    line, used = "", 0.0
    for token in _tokens(text):
        wide = sum(_em(c) for c in token) * size
        if line and used + wide > width:
            lines.append(line.rstrip())
            line, used = token.lstrip(), sum(_em(c) for c in token.lstrip()) * size
        else:
            line, used = line + token, used + wide
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _tokens(text: str) -> list[str]:
    """Each CJK character on its own; runs of other characters (words, ids like DV-10L) kept together."""
    out: list[str] = []
    for char in text:
        if _em(char) < 1 and out and _em(out[-1][-1]) < 1 and not char.isspace() and not out[-1][-1].isspace():
            out[-1] += char
        else:
            out.append(char)
    return out


def _box_lines(step: Step, number: int, inner: float) -> list[tuple[str, int, str]]:
    """(text, font size, css class) for each line of a step's box."""
    out = [(line, TITLE_SIZE, "t") for line in wrap(f"{number}. {step.title}", TITLE_SIZE, inner)]
    out += [(line, SMALL_SIZE, "r") for line in wrap(f"责任：{step.role}", SMALL_SIZE, inner)]
    if step.limit:
        out += [(line, SMALL_SIZE, "l") for line in wrap(f"时限：{step.limit}", SMALL_SIZE, inner)]
    if step.rules:
        out += [(line, SMALL_SIZE, "c") for line in wrap(f"检查：{'、'.join(step.rules)}", SMALL_SIZE, inner)]
    return out


def flowchart(process: Process) -> str:
    """The process as one <svg> element (role img, titled and described; the steps are also text on the page)."""
    inner = WIDTH - 2 * MARGIN - 2 * PAD
    parts: list[str] = []
    y: float = MARGIN
    for number, step in enumerate(process.steps, start=1):
        lines = _box_lines(step, number, inner)
        height = 2 * PAD + sum(size * LINE for _, size, _ in lines)
        cls = "zb-step zb-checked" if step.rules else "zb-step"
        parts.append(f'<g class="{cls}"><rect x="{MARGIN}" y="{y:.1f}" width="{WIDTH - 2 * MARGIN}" '
                     f'height="{height:.1f}" rx="6"/>')
        baseline = y + PAD
        for text, size, kind in lines:
            baseline += size * LINE
            parts.append(f'<text class="{kind}" x="{MARGIN + PAD}" y="{baseline - size * 0.32:.1f}" '
                         f'font-size="{size}">{escape(text)}</text>')
        parts.append("</g>")
        y += height
        if number < len(process.steps):
            mid = WIDTH / 2
            parts.append(f'<path class="zb-arrow" d="M{mid} {y:.1f} V{y + GAP - 7:.1f}"/>'
                         f'<path class="zb-head" d="M{mid - 5} {y + GAP - 8:.1f} L{mid} {y + GAP:.1f} '
                         f'L{mid + 5} {y + GAP - 8:.1f} Z"/>')
            y += GAP
    height = y + MARGIN
    label = f"flow-{process.id}"
    summary = "；".join(f"{n}. {s.title}（{s.role}）" for n, s in enumerate(process.steps, start=1))
    return (f'<svg class="zb-flowchart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.1f}" '
            f'width="{WIDTH}" role="img" aria-labelledby="{label}-t {label}-d" font-family="{FONTS}">'
            f'<title id="{label}-t">流程图：{escape(process.title)}</title>'
            f'<desc id="{label}-d">{escape(summary)}</desc>'
            + "".join(parts) + "</svg>")
