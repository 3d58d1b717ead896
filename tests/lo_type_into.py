"""Type into a workbook with LibreOffice Calc as a secretary would, and save it as .xlsx.

Run by the system Python, which has LibreOffice's `uno` module (Debian python3-uno), never by the venv:
    python3 tests/lo_type_into.py SOURCE.xlsx TARGET.xlsx PROFILE_DIR EDITS_JSON
EDITS_JSON is a list of [sheet, cell, how, value]: how "type" enters the value as typed into the cell
(Calc recognises numbers and dates as it does for a person), "text" stores it as text whatever it looks like.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def _prop(name: str, value: object) -> PropertyValue:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _connect(pipe: str):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 90
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def main() -> int:
    source, target, profile, edits = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    pipe = f"zhibu-test-{os.getpid()}"
    office = subprocess.Popen(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--invisible",
                               "--norestore", "--nologo", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        context = _connect(pipe)
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (_prop("Hidden", True),))
        for sheet, cell, how, value in edits:
            target_cell = doc.Sheets.getByName(sheet).getCellRangeByName(cell)
            if how == "type":
                target_cell.setFormula(value)
            else:
                target_cell.setString(value)
        doc.storeToURL(uno.systemPathToFileUrl(target), (_prop("FilterName", "Calc MS Excel 2007 XML"),))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # the bridge closes as the office quits
            pass
        office.wait(timeout=60)
    finally:
        if office.poll() is None:
            office.kill()
            office.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
