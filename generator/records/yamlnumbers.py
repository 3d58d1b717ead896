"""Numbers in YAML are plain decimals: every other YAML 1.1 number form is a coded problem, never a silent value.

PyYAML reads YAML 1.1, where `term_years: 0x3`, `0o3`, `0b11`, `1_000`, `+3`, `3.`, `.5`, `1.0e+3`, `010`
(octal: 8) and the sexagesimal `1:30` (90) are numbers, and `.inf`/`.nan` floats. A secretary means none
of these: `010` was meant as 10 and `1:30` as a time. The record loader resolves only plain decimals
(`3`, `-3`, `0.20`) as numbers; any other number form resolves to its own tag, and its constructor notes
where it stood so the loader can report it with the plain decimal to write instead.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import yaml

FORM_TAG = "tag:zhibu,2026:number-form"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_PLAIN_INT = re.compile(r"^-?(?:0|[1-9][0-9]*)$")
_PLAIN_FLOAT = re.compile(r"^-?(?:0|[1-9][0-9]*)\.[0-9]+$")
# What YAML 1.1 (and 1.2) read as a number, and plain text that looks like one (`08`, `1e3`, `0o3`).
_FORM = re.compile(r"""^(?:
    [-+]?0[xX][0-9a-fA-F_]+ | [-+]?0[oO][0-7_]+ | [-+]?0[bB][01_]+
  | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
  | [-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?
  | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
)$""", re.VERBOSE)
_FIRST = list("-+.0123456789")

# (test, Chinese name of the form, English name); the first that matches names the form.
_FORMS: list[tuple[re.Pattern, str, str]] = [
    (re.compile(r"^[-+]?\.(?:inf|nan)$", re.I), "无穷大或非数（.inf、.nan）", "infinity or not-a-number"),
    (re.compile(r":"), "带冒号的六十进制数（YAML 把 1:30 读成 90）", "sexagesimal (1:30 reads as 90)"),
    (re.compile(r"^[-+]?0[xX]"), "十六进制数", "hexadecimal"),
    (re.compile(r"^[-+]?0[oO]"), "八进制数", "octal"),
    (re.compile(r"^[-+]?0[bB]"), "二进制数", "binary"),
    (re.compile(r"[eE]"), "科学计数法", "exponent notation"),
    (re.compile(r"_"), "用下划线分隔的数字", "digits grouped with underscores"),
    (re.compile(r"^\+"), "带正号“+”的数字", "a leading plus sign"),
    (re.compile(r"^-?0[0-9]"), "以 0 开头的数字（YAML 把 010 读成八进制的 8）", "leading zeros (010 reads as octal 8)"),
    (re.compile(r"^[-+]?\.|\.$"), "小数点前或后缺少数字的小数", "a decimal point without digits on one side"),
]


def describe(text: str) -> tuple[str, str]:
    """(Chinese, English) name of a non-plain number form."""
    found = ((zh, en) for test, zh, en in _FORMS if test.search(text))
    return next(found, ("非十进制的数字写法", "not a plain decimal"))


def plain(text: str) -> str | None:
    """The plain decimal a secretary most likely meant (`0x3` → 3, `010` → 10, `3.` → 3), or None."""
    if ":" in text:
        return None  # 1:30 is more likely a time than ninety
    body = text.replace("_", "")
    sign = "-" if body.startswith("-") else ""
    body = body.lstrip("+-")
    try:
        for prefix, base in (("0x", 16), ("0o", 8), ("0b", 2)):
            if body[:2].lower() == prefix:
                return sign + str(int(body[2:], base))
        number = Decimal(body)
    except (ValueError, InvalidOperation):
        return None
    if not number.is_finite() or abs(number.adjusted()) > 30:
        return None
    shown = format(number, "f")
    if "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    return "0" if shown == "0" else sign + shown


def drop_resolvers(loader: type[yaml.SafeLoader], *tags: str) -> None:
    """Make a loader class stop resolving plain scalars to `tags` (its own copy of the table: the resolvers it
    has so far, other loaders untouched), so that narrower resolvers can be added for them."""
    loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in items if tag not in tags]
        for first, items in loader.yaml_implicit_resolvers.items()}


def strict_numbers(loader: type[yaml.SafeLoader]) -> None:
    """Make a loader class resolve only plain decimals as numbers and every other number form to FORM_TAG."""
    drop_resolvers(loader, _INT, _FLOAT)
    loader.add_implicit_resolver(_INT, _PLAIN_INT, list("-0123456789"))
    loader.add_implicit_resolver(_FLOAT, _PLAIN_FLOAT, list("-0123456789"))
    loader.add_implicit_resolver(FORM_TAG, _FORM, _FIRST)
