"""Harvest every college of the registry concurrently; each ends `ok` (its files in a work folder) or `failed`.

Threads fetch (most of the time is waiting for servers); verification (verify.py: Frictionless reads every
row) runs in a pool of processes, one per core, forked before the threads start. A college whose package and
files are exactly those verified last time (same SHA-256) is not verified again, so a re-harvest where nothing
changed costs one conditional request per college and no verification.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from generator.federation import verify
from generator.federation.fetch import Cache, HarvestFailure, Limits, Tally, fetch, is_url
from generator.federation.registry import College, Registry


@dataclass
class Harvested:
    """One college's harvest: `ok` with its package's files in `folder`, or `failed` with the reason."""

    college: College
    status: str  # ok | failed
    code: str = ""  # why it failed: a stable kebab-case code (fetch.py, verify.py)
    reason: str = ""  # the same in Chinese
    as_of: str = ""
    commit: str = ""
    branches: int | None = None
    folder: Path | None = None
    descriptor: dict = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def harvest(registry: Registry, cache: Path, work: Path, today: dt.date, limits: Limits | None = None,
            jobs: int = 8) -> tuple[list[Harvested], Tally]:
    """Every college of the registry, in the registry's order."""
    limits = limits or Limits()
    tally = Tally()
    workers = min(os.cpu_count() or 1, len(registry.colleges))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as checks:
        # Forked now, before any harvesting thread exists (with fork, every worker starts at the first task): a
        # child forked while other threads hold locks could inherit them held. (forkserver would re-run the
        # caller's main module, which fails for `python -` and notebooks.)
        checks.submit(int).result()
        with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="harvest") as pool:
            results = list(pool.map(lambda c: _one(c, cache, work, today, limits, tally, checks),
                                    registry.colleges))
    return results, tally


def _one(college: College, cache_root: Path, work: Path, today: dt.date, limits: Limits, tally: Tally,
         checks: Executor) -> Harvested:
    try:
        return _harvest(college, Cache(cache_root, college.code), work / college.code, today, limits, tally, checks)
    except HarvestFailure as failure:
        return Harvested(college, "failed", failure.code, failure.reason)
    except OSError as exc:  # the work or cache folder: disk full, no permission
        reason = f"保存下载的文件时出错（{exc.strerror or type(exc).__name__}）"
        return Harvested(college, "failed", "local-error", reason)


def _harvest(college: College, cache: Cache, folder: Path, today: dt.date, limits: Limits, tally: Tally,
             checks: Executor) -> Harvested:
    raw, media_type = fetch(college.package, cache, limits.descriptor_bytes, limits, tally, "数据包描述文件")
    descriptor = verify.read_descriptor(raw, media_type)
    as_of, commit = verify.identity(descriptor, today)
    needed = verify.resources(descriptor)
    folder.mkdir(parents=True, exist_ok=True)
    digests = []
    for resource in needed:
        data = cache.blob(resource.sha256) if resource.sha256 and is_url(college.package) else None
        if data is not None:
            tally.add(from_cache=1)
        else:
            data, _ = fetch(_beside(college.package, resource.path), cache, limits.resource_bytes, limits, tally,
                            f" {resource.path} ")
        (folder / resource.path).write_bytes(data)
        digests.append(hashlib.sha256(data).hexdigest())
    key = hashlib.sha256(verify.CHECKS.encode("ascii") + raw + "".join(digests).encode("ascii")).hexdigest()
    fingerprints = _verified(cache, key)
    if fingerprints is None:
        try:
            fingerprints = checks.submit(verify.check_package, descriptor, needed, folder).result()
        except BrokenProcessPool:  # a worker was killed (out of memory …): check here instead
            fingerprints = verify.check_package(descriptor, needed, folder)
        _remember(cache, key, fingerprints)
    table = (folder / next(r.path for r in needed if r.name == "branches")).read_text(encoding="utf-8-sig")
    branches = sum(1 for _ in csv.reader(io.StringIO(table))) - 1  # a quoted name may hold a line break
    return Harvested(college, "ok", as_of=as_of, commit=commit, branches=max(branches, 0), folder=folder,
                     descriptor=descriptor, fingerprints=fingerprints)


def _beside(package: str, path: str) -> str:
    """A resource's address: beside datapackage.json (paths were checked to be plain file names)."""
    return urljoin(package, path) if is_url(package) else str(Path(package).parent / path)


def _verified(cache: Cache, key: str) -> dict[str, str] | None:
    try:
        data = json.loads((cache.folder / "verified.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get("fingerprints") if isinstance(data, dict) and data.get("key") == key else None


def _remember(cache: Cache, key: str, fingerprints: dict[str, str]) -> None:
    (cache.folder / "verified.json").write_text(json.dumps({"key": key, "fingerprints": fingerprints}),
                                                encoding="utf-8")
