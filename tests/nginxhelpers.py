"""A real nginx (the Debian package) on loopback ports, configured by `zhibu nginx --standalone`.

As a normal user: when the tests run as root (as in CI), nginx is started as `nobody` (its run folder handed
over to it), so the standalone configuration is proven to need no privilege; the sites live in a folder
every user may traverse, read as www-data reads them on a campus server. One process per test module;
stopped by its own pid.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.cli import main

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
USER, PASSWORD = "zhibu-test", "PartyOnly-2026"


@dataclass
class Served:
    base: Path
    public: Path
    party: Path
    public_port: int
    party_port: int
    config: Path


def shared_folder() -> Path:
    """A fresh folder outside pytest's private tmp (0700): nginx's unprivileged workers must read it."""
    folder = Path(tempfile.mkdtemp(prefix="zhibu-nginx-"))
    folder.chmod(0o755)
    return folder


def copy_site(site: Path, target: Path) -> Path:
    shutil.copytree(site, target)
    for path in [target, *target.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


def htpasswd(path: Path) -> Path:
    """One member's line, made as the README says (openssl passwd -6: SHA-512 crypt, read by nginx)."""
    hashed = subprocess.run(["openssl", "passwd", "-6", "-stdin"], input=PASSWORD, capture_output=True, text=True,
                            check=True).stdout.strip()
    path.write_text(f"{USER}:{hashed}\n", encoding="utf-8")
    path.chmod(0o644)
    return path


def wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise RuntimeError(f"nginx stopped: {log.read_text(encoding='utf-8') if log.exists() else ''}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise RuntimeError("nginx did not start listening")


def _as_normal_user(run: Path) -> dict:
    """Popen arguments that drop root to nobody (the run folder becomes theirs); nothing for a normal user."""
    if os.geteuid() != 0:
        return {}
    for path in [run, *run.rglob("*")]:
        shutil.chown(path, "nobody", "nogroup")
    return {"user": "nobody", "group": "nogroup", "extra_groups": []}


@contextlib.contextmanager
def running(config: Path, run: Path, port: int) -> Iterator[subprocess.Popen]:
    """nginx in the foreground (daemon off) with this configuration, as a normal user; checked with -t first."""
    log = run / "error.log"
    user = _as_normal_user(run)
    checked = subprocess.run([NGINX, "-t", "-p", str(run), "-c", str(config), "-e", str(log)], capture_output=True,
                             text=True, **user)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([NGINX, "-p", str(run), "-c", str(config), "-e", str(log)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **user)
    try:
        wait_for(port, process, log)
        yield process
    finally:
        process.terminate()  # SIGTERM: nginx's fast shutdown, workers included
        process.wait(timeout=10)


def write_config(*args: str) -> int:
    return main(["nginx", *args])


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request with the path sent exactly as written (no client-side normalisation of ../ or %2e)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        for key, value in (headers or {}).items():
            connection.putheader(key, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()
