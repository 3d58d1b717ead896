"""Validate stage: structure of every record file (Frictionless for CSV, JSON Schema for YAML)."""

from __future__ import annotations

import multiprocessing

from generator.records.load import RawRecords
from generator.standards.catalogue import Standards
from generator.validation.cache import ValidationCache
from generator.validation.parallel import PendingValidation, jobs_for, jobs_from_environment
from generator.validation.validated import Validated
from generator.validation.yamlcheck import check_yaml, code_matches

__all__ = ["PendingValidation", "Validated", "start_validation", "validate"]


def validate(raw: RawRecords, standards: Standards, jobs: int | None = None) -> Validated:
    """Check every loaded file against its schema and scan every value for personal data.

    `jobs` forked processes share the Frictionless work (None: the ZHIBU_JOBS environment variable, else
    one per core from 100,000 rows on); the problems are the same whatever the number.
    """
    return start_validation(raw, standards, jobs).result()


def start_validation(raw: RawRecords, standards: Standards, jobs: int | None = None,
                     cache: ValidationCache | None = None) -> PendingValidation:
    """Check the YAML files now and start the tables' check, in forked processes when the records are large.

    The caller may go on working while the processes run (the site build renders meanwhile) and collects
    the answer with `result()` (generator/speculation.py). Why and when this pays, with figures: the README's
    performance section; on a machine busy with other work more processes are slower, which ZHIBU_JOBS=1 avoids.
    Branches whose tables `cache` knows are not checked again (cache.py); the others' answers are kept there.
    """
    known = Validated(problems=list(raw.problems))
    known.bad_files.update(p.path for p in raw.problems)
    if raw.organization is not None:
        check_yaml(raw.organization, standards.compiled.yaml("organization"), known, None)
    for code, doc in raw.units.items():
        check_yaml(doc, standards.compiled.yaml("unit"), known, None)
        code_matches(doc, code, known, None)
    for branch in raw.branches:
        for branch_doc, kind in ((branch.branch, "branch"), (branch.exemptions, "exemptions")):
            if branch_doc is not None:
                check_yaml(branch_doc, standards.compiled.yaml(kind), known, branch.code)
        if branch.branch is not None:
            code_matches(branch.branch, branch.code, known, branch.code)
    if "fork" not in multiprocessing.get_all_start_methods():
        jobs = 1
    cached, todo = cache.lookup(raw.branches) if cache is not None else ([], raw.branches)
    rows = sum(table.count for files in todo for table in files.tables.values())
    jobs = jobs or jobs_from_environment() or jobs_for(rows)
    parts = [todo[i::jobs] for i in range(max(1, min(jobs, len(todo))))]
    return PendingValidation(known, parts, standards, cached, cache)
