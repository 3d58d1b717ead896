"""The campus single sign-on hook: `zhibu nginx --auth-request URL --login-url URL` under a real nginx.

A stand-in SSO service on loopback answers nginx's subrequest (204 for a valid session cookie, 401
otherwise), as a campus CAS/OAuth gateway's check endpoint does; a reader without a session is sent to
the login page with the address they asked for.
"""

from __future__ import annotations

import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from nginxhelpers import copy_site, get, running, shared_folder, write_config
from sitehelpers import free_port

LOGIN = "https://sso.example.edu.cn/login?service="
asked: list[dict[str, str]] = []


class _Sso(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        asked.append({"path": self.path, "uri": self.headers.get("X-Original-URI", "")})
        valid = "zhibu_sso=valid-session" in (self.headers.get("Cookie") or "")
        self.send_response(204 if valid else 401)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def sso_site(demo_site):
    sso = ThreadingHTTPServer(("127.0.0.1", free_port()), _Sso)
    threading.Thread(target=sso.serve_forever, daemon=True).start()
    base = shared_folder()
    public, party = copy_site(demo_site, base / "public"), copy_site(demo_site, base / "party")
    port, party_port = free_port(), free_port()
    run, config = base / "run", base / "nginx.conf"
    assert write_config("--public", str(public), "--party", str(party), "--listen", f"127.0.0.1:{port}",
                        "--party-listen", f"127.0.0.1:{party_port}",
                        "--auth-request", f"http://127.0.0.1:{sso.server_address[1]}/check", "--login-url", LOGIN,
                        "--standalone", str(run), "--out", str(config)) == 0
    try:
        with running(config, run, port):
            yield party_port, party
    finally:
        sso.shutdown()
        shutil.rmtree(base, ignore_errors=True)


def test_without_a_session_the_reader_is_sent_to_the_campus_login(sso_site):
    port, _ = sso_site
    status, headers, _ = get(port, "/statistics/")
    assert status == 302
    assert headers["location"] == LOGIN + "/statistics/"
    assert asked[-1] == {"path": "/check", "uri": "/statistics/"}  # the SSO service is told what was asked


def test_with_a_session_every_page_is_served(sso_site):
    port, party = sso_site
    pages = sorted(party.rglob("*.html"))
    assert len(pages) >= 20
    for page in pages:
        url = "/" + page.relative_to(party).as_posix()
        status, _, body = get(port, url, {"Cookie": "zhibu_sso=valid-session"})
        assert status == 200 and body == page.read_bytes(), url
        assert get(port, url, {"Cookie": "zhibu_sso=forged"})[0] == 302, url


def test_the_check_location_is_internal(sso_site):
    port, _ = sso_site
    assert get(port, "/_zhibu_auth", {"Cookie": "zhibu_sso=valid-session"})[0] == 404
