"""The CI workflows lint clean offline and run the same commands a person runs locally.

Three forges read them: GitHub (.github/workflows/), Forgejo and Gitea (.forgejo/workflows/, the same YAML
dialect: linted with the GitHub workflow schema, as neither forge publishes a schema of its own) and GitLab
(.gitlab-ci.yml, linted with GitLab's schema as check-jsonschema ships it).

No forge is reachable here, so the pull-request workflows are replayed: its steps run in order on a
temporary Git repository (a base commit and a pull-request commit), each `run:` line through the same
shell GitHub uses, with the step's `env:` and a fresh $GITHUB_STEP_SUMMARY file, and the outputs are
checked. `make` lines are dry-run there (`make -n`): running pip in a throwaway copy would point the
shared editable install at it; `make install` itself is what every `make` target runs first.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import VALID_RECORDS
from ghcommands import annotations
from gitrepo import commit_all, run_git
from sitehelpers import copy_project

REPO = Path(__file__).resolve().parents[1]
GITHUB = sorted((REPO / ".github/workflows").glob("*.yml"))
FORGEJO = sorted((REPO / ".forgejo/workflows").glob("*.yml"))
WORKFLOWS = GITHUB + FORGEJO
GITLAB = REPO / ".gitlab-ci.yml"
EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")
BRANCH = "records/gongcheng/gongcheng-js1"
VENV = Path(sys.executable).parent.parent  # the .venv the tests run in


def _tool(name: str) -> str:
    found = Path(sys.executable).parent / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def test_workflows_match_the_github_schema():
    assert WORKFLOWS
    done = subprocess.run([_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
                           *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflows_pass_zizmor_offline():
    done = subprocess.run([_tool("zizmor"), "--offline", *map(str, WORKFLOWS)], capture_output=True, text=True,
                          cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr


def test_gitlab_ci_matches_the_gitlab_schema():
    done = subprocess.run([_tool("check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", str(GITLAB)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_gitlab_ci_passes_checks_its_schema_leaves_to_gitlab():
    """GitLab validates expose_as with /\\A\\w[-\\w ]*\\z/ in Ruby, whose \\w is ASCII: a Chinese name makes the whole
    pipeline invalid, which the JSON schema does not see. Exposed directories need a trailing slash."""
    spec = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    for job in (v for v in spec.values() if isinstance(v, dict) and "artifacts" in v):
        exposed = job["artifacts"].get("expose_as")
        if exposed is not None:
            assert re.fullmatch(r"\w[-\w ]*", exposed, re.ASCII), exposed
            assert all(path.endswith("/") for path in job["artifacts"]["paths"])


def test_forgejo_workflows_avoid_what_gitea_and_forgejo_lack():
    """No Pages or artifact actions (GHESNotSupportedError there), no GitHub annotations, no setup-python."""
    assert FORGEJO
    for path in FORGEJO:
        for job in _load(path)["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    assert step["uses"].split("@")[0] == "actions/checkout", (path.name, step["uses"])
                assert "--format github" not in step.get("run", "")


def test_pull_request_workflow_is_read_only_and_uses_zhibu():
    for path in (REPO / ".github/workflows/check.yml", REPO / ".forgejo/workflows/check.yml"):
        _assert_read_only_pull_request(path)
    commands = [command for _, _, command in _run_steps(_load("check.yml"))]
    assert '.venv/bin/zhibu check --since "$BASE_SHA" --format github' in commands


def _assert_read_only_pull_request(path: Path) -> None:
    workflow = _load(path)
    assert list(workflow[True]) == ["pull_request"]  # never pull_request_target
    assert workflow["permissions"] == {"contents": "read"}
    for job in workflow["jobs"].values():
        assert "permissions" not in job  # nothing widens the read-only token
        checkout = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
        assert checkout and all(s["with"]["persist-credentials"] is False for s in checkout)


def _load(name: str | Path) -> dict:
    """A workflow by file name (.github/workflows/NAME) or path. PyYAML reads the key `on` as True."""
    path = name if isinstance(name, Path) else REPO / ".github/workflows" / name
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _run_steps(workflow: dict) -> list[tuple[str, dict, str]]:
    """(job, step, command) for every `run:` step of every job."""
    return [(job, step, step["run"]) for job, spec in workflow["jobs"].items() for step in spec["steps"]
            if "run" in step]


def _gitlab_scripts() -> list[str]:
    """Every script line of every job of .gitlab-ci.yml."""
    spec = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    return [line for job in spec.values() if isinstance(job, dict) and "script" in job for line in job["script"]]


@pytest.mark.parametrize("name", [str(p.relative_to(REPO)) for p in [*WORKFLOWS, GITLAB]])
def test_every_run_line_is_a_make_or_zhibu_command(name):
    """What CI runs is what a person runs: `make TARGET` or `.venv/bin/zhibu …`, one command per step."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    path = REPO / name
    commands = _gitlab_scripts() if path == GITLAB else [command for _, _, command in _run_steps(_load(path))]
    assert commands
    for command in commands:
        lines = [line for line in command.strip().splitlines() if line.strip()]
        assert len(lines) == 1, command
        words = lines[0].split()
        assert words[0] in ("make", ".venv/bin/zhibu"), command
        if words[0] == "make":
            for target in (w for w in words[1:] if "=" not in w and not w.startswith("-")):
                assert re.search(rf"^{re.escape(target)}:", makefile, re.MULTILINE), target
        else:
            assert words[1] in ("check", "build", "codeowners", "releases", "audit-history", "deploy"), command
            done = subprocess.run([_tool("zhibu"), words[1], "--help"], capture_output=True,
                                  text=True)
            assert done.returncode == 0, done.stderr
            for option in (w.split("=")[0] for w in words[2:] if w.startswith("--")):
                assert option in done.stdout, (option, command)


def _pull_request(tmp_path: Path) -> tuple[Path, str]:
    """A project repository with a base commit and a pull request that adds one meeting."""
    root = copy_project(tmp_path / "repo", VALID_RECORDS)
    for name in ("Makefile", "pyproject.toml", ".gitignore"):
        shutil.copy2(REPO / name, root / name)  # copy2 keeps the times: make sees .venv as up to date
    shutil.copytree(REPO / ".github/workflows", root / ".github/workflows")
    (root / ".venv").symlink_to(VENV)
    with (root / ".gitignore").open("a", encoding="utf-8") as handle:
        handle.write(".venv\n")  # the link, not only a folder of that name
    subprocess.run([_tool("zhibu"), "--root", str(root), "codeowners"], check=True,
                   capture_output=True)
    run_git(root, "init", "-q", "-b", "main")
    base = commit_all(root, "基线")
    with (root / BRANCH / "meetings.csv").open("a", encoding="utf-8") as handle:
        handle.write("2025-03-28-zwh,2025-03-28,支委会,研究季度总结,4,4,\n")
    commit_all(root, "登记 3 月支委会")
    return root, base


def _replay(root: Path, step: dict, context: dict[str, str], summary: Path) -> subprocess.CompletedProcess:
    """Run one `run:` step as GitHub does: bash -eo pipefail, the step's env with expressions filled in."""
    def fill(value: str) -> str:
        return EXPRESSION.sub(lambda m: context[m.group(1)], str(value))  # an unknown expression fails here

    assert "${{" not in step["run"], "expressions belong in env:, not in the script (template injection)"
    env = {**os.environ, "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(root),
           "GITHUB_STEP_SUMMARY": str(summary), **{k: fill(v) for k, v in (step.get("env") or {}).items()}}
    env.pop("VIRTUAL_ENV", None)
    script = step["run"]
    if script.split()[0] == "make":
        script = "make -n " + script.split(None, 1)[1]
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)


Replayed = dict[str, tuple[subprocess.CompletedProcess, str]]


def _replay_job(root: Path, steps: list[dict], context: dict[str, str], tmp_path: Path, prefix: str = "summary",
                done_already: Callable[[dict], bool] = lambda step: False) -> Replayed:
    """Every `run:` step of a job in order, as its forge runs them, each of which must succeed. A step whose `if:` is
    `vars.NAME != ''` runs where that variable is set; a step `done_already` names is left out. Returns per command
    word (`make install` → "install", `zhibu check …` → "check") its result and the job summary it wrote."""
    outputs = {}
    for index, step in enumerate(steps):
        if "run" not in step or done_already(step):
            continue
        if "if" in step:
            assert re.fullmatch(r"vars\.\w+ != ''", step["if"]), step["if"]
            if not context.get(step["if"].split()[0]):
                continue
        summary = tmp_path / f"{prefix}-{index}.md"
        done = _replay(root, step, context, summary)
        assert done.returncode == 0, (step["run"], done.stdout, done.stderr)
        words = step["run"].split()
        outputs[words[min(1, len(words) - 1)]] = (done, summary.read_text(encoding="utf-8") if summary.exists() else "")
    return outputs


def test_pull_request_workflow_replayed_on_a_temporary_repository(tmp_path):
    root, base = _pull_request(tmp_path)
    workflow = _load("check.yml")
    assert list(workflow[True]) == ["pull_request"]
    context = {"github.event.pull_request.base.sha": base}
    steps = workflow["jobs"]["check"]["steps"]
    outputs = _replay_job(root, steps, context, tmp_path)
    [upload] = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]  # the last step
    assert (root / upload["with"]["path"] / "index.html").is_file()  # if-no-files-found: error

    done, summary = outputs["check"]
    assert annotations(done.stdout) == []  # nothing to fix in this pull request
    assert "0 个错误" in done.stdout
    headings = [line for line in summary.splitlines() if line.startswith("#")]
    assert headings[:2] == ["## 记录检查结果", "### 所涉支部的合规情况"]
    assert "### 本次改动了什么" in headings and headings.index("### 本次改动了什么") > 1
    assert any(h.startswith("#### ") and "gongcheng-js1" in h for h in headings)
    assert "| 本期状态 | 规则数 | 规则 |" in summary
    assert "新增 1 次会议" in summary
    assert f"自 `{base}` 以来" in summary
    assert (root / "site/index.html").is_file()

    # Forgejo/Gitea: the same pull request through .forgejo/workflows/check.yml. A step whose command and
    # environment are GitHub's (make install, the preview build) has just run on this repository; the others run.
    github = [(s["run"], s.get("env")) for s in steps if "run" in s]
    forgejo = [s for s in _load(REPO / ".forgejo/workflows/check.yml")["jobs"]["check"]["steps"] if "run" in s]
    replayed = _replay_job(root, forgejo, context, tmp_path, "forgejo-summary",
                           done_already=lambda step: (step["run"], step.get("env")) in github)
    assert list(replayed) == ["check"] and len(forgejo) == 4  # only the check step differs (plain text output)
    done, summary = replayed["check"]
    assert annotations(done.stdout) == []  # plain text: Gitea shows no annotations
    assert "1 个支部，0 个错误" in done.stdout  # --since: the one branch the pull request touched
    assert summary == ""  # no job summary is asked for


def test_pull_request_with_an_error_fails_with_annotations_on_the_changed_line(tmp_path):
    root, base = _pull_request(tmp_path)
    meetings = root / BRANCH / "meetings.csv"
    lines = meetings.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.append("2025-03-29-dydh,2025-03-32,党员大会,学习,8,8,\n")
    meetings.write_text("".join(lines), encoding="utf-8")
    commit_all(root, "登记一次日期写错的会议")
    step = next(s for s in _load("check.yml")["jobs"]["check"]["steps"] if "zhibu check" in s.get("run", ""))
    summary = tmp_path / "summary.md"
    done = _replay(root, step, {"github.event.pull_request.base.sha": base}, summary)
    assert done.returncode == 1
    [error] = [c for c in annotations(done.stdout) if c.name == "error"]
    assert error.properties["file"] == f"{BRANCH}/meetings.csv"
    assert error.properties["line"] == str(len(lines)) and error.properties["title"] == "type-error"
    text = summary.read_text(encoding="utf-8")
    assert text.index("### 需要处理的问题") < text.index("### 所涉支部的合规情况") < text.index("### 本次改动了什么")
    assert "2025-03-32" in text and "有错误" in text


def test_publish_workflow_permissions_and_concurrency():
    workflow = _load("publish.yml")
    assert workflow[True]["push"]["branches"] == ["main"]
    assert workflow[True]["push"]["tags"] == ["[0-9][0-9][0-9][0-9].[0-9][0-9]"]  # YYYY.MM release tags
    assert workflow["permissions"] == {}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert workflow["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_publish_workflow_replayed_on_a_repository_with_two_releases(tmp_path):
    root, base = _pull_request(tmp_path)
    run_git(root, "tag", "-a", "2025.02", "-m", "2025年2月发布\n\nas-of: 2025-02-28", base)
    run_git(root, "tag", "-a", "2025.03", "-m", "2025年3月发布\n\nas-of: 2025-03-31")
    context = {"steps.pages.outputs.base_url": "https://example.org/zhibu"}
    steps = _load("publish.yml")["jobs"]["build"]["steps"]
    _replay_job(root, steps, context, tmp_path)
    [upload] = [s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@")]  # the last step
    site = root / upload["with"]["path"]
    versions = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    released = [v for v in versions if v["version"] != "main"]
    assert [v["version"] for v in released] == ["2025.03", "2025.02"]
    assert released[0]["aliases"] == ["latest"]  # latest is the newest release, not main
    assert [v["version"] for v in versions].count("main") == 1  # the unreleased records
    for name in ("2025.02", "2025.03", "latest", "main"):
        assert (site / name / "index.html").is_file()
    assert not any(p.is_symlink() for p in site.rglob("*"))  # Pages rejects symlinks


def test_publish_workflow_without_any_release_tag_publishes_main(tmp_path):
    root, _ = _pull_request(tmp_path)
    _replay_job(root, _load("publish.yml")["jobs"]["build"]["steps"],
                {"steps.pages.outputs.base_url": "https://example.org/zhibu"}, tmp_path)
    versions = json.loads((root / "site/versions.json").read_text(encoding="utf-8"))
    assert [v["version"] for v in versions] == ["main"]
    assert (root / "site/main/index.html").is_file()
    assert 'url=main/' in (root / "site/index.html").read_text(encoding="utf-8")  # the root leads somewhere


def _gitlab_job(name: str) -> dict:
    return yaml.safe_load(GITLAB.read_text(encoding="utf-8"))[name]


def _replay_gitlab(root: Path, line: str, variables: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    """One script line as a GitLab runner runs it: the job's variables, $NAME references expanded."""
    values = {key: re.sub(r"\$(\w+)", lambda m: variables[m.group(1)], value) for key, value in variables.items()}
    return _replay(root, {"run": line, "env": values}, {}, tmp_path / "unused-summary.md")


def test_gitlab_check_and_pages_jobs_replayed_on_a_temporary_repository(tmp_path):
    root, base = _pull_request(tmp_path)
    spec = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    variables = {**spec["variables"], "CI_MERGE_REQUEST_DIFF_BASE_SHA": base,
                 "CI_PAGES_URL": "https://example.org/zhibu"}
    check = _gitlab_job("check")
    github = [s["run"] for s in _load("check.yml")["jobs"]["check"]["steps"] if "run" in s]
    for line in check["script"]:
        if line in github and "zhibu build" in line:  # the same preview build the GitHub replay runs and checks
            continue
        done = _replay_gitlab(root, line, variables, tmp_path)
        assert done.returncode == 0, (line, done.stdout, done.stderr)
    report = root / check["artifacts"]["reports"]["codequality"]
    assert json.loads(report.read_text(encoding="utf-8")) == []  # nothing to fix in this merge request

    pages = _gitlab_job("pages")
    for line in pages["script"]:
        done = _replay_gitlab(root, line, {**variables, **pages["variables"]}, tmp_path)
        assert done.returncode == 0, (line, done.stdout, done.stderr)
    [published] = pages["artifacts"]["paths"]
    assert published == "public"  # the folder GitLab Pages serves
    versions = json.loads((root / "public/versions.json").read_text(encoding="utf-8"))
    assert [v["version"] for v in versions] == ["main"]
    assert "https://example.org/zhibu/main/" in (root / "public/main/sitemap.xml").read_text(encoding="utf-8")

    campus = _gitlab_job("campus-server")
    assert all("ZHIBU_DEPLOY_DEST" in rule["if"] for rule in campus["rules"])  # only where a server is named
    dest = tmp_path / "srv/zhibu/public"
    dest.parent.mkdir(parents=True)
    settings = {**variables, "ZHIBU_DEPLOY_DEST": str(dest), "ZHIBU_CAMPUS_URL": "https://dangwu.example.edu.cn/"}
    for line in campus["script"]:
        done = _replay_gitlab(root, line, {**settings, **campus["variables"]}, tmp_path)
        assert done.returncode == 0, (line, done.stdout, done.stderr)
    assert (dest / "current").is_symlink() and (dest / "current/main/index.html").is_file()
    assert "https://dangwu.example.edu.cn/main/" in (dest / "current/main/sitemap.xml").read_text(encoding="utf-8")


def test_gitlab_merge_request_with_an_error_fails_with_a_code_quality_issue_on_the_line(tmp_path):
    root, base = _pull_request(tmp_path)
    meetings = root / BRANCH / "meetings.csv"
    lines = meetings.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.append("2025-03-29-dydh,2025-03-32,党员大会,学习,8,8,\n")
    meetings.write_text("".join(lines), encoding="utf-8")
    commit_all(root, "登记一次日期写错的会议")
    check = _gitlab_job("check")
    line = next(s for s in check["script"] if "zhibu check" in s)
    done = _replay_gitlab(root, line, {"CI_MERGE_REQUEST_DIFF_BASE_SHA": base}, tmp_path)
    assert done.returncode == 1  # the job fails; artifacts:when:always still uploads the report
    assert check["artifacts"]["when"] == "always"
    assert "2025-03-32" in done.stdout  # the log names it too
    issues = json.loads((root / check["artifacts"]["reports"]["codequality"]).read_text(encoding="utf-8"))
    [issue] = [i for i in issues if i["severity"] == "major"]
    assert issue["check_name"] == "type-error"
    assert issue["location"] == {"path": f"{BRANCH}/meetings.csv", "lines": {"begin": len(lines)}}


def test_forgejo_publish_workflow_replayed_to_a_local_server_folder(tmp_path):
    root, _ = _pull_request(tmp_path)  # no release tag: the tags' rebuild is the GitHub publish replay's part
    dest, party = tmp_path / "srv/zhibu/public", tmp_path / "srv/zhibu/party"
    dest.parent.mkdir(parents=True)
    context = {"vars.ZHIBU_SITE_URL": "https://dangwu.example.edu.cn/", "vars.ZHIBU_DEPLOY_DEST": str(dest),
               "vars.ZHIBU_PARTY_URL": "https://neibu.example.edu.cn/", "vars.ZHIBU_PARTY_DEST": str(party)}
    workflow = _load(REPO / ".forgejo/workflows/publish.yml")
    assert workflow["concurrency"] == {"group": "publish", "cancel-in-progress": False}
    _replay_job(root, workflow["jobs"]["publish"]["steps"], context, tmp_path)
    assert "党内版，仅供党内阅读" in (party / "current/index.html").read_text(encoding="utf-8")
    assert "党内版" not in (dest / "current/main/index.html").read_text(encoding="utf-8")
    site = dest / "current"
    assert site.is_symlink()
    versions = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    assert [v["version"] for v in versions] == ["main"]
    assert "https://dangwu.example.edu.cn/main/" in (site / "main/sitemap.xml").read_text(encoding="utf-8")
