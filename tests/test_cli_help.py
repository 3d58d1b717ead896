"""Every command and every option of `zhibu` explains itself in Chinese (`zhibu -h`, `zhibu COMMAND -h`)."""

from __future__ import annotations

import argparse
import re

from generator.cli import _COMMANDS, _parser, main

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _commands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def _undocumented(parser: argparse.ArgumentParser) -> list[str]:
    return [a.option_strings[0] if a.option_strings else a.dest for a in parser._actions
            if not isinstance(a, argparse._SubParsersAction) and not CHINESE.search(a.help or "")]


def test_every_command_has_chinese_help():
    commands = _commands(_parser())
    assert set(commands.choices) == set(_COMMANDS)  # every command that runs is listed, and only those
    listed = {choice.dest: choice.help or "" for choice in commands._choices_actions}
    assert set(listed) == set(_COMMANDS)
    assert [name for name, text in listed.items() if not CHINESE.search(text)] == []


def test_every_option_of_every_command_has_chinese_help():
    parser = _parser()
    missing = {"zhibu": _undocumented(parser)}
    for name, command in _commands(parser).choices.items():
        missing[name] = _undocumented(command)
        assert any(a.option_strings == ["-h", "--help"] for a in command._actions), name
    assert {name: options for name, options in missing.items() if options} == {}


def test_help_output_is_chinese(capsys):
    assert main(["demo", "-h"]) == 0
    out = capsys.readouterr().out
    assert "显示本帮助并退出" in out and "随机数种子" in out and "show this help" not in out
    assert main(["-h"]) == 0
    out = capsys.readouterr().out
    assert "命令" in out and "生成示例学院的演示记录" in out
