"""`zhibu deploy` / `make deploy-rsync`: a build published with real rsync to a local target, atomically.

A reader during a deploy (on the file system, and over HTTP through nginx whose root is DEST/current)
sees the old release or the new one, whole: never a missing page, never files of two releases together.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from nginxhelpers import get, running, shared_folder, write_config
from sitehelpers import digest, free_port

from generator.cli import main

ZHIBU = str(Path(sys.executable).parent / "zhibu")
FILES = 40


def make_site(folder: Path, version: str, big: int = 0) -> Path:
    """A small build whose every file names its version; `big` adds a file of that many bytes."""
    (folder / "assets").mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(f"<!doctype html><title>{version}</title>{version}", encoding="utf-8")
    for n in range(FILES):
        (folder / "assets" / f"part{n}.txt").write_text(version, encoding="utf-8")
    (folder / "assets/unchanged.css").write_text("body{}", encoding="utf-8")  # the same in every release
    if big:
        (folder / "assets/big.bin").write_bytes(b"x" * big)
    return folder


def deploy(site: Path, dest: Path | str, keep: int = 5) -> int:
    return main(["deploy", str(site), str(dest), "--keep", str(keep)])


def releases(dest: Path) -> list[str]:
    return sorted(p.name for p in (dest / "releases").iterdir())


def test_deploy_uploads_a_whole_build_and_switches_current(demo_site, tmp_path, capsys):
    dest = tmp_path / "www"
    assert deploy(demo_site, dest) == 0
    assert "已发布" in capsys.readouterr().out
    assert (dest / "current").is_symlink()
    assert digest(dest / "current") == digest(demo_site)
    [first] = releases(dest)
    assert os.readlink(dest / "current") == f"releases/{first}"


def test_unchanged_files_are_hard_links_and_only_the_last_n_releases_stay(tmp_path, capsys):
    dest = tmp_path / "www"
    names = []
    for version in ("v1", "v2", "v3", "v4"):
        assert deploy(make_site(tmp_path / version, version), dest, keep=2) == 0
        names.append(os.readlink(dest / "current").removeprefix("releases/"))
    capsys.readouterr()
    assert releases(dest) == names[-2:]  # the two newest; the older ones removed
    assert (dest / "current/index.html").read_text(encoding="utf-8").endswith("v4")
    old, new = (dest / "releases" / n for n in names[-2:])
    assert (old / "assets/unchanged.css").stat().st_ino == (new / "assets/unchanged.css").stat().st_ino
    assert (old / "index.html").stat().st_ino != (new / "index.html").stat().st_ino
    assert oct((new / "index.html").stat().st_mode & 0o777) == "0o644"  # readable by the web server's user


def test_a_reader_during_deploys_sees_old_or_new_never_mixed_or_missing(tmp_path, capsys):
    base = shared_folder()  # nginx's workers read it too
    try:
        dest = base / "www"
        assert deploy(make_site(tmp_path / "v0", "v0"), dest) == 0
        port, run, config = free_port(), base / "run", base / "nginx.conf"
        assert write_config("--public", str(dest / "current"), "--listen", f"127.0.0.1:{port}",
                            "--standalone", str(run), "--out", str(config)) == 0
        assert f"root {dest / 'current'};" in config.read_text(encoding="utf-8")  # the link, not its target
        versions = [f"v{n}" for n in range(1, 7)]
        sites = [make_site(tmp_path / v, v) for v in versions]
        seen: set[str] = set()
        faults: list[str] = []
        stop = threading.Event()

        def read_files() -> None:
            while not stop.is_set():
                try:
                    (dest / "current/index.html").read_text(encoding="utf-8")  # through the link: always there
                except FileNotFoundError:
                    faults.append("current/index.html missing")
                root = Path(os.path.realpath(dest / "current"))  # one resolution: one release, read whole
                try:
                    found = {(root / "assets" / f"part{n}.txt").read_text(encoding="utf-8") for n in range(FILES)}
                    found.add((root / "index.html").read_text(encoding="utf-8")[-2:])
                except FileNotFoundError:
                    if (root / "index.html").exists():  # a pruned old release may vanish under a slow reader
                        faults.append(f"incomplete release {root.name}")
                    continue
                if len(found) != 1:
                    faults.append(f"mixed {sorted(found)}")
                seen.update(found)

        def read_http() -> None:
            while not stop.is_set():
                status, _, body = get(port, "/")
                if status != 200 or body.decode()[-2:] not in {"v0", *versions}:
                    faults.append(f"http {status} {body[:60]!r}")

        with running(config, run, port):
            readers = [threading.Thread(target=read_files), threading.Thread(target=read_http)]
            for reader in readers:
                reader.start()
            try:
                for site in sites:
                    assert deploy(site, dest, keep=3) == 0
            finally:
                stop.set()
                for reader in readers:
                    reader.join(timeout=30)
        capsys.readouterr()
        assert faults == []
        assert len(seen) >= 3  # the readers really read across switches
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


def test_a_failed_upload_leaves_the_published_site_untouched(tmp_path, capsys):
    dest = tmp_path / "www"
    assert deploy(make_site(tmp_path / "v1", "v1"), dest) == 0
    capsys.readouterr()
    published = os.readlink(dest / "current")
    # The server's disk "fills up" mid-upload: a file larger than the writer may write (RLIMIT_FSIZE).
    done = subprocess.run([ZHIBU, "deploy", str(make_site(tmp_path / "v2", "v2", big=1_000_000)), str(dest)],
                          capture_output=True, text=True, preexec_fn=_limit_file_size)
    assert done.returncode == 1, done.stderr
    assert "上传失败" in done.stderr and "网站仍是上一次发布的版本" in done.stderr and "Traceback" not in done.stderr
    assert os.readlink(dest / "current") == published
    assert releases(dest) == [published.removeprefix("releases/")]  # the half upload is gone
    assert (dest / "current/index.html").read_text(encoding="utf-8").endswith("v1")


def test_refusals_say_what_to_do(tmp_path, capsys):
    site = make_site(tmp_path / "v1", "v1")
    (tmp_path / "manual/current").mkdir(parents=True)  # a site uploaded by hand where the link belongs
    assert deploy(site, tmp_path / "manual") == 2
    assert "不是符号链接" in capsys.readouterr().err
    assert deploy(tmp_path / "nothing", tmp_path / "www") == 2
    assert "没有 index.html" in capsys.readouterr().err
    assert deploy(site, tmp_path / "no/such/parent/www") == 1
    assert "创建发布文件夹失败" in capsys.readouterr().err


def test_make_deploy_rsync_runs_zhibu_deploy(tmp_path):
    repo = Path(__file__).resolve().parents[1]
    done = subprocess.run(["make", "-n", "-C", str(repo), "deploy-rsync", "DEST=user@host:/srv/zhibu/public",
                           "SITE=site-party", "KEEP=3"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert '.venv/bin/zhibu deploy "site-party" "user@host:/srv/zhibu/public" --keep 3' in done.stdout
    done = subprocess.run(["make", "-s", "-C", str(repo), "deploy-rsync"], capture_output=True, text=True)
    assert done.returncode == 2 and "用法：make deploy-rsync DEST=" in done.stderr


@pytest.mark.parametrize("keep", ["0", "-1", "x"])
def test_keep_must_be_positive(tmp_path, capsys, keep):
    assert main(["deploy", str(make_site(tmp_path / "v1", "v1")), str(tmp_path / "www"), "--keep", keep]) == 2


def test_a_remote_destination_goes_through_rsyncs_remote_shell(tmp_path, monkeypatch, capsys):
    """user@host:path runs every step over rsync's remote shell (ssh on a campus); here a stand-in shell that
    runs the server side on this machine, so the remote listing, link switch and pruning are the real ones."""
    shell = tmp_path / "fake-ssh"
    shell.write_text('#!/bin/sh\n# ssh [-l USER] HOST COMMAND…: run COMMAND here\nwhile [ "$1" = "-l" ]; do shift 2; '
                     'done\nshift\nexec "$@"\n', encoding="utf-8")
    shell.chmod(0o755)
    monkeypatch.setenv("RSYNC_RSH", str(shell))
    dest = tmp_path / "srv/www"
    dest.parent.mkdir(parents=True)
    for version in ("v1", "v2", "v3"):
        assert deploy(make_site(tmp_path / version, version), f"deploy@campus.example:{dest}", keep=2) == 0
    assert "已发布：deploy@campus.example:" in capsys.readouterr().out
    assert len(releases(dest)) == 2
    assert (dest / "current/index.html").read_text(encoding="utf-8").endswith("v3")
    old, new = (dest / "releases" / n for n in releases(dest))
    assert (old / "assets/unchanged.css").stat().st_ino == (new / "assets/unchanged.css").stat().st_ino
