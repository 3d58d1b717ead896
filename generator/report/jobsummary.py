"""The job summary of a pull-request check ($GITHUB_STEP_SUMMARY), in Chinese Markdown.

Order is what a secretary needs: the problems to fix first, then the compliance state of the branches
the change touched (facts, never a reason to refuse a merge), then what the change does to the records.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from generator.pipeline import CheckRun
from generator.problems.catalogue import ERROR, INFO, WARNING
from generator.report.formats import periods_by_branch, visible
from generator.rules import FAIL, Result, withheld
from generator.rules.periods import ONCE

LIMIT = 1024 * 1000  # GitHub shows at most 1 MiB per step
MAX_PROBLEMS = 200
ORDER = ("fail", "due", "notice", "pass", "exempt", "n/a")


def render(run: CheckRun, since: str | None = None, lang: str = "zh") -> str:
    """Problems, then the touched branches' compliance, then (with `since`) the plain-language change summary."""
    out = _headline(run, since) + _problems(run, lang) + _compliance(run)
    if since:
        out += _changes(run.root, since, run)
    text = "\n".join(out) + "\n"
    if len(text.encode("utf-8")) > LIMIT:
        text = text.encode("utf-8")[:LIMIT].decode("utf-8", "ignore")
        text = text[: text.rfind("\n") + 1] + "\n（摘要过长，其余部分未显示；请在本地运行 `zhibu check` 查看全部。）\n"
    return text


_MARKDOWN = re.compile(r"([\\`*_\[\]<>|#!~&])")


def _cell(text: str) -> str:
    """Record text as literal Markdown on one line: a branch name or value in a pull request must not
    become a link, an image, HTML or a fake heading in the summary a reviewer reads."""
    return _MARKDOWN.sub(r"\\\1", visible(" ".join(str(text).split())))


def _code(text: str) -> str:
    """A code span that holds any text (backticks inside get a longer fence; pipes escaped for tables)."""
    text = visible(" ".join(str(text).split())).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}" if "`" in text else f"`{text}`"


def _headline(run: CheckRun, since: str | None) -> list[str]:
    counts = {s: sum(1 for p in run.problems if p.severity == s) for s in (ERROR, WARNING, INFO)}
    scope = (f"本次改动（自 {_code(since[:40])} 以来）涉及 {len(run.ledger.branches)} 个支部"
             f"（全库共 {len(run.listed_branches)} 个）" if since else f"检查了 {len(run.ledger.branches)} 个支部")
    verdict = ("❌ 有错误，改正后才能合并。" if counts[ERROR] else "✅ 没有错误，可以等待维护人审核合并。")
    return ["## 记录检查结果", "",
            f"{verdict}截至 {run.as_of.isoformat()}，{scope}：**{counts[ERROR]} 个错误**，"
            f"{counts[WARNING]} 个警告，{counts[INFO]} 个提示。", ""]


def _problems(run: CheckRun, lang: str) -> list[str]:
    if not run.problems:
        return []
    rank = {ERROR: 0, WARNING: 1, INFO: 2}
    ordered = sorted(run.problems, key=lambda p: (rank.get(p.severity, 3), p.sort_key()))
    out = ["### 需要处理的问题", "", "错误必须改正；警告和提示请核对后在拉取请求中说明。", "",
           "| 类别 | 文件 | 行 | 列名 | 代码 | 说明 |", "|---|---|---|---|---|---|"]
    severity = run.standards.vocab.labels("problem_severities")
    for p in ordered[:MAX_PROBLEMS]:
        message = p.message if lang == "zh" else (p.message_en or p.message)
        out.append(f"| {severity.get(p.severity, p.severity)} | {_code(p.path)} | {p.row or ''} | "
                   f"{_cell(p.field or '')} | {_code(p.code)} | {_cell(message)} |")
    if len(ordered) > MAX_PROBLEMS:
        out.append(f"\n另有 {len(ordered) - MAX_PROBLEMS} 条未列出，请在本地运行 `zhibu check` 查看全部。")
    return out + [""]


def current_results(results: list[Result]) -> dict[str, dict[str, Result]]:
    """branch -> rule -> the result of the latest period evaluated (the period the as-of date falls in)."""
    out: dict[str, dict[str, Result]] = defaultdict(dict)
    for r in results:
        held = out[r.branch].get(r.rule)
        if held is None or r.period >= held.period:  # labels of one rule share a kind and sort by date
            out[r.branch][r.rule] = r
    return out


def _compliance(run: CheckRun) -> list[str]:
    _period = _period_namer(run)
    out = ["### 所涉支部的合规情况", "",
           "“本期”指截止日所在的月、季度或年度。“提醒”是建议性规则（如换届提醒）尚未做到，不是未达标。"
           "合规结果如实反映记录，**不影响合并**；"
           "请不要为了“达标”补写没有开过的会议。", ""]
    held = {w.branch: w for w in withheld.withheld(run)}
    unread = sorted(set(held) - {b.code for b in run.ledger.branches})  # branch.yaml unusable: no results at all
    for code in unread:
        files = _cell("、".join(held[code].files))
        out += [f"#### {_code(code)}", "", f"{withheld.REASON}：请先改正 {files} 中的错误。", ""]
    if not run.ledger.branches:
        return out + ([] if unread else ["本次改动没有涉及任何支部的记录。", ""])
    titles = {r.id: r.title for r in run.standards.rules}
    words = run.standards.vocab.labels("result_statuses")
    current = current_results(withheld.shown(run))
    failed = periods_by_branch(run, FAIL)
    for branch in sorted(run.ledger.branches, key=lambda b: b.code):
        out += [f"#### {_cell(branch.name)}（{_code(branch.code)}）", "",
                "| 本期状态 | 规则数 | 规则 |", "|---|---|---|"]
        if branch.code in held:
            item = held[branch.code]
            out.append(f"| 暂不计算 | {len(item.rules)} | {_cell(withheld.REASON)}（请先改正 "
                       f"{_cell('、'.join(item.files))} 中的错误）：{_cell('、'.join(item.rules))} |")
        by_status: dict[str, list[Result]] = defaultdict(list)
        for r in current.get(branch.code, {}).values():
            by_status[r.status].append(r)
        for status in ORDER:
            items = sorted(by_status.get(status, []), key=lambda r: r.rule)
            if status in ("pass", "n/a"):
                named = "、".join(r.rule for r in items)  # ids only: the list is long and uneventful
            else:
                named = "；".join(f"{r.rule} {titles.get(r.rule, '')}（{_period(r.period)}）" for r in items)
            out.append(f"| {words.get(status, status)} | {len(items)} | {_cell(named)} |")
        earlier = {rule: [p for p in periods if p != current[branch.code][rule].period]
                   for rule, periods in failed.get(branch.code, {}).items()}
        earlier = {rule: periods for rule, periods in earlier.items() if periods}
        if earlier:
            out += ["", "此前未达标的时段："]
            for rule, periods in sorted(earlier.items()):
                shown = "、".join(_period(p) for p in periods[-6:])
                more = f" 等 {len(periods)} 期" if len(periods) > 6 else ""
                out.append(f"- {rule} {_cell(titles.get(rule, ''))}：{shown}{more}")
        out.append("")
    return out


def _period_namer(run: CheckRun) -> Callable[[str], str]:
    """A period as the site and zhibu check name it: a structural rule's is 当前 (vocabulary: periods once)."""
    now = run.standards.vocab.label("periods", ONCE, "result")
    return lambda label: now if label == ONCE else label


def _changes(root: Path, since: str, run: CheckRun) -> list[str]:
    """The plain-language summary of the record diff, amendments to published periods called out."""
    from generator.history import changes, releasetags
    from generator.history.git import GitError

    out = ["### 本次改动了什么", "", "以下内容由记录文件的前后比对得出（不是提交说明）。", ""]
    try:
        published = _published_until(root, releasetags)
        found = changes.describe_changes(root, since, None, published_until=published, vocab=run.standards.vocab)
    except (GitError, OSError, ValueError) as exc:
        return out + [f"无法生成改动摘要：{_cell(str(exc))}", ""]
    if published:
        out += [f"最近一次发布的数据截至 {published.isoformat()}；改动早于该日的时段属于“修改已发布的内容”。", ""]
    return out + _change_lines(found) + [""]


def _change_lines(found: list) -> list[str]:
    """changes.summary_lines' layout, with each sentence (it quotes names from the records) escaped."""
    if not found:
        return ["记录没有变动。"]
    lines = [f"- {_cell(c.text)}" for c in found if not c.amendment]
    amended = [f"- {_cell(c.text)}" for c in found if c.amendment]
    if amended:
        lines += ["", "**修改了已经发布的时段**（这些时段的数据此前已公开，现被补录、更正或删除）：", "", *amended]
    return lines


def _published_until(root: Path, releasetags: ModuleType) -> dt.date | None:
    releases = releasetags.list_releases(root)
    latest = releasetags.previous_release(root, releases, None)
    return latest.as_of if latest else None
