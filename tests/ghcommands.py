"""Parse GitHub workflow commands (`::error file=…,line=…::message`) the way the Actions runner does.

Written from the runner's rules (ActionCommand.TryParseV2): the command starts the line, the first `::`
after it ends the command info; properties are split on `,` and each at its first `=`; property values
are unescaped %0D, %0A, %3A, %2C, then %25, in that order; the message (data) %0D, %0A, then %25.
"""

from __future__ import annotations

from dataclasses import dataclass

PROPERTY_ESCAPES = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))
DATA_ESCAPES = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))
ANNOTATIONS = {"error", "warning", "notice"}


@dataclass
class Command:
    name: str
    properties: dict[str, str]
    data: str


def _unescape(value: str, table: tuple[tuple[str, str], ...]) -> str:
    for escaped, plain in table:
        value = value.replace(escaped, plain)
    return value


def parse(line: str) -> Command | None:
    """One output line as the runner reads it; None when the line is not a workflow command."""
    line = line.lstrip()
    if not line.startswith("::"):
        return None
    end = line.find("::", 2)
    if end < 0:
        return None
    info = line[2:end]
    name, _, props = info.partition(" ")
    properties = {}
    for item in props.strip().split(","):
        if not item:
            continue
        key, sep, value = item.partition("=")
        if sep and key and value:
            properties[key] = _unescape(value, PROPERTY_ESCAPES)
    return Command(name, properties, _unescape(line[end + 2:], DATA_ESCAPES))


def annotations(output: str) -> list[Command]:
    """Every annotation command in the output; any other `::` line fails the calling test."""
    found = []
    for line in output.splitlines():
        command = parse(line)
        if command is not None:
            assert command.name in ANNOTATIONS, line
            found.append(command)
    return found
