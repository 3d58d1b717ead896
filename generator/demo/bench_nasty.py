"""`make bench`, part two: time and peak memory of a check on the nastiest small files we could construct.

Each case replaces one file of one demo branch and runs `zhibu check` in a fresh process, whose peak
resident memory (the interpreter included) is read from the kernel. Figures are printed, nothing asserted
here (tests/test_caps.py asserts bounds on the same shapes).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HEAD = "id,date,kind,topic,expected,present,group\n"
DUES = "month,member,due,paid,paid_on\n"

# name -> (file in the branch folder, its content); each is at most the 8 MB a record file may have
CASES: dict[str, tuple[str, str]] = {
    "one row of 40,000 cells (40 kB)": ("meetings.csv", HEAD + ",".join(["x"] * 40_000) + "\n"),
    "a header of 40,000 columns": ("meetings.csv", ",".join(f"h{i}" for i in range(40_000)) + "\n"),
    "8 MB of commas in one row": ("meetings.csv", HEAD + "," * 8_000_000 + "\n"),
    "8 million blank lines (8 MB)": ("meetings.csv", HEAD + "\n" * 8_000_000),
    "199,000 blank lines": ("meetings.csv", HEAD + "\n" * 199_000),
    # The next three cost what their size does since enum values and foreign keys are checked before Frictionless
    # (records/allowed.py) and a problem is made only when the caps list it. Measured one after the other on the
    # shared 2-core machine (2026-11-26), before → after: 86.0 → 8.5 s, 111.1 → 7.6 s, 40.5 → 8.1 s.
    "199,000 meetings of an unknown kind (6 MB)": (
        "meetings.csv", HEAD + "".join(f"m{i},2025-01-08,座谈,t,4,4,\n" for i in range(199_000))),
    "199,000 dues of members not on the roster (6 MB)": (
        "dues.csv", DUES + "".join(f"2025-01,pz{i:06d},1.00,1.00,\n" for i in range(199_000))),
    "199,000 dates written 2025-1-8": ("meetings.csv", HEAD + "".join(
        f"m{i},2025-1-8,党课,t,4,4,\n" for i in range(199_000))),
    "a 1 MB cell": ("meetings.csv", HEAD + 'a,2025-01-08,党课,"' + "x" * 1_000_000 + '",4,4,\n'),
    "an unclosed quote, then 50,000 rows": ("meetings.csv", HEAD + 'a,2025-01-08,党课,"t,4,4,\n' + "".join(
        f"b{i},2025-01-08,党课,t,4,4,\n" for i in range(50_000))),
    "10,000 levels of YAML nesting (20 kB)": ("exemptions.yaml", "a: " + "[" * 10_000 + "]" * 10_000 + "\n"),
    "200,000 unknown keys in branch.yaml (3 MB)": (
        "branch.yaml", "".join(f"k{i}: 1\n" for i in range(199_000))),
}

_CHILD = """
import datetime as dt, json, resource, sys, time
from pathlib import Path
from generator.pipeline import run_check
start = time.perf_counter()
run = run_check(Path(sys.argv[1]), as_of=dt.date(2026, 11, 20))
print(json.dumps({"seconds": time.perf_counter() - start, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                  / 1024, "problems": len(run.problems), "codes": sorted({p.code for p in run.problems})}))
"""


def measure(root: Path) -> dict:
    """Check `root` in a fresh process: seconds, peak memory and what was reported."""
    done = subprocess.run([sys.executable, "-c", _CHILD, str(root)], capture_output=True, text=True, check=True,
                          env={**os.environ, "ZHIBU_JOBS": "1"}, cwd=REPO)
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(project: Path) -> None:
    """Print one line per nasty case, against the untouched project as a baseline."""
    branch = sorted((project / "records").glob("*/*/branch.yaml"))[0].parent
    base = measure(project)
    print(f"nasty files (one file of {branch.name} replaced; fresh process, ZHIBU_JOBS=1; baseline: untouched "
          f"records {base['seconds']:.1f} s, peak {base['peak_mb']:.0f} MB):")
    with tempfile.TemporaryDirectory(prefix="zhibu-nasty-") as tmp:
        for name, (file, content) in CASES.items():
            root = Path(tmp) / "p"
            shutil.copytree(project / "records", root / "records")
            shutil.copytree(project / "standards", root / "standards")
            target = root / branch.relative_to(project) / file
            target.write_text(content, encoding="utf-8")
            found = measure(root)
            print(f"  {name}: {found['seconds']:.1f} s, peak {found['peak_mb']:.0f} MB, "
                  f"{found['problems']} problems listed ({', '.join(found['codes'])})")
            shutil.rmtree(root)
