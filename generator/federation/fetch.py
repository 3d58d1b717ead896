"""Fetch one published file, over HTTP(S) or from a local path: bounded in time and size, conditional, cached.

The cache folder keeps, per college, the last answer for each address with its ETag / Last-Modified (so an
unchanged file costs one request answered 304 Not Modified) and every body by its SHA-256 (so a file whose
hash the package names can be taken from the cache without any request).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

CHUNK = 1 << 16
USER_AGENT = "zhibu-federate (provincial portal harvester)"


class HarvestFailure(Exception):
    """A college cannot be used: a stable code and the reason in Chinese (shown in harvest.csv)."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason

    def __reduce__(self) -> tuple:  # raised in a verifying process, re-raised in the harvesting thread
        return HarvestFailure, (self.code, self.reason)


@dataclass
class Tally:
    """Requests made during one harvest, for the harvest report and the tests."""

    requests: int = 0
    not_modified: int = 0
    from_cache: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, **counts: int) -> None:
        with self.lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)


@dataclass(frozen=True)
class Limits:
    timeout: float = 20.0  # seconds for one file, connection and transfer together
    descriptor_bytes: int = 2_000_000
    resource_bytes: int = 256_000_000  # a 100-branch college's compliance.csv is about 1.2 MB


class Cache:
    """One folder per college: meta/<key>.json (address, validators, body hash) and blobs/<sha256>."""

    def __init__(self, folder: Path, college: str) -> None:
        self.folder = folder / college
        (self.folder / "meta").mkdir(parents=True, exist_ok=True)
        (self.folder / "blobs").mkdir(exist_ok=True)

    def _meta_path(self, url: str) -> Path:
        return self.folder / "meta" / (hashlib.sha256(url.encode("utf-8")).hexdigest()[:32] + ".json")

    def meta(self, url: str) -> dict[str, Any] | None:
        try:
            meta = json.loads(self._meta_path(url).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return meta if isinstance(meta, dict) and meta.get("url") == url and self.blob(meta.get("sha256")) else None

    def blob(self, sha256: object) -> bytes | None:
        """A cached body by its SHA-256, checked again (a damaged cache must not pass for the published file)."""
        if not isinstance(sha256, str) or len(sha256) != 64:
            return None
        try:
            data = (self.folder / "blobs" / sha256).read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == sha256 else None

    def store(self, url: str, data: bytes, headers: Message | None) -> None:
        sha256 = hashlib.sha256(data).hexdigest()
        _write_atomic(self.folder / "blobs" / sha256, data)
        meta = {"url": url, "sha256": sha256, "etag": headers.get("ETag") if headers else None,
                "last_modified": headers.get("Last-Modified") if headers else None}
        _write_atomic(self._meta_path(url), json.dumps(meta).encode("utf-8"))


def _write_atomic(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.{threading.get_ident()}.tmp")
    temp.write_bytes(data)
    temp.replace(path)


class _SameScheme(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only within the same scheme (never https → http, never to file: or ftp:)."""

    max_redirections = 5

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: Message, newurl: str) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme.lower() != urlsplit(req.full_url).scheme.lower():
            scheme = urlsplit(newurl).scheme or "无"
            raise HarvestFailure("redirect-scheme", f"服务器把请求转到了另一种协议的地址（{scheme}），"
                                 "为安全起见没有跟随；请在登记表中直接填写数据包的最终地址")
        return super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]


_OPENER = urllib.request.build_opener(_SameScheme)


def is_url(source: str) -> bool:
    return urlsplit(source).scheme.lower() in ("http", "https")


def fetch(source: str, cache: Cache, limit: int, limits: Limits, tally: Tally, what: str) -> tuple[bytes, str]:
    """The bytes of `source` (a URL or a local path) and their media type; HarvestFailure when it cannot be had."""
    if not is_url(source):
        return _read_local(Path(source), limit, what), ""
    meta = cache.meta(source)
    request = urllib.request.Request(source, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
    if meta and meta.get("etag"):
        request.add_header("If-None-Match", meta["etag"])
    if meta and meta.get("last_modified"):
        request.add_header("If-Modified-Since", meta["last_modified"])
    tally.add(requests=1)
    deadline = time.monotonic() + limits.timeout
    try:
        with _OPENER.open(request, timeout=limits.timeout) as response:
            data = _read_bounded(response, limit, deadline, what)
            kind = response.headers.get_content_type()
            cache.store(source, data, response.headers)
            return data, kind
    except urllib.error.HTTPError as exc:
        if exc.code == 304 and meta:
            tally.add(not_modified=1)
            cached = cache.blob(meta["sha256"])
            if cached is not None:
                return cached, ""
        raise HarvestFailure("http-error", f"下载{what}时服务器返回 HTTP {exc.code}（{_short(exc.reason)}）") from None
    except HarvestFailure:
        raise
    except TimeoutError:
        raise HarvestFailure("timeout", f"下载{what}超时（{limits.timeout:g} 秒内未完成）") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise HarvestFailure("timeout", f"下载{what}超时（{limits.timeout:g} 秒内未完成）") from None
        raise HarvestFailure("unreachable", f"无法连接到{what}的地址（{_short(exc.reason)}）") from None
    except (OSError, ValueError) as exc:  # connection reset, a malformed answer
        raise HarvestFailure("unreachable", f"下载{what}时连接出错（{_short(exc)}）") from None


def _read_bounded(response: IO[bytes], limit: int, deadline: float, what: str) -> bytes:
    """Read at most `limit` bytes before `deadline`: a server trickling bytes cannot hold the harvest."""
    parts: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise HarvestFailure("timeout", f"下载{what}超时（传输过慢）")
        chunk = response.read(CHUNK)
        if not chunk:
            return b"".join(parts)
        size += len(chunk)
        if size > limit:
            raise HarvestFailure("too-large", f"{what}超过大小上限 {limit / 1e6:g} MB，未下载")
        parts.append(chunk)


def _read_local(path: Path, limit: int, what: str) -> bytes:
    try:
        if path.stat().st_size > limit:
            raise HarvestFailure("too-large", f"{what}超过大小上限 {limit / 1e6:g} MB，未读取")
        return path.read_bytes()
    except HarvestFailure:
        raise
    except FileNotFoundError:
        raise HarvestFailure("unreachable", f"找不到{what}（本机路径不存在）") from None
    except OSError as exc:
        raise HarvestFailure("unreachable", f"无法读取{what}（{exc.strerror or type(exc).__name__}）") from None


def _short(value: object) -> str:
    return str(value)[:120]
