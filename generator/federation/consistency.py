"""A college's aggregate tables checked against each other with DuckDB: totals that must match do match."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb

QUARTER_OF = ("CASE WHEN regexp_matches(period, '^[0-9]{4}-Q[1-4]$') THEN period ELSE substr(period, 1, 4) "
              "|| '-Q' || CAST((CAST(substr(period, 6, 2) AS INTEGER) + 2) // 3 AS VARCHAR) END")
QUARTERLY_PERIOD = "regexp_matches(period, '^[0-9]{4}-(Q[1-4]|(0[1-9]|1[0-2]))$')"  # a month or a quarter


COMPLIANCE = ["branch", "unit", "rule", "period", "status", "count", "required"]  # design.md §4, a contract


def csv_source(path: Path) -> str:
    """A DuckDB table expression reading one published CSV, every column as text (types were checked before)."""
    quoted = str(path).replace("'", "''")
    return f"read_csv('{quoted}', header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')"


def compliance_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


_CHECKS = [
    ("compliance.csv 中有 {} 个支部不在 branches.csv 中",
     "SELECT count(DISTINCT branch) FROM compliance WHERE branch NOT IN (SELECT branch FROM branches)"),
    ("compliance.csv 中有 {} 条规则不在 rules.csv 中",
     "SELECT count(DISTINCT rule) FROM compliance WHERE rule NOT IN (SELECT rule FROM rules)"),
    ("units.csv 的支部数或党员数与 branches.csv 按单位的合计不符（{} 个单位）",
     """WITH b AS (SELECT unit, count(*) AS n, sum(CAST(members AS BIGINT)) AS m FROM branches GROUP BY unit)
        SELECT count(*) FROM units u FULL OUTER JOIN b ON u.unit = b.unit
        WHERE coalesce(TRY_CAST(u.branches AS BIGINT), -1) <> coalesce(b.n, 0)
           OR coalesce(TRY_CAST(u.members AS BIGINT), -1) <> coalesce(b.m, 0)"""),
    ("quarterly.csv 与 compliance.csv 算出的各季度判定数、通过数不符（{} 处）",
     f"""WITH d AS (SELECT {QUARTER_OF} AS quarter, rule, count(*) AS judged,
                           count(*) FILTER (WHERE status = 'pass') AS passed
                    FROM compliance WHERE status IN ('pass', 'fail') AND {QUARTERLY_PERIOD} GROUP BY ALL)
         SELECT count(*) FROM d FULL OUTER JOIN quarterly q ON d.quarter = q.quarter AND d.rule = q.rule
         WHERE coalesce(d.judged, -1) <> coalesce(TRY_CAST(q.judged AS BIGINT), -2)
            OR coalesce(d.passed, -1) <> coalesce(TRY_CAST(q.passed AS BIGINT), -2)"""),
    ("rules.csv 中有 {} 个规则编号不符合格式（两个大写字母、连字符、两位数字，可加一个大写字母，如 MT-01Q）",
     "SELECT count(*) FROM rules WHERE NOT regexp_matches(rule, '^[A-Z]{2}-[0-9]{2}[A-Z]?$')"),
    ("quarterly.csv 中有 {} 个季度不是 YYYY-Qn 的形式",
     "SELECT count(*) FROM quarterly WHERE NOT regexp_matches(quarter, '^[0-9]{4}-Q[1-4]$')"),
    # the portal's aggregation relies on these two (aggregate.py reads counts as integers, compares periods as text)
    ("compliance.csv 中有 {} 行的期间（period）不是 once、YYYY、YYYY-Qn 或 YYYY-MM 的形式",
     "SELECT count(*) FROM compliance WHERE period IS NULL OR NOT regexp_matches(period, "
     "'^(once|[0-9]{4}|[0-9]{4}-Q[1-4]|[0-9]{4}-(0[1-9]|1[0-2]))$')"),
    ("compliance.csv 中有 {} 个 count 或 required 单元格不是整数",
     "SELECT count(*) FROM compliance WHERE NOT regexp_matches(coalesce(count, '0'), '^-?[0-9]{1,18}$') "
     "OR NOT regexp_matches(coalesce(required, '0'), '^-?[0-9]{1,18}$')"),
    ("rules.csv 中有 {} 条规则的各版本指纹不一致",
     "SELECT count(*) FROM (SELECT rule FROM rules GROUP BY rule HAVING count(DISTINCT fingerprint) > 1)"),
]


def inconsistencies(paths: dict[str, Path]) -> list[str]:
    """What does not add up between compliance, branches, units, rules and quarterly (empty: all consistent)."""
    if compliance_header(paths["compliance"]) != COMPLIANCE:  # read by position when 1,500 are aggregated
        return ["compliance.csv 的列应依次为 " + ", ".join(COMPLIANCE) + "（设计文档规定的格式）"]
    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    try:
        for name, path in paths.items():
            connection.execute(f"CREATE TABLE {name} AS SELECT * FROM {csv_source(path)}")
        found = []
        for message, query in _CHECKS:
            row = connection.execute(query).fetchone()
            count = row[0] if row else 0
            if count:
                found.append(message.format(count))
        return found
    except duckdb.Error as exc:  # a column missing, an empty file: the tables cannot be related at all
        return [f"汇总表无法互相核对（{str(exc).splitlines()[0][:160]}）"]
    finally:
        connection.close()


def rule_fingerprints(rules_csv: Path) -> dict[str, str]:
    """rules.csv's rule → fingerprint (the same for every version of a rule, checked above)."""
    rows = csv.DictReader(io.StringIO(rules_csv.read_text(encoding="utf-8-sig")))
    return {row["rule"]: row.get("fingerprint") or "" for row in rows}
