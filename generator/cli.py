"""Command line: zhibu check | build | pages | serve | releases | demo … The only module that prints."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from generator.history.git import GitError
from generator.records.repository import UsageError, find_records_root, find_root, require_site_config, select
from generator.site.audience import AUDIENCES
from generator.site.write import BuildFailed
from generator.standards.catalogue import StandardsError
from generator.validation.datebounds import FAR_YEARS, PARTY_FOUNDED, years_later

if TYPE_CHECKING:
    from generator.site.releases import VersionsSite


def _date(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD：{value}") from exc
    # 9999-12-31 had every monthly rule judged for 96,000 months: minutes of work for a typo
    latest = years_later(dt.date.today(), FAR_YEARS)
    if not PARTY_FOUNDED <= day <= latest:
        raise argparse.ArgumentTypeError(f"日期应在 {PARTY_FOUNDED} 至 {latest} 之间：{value}")
    return day


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"应为正整数（1、2、3……）：{value[:20]}")
    return number


# argparse's own messages (Python 3.11–3.13), in Chinese; the English text follows where it names something.
_USAGE_ERRORS = (
    (re.compile(r"unrecognized arguments: (.*)", re.S), "无法识别的参数：{0}"),
    (re.compile(r"the following arguments are required: (.*)", re.S), "缺少必需的参数：{0}"),
    (re.compile(r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)", re.S),
     "参数 {0} 的取值 {1} 无效，可选：{2}"),
    (re.compile(r"argument (\S+): expected one argument", re.S), "参数 {0} 后面需要一个值"),
    (re.compile(r"argument (\S+): expected at least one argument", re.S), "参数 {0} 后面至少需要一个值"),
    (re.compile(r"argument (\S+): invalid \S+ value: (.*)", re.S), "参数 {0} 的值无效：{1}"),
    (re.compile(r"argument (\S+): not allowed with argument (.*)", re.S), "参数 {0} 不能与 {1} 同时使用"),
    (re.compile(r"argument (\S+): (.*)", re.S), "参数 {0}：{1}"),  # our own type checks say the rest in Chinese
    (re.compile(r"ambiguous option: (\S+) could match (.*)", re.S), "选项 {0} 不明确，可能是：{1}"),
)


def _usage_error(message: str) -> str:
    for pattern, chinese in _USAGE_ERRORS:
        if match := pattern.fullmatch(message):
            return chinese.format(*match.groups())
    return message


class _Parser(argparse.ArgumentParser):
    """argparse whose own -h option, section titles, usage line and errors are Chinese too (the commands use it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{**kwargs, "add_help": False})
        self._positionals.title, self._optionals.title = "参数", "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def format_usage(self) -> str:
        return _chinese_usage(super().format_usage())

    def format_help(self) -> str:
        return _chinese_usage(super().format_help())

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{_usage_error(message)}\n（运行 {self.prog} -h 查看用法）\n")


def _chinese_usage(text: str) -> str:
    return "用法：" + text.removeprefix("usage: ") if text.startswith("usage: ") else text


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="zhibu", description="支部：党支部工作记录检查与透明站点生成")
    parser.add_argument("--root", type=Path, default=None,
                        help="记录仓库的文件夹（默认：从当前文件夹向上查找含 records/ 和 standards/ 的文件夹，同 git）")
    parser.add_argument("--debug", action="store_true", help="出错时显示 Python 调用栈")
    sub = parser.add_subparsers(dest="command", required=True, title="命令", metavar="COMMAND")

    check = sub.add_parser("check", help="按标准检查记录并评估合规情况")
    check.add_argument("paths", nargs="*", metavar="PATH",
                       help="只检查这些单位或支部文件夹（相对当前文件夹，或绝对路径；须在仓库的 records/ 中）")
    check.add_argument("--since", metavar="REF", help="只检查自 Git 引用 REF 以来有改动的支部")
    check.add_argument("--as-of", type=_date, metavar="DATE", help="统计截止日（默认：最近一次修改记录的提交日期）")
    check.add_argument("--format", choices=("text", "json", "github"), default="text", help="输出格式")
    check.add_argument("--lang", choices=("zh", "en"), default="zh", help="提示语言")
    check.add_argument("--code-quality", type=Path, metavar="FILE",
                       help="同时把问题写成 GitLab 代码质量报告（Code Climate JSON）保存到 FILE，供合并请求显示")

    build = sub.add_parser("build", help="检查后生成站点（有错误时拒绝生成，保留原站点）")
    build.add_argument("--out", type=Path, default=None, help="输出目录（默认：仓库中的 site/）")
    build.add_argument("--as-of", type=_date, metavar="DATE", help="统计截止日")
    build.add_argument("--strict", action="store_true", help="MkDocs 严格模式：任何警告（如失效链接）都使生成失败")
    build.add_argument("--audience", choices=AUDIENCES, default="public",
                       help="读者：public 公开网站（默认），party 党内网站；各类内容向谁公开由 organization.yaml 的"
                            "党务公开目录（disclosure）决定，不允许的内容不写入该网站")

    pages = sub.add_parser("pages", help="检查后只生成页面文件夹（Markdown、开放数据、资源文件），不运行 MkDocs；"
                           "可交给 MkDocs、ProperDocs 等站点工具（有错误时拒绝生成）")
    pages.add_argument("--out", type=Path, required=True, help="输出目录（空目录，或以前用本命令生成的目录）")
    pages.add_argument("--as-of", type=_date, metavar="DATE", help="统计截止日")
    pages.add_argument("--audience", choices=AUDIENCES, default="public",
                       help="读者：public 公开网站（默认），party 党内网站（见党务公开目录）")

    serve = sub.add_parser("serve", help="本地预览，记录改动后自动重建")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="监听地址")

    template = sub.add_parser("template", help="生成支部的 Excel 工作簿（.xlsx）：各记录表预填现有记录，供书记填写")
    template.add_argument("code", metavar="CODE", help="支部代码（branch.yaml 中的 code），如 jidian-js1")
    template.add_argument("--out", type=Path, default=None, metavar="FILE.xlsx",
                          help="保存到此文件（默认：当前文件夹中的 CODE.xlsx）")
    template.add_argument("--as-of", type=_date, metavar="DATE",
                          help="工作簿注明的数据截止日（默认：最近一次修改记录的提交日期）")

    imp = sub.add_parser("import", help="把书记填好的工作簿（.xlsx）转回支部的 CSV 记录文件，并做完整检查")
    imp.add_argument("file", type=Path, metavar="FILE.xlsx", help="要导入的工作簿")
    imp.add_argument("--branch", metavar="CODE", help="支部代码（默认：工作簿“填写说明”中注明的支部）")
    imp.add_argument("--dry-run", action="store_true", help="只显示将产生的改动和问题，不写入任何文件")
    imp.add_argument("--write-anyway", action="store_true", help="即使有错误也写入 CSV 文件（之后再按提示修改）")
    imp.add_argument("--as-of", type=_date, metavar="DATE", help="检查截止日（默认：最近一次修改记录的提交日期）")

    owners = sub.add_parser("codeowners", help="根据记录中登记的维护人（maintainers）生成 .github/CODEOWNERS")
    owners.add_argument("--check", action="store_true", help="只检查文件是否需要更新，不写入（需要更新时退出码 1）")

    audit = sub.add_parser("audit-history", help="扫描 records/ 的全部 Git 历史，查找个人信息（只报位置，不显示内容）")
    audit.add_argument("--rev", metavar="RANGE", help="只扫描此提交范围（如 main、2025.12..HEAD；默认全部分支和标签）")

    releases = sub.add_parser("releases", help="从发布标签（YYYY.MM）重建全部已发布版本（只写本地文件夹）")
    releases.add_argument("--out", type=Path, default=None, help="输出目录（默认：仓库中的 site-releases/）")
    releases.add_argument("--ref-pattern", default=None, metavar="REGEX", help="发布标签名称的正则（默认 YYYY.MM）")
    releases.add_argument("--head", metavar="NAME", help="同时把当前记录（未发布）生成为名为 NAME 的版本，如 main")
    releases.add_argument("--audience", choices=("all", *AUDIENCES), default="all",
                          help="读者：all 按党务公开目录生成学校发布的每个网站（默认：公开网站写入 --out，党内网站写入"
                               "旁边的 <out>-party/），public 只生成公开网站，party 只生成党内网站")

    nginx = sub.add_parser("nginx", help="生成 nginx 配置：公开站点对所有人开放，党内站点只对登录的党员开放"
                           "（安全响应头、按页面计算的 CSP、gzip、缓存、UTF-8）")
    nginx.add_argument("--public", type=Path, required=True, metavar="DIR", help="公开站点（zhibu build 的输出文件夹）")
    nginx.add_argument("--party", type=Path, metavar="DIR",
                       help="党内站点（zhibu build --audience party 的输出文件夹）")
    nginx.add_argument("--listen", default="80", help="公开站点监听的端口或 地址:端口（默认 80）")
    nginx.add_argument("--party-listen", default="8081", help="党内站点监听的端口或 地址:端口（默认 8081）")
    nginx.add_argument("--server-name", default="_", help="公开站点的主机名（默认 _：任意）")
    nginx.add_argument("--party-server-name", default="_", help="党内站点的主机名（默认 _：任意）")
    nginx.add_argument("--htpasswd", type=Path, metavar="FILE", help="党内站点的密码文件（HTTP 基本认证；"
                       "生成方法见 README：在校园部署）")
    nginx.add_argument("--auth-request", metavar="URL",
                       help="改用校园统一身份认证：nginx 先向此地址询问（2xx 放行，401/403 拒绝）")
    nginx.add_argument("--login-url", metavar="URL",
                       help="未登录的读者被转到此登录地址（原地址附在其后；与 --auth-request 一起用）")
    nginx.add_argument("--certificate", type=Path, metavar="FILE", help="HTTPS 证书（与 --certificate-key 一起用）")
    nginx.add_argument("--certificate-key", type=Path, metavar="FILE", help="HTTPS 证书私钥")
    nginx.add_argument("--mime-types", type=Path, default=Path("/etc/nginx/mime.types"),
                       help="nginx 的 mime.types（默认 /etc/nginx/mime.types）")
    nginx.add_argument("--standalone", type=Path, metavar="DIR", help="生成可由普通用户直接运行的完整 nginx.conf，"
                       "进程号、日志和临时文件放在 DIR（nginx -p DIR -c 配置文件）")
    nginx.add_argument("--out", type=Path, required=True, metavar="FILE", help="写入此配置文件")

    deploy = sub.add_parser("deploy", help="用 rsync 把生成的站点原子地发布到网站服务器（本机文件夹或 "
                            "用户@主机:路径）：先上传到新的 releases/ 文件夹，完整后再切换 current 链接")
    deploy.add_argument("site", type=Path, metavar="SITE", help="要发布的站点（zhibu build 的输出文件夹）")
    deploy.add_argument("dest", metavar="DEST", help="发布位置：本机文件夹，或 用户@主机:/srv/zhibu/public（经 SSH）；"
                        "网站根目录设为 DEST/current")
    deploy.add_argument("--keep", type=_positive, default=5, metavar="N",
                        help="保留最近 N 次发布（默认 5），更早的删除")

    releases_demo = sub.add_parser("releases-demo", help="用示例记录建临时 Git 仓库，打三个发布标签并生成全部版本")
    releases_demo.add_argument("--out", type=Path, default=Path("site-releases"), help="输出目录")
    releases_demo.add_argument("--repo", type=Path, help="临时仓库的位置（默认用完即删）")

    federate = sub.add_parser("federate", help="省级汇总平台：采集各校公开的数据包，核验后汇总比较，生成平台站点")
    federate.add_argument("registry", type=Path, metavar="REGISTRY.yaml",
                          help="学校登记表（colleges: 每项 code、name、package，可选 site）")
    federate.add_argument("--out", type=Path, required=True, help="平台站点的输出目录（空目录，或以前生成的平台）")
    federate.add_argument("--cache", type=Path, default=None,
                          help="采集缓存目录（默认：登记表旁的 .zhibu-harvest/）；未变化的数据包只需一次条件请求")
    federate.add_argument("--as-of", type=_date, metavar="DATE", help="汇总日期，用于计算数据时效（默认：今天）")
    federate.add_argument("--timeout", type=_positive, default=20, metavar="SECONDS",
                          help="每个文件的下载时限（秒，默认 20）")
    federate.add_argument("--jobs", type=_positive, default=8, help="同时采集的学校数（默认 8）")

    demo = sub.add_parser("demo", help="生成示例学院的演示记录（可复现）")
    demo.add_argument("--seed", type=int, default=2025, help="随机数种子（默认 2025；同一种子生成同样的记录）")
    demo.add_argument("--branches", type=_positive, default=24, help="支部数量（默认 24）")
    demo.add_argument("--out", type=Path, default=Path("records"),
                      help="记录文件夹（默认 records/；只会替换空文件夹或以前生成的演示记录）")
    demo.add_argument("--as-of", type=_date, default=dt.date(2026, 11, 20), metavar="DATE",
                      help="记录截至的日期（默认 2026-11-20）")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; `zhibu check | head` ends quietly when the reader stops reading."""
    try:
        code = _main(argv)
        sys.stdout.flush()  # here, not at exit, so that a closed pipe is handled below
        return code
    except BrokenPipeError:  # the reader (head, less) has what it wanted: say nothing more
        _discard_output()
        return 141  # what a shell reports for a command stopped by a closed pipe (128 + SIGPIPE)


def _main(argv: list[str] | None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code not in (0, None) else 0
    try:
        return _COMMANDS[args.command](args)
    except (UsageError, StandardsError, GitError, BuildFailed) as exc:  # BuildFailed: disk full, read-only folder …
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # not a failure of the command: main() ends quietly
        raise
    except Exception as exc:  # one catch-all: a short message, the traceback only with --debug
        if args.debug:
            raise
        print(f"错误：{type(exc).__name__}: {exc}（加 --debug 查看详情）", file=sys.stderr)
        return 2


def _discard_output() -> None:
    """Point stdout at the null device, so the flush at exit does not fail on the closed pipe again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (tests capture it): nothing will flush to the pipe
        pass
    finally:
        os.close(devnull)


def _start(args: argparse.Namespace) -> Path:
    """Where relative paths on the command line start: --root, else the current folder."""
    return (args.root or Path.cwd()).resolve()


def _root(args: argparse.Namespace) -> Path:
    """The records repository, found upward from the start folder as git finds its own."""
    return find_root(_start(args))


def _check(args: argparse.Namespace) -> int:
    from generator.pipeline import check
    from generator.report import formats as report
    from generator.report import jobsummary

    root = _root(args)
    paths = select(root, _start(args), args.paths) if args.paths else None
    run = check(root, paths, args.since, args.as_of)
    if args.format == "json":
        _print_out(report.as_json(run, args.lang))
    elif args.format == "github":
        _print_out(report.as_github(run, args.lang))
        target = os.environ.get("GITHUB_STEP_SUMMARY")
        if target:
            with open(target, "a", encoding="utf-8") as handle:
                handle.write(jobsummary.render(run, args.since, args.lang))
    else:
        _print_out(report.as_text(run, args.lang))
    if args.code_quality is not None:
        from generator.report.codequality import as_code_quality

        target = _start(args) / args.code_quality
        try:
            target.write_text(as_code_quality(run, args.lang), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"无法写入代码质量报告 {args.code_quality}：{exc.strerror}。"
                             "请检查文件夹是否存在、是否可写。") from exc
    return 1 if run.errors else 0


def _print_out(text: str) -> None:
    """Print the check's report; a reader that stopped early does not change the check's verdict."""
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        _discard_output()


def _build(args: argparse.Namespace) -> int:
    import logging

    from generator.site.build import BuildRefused, build_site
    from generator.site.mkdocs_plugin import StrictFailure

    shown = logging.StreamHandler(sys.stderr)  # MkDocs' own warnings (a broken link …), as `mkdocs build` shows them
    shown.setLevel(logging.WARNING)
    shown.setFormatter(logging.Formatter("MkDocs %(levelname)s: %(message)s"))
    root = _root(args)
    args.out = root / "site" if args.out is None else _start(args) / args.out  # a given --out: from where we stand
    logging.getLogger("mkdocs").addHandler(shown)
    try:
        result = build_site(root, args.out, args.as_of, strict=args.strict, audience=args.audience,
                            on_wait=lambda: print(f"另一个构建正在生成 {args.out}，等待它完成后再继续……",
                                                  file=sys.stderr, flush=True))
    except BuildRefused as exc:
        print(exc.report, file=sys.stderr)
        print(f"记录有错误，未生成站点；{args.out} 保持不变。", file=sys.stderr)
        return 1
    except StrictFailure as exc:
        print(f"严格模式（--strict）下出现警告（见上方，如失效链接），未生成站点；{args.out} 保持不变。（{exc}）",
              file=sys.stderr)
        return 1
    finally:
        logging.getLogger("mkdocs").removeHandler(shown)
    print(f"站点已生成：{result}" + ("（党内网站：只能部署在需要登录的服务器上）" if args.audience == "party" else ""))
    return 0


def _pages(args: argparse.Namespace) -> int:
    from generator.options import BuildOptions
    from generator.pipeline import pages
    from generator.site.write import BuildRefused

    root = _root(args)
    out = _start(args) / args.out
    try:
        pages(root, out, BuildOptions(as_of=args.as_of, audience=args.audience))
    except BuildRefused as exc:
        print(exc.report, file=sys.stderr)
        print(f"记录有错误，未生成页面；{out} 保持不变。", file=sys.stderr)
        return 1
    print(f"页面已生成：{out}（在 mkdocs.yml 的 zhibu 插件中设置 pages: {out}，或设置环境变量 ZHIBU_PAGES，"
          "再运行 mkdocs build 或 properdocs build）")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from generator.site.build import serve

    root = _root(args)
    require_site_config(root)
    serve(root, args.dev_addr)
    return 0


def _audit_history(args: argparse.Namespace) -> int:
    from generator.history.audit import audit_history
    from generator.records.control import CONTROL
    from generator.records.personal import KINDS

    audit = audit_history(find_records_root(_start(args)), args.rev)  # needs no standards/
    for f in audit.findings:  # the location only: the value itself is never printed
        path = CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", f.path)
        print(f"{f.commit[:12]} {f.date[:10]} {path} 第 {f.line} 行：{KINDS[f.kind][0]}（{KINDS[f.kind][1]}）")
    print(f"已扫描 {audit.commits} 个提交中的 {audit.blobs} 个文件版本（{audit.bytes / 1e6:.1f} MB）"
          + (f"，跳过 {audit.binary} 个二进制文件" if audit.binary else "") + "。", file=sys.stderr)
    if audit.findings:
        print(f"历史中发现 {len(audit.findings)} 处个人信息，涉及 {len(audit.commits_with_findings)} 个提交。"
              "删除当前文件中的内容并不能清除历史，处理办法见 README 的“隐私”一节。"
              " / Personal data found in history; see README, section 隐私.", file=sys.stderr)
        return 1
    if audit.shallow:
        print("这是浅克隆（shallow clone），缺少早期历史，审计不完整：请先运行 git fetch --unshallow。",
              file=sys.stderr)
        return 2
    print("历史中未发现个人信息。/ No personal data found in history.", file=sys.stderr)
    return 0


def _releases(args: argparse.Namespace) -> int:
    from generator.history.releasetags import SCHEME
    from generator.site.build import BuildRefused
    from generator.site.releases import audience_out, build_releases, published_audiences

    root = _root(args)
    args.out = root / "site-releases" if args.out is None else _start(args) / args.out
    audiences = published_audiences(root) if args.audience == "all" else [args.audience]
    for audience in audiences:
        out = audience_out(args.out, audience)
        try:
            site = build_releases(root, out, args.ref_pattern or SCHEME, args.head, audience)
        except BuildRefused as exc:
            print(exc.report, file=sys.stderr)
            print(f"未生成版本站点；{out} 保持不变。", file=sys.stderr)
            return 1
        print(f"{'公开网站' if audience == 'public' else '党内网站（只能部署在需要登录的服务器上）'}：{out}")
        _print_versions(site)
    return 0


def _releases_demo(args: argparse.Namespace) -> int:
    import shutil
    import tempfile

    from generator.demo.releases import make_demo_repository
    from generator.history.changes import summary_lines
    from generator.history.timeline import site_history
    from generator.site.releases import build_releases

    base = None if args.repo else Path(tempfile.mkdtemp(prefix="zhibu-releases-demo-"))
    repo = args.repo.resolve() if base is None else base / "repo"
    try:
        make_demo_repository(_root(args), repo)
        print(f"示例仓库：{repo}")
        site = build_releases(repo, args.out.resolve())
        _print_versions(site)
        for release in site.releases:
            history = site_history(repo, [], release=release.name)
            page = site.out / release.name / "changes" / "index.html"
            if history.previous is None:
                print(f"\n{release.name}：第一个发布版本（{page}）")
                continue
            print(f"\n{release.name} 相比 {history.previous.name}（{page}）：\n{history.overview or '没有变动。'}")
            amended = [c for c in history.changes if c.amendment]
            print("\n".join(summary_lines(amended)[1:]) if amended else "没有修改已发布的时段。")
    finally:
        if base is not None:
            shutil.rmtree(base, ignore_errors=True)
    print(f"\n浏览：python -m http.server 8000 --directory {args.out}，打开 http://127.0.0.1:8000/")
    return 0


def _print_versions(site: VersionsSite) -> None:
    if site.head:
        print(f"  {site.head}（未发布的当前记录）")
    for release in reversed(site.releases):
        alias = "（latest）" if release is site.latest else ""
        print(f"  {release.name}{alias}  截至 {release.as_of}（{release.source}）  提交 {release.commit[:12]}")
    print(f"已生成 {len(site.releases) + bool(site.head)} 个版本：{site.out}")


def _demo(args: argparse.Namespace) -> int:
    from generator.demo.college import START, generate

    if args.as_of < START:
        raise UsageError(f"--as-of {args.as_of} 早于演示记录的起始日 {START}：请给出 {START} 或以后的日期。")
    summary = generate(args.out, seed=args.seed, branches=args.branches, as_of=args.as_of)
    print(f"已生成演示记录：{args.out}（{summary}）")
    return 0


def _federate(args: argparse.Namespace) -> int:
    from generator.federation.fetch import Limits
    from generator.federation.portal import NoCollegeUsable, federate
    from generator.federation.registry import load_registry

    path = _start(args) / args.registry
    registry, problems = load_registry(path)
    if registry is None:
        for p in problems:
            print(f"{args.registry}:{p.row or ''}: [{p.code}] {p.message}", file=sys.stderr)
        print("学校登记表有错误，未采集任何学校。", file=sys.stderr)
        return 2
    out = _start(args) / args.out
    cache = _start(args) / args.cache if args.cache else path.parent / ".zhibu-harvest"
    today = args.as_of or dt.date.today()
    try:
        portal = federate(registry, out, cache, today, Limits(timeout=float(args.timeout)), args.jobs,
                          on_wait=lambda: print(f"另一个构建正在生成 {out}，等待它完成……", file=sys.stderr, flush=True))
    except NoCollegeUsable as exc:
        _print_harvest(exc.harvested)
        print(f"没有一所学校的数据可用，未生成平台；{out} 保持不变。", file=sys.stderr)
        return 1
    _print_harvest(portal.harvested)
    tally = portal.tally
    print(f"请求 {tally.requests} 次，其中 {tally.not_modified} 次未变化（304），{tally.from_cache} 个文件取自缓存。")
    if portal.figures is None:
        print(f"各校数据、登记表和汇总日期都没有变化，平台未重建：{out}")
        return 0
    print(f"平台已生成：{out}（{sum(h.ok for h in portal.harvested)} 所学校可用，"
          f"{sum(not h.ok for h in portal.harvested)} 所未采用，见 {out / 'data/harvest.csv'}）")
    return 0


def _print_harvest(harvested: list) -> None:
    from generator.records.control import CONTROL

    for h in harvested:
        if not h.ok:
            print(f"未采用 {h.college.code}：{CONTROL.sub('?', h.reason)}（{h.code}）", file=sys.stderr)


def _template(args: argparse.Namespace) -> int:
    from generator.pipeline import default_as_of
    from generator.sheets.template import branch_template

    root = _root(args)
    as_of = args.as_of or default_as_of(root)[0]
    data = branch_template(root, args.code, as_of)
    out = Path.cwd() / (args.out or Path(f"{args.code}.xlsx"))  # the current folder, even with --root
    try:
        out.write_bytes(data)
    except OSError as exc:
        print(f"错误：无法写入 {out}（{exc.strerror or exc}）。请换一个文件夹或文件名（--out）。", file=sys.stderr)
        return 2
    print(f"已生成支部 {args.code} 的工作簿：{out}（{len(data) / 1024:.0f} KB，数据截至 {as_of.isoformat()}）")
    return 0


def _import(args: argparse.Namespace) -> int:
    from generator.sheets.importer import import_workbook, write_tables
    from generator.sheets.report import summary
    from generator.sheets.workbook import WorkbookError

    root = _root(args)
    workbook = Path.cwd() / args.file  # as given, from the current folder (an absolute path stays as it is)
    try:
        result = import_workbook(root, workbook, args.branch, args.as_of)
    except WorkbookError as exc:
        print(f"错误：{exc} [{exc.code}]", file=sys.stderr)
        return 2
    print(summary(result, workbook))
    if args.dry_run:
        print("\n试运行（--dry-run）：没有写入任何文件。")
        return 1 if result.errors else 0
    if result.errors and not args.write_anyway:
        print(f"\n有 {len(result.errors)} 个错误，没有写入任何文件。请按上面的提示修改工作簿后重新导入。",
              file=sys.stderr)
        return 1
    written = write_tables(root, result)
    print("\n已写入：" + "、".join(written) if written else "\n没有需要写入的改动。")
    return 1 if result.errors else 0


def _codeowners(args: argparse.Namespace) -> int:
    from generator.records import codeowners

    root = _root(args)
    text, unreadable = codeowners.expected(root)
    if text is None:
        print("错误：以下文件无法读取，请先运行 zhibu check 按提示修改：" + "、".join(unreadable), file=sys.stderr)
        return 1
    if args.check:
        if codeowners.current(root) == text:
            print(f"{codeowners.PATH} 与记录一致。")
            return 0
        print(f"{codeowners.PATH} 需要更新：请运行 zhibu codeowners 并提交。", file=sys.stderr)
        return 1
    changed = codeowners.write(root, text)
    print(f"已{'更新' if changed else '核对（无变化）'}：{codeowners.PATH}")
    return 0


def _nginx(args: argparse.Namespace) -> int:
    from generator.deploy.nginx import NginxSite, Tls, prepare_standalone, render

    here = _start(args)

    def absolute(path: Path) -> Path:  # not resolve(): DEST/current must stay the link a deploy switches
        return Path(os.path.abspath(here / path))

    if (args.certificate is None) != (args.certificate_key is None):
        raise UsageError("HTTPS 需要同时给出 --certificate 和 --certificate-key。")
    site = NginxSite(
        public=absolute(args.public), party=absolute(args.party) if args.party else None,
        listen=args.listen, party_listen=args.party_listen, server_name=args.server_name,
        party_server_name=args.party_server_name,
        htpasswd=absolute(args.htpasswd) if args.htpasswd else None,
        auth_request=args.auth_request, login_url=args.login_url,
        tls=Tls(str(absolute(args.certificate)), str(absolute(args.certificate_key)))
        if args.certificate else None,
        mime_types=here / args.mime_types,
        standalone=absolute(args.standalone) if args.standalone else None)
    text = render(site)
    out = here / args.out
    try:
        if site.standalone:
            prepare_standalone(site.standalone)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"无法写入 {args.out}：{exc.strerror}。请检查文件夹是否存在、是否可写。") from exc
    print(f"已生成 nginx 配置：{out}。检查：nginx -t -c {out}" if site.standalone else
          f"已生成 nginx 配置：{out}。放入 /etc/nginx/conf.d/ 后运行 nginx -t 检查，再 nginx -s reload。")
    return 0


def _deploy(args: argparse.Namespace) -> int:
    from generator.deploy.upload import DeployFailed, deploy

    try:
        done = deploy(_start(args) / args.site, args.dest, args.keep)
    except DeployFailed as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    removed = f"，删除较早的 {len(done.removed)} 次发布" if done.removed else ""
    print(f"已发布：{args.dest.rstrip('/')}/current → releases/{done.release}（保留 {len(done.kept)} 次发布{removed}）")
    return 0


_COMMANDS = {"check": _check, "build": _build, "pages": _pages, "serve": _serve, "demo": _demo, "releases": _releases,
             "releases-demo": _releases_demo, "nginx": _nginx, "deploy": _deploy, "codeowners": _codeowners,
             "audit-history": _audit_history, "template": _template,
             "import": _import, "federate": _federate}
