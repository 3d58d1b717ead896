"""Control characters in record text, as every output recognises them (one definition for all of them).

A name or a topic in the records may carry C0 controls, DEL or C1 controls (a YAML "\\n" or "\\e" escape, a
pasted ESC sequence). No output passes them on: a terminal or CI log would obey them, a feed line cannot hold
them, a page would show them as boxes. Each output decides what to put in their place."""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# The same, and undecodable bytes (kept by Python as lone surrogates), as they may appear in a file's name.
CONTROL_OR_UNDECODABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
