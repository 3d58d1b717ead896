"""`zhibu nginx`: the nginx configuration that serves the public build openly and the Party build to members only.

The public build and the Party build are two `server` blocks, two origins (ports or host names): a script
on a public page cannot read a Party page with the credentials a member's browser holds for the other
origin, and no `alias` is needed (the usual source of path-traversal mistakes in nginx). Each server
carries the security headers, a Content-Security-Policy computed from the pages it serves (csp.py), gzip,
long caching of the hashed assets and `charset=utf-8` on every text type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from generator.deploy import csp
from generator.records.repository import UsageError

# What a value may hold before it is written into nginx's syntax unquoted: no ; { } quotes, $ or spaces.
_SAFE_PATH = re.compile(r"^[^\s;{}\"'$#\\]+$")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.*~^:\[\]-]+( [A-Za-z0-9_.*~^:\[\]-]+)*$")
_LISTEN = re.compile(r"^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):)?\d{1,5}$")
_URL = re.compile(r"^https?://[^\s;{}\"'$#\\]+$")


@dataclass(frozen=True)
class Tls:
    certificate: str
    key: str


@dataclass(frozen=True)
class NginxSite:
    """What `zhibu nginx` was asked for; paths absolute."""

    public: Path
    listen: str = "80"
    server_name: str = "_"
    party: Path | None = None
    party_listen: str = "8081"
    party_server_name: str = "_"
    htpasswd: Path | None = None
    auth_request: str | None = None  # the campus SSO's check URL
    login_url: str | None = None     # where a reader without a session is sent (auth_request only)
    tls: Tls | None = None
    mime_types: Path = Path("/etc/nginx/mime.types")
    standalone: Path | None = None   # a folder for pid, logs and temp files: run by a normal user


def _path(value: Path, what: str) -> str:
    text = str(value)
    if not _SAFE_PATH.match(text):
        raise UsageError(f"{what}的路径含有空格、引号、分号、花括号或 $ 等字符，nginx 配置中不能直接使用：{text}。"
                         "请换一个只含字母、数字、-、_、/ 和 . 的路径。")
    return text


def _site_folder(folder: Path, what: str) -> str:
    if not (folder / "index.html").is_file():
        raise UsageError(f"{what}文件夹中没有 index.html：{folder}。"
                         "请先用 zhibu build 生成站点，再指定它的输出文件夹。")
    return _path(folder, what)


def _checked(site: NginxSite) -> dict:
    """The template's values, each checked; a bad one is a usage error that says how to fix it."""
    for value, what in ((site.listen, "--listen"), (site.party_listen, "--party-listen")):
        if not _LISTEN.match(value):
            raise UsageError(f"{what} 应为端口（如 80）或 地址:端口（如 127.0.0.1:8080）：{value}")
    for value, what in ((site.server_name, "--server-name"), (site.party_server_name, "--party-server-name")):
        if not _SAFE_NAME.match(value):
            raise UsageError(f"{what} 应为主机名（如 dangwu.example.edu.cn，或 _ 表示任意）：{value}")
    if site.party is not None and site.listen == site.party_listen and site.server_name == site.party_server_name:
        raise UsageError("公开站点和党内站点须用不同的端口（--listen、--party-listen）或不同的主机名（--server-name、"
                         "--party-server-name）。")
    if site.party is not None and (site.htpasswd is None) == (site.auth_request is None):
        raise UsageError("党内站点须有访问控制：请给出 --htpasswd FILE（HTTP 基本认证）或 --auth-request URL"
                         "（校园统一身份认证），二者选一。")
    if site.party is None and (site.htpasswd or site.auth_request):
        raise UsageError("--htpasswd 和 --auth-request 只用于党内站点：请同时给出 --party DIR。")
    if site.login_url and not site.auth_request:
        raise UsageError("--login-url 只与 --auth-request 一起使用。")
    for url, what in ((site.auth_request, "--auth-request"), (site.login_url, "--login-url")):
        if url is not None and not _URL.match(url):
            raise UsageError(f"{what} 应为 http:// 或 https:// 开头、不含空格和引号的地址：{url}")
    if site.htpasswd is not None and not site.htpasswd.is_file():
        raise UsageError(f"找不到密码文件：{site.htpasswd}。可用 openssl 生成一行："
                         "printf '用户名:%s\\n' \"$(openssl passwd -6)\" >> 文件（见 README：在校园部署）。")
    if not site.mime_types.is_file():
        raise UsageError(f"找不到 nginx 的 mime.types：{site.mime_types}。请安装 nginx，或用 --mime-types 指定。")
    folders = [site.public] + ([site.party] if site.party else [])
    return {
        "public": _site_folder(site.public, "公开站点"),
        "party": _site_folder(site.party, "党内站点") if site.party else None,
        "listen": site.listen, "party_listen": site.party_listen,
        "server_name": site.server_name, "party_server_name": site.party_server_name,
        "htpasswd": _path(site.htpasswd, "密码文件") if site.htpasswd else None,
        "auth_request": site.auth_request, "login_url": site.login_url,
        "tls": Tls(_path(Path(site.tls.certificate), "证书"), _path(Path(site.tls.key), "证书私钥"))
        if site.tls else None,
        "mime_types": _path(site.mime_types, "mime.types"),
        "standalone": _path(site.standalone, "运行文件夹") if site.standalone else None,
        "csp": csp.policy(csp.site_hashes(folders)),
    }


def render(site: NginxSite) -> str:
    """The configuration text: a full nginx.conf when standalone, else server blocks for conf.d/."""
    env = Environment(loader=PackageLoader("generator.deploy", "templates"), undefined=StrictUndefined,
                      autoescape=False, keep_trailing_newline=True, trim_blocks=False)
    text = env.get_template("nginx.conf.j2").render(**_checked(site))
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+\n", "\n", text)).strip() + "\n"


def prepare_standalone(folder: Path) -> None:
    """The folders a standalone nginx writes to (its temp paths must exist before it starts)."""
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / "temp" / name).mkdir(parents=True, exist_ok=True)
