"""`zhibu nginx` under a real nginx: the public build open, the Party build (--audience party) behind basic auth.

Proves what issue 14 §3 asks: the public site loads in Chromium with no CSP violation (and a script the
policy does not list is refused, so the listener can see one); every file of the Party build answers 401
without credentials and 200 with them; path traversal and dot-files get nothing; charset, gzip, caching
and the security headers are as configured.
"""

from __future__ import annotations

import base64
import os
import pwd
import shutil
import subprocess
from pathlib import Path

import pytest
from nginxhelpers import PASSWORD, USER, Served, copy_site, get, htpasswd, running, shared_folder, write_config
from sitehelpers import free_port

pytestmark = pytest.mark.browser

AUTH = {"Authorization": "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()}
WRONG = {"Authorization": "Basic " + base64.b64encode(f"{USER}:wrong".encode()).decode()}
GZIP = {"Accept-Encoding": "gzip"}
SECRET = "zhibu-secret-value-7731"
PROBES = {"probe.txt": "纯文本", "probe.ics": "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
          "csp-probe.html": "<!doctype html><meta charset=utf-8><p>探针</p><script>window.zhibuProbe = 1</script>"}


@pytest.fixture(scope="module")
def served(demo_site, demo_party_site) -> Served:
    base = shared_folder()
    public = copy_site(demo_site, base / "public")
    party = copy_site(demo_party_site, base / "party")
    for site in (public, party):
        (site / ".env").write_text(SECRET, encoding="utf-8")
        (site / ".git").mkdir()
        (site / ".git/config").write_text(SECRET, encoding="utf-8")
        (site / "data/.hidden.csv").write_text(SECRET, encoding="utf-8")
    ports = free_port(), free_port()
    run, config = base / "run", base / "nginx.conf"
    assert write_config("--public", str(public), "--party", str(party), "--listen", f"127.0.0.1:{ports[0]}",
                        "--party-listen", f"127.0.0.1:{ports[1]}", "--htpasswd", str(htpasswd(base / "htpasswd")),
                        "--standalone", str(run), "--out", str(config)) == 0
    for name, text in PROBES.items():  # added after the configuration was made: not in its hashes
        (public / name).write_text(text, encoding="utf-8")
        (public / name).chmod(0o644)
    try:
        with running(config, run, ports[0]) as process:
            owner = next(line.split()[1] for line in Path(f"/proc/{process.pid}/status").read_text().splitlines()
                         if line.startswith("Uid:"))
            assert int(owner) == (pwd.getpwnam("nobody").pw_uid if os.geteuid() == 0 else os.geteuid())
            yield Served(base, public, party, ports[0], ports[1], config)
    finally:
        shutil.rmtree(base, ignore_errors=True)


CSP_LISTENER = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
"""


def _visit(context, url: str) -> tuple[list[str], dict, object]:
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 200, url
    violations = page.evaluate("window.__violations") + console
    state = page.evaluate("({scope: typeof __md_scope, bundle: typeof document$, probe: typeof zhibuProbe})")
    headers = response.headers
    page.close()
    return violations, headers, state


@pytest.mark.parametrize("audience", ["public", "party"])
def test_site_loads_in_chromium_with_no_csp_violation(served, browser, audience):
    port = served.public_port if audience == "public" else served.party_port
    credentials = {"username": USER, "password": PASSWORD} if audience == "party" else None
    context = browser.new_context(http_credentials=credentials)
    context.add_init_script(CSP_LISTENER)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    root = served.public if audience == "public" else served.party
    branch = sorted(p.name for p in (root / "branches").iterdir() if p.is_dir())[0]
    paths = ["", "statistics/", f"branches/{branch}/", "data/", "standards/", "?q=%E6%94%AF%E9%83%A8"]
    try:
        for path in paths if audience == "public" else paths[:3]:  # the same pages: the policy is what differs
            violations, headers, state = _visit(context, f"http://127.0.0.1:{port}/{path}")
            assert "script-src 'self' 'sha256-" in headers["content-security-policy"]  # a policy was in force
            assert violations == [], (path, violations)
            assert state["scope"] != "undefined", path  # Material's inline bootstrap ran: its hash is allowed
            assert state["bundle"] != "undefined", path  # and its bundle, from 'self'
    finally:
        context.close()
    assert all(url.startswith(f"http://127.0.0.1:{port}/") for url in requests)  # nothing from elsewhere


def test_an_inline_script_the_policy_does_not_list_is_refused(served, browser):
    """The control: a page with an unknown inline script (added after `zhibu nginx` ran) is blocked, seen."""
    context = browser.new_context()
    context.add_init_script(CSP_LISTENER)
    try:
        violations, _, state = _visit(context, f"http://127.0.0.1:{served.public_port}/csp-probe.html")
    finally:
        context.close()
    assert state["probe"] == "undefined"
    assert any(v.startswith("script-src") for v in violations), violations


def test_every_party_file_needs_credentials(served):
    files = sorted(p for p in served.party.rglob("*") if p.is_file() and not any(
        part.startswith(".") for part in p.relative_to(served.party).parts))
    pages = [p for p in files if p.suffix == ".html"]
    assert len(pages) >= 20 and len(files) > len(pages)
    for path in files:
        url = "/" + path.relative_to(served.party).as_posix()
        status, headers, _ = get(served.party_port, url)
        assert status == 401, url
        assert headers["www-authenticate"].startswith("Basic ")
        assert get(served.party_port, url, WRONG)[0] == 401, url
    for path in pages:
        url = "/" + path.relative_to(served.party).as_posix()
        status, headers, body = get(served.party_port, url, AUTH)
        assert status == 200 and body == path.read_bytes(), url
        assert headers["cache-control"] == "private, no-cache"  # no shared cache keeps a Party page
        assert headers["x-robots-tag"] == "noindex, nofollow"
    assert "党内版，仅供党内阅读".encode() in get(served.party_port, "/", AUTH)[2]  # really the Party build
    assert get(served.public_port, "/index.html")[0] == 200  # the public site asks nobody


TRAVERSALS = ["/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2f..%2fetc/passwd",
              "//etc/passwd", "/assets/../../../etc/passwd", "/data/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
              "/static/..%252f..%252fetc/passwd"]
DOTFILES = ["/.env", "/.git/config", "/data/.hidden.csv", "/%2eenv", "/.git/", "/data/%2Ehidden.csv"]


@pytest.mark.parametrize("audience", ["public", "party"])
def test_path_traversal_and_dot_files_get_nothing(served, audience):
    """A path above the root (which nginx refuses before it looks up any file) and a dot-file both answer 404.
    On the Party site such a request is refused before its credentials are read, so its 404 page (behind the
    same login) answers 401: nothing of the Party build either way."""
    port = served.public_port if audience == "public" else served.party_port
    headers = AUTH if audience == "party" else {}
    for path in TRAVERSALS + DOTFILES:
        status, _, body = get(port, path, headers)
        allowed = (401, 404) if audience == "party" and path in TRAVERSALS else (403, 404)
        assert status in allowed, (path, status)
        assert b"root:" not in body and SECRET.encode() not in body, path
    for path in DOTFILES:
        assert get(port, path, headers)[0] == 404, path  # denied as if absent, not "forbidden: it exists"


def _asset(site: Path, pattern: str) -> str:
    return "/" + next(site.glob(pattern)).relative_to(site).as_posix()


def test_charset_gzip_caching_and_security_headers(served):
    port, site = served.public_port, served.public
    bundle = _asset(site, "assets/javascripts/bundle.*.min.js")
    stylesheet = _asset(site, "assets/stylesheets/main.*.min.css")
    expected = {"/": "text/html", bundle: "application/javascript", stylesheet: "text/css",
                "/data/datapackage.json": "application/json", "/data/compliance.csv": "text/csv",
                "/probe.ics": "text/calendar", "/probe.txt": "text/plain", "/sitemap.xml": "text/xml"}
    for path, kind in expected.items():
        status, headers, body = get(port, path, GZIP)
        assert status == 200, path
        assert headers["content-type"] == f"{kind}; charset=utf-8", path
        assert headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "server" not in headers or headers["server"] == "nginx"  # no version number
        if len(body) > 0 and path not in ("/probe.ics", "/probe.txt"):  # probes are below gzip_min_length
            assert headers.get("content-encoding") == "gzip", path
            assert headers.get("vary") == "Accept-Encoding", path
    for path in (bundle, stylesheet):
        assert get(port, path)[1]["cache-control"] == "public, max-age=31536000, immutable"
    for path in ("/", "/data/compliance.csv", "/assets/images/favicon.png"):
        status, headers, _ = get(port, path)
        assert headers["cache-control"] == "no-cache", path
    feed = "/" + next(served.party.glob("branches/*/calendar.ics")).relative_to(served.party).as_posix()
    status, headers, body = get(served.party_port, feed, AUTH)  # a real reminder feed of the Party build
    assert status == 200 and body.startswith(b"BEGIN:VCALENDAR")
    assert headers["content-type"] == "text/calendar; charset=utf-8"
    assert headers["referrer-policy"] == "no-referrer" and headers["cache-control"] == "private, no-cache"
    plain = get(port, "/data/compliance.csv")
    assert "content-encoding" not in plain[1] and plain[2] == (site / "data/compliance.csv").read_bytes()


def test_generated_configuration_passes_nginx_t_and_states_its_policy(served):
    text = served.config.read_text(encoding="utf-8")
    assert text.count("server {") == 2 and "auth_basic_user_file" in text
    assert "'unsafe-inline'" not in text.split("script-src", 1)[1].split(";", 1)[0]  # scripts: hashes only
    done = subprocess.run(["nginx", "-t", "-p", str(served.base / "run"), "-c", str(served.config), "-e",
                           str(served.base / "run/error.log")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
