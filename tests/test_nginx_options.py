"""`zhibu nginx` refuses what would give an unsafe or broken server, in Chinese, with exit 2."""

from __future__ import annotations

import subprocess

import pytest

from generator.cli import main


@pytest.fixture
def site(tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "index.html").write_text("<!doctype html><title>t</title>", encoding="utf-8")
    (tmp_path / "htpasswd").write_text("a:{PLAIN}b\n", encoding="utf-8")
    return tmp_path


CASES = {
    "党内站点须有访问控制": ["--party", "{site}"],
    "二者选一": ["--party", "{site}", "--htpasswd", "{tmp}/htpasswd", "--auth-request", "http://127.0.0.1:9/a"],
    "须用不同的端口": ["--party", "{site}", "--htpasswd", "{tmp}/htpasswd", "--listen", "8081"],
    "找不到密码文件": ["--party", "{site}", "--htpasswd", "{tmp}/missing"],
    "没有 index.html": ["--party", "{tmp}", "--htpasswd", "{tmp}/htpasswd"],
    "只用于党内站点": ["--htpasswd", "{tmp}/htpasswd"],
    "应为端口": ["--listen", "80; include /etc/passwd"],
    "应为主机名": ["--server-name", "a;b"],
    "应为 http:// 或 https://": ["--party", "{site}", "--auth-request", "file:///etc/passwd"],
    "只与 --auth-request 一起使用": ["--party", "{site}", "--htpasswd", "{tmp}/htpasswd", "--login-url", "https://a/"],
    "同时给出 --certificate": ["--certificate", "{tmp}/htpasswd"],
}


@pytest.mark.parametrize("message", list(CASES))
def test_refused_with_a_chinese_message(site, capsys, message):
    args = [a.format(site=site / "site", tmp=site) for a in CASES[message]]
    assert main(["nginx", "--public", str(site / "site"), *args, "--out", str(site / "out.conf")]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (site / "out.conf").exists()


def test_a_path_nginx_cannot_take_unquoted_is_refused(tmp_path, capsys):
    folder = tmp_path / "my site"
    folder.mkdir()
    (folder / "index.html").write_text("x", encoding="utf-8")
    assert main(["nginx", "--public", str(folder), "--out", str(tmp_path / "out.conf")]) == 2
    assert "nginx 配置中不能直接使用" in capsys.readouterr().err


def test_https_adds_the_certificate_and_hsts(site, capsys):
    out = site / "out.conf"
    assert main(["nginx", "--public", str(site / "site"), "--listen", "443", "--certificate", str(site / "htpasswd"),
                 "--certificate-key", str(site / "htpasswd"), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "listen 443 ssl;" in text and f"ssl_certificate {site / 'htpasswd'};" in text
    assert 'Strict-Transport-Security "max-age=31536000"' in text


def test_server_blocks_pass_nginx_t_inside_debians_http_block(site, capsys):
    """Without --standalone the output is for /etc/nginx/conf.d/: included in an http block like Debian's."""
    out, htpasswd = site / "zhibu.conf", site / "htpasswd"
    assert main(["nginx", "--public", str(site / "site"), "--party", str(site / "site"), "--htpasswd", str(htpasswd),
                 "--listen", "127.0.0.1:18080", "--party-listen", "127.0.0.1:18081", "--out", str(out)]) == 0
    assert "conf.d" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    assert "http {" not in text and "pid " not in text and text.count("server {") == 2
    main_conf = site / "nginx.conf"
    main_conf.write_text(f"pid {site}/nginx.pid;\nerror_log {site}/error.log;\nevents {{}}\nhttp {{\n"
                         f"    include /etc/nginx/mime.types;\n    gzip on;\n    include {out};\n}}\n",
                         encoding="utf-8")
    done = subprocess.run(["nginx", "-t", "-p", str(site), "-c", str(main_conf), "-e", str(site / "error.log")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
