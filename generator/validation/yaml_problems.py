"""A JSON Schema error in a YAML record, in words a secretary can act on (Chinese, with jsonschema's own English)."""

from __future__ import annotations

import re
from typing import Any

from generator.problems.typenames import TYPE_ZH
from generator.records import personal


def json_message(error: Any) -> tuple[str, str]:  # a jsonschema ValidationError (typed as maybe-unset)
    value = error.instance
    where = personal.quote("/".join(str(p) for p in error.path), 80) or "（文件顶层）"
    kind = error.validator
    if kind == "required":
        missing = re.findall(r"'([^']+)'", error.message)
        return f"{where} 缺少必填项“{personal.quote(missing[0]) if missing else ''}”", _english(error)
    if kind == "additionalProperties":
        extra = [key for key in error.instance if key not in error.schema.get("properties", {})]
        shown = "、".join(personal.quote(key) for key in extra[:10])
        shown += f" 等 {len(extra):,} 个" if len(extra) > 10 else ""
        return f"{where} 中有未知的键“{shown}”，请检查拼写", _english(error)
    if kind == "enum":
        allowed = "、".join(str(v) for v in error.validator_value)
        return f"{where} 的取值“{personal.quote(value)}”不在允许范围内，可选：{allowed}", _english(error)
    if kind == "pattern":  # the schema's description says the format in words; a regex means nothing to a secretary
        text = f"{where} 的取值“{personal.quote(value)}”格式不对。{error.schema.get('description', '')}"
        return text.rstrip(), _english(error)
    if kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        words = "或".join(TYPE_ZH.get(str(w), str(w)) for w in wanted)
        return f"{where} 应为{words}，实际是“{personal.quote(value)}”", _english(error)
    if kind in _JSON_LIMITS:
        return f"{where} {_JSON_LIMITS[kind]} {error.validator_value}", _english(error)
    return f"{where}：{_english(error)}", _english(error)


def _english(error: Any) -> str:
    """jsonschema's own message (it quotes the value), masked and cut to a readable length."""
    return personal.quote(error.message, 160)


_JSON_LIMITS = {"minimum": "不能小于", "maximum": "不能大于", "minItems": "至少要有几项：",
                "maxItems": "最多只能有几项：", "minLength": "长度不能少于", "maxLength": "长度不能超过"}
