"""Issue 11 class 3: cost proportional to the file, with limits.

A file lists at most caps.PER_KIND problems of one kind and caps.PER_FILE in all; the rest are counted in
one `more-problems` per file and kind ("本文件另有 N 处同类问题"). Absurd rows and files are refused early, so
the nastiest small files cost seconds and tens of megabytes, not minutes and gigabytes.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import run_check
from generator.problems.caps import PER_FILE, PER_KIND

BRANCH = "records/gongcheng/gongcheng-js1"
AS_OF = dt.date(2025, 3, 31)
HEAD = "id,date,kind,topic,expected,present,group\n"


def _meetings(root: Path, rows: str) -> None:
    (root / BRANCH / "meetings.csv").write_text(HEAD + rows, encoding="utf-8")


@pytest.mark.parametrize(("rows", "code", "total"), [
    ("".join(f"m{i},2025-01-08,座谈,t,4,4,\n" for i in range(200)), "meeting-kind-unknown", 200),
    ("".join(f"m{i},2025-1-8,党课,t,4,4,\n" for i in range(150)), "type-error", 150),
    ("".join(f"m{i},2025-01-08,党课,t,4,4,,x\n" for i in range(60)), "extra-cell", 60),
    ("".join(f"m{i},2025-01-08,党课,t,4,four,\n" for i in range(45)), "type-error", 45),
    ("\n" * 30 + "m1,2025-01-08,党课,t,4,4,\n", "blank-row", 30),
])
def test_a_flood_of_one_kind_lists_the_first_and_counts_the_rest(make_repo, capsys, rows, code, total):
    root = make_repo()
    _meetings(root, rows)
    run = run_check(root, as_of=AS_OF)
    here = [p for p in run.problems if p.path == f"{BRANCH}/meetings.csv"]
    listed = [p for p in here if p.code == code]
    more = [p for p in here if p.code == "more-problems"]
    assert len(listed) == PER_KIND, [(p.code, p.row) for p in here]
    assert len(more) == 1 and f"另有 {total - PER_KIND} 处同类问题（{code}）" in more[0].message, more
    assert more[0].row == listed[-1].row + 1  # where the unlisted ones start
    assert main(["--root", str(root), "check", "--as-of", "2025-03-31"]) == 1
    assert f"另有 {total - PER_KIND} 处同类问题" in capsys.readouterr().out
    assert main(["--root", str(root), "check", "--as-of", "2025-03-31", "--format", "json"]) == 1
    codes = [p["code"] for p in json.loads(capsys.readouterr().out)["problems"]]
    assert codes.count(code) == PER_KIND and "more-problems" in codes


def test_many_kinds_in_one_file_stop_at_the_file_cap(make_repo):
    root = make_repo()
    bad = ["m{i},2025-01-08,座谈,t,4,4,\n", "m{i},2025-1-8,党课,t,4,4,\n", "m{i},2025-01-08,党课,t,4,4,,x\n",
           "m{i},2025-01-08,党课,t,4,four,\n", "m{i},2025-01-08,党课,t,-4,4,\n", "m{i},2025-01-08,党课,t,x,4,G\n",
           "M{i},2025-01-08,党课,t,4,4,\n", "dup,2025-01-08,党课,t,4,4,\n", "m{i},2025-01-08,党课,t,4,9,\n",
           "m{i},2025-01-08,党课, t,4,4,\n", "m{i},2025-01-08,党课,t,４,4,\n"]
    _meetings(root, "".join(shape.format(i=f"{n}-{i}") for n, shape in enumerate(bad) for i in range(30)))
    run = run_check(root, as_of=AS_OF)
    here = [p for p in run.problems if p.path == f"{BRANCH}/meetings.csv"]
    listed = [p for p in here if p.code != "more-problems"]
    assert len(listed) == PER_FILE
    counted = sum(int(p.message.split("另有 ")[1].split(" 处")[0].replace(",", "")) for p in here
                  if p.code == "more-problems")
    assert len(listed) + counted >= 11 * 30 - 1  # every bad row is listed or counted (some rows have two problems)


def test_rows_counted_but_not_listed_are_still_left_out_of_the_ledger(make_repo):
    root = make_repo()
    _meetings(root, "".join(f"m{i},2025-01-08,座谈,t,4,4,\n" for i in range(100)) + "ok,2025-01-09,党课,t,4,4,\n")
    run = run_check(root, as_of=AS_OF)
    meetings = next(b for b in run.ledger.branches if b.code == "gongcheng-js1").meetings
    assert [m.id for m in meetings] == ["ok"]


NASTY = {  # name -> Python that writes the file, run in a child process whose peak memory is measured
    "one row of 40,000 cells": "meetings.write_text(HEAD + ','.join(['x'] * 40_000) + '\\n')",
    "a header of 40,000 columns": "meetings.write_text(','.join(f'h{i}' for i in range(40_000)) + '\\n')",
    "8 MB of commas in one row": "meetings.write_text(HEAD + ',' * 8_000_000 + '\\n')",
    "8 million blank lines": "meetings.write_text(HEAD + '\\n' * 8_000_000)",
    "199,000 blank lines": "meetings.write_text(HEAD + '\\n' * 199_000)",
    "a 1 MB cell": "meetings.write_text(HEAD + 'a,2025-01-08,党课,\"' + 'x' * 1_000_000 + '\",4,4,\\n')",
    "10,000 levels of YAML": "(branch / 'exemptions.yaml').write_text('a: ' + '[' * 10_000 + ']' * 10_000)",
    "an unclosed quote on the first row": "meetings.write_text(HEAD + 'a,2025-01-08,党课,\"t,4,4,\\n' * 50_000)",
}


@pytest.mark.parametrize("name", list(NASTY))
def test_the_nastiest_small_files_cost_little(make_repo, name):
    root = make_repo()
    code = textwrap.dedent(f"""
        import datetime as dt, resource, time
        from pathlib import Path
        from generator.pipeline import run_check
        branch = Path({str(root / BRANCH)!r}); meetings = branch / 'meetings.csv'
        HEAD = {HEAD!r}
        {NASTY[name]}
        start = time.perf_counter()
        run = run_check(Path({str(root)!r}), as_of=dt.date(2025, 3, 31))
        print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
              len(run.problems), len(run.errors))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    seconds, megabytes, problems, errors = done.stdout.split()
    assert errors != "0" and int(problems) <= PER_FILE + 30
    assert int(megabytes) < 400, megabytes  # peak resident memory of the whole process, interpreter included
    assert float(seconds) < 60, seconds
