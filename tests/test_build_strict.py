"""`zhibu build --strict` (the pull-request preview): MkDocs warnings fail the build and are shown."""

from __future__ import annotations

from conftest import VALID_RECORDS
from sitehelpers import copy_project

from generator.cli import main


def test_strict_build_fails_on_a_broken_link_and_keeps_the_old_site(tmp_path, capsys):
    root = copy_project(tmp_path / "repo", VALID_RECORDS)
    assert main(["--root", str(root), "build", "--strict", "--out", "site"]) == 0
    old = (root / "site/about/index.html").read_bytes()
    capsys.readouterr()
    about = root / "docs/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[另见](no-such-page.md)\n", encoding="utf-8")

    assert main(["--root", str(root), "build", "--strict", "--out", "site"]) == 1
    err = capsys.readouterr().err
    assert "no-such-page.md" in err and "严格模式" in err and "Traceback" not in err
    assert (root / "site/about/index.html").read_bytes() == old  # the existing site is untouched

    assert main(["--root", str(root), "build", "--out", "site"]) == 0  # without --strict: a warning only
    assert "no-such-page.md" in capsys.readouterr().err
