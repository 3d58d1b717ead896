"""The mend of Material's Chinese query segmentation applies to the installed Material, exactly once."""

from __future__ import annotations

from pathlib import Path

import material

from generator.site.searchfix import PATCHES, mend

WORKERS = sorted((Path(material.__file__).parent / "templates/assets/javascripts/workers").glob("search.*.min.js"))


def test_every_patch_finds_its_code_in_the_installed_worker():
    assert len(WORKERS) == 1, WORKERS
    original = WORKERS[0].read_text(encoding="utf-8")
    mended, missing = mend(original)
    assert missing == []
    for old, new, _ in PATCHES:
        assert original.count(old) == 1 and mended.count(new) == 1
        # the loop bound is the bug: the original never tries a slice that ends at the query's last character
    assert "o<t.length;o++)t.slice(s,o)in e" in original and "o<=t.length;o++)t.slice(s,o)in e" in mended


def test_mending_twice_changes_nothing_and_other_code_is_reported():
    mended, _ = mend(WORKERS[0].read_text(encoding="utf-8"))
    assert mend(mended) == (mended, [])
    untouched, missing = mend("function segment(){}")
    assert untouched == "function segment(){}" and len(missing) == len(PATCHES)
