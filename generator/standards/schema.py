"""Check standards/rules.yaml and settings.yaml against their own schemas: a mistake there is a coded problem.

A rule with an unknown type used to vanish, a misspelt parameter fell back to its default and an unknown
period crashed the run. Each is now a problem with file and line, and the rule is set aside (not evaluated)
so that nothing is judged by a rule the college did not mean to write.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

from generator.problems.catalogue import Problem, make
from generator.problems.typenames import TYPE_ZH
from generator.records.yamlfile import Lines, line_for

RULES_PATH = "standards/rules.yaml"
SETTINGS_PATH = "standards/settings.yaml"
VOCABULARY_PATH = "standards/vocabulary.yaml"


def rule_problems(rules: Any, lines: Lines, schema: dict, settings: list[dict], vocabulary: dict
                  ) -> tuple[list[Problem], set[int]]:
    """Every way rules.yaml departs from rules.schema.json, plus what a schema cannot see (ids, names).

    Also the positions of the rules those problems are about: they are set aside, not evaluated.
    """
    problems: list[Problem] = []
    bad: set[int] = set()
    for error in _errors(schema, rules):
        problems.append(_rule_problem(error, rules, lines))
        bad.add(error.path[0] if error.path else -1)
    if not isinstance(rules, list):
        return problems, bad
    names = {s.get("name") for s in settings if isinstance(s, dict)}
    branch_types = _keys(vocabulary, "branch_types")
    kinds = {str(item.get("zh")) for item in (vocabulary.get("meeting_kinds") or {}).get("items") or []}
    seen: dict[str, list[tuple[int, str, str]]] = {}  # id -> (line, valid_from, valid_until) of each version
    for index, rule in enumerate(rules):
        if not isinstance(rule, dict) or index in bad:
            continue  # the schema found this entry malformed: its fields may not even have the right shape
        rule_id, params = str(rule.get("id", index + 1)), rule.get("params")
        params = params if isinstance(params, dict) else {}
        line = line_for(lines, (index, "id"))
        before = len(problems)
        problems += _versions(rule_id, line, rule, seen.setdefault(rule_id, []))
        for position, item in enumerate(rule.get("not_applicable") or []):
            for key in (item.get("types") or []) if isinstance(item, dict) else []:
                if branch_types and key not in branch_types or key in (rule.get("applies_to") or []):
                    problems.append(_invalid(rule_id, line_for(lines, (index, "not_applicable", position)),
                                             "not_applicable",
                                             f"not_applicable 中的“{str(key)[:40]}”不是 vocabulary.yaml 的支部类型，"
                                             "或同时列在 applies_to 中", "not_applicable type unknown or also applies"))
        for position, key in enumerate(rule.get("applies_to") or []):
            if branch_types and key not in branch_types:
                problems.append(_invalid(rule_id, line_for(lines, (index, "applies_to", position)), "applies_to",
                                         f"applies_to 中的“{str(key)[:40]}”不是 vocabulary.yaml 的支部类型"
                                         f"（{'、'.join(sorted(branch_types))}）", "unknown branch type in applies_to"))
        if isinstance(params.get("setting"), str) and params["setting"] not in names:
            problems.append(_invalid(rule_id, line_for(lines, (index, "params", "setting")), "setting",
                                     f"设置“{params['setting'][:40]}”未在 standards/settings.yaml 中登记",
                                     "setting not declared in settings.yaml"))
        if isinstance(params.get("kind"), str) and kinds and params["kind"] not in kinds:
            problems.append(_invalid(rule_id, line_for(lines, (index, "params", "kind")), "kind",
                                     f"会议类型“{params['kind'][:40]}”不在 vocabulary.yaml 的会议类型中"
                                     f"（{'、'.join(sorted(kinds))}），这条规则永远数不到会议", "unknown meeting kind"))
        if len(problems) > before:
            bad.add(index)
    return problems, bad


def _versions(rule_id: str, line: int | None, rule: dict, earlier: list[tuple[int, str, str]]) -> list[Problem]:
    """Entries sharing an id are versions of one rule: their valid_from/valid_until periods must not overlap."""
    start, end = str(rule.get("valid_from") or "0000-00-00"), str(rule.get("valid_until") or "9999-99-99")
    found = []
    if start > end:
        found.append(_invalid(rule_id, line, "valid_until", f"失效日期 {end} 早于生效日期 {start}",
                              "valid_until is before valid_from"))
    for other_line, other_start, other_end in earlier:
        if start <= other_end and other_start <= end:
            zh = (f"编号与第 {other_line} 行的规则重复，且有效期重叠：同一编号只能是同一规则的不同版本，"
                  "各版本用 valid_from / valid_until 前后衔接")
            found.append(_invalid(rule_id, line, "id", zh, "duplicate rule id (overlapping versions)"))
    earlier.append((line or 0, start, end))
    return found


def setting_problems(settings: Any, lines: Lines, schema: dict, organization: dict | None = None
                     ) -> tuple[list[Problem], set[int]]:
    """Every way settings.yaml departs from settings.schema.json, and each default its setting would refuse.

    A default is what a college gets without writing the setting, so it must be a value organization.yaml
    may hold (organization.schema.json): a default of 0 for dues_alert_months would switch the reminder off.
    Also the positions of the entries those problems are about (-1: the whole file): like a rule with a
    problem, such a setting is set aside, so that no rule reads a name or default of the wrong shape.
    """
    out = []
    bad: set[int] = set()
    for error in _errors(schema, settings):
        path = tuple(error.path)
        name = _entry_name(settings, path, "name", "项")
        zh, en, key = _detail(error, path[1:] if path else ())
        out.append(make("setting-invalid", SETTINGS_PATH, _line(lines, path, key), key, name=name, detail=zh,
                        detail_en=en))
        bad.add(path[0] if path and isinstance(path[0], int) else -1)
    if organization is None or not isinstance(settings, list) or -1 in bad:
        return out, bad
    for index, entry in enumerate(settings):
        if index in bad or not isinstance(entry, dict):
            continue  # already refused by settings.schema.json: its default is not read
        allowed = _setting_schema(organization, str(entry.get("path", "")))
        if allowed is None or entry.get("default") in (None, ""):
            continue  # no default: organization.yaml leaves it unset (repository_url)
        for error in _errors(allowed, entry["default"]):
            zh, en, _key = _detail(error, ("default",))
            out.append(make("setting-invalid", SETTINGS_PATH, _line(lines, (index,), "default"), "default",
                            name=str(entry.get("name"))[:40], detail=f"{zh}（organization.schema.json 对 "
                            f"{entry['path']} 的要求）", detail_en=f"{en} (organization.schema.json)"))
            bad.add(index)
    return out, bad


def _setting_schema(organization: dict, path: str) -> dict | None:
    """The part of organization.schema.json that says what organization.yaml may hold at a dotted path."""
    found: Any = organization
    for part in path.split("."):
        found = (found.get("properties") or {}).get(part) if isinstance(found, dict) else None
    return found if isinstance(found, dict) else None


def vocabulary_problem(vocabulary: Any, lines: Lines, schema: dict) -> str | None:
    """The first way vocabulary.yaml departs from vocabulary.schema.json, as a located Chinese sentence."""
    errors = _errors(schema, vocabulary)
    if not errors:
        return None
    error = errors[0]
    path = tuple(error.path)
    zh, _, key = _detail(error, path)
    if not path and error.validator == "type":
        zh = "整个文件应为一组“键: 值”（每组一个键，如 branch_types:）"
    line = _line(lines, path, key) if path else None  # a mistake about the whole file has no one line
    where = f"第 {line} 行" if line else "文件开头"
    return (f"{VOCABULARY_PATH} {where}：{zh}。词表是网站和提示中全部标签的来源，"
            "请按文件开头的说明（每组有 title、stored_as、items，每项有 key、zh、en）改正后再运行。")


def _errors(schema: dict, data: Any) -> list:
    return sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: [str(p) for p in e.path])


def _rule_problem(error: Any, rules: Any, lines: Lines) -> Problem:  # jsonschema's ValidationError
    path = tuple(error.path)
    rule = rules[path[0]] if path and isinstance(rules, list) else None
    rule_id = _entry_name(rules, path, "id", "条")
    inner = path[1:]
    value = str(error.instance)[:40]
    if inner == ("type",) and error.validator == "enum":
        return make("rule-type-unknown", RULES_PATH, line_for(lines, path), "type", rule=rule_id, value=value,
                    allowed="、".join(error.validator_value), allowed_en=", ".join(error.validator_value))
    if inner == ("period",) and error.validator == "enum":
        return make("rule-period-unknown", RULES_PATH, line_for(lines, path), "period", rule=rule_id, value=value)
    if inner == ("params",) and error.validator == "additionalProperties":
        declared = error.schema.get("properties") or {}
        extra = sorted(set(error.instance) - set(declared))
        key = extra[0] if extra else None
        return make("rule-param-unknown", RULES_PATH, _line(lines, path, key), key, rule=rule_id,
                    name=str(key)[:40], type=str(rule.get("type")) if isinstance(rule, dict) else "",
                    allowed="、".join(declared) or "（此类型没有参数）", allowed_en=", ".join(declared) or "none")
    zh, en, key = _detail(error, inner)
    return make("rule-invalid", RULES_PATH, _line(lines, path, key), key, rule=rule_id, detail=zh, detail_en=en)


def _detail(error: Any, inner: tuple) -> tuple[str, str, str | None]:  # a ValidationError
    """A Chinese description of one schema error inside an entry, the English one and the key it is about."""
    where = ".".join(str(p) for p in inner)
    key = next((str(p) for p in reversed(inner) if isinstance(p, str)), None)
    kind, expected = error.validator, error.validator_value
    if kind == "required":
        missing = next((k for k in expected if k not in (error.instance or {})), "")
        return f"{where + ' ' if where else ''}缺少必填项“{missing}”", error.message, missing
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties") or {}))
        names, first = "、".join(map(str, extra))[:60], str(extra[0]) if extra else key
        return f"{where + ' 中' if where else ''}有未知的键“{names}”，请检查拼写", error.message, first
    if kind == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        return f"{where} 应为{'或'.join(TYPE_ZH.get(str(t), str(t)) for t in wanted)}", error.message, key
    if kind == "enum":
        return f"{where} 只能是：{'、'.join(map(str, expected))}", error.message, key
    if kind == "anyOf" and inner and inner[-1] == "params":
        return "params 中须填写 max_months（最长间隔）或 min_months（最短间隔）之一", error.message, key
    if kind in ("minimum", "maximum", "exclusiveMinimum", "minLength", "pattern", "uniqueItems"):
        text = {"minimum": f"不能小于 {expected}", "maximum": f"不能大于 {expected}", "minLength": "不能为空",
                "exclusiveMinimum": f"必须大于 {expected}",
                "pattern": "格式不对", "uniqueItems": "有重复项"}[kind]
        return f"{where} {text}", error.message, key
    return f"{where} 不符合 standards/schemas 中的结构（{kind}）", error.message, key


def _entry_name(entries: Any, path: tuple, key: str, unit: str) -> str:
    """How a message names the entry an error is in: its id or name, else its position."""
    if not path or not isinstance(entries, list):
        return ""
    entry = entries[path[0]]
    return str(entry[key])[:40] if isinstance(entry, dict) and entry.get(key) else f"第 {path[0] + 1} {unit}"


def _line(lines: Lines, path: tuple, key: str | None) -> int | None:
    if key is not None and path + (key,) in lines:
        return lines[path + (key,)]
    return line_for(lines, path)


def _invalid(rule_id: str, line: int | None, field: str, zh: str, en: str) -> Problem:
    return make("rule-invalid", RULES_PATH, line, field, rule=rule_id, detail=zh, detail_en=en)


def _keys(vocabulary: dict, group: str) -> set[str]:
    return {str(item.get("key")) for item in (vocabulary.get(group) or {}).get("items") or []}
