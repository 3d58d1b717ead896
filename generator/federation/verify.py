"""Verify a harvested package: a zhibu open data package of our standards version, valid, consistent in itself."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.federation.fetch import HarvestFailure
from generator.standards.identity import STANDARDS_VERSION, major, ruleset_id
from generator.validation.datapackage import package_errors

# What verification checks, named in the key of its cached answers (harvest.py): a package verified before a
# check was added is verified again, never taken as passing a check it did not go through.
CHECKS = "2: period form, integer counts"
NEEDED = ("compliance", "branches", "units", "rules", "quarterly")  # the aggregate tables the portal reads
_SAFE_PATH = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,100}\.csv$")
_COMMIT = re.compile(r"^[0-9a-f]{7,64}$")
_SHA256 = re.compile(r"^sha256:[0-9a-f]{64}$")
_RESOURCE_KEYS = ("name", "path", "format", "mediatype", "encoding", "bytes", "hash")
_SCHEMA_KEYS = ("fields", "missingValues", "primaryKey")
_FIELD_KEYS = ("name", "type", "format", "constraints")


@dataclass(frozen=True)
class Resource:
    name: str
    path: str
    sha256: str | None  # declared by the package (zhibu writes one): lets an unchanged file skip the request


def read_descriptor(data: bytes, media_type: str) -> dict:
    """datapackage.json as a mapping; a web page or anything else fails with what was received."""
    head = data.lstrip()[:200].lower()
    if media_type == "text/html" or head.startswith((b"<!doctype", b"<html", b"<")):
        raise HarvestFailure("not-json", "地址返回的是网页（HTML），不是数据包描述文件 datapackage.json；"
                             "请核对登记表中的数据包地址（应指向站点 data/ 下的 datapackage.json）")
    try:
        descriptor = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise HarvestFailure("not-json", "datapackage.json 不是有效的 JSON 文件") from None
    if not isinstance(descriptor, dict):
        raise HarvestFailure("not-json", "datapackage.json 的内容不是 JSON 对象")
    return descriptor


def identity(descriptor: Mapping, portal_day: dt.date) -> tuple[str, str]:
    """As-of date and commit, after checking the standards version the package was judged by is ours."""
    zhibu = descriptor.get("zhibu")
    if not isinstance(zhibu, dict) or "standards_version" not in zhibu or "ruleset" not in zhibu:
        raise HarvestFailure("unversioned", "数据包没有写明所依据的标准版本和规则集（datapackage.json 中的 zhibu 项），"
                             "无法判断能否与其他学校比较；请该校用新版 zhibu 重新生成站点")
    version = str(zhibu.get("standards_version"))
    if major(version) != major(STANDARDS_VERSION):
        raise HarvestFailure("standards-incompatible", f"数据包所依据的标准版本 {version[:20]} 与本平台的 "
                             f"{STANDARDS_VERSION} 不兼容（主版本号不同），结果含义不同，不能比较")
    as_of = str(zhibu.get("as_of") or "")
    try:
        day = dt.date.fromisoformat(as_of)
    except ValueError:
        raise HarvestFailure("as-of-missing", "数据包没有写明有效的数据截止日（zhibu.as_of，"
                             "格式 YYYY-MM-DD）") from None
    if day > portal_day:
        raise HarvestFailure("as-of-future", f"数据截止日 {as_of} 晚于本平台的汇总日期 {portal_day}，请核对该校的数据")
    commit = str(zhibu.get("commit") or "")
    if not _COMMIT.match(commit):
        raise HarvestFailure("commit-missing", "数据包没有写明生成它的 Git 提交（zhibu.commit）；"
                             "未提交的记录生成的数据无法追溯，请该校提交记录后重新生成站点")
    return as_of, commit


def resources(descriptor: Mapping) -> list[Resource]:
    """The tables the portal needs, each a plain file name beside datapackage.json (nothing else is fetched)."""
    listed = descriptor.get("resources")
    found = {r.get("name"): r for r in listed if isinstance(r, dict)} if isinstance(listed, list) else {}
    missing = [name for name in NEEDED if name not in found]
    if missing:
        raise HarvestFailure("tables-missing", "数据包缺少汇总表：" + "、".join(f"{m}.csv" for m in missing))
    out = []
    for name in NEEDED:
        entry = found[name]
        path = entry.get("path")
        if not isinstance(path, str) or not _SAFE_PATH.match(path):
            raise HarvestFailure("unsafe-path", f"数据包中 {name} 表的路径不是与 datapackage.json 同目录的 CSV 文件名，"
                                 "为安全起见未下载")
        if not isinstance(entry.get("schema"), dict):
            raise HarvestFailure("schema-missing", f"数据包中 {name} 表没有内嵌的表结构（schema）")
        digest = entry.get("hash")
        out.append(Resource(name, path, digest[7:] if isinstance(digest, str) and _SHA256.match(digest) else None))
    if len({r.path for r in out}) < len(out):
        raise HarvestFailure("unsafe-path", "数据包中两张表指向同一个文件")
    return out


def checked_descriptor(descriptor: Mapping, needed: list[Resource]) -> dict:
    """Only what Frictionless needs to check the needed tables: no remote profile, schema or dialect to fetch."""
    by_name = {r["name"]: r for r in descriptor["resources"] if isinstance(r, dict)}
    out = []
    for resource in needed:
        entry = {k: by_name[resource.name][k] for k in _RESOURCE_KEYS if k in by_name[resource.name]}
        schema = by_name[resource.name]["schema"]
        entry["schema"] = {k: schema[k] for k in _SCHEMA_KEYS if k in schema}
        fields = entry["schema"].get("fields")
        if isinstance(fields, list):
            entry["schema"]["fields"] = [{k: f[k] for k in _FIELD_KEYS if k in f} if isinstance(f, dict) else f
                                         for f in fields]
        out.append(entry)
    return {"name": "harvested", "resources": out}


def check_package(descriptor: Mapping, needed: list[Resource], folder: Path) -> dict[str, str]:
    """Frictionless, then the tables against each other; the rule fingerprints when all is well."""
    try:
        errors = package_errors(checked_descriptor(descriptor, needed), folder)
    except Exception as exc:  # a descriptor Frictionless cannot even read (wrong shapes of fields …)
        errors = [f"数据包描述无法读取（{type(exc).__name__}）"]
    if errors:
        raise HarvestFailure("invalid-package", "不是有效的 Frictionless 数据包：" + "；".join(errors))
    from generator.federation.consistency import inconsistencies, rule_fingerprints

    problems = inconsistencies({r.name: folder / r.path for r in needed})
    if problems:
        raise HarvestFailure("inconsistent", "汇总表之间不一致：" + "；".join(problems[:3]))
    fingerprints = rule_fingerprints(folder / next(r.path for r in needed if r.name == "rules"))
    declared = str(descriptor["zhibu"].get("ruleset"))
    if ruleset_id(fingerprints) != declared:
        raise HarvestFailure("ruleset-mismatch", "datapackage.json 写明的规则集指纹与 rules.csv 中各规则的指纹不符，"
                             "无法确定该校按哪套规则评估")
    return fingerprints
