"""Shared helpers for site and browser tests: build a site once, serve it on loopback."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The Debian package, never a browser downloaded by Playwright; no network chatter of its own.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def copy_project(target: Path, records: Path | None = None) -> Path:
    """A throwaway project folder: records (demo or fixture), standards, docs, mkdocs.yml."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(records or REPO / "records", target / "records")
    for name in ("standards", "docs"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    (target / "generator/site/assets/search").mkdir(parents=True)
    shutil.copy(REPO / "generator/site/assets/search/jieba-userdict.txt", target / "generator/site/assets/search/")
    return target


def digest(folder: Path) -> dict[str, str]:
    """Every file under a folder (a built site) and its SHA-256: equal digests mean byte-identical trees."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def set_organization(project: Path, **values: object) -> None:
    """Set keys of a project's records/organization.yaml (min_cell_size, show_officer_names …)."""
    import yaml

    org = project / "records/organization.yaml"
    data = yaml.safe_load(org.read_text(encoding="utf-8"))
    data.update(values)
    org.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve a built site with the standard library on 127.0.0.1; yields the base URL."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                                "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def chromium() -> Iterator:
    """Headless Chromium (the Debian package) driven by Playwright; closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
