"""The `tilmash` command line."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tilmash import exit_codes
from tilmash.config import ConfigError, load_config
from tilmash.jsontext import json_pieces
from tilmash.lock import LockBusy
from tilmash.models_cli import add_parsers as add_model_parsers
from tilmash.report import RunReport
from tilmash.runner import RunOptions, run
from tilmash.summary import summary_table


def is_loopback(host: str) -> bool:
    """Whether `host` (an address or a name such as news-box.lan) only listens to this machine."""
    import ipaddress

    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: only "localhost" is known to stay local without asking DNS
        return host.lower().rstrip(".") == "localhost"


def _print_report(report: RunReport, as_json: bool, quiet: bool = False, by_article: bool = False) -> None:
    if as_json:
        sys.stdout.writelines(json_pieces(report.as_dict(), indent=2, separators=(",", ": ")))
        sys.stdout.write("\n")
    else:
        for note in report.notes:
            if not quiet:
                print(f"note: {note}")
        if not quiet:
            print(summary_table(report, by_article))
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)


def _cmd_run(args: argparse.Namespace) -> int:
    config = load_config(Path(args.dir))
    log = (lambda _: None) if args.quiet else (lambda line: print(line, file=sys.stderr))
    options = RunOptions(
        dry_run=args.dry_run,
        wait=args.wait,
        import_feed=args.import_feed or config.import_feed,
        jobs=args.jobs,
        cluster=args.cluster,
    )
    try:
        report = run(config, options, log=log)
    except LockBusy as busy:
        print(f"error: {config.root}: {busy}", file=sys.stderr)
        return exit_codes.LOCKED
    _print_report(report, args.json, args.quiet)
    if not args.json and not args.quiet and not args.dry_run:
        print(f"site: {config.public_dir / 'index.html'}")
    return exit_codes.OK if report.ok else exit_codes.FAILED


def _cmd_status(args: argparse.Namespace) -> int:
    from tilmash.pipeline import status

    report = status(load_config(Path(args.dir)))
    _print_report(report, args.json, by_article=args.articles)
    return exit_codes.OK if report.ok else exit_codes.FAILED


def _cmd_import(args: argparse.Namespace) -> int:
    from tilmash.feed_sync import import_feed
    from tilmash.sources.feed_import import FeedError

    config = load_config(Path(args.dir))
    try:
        report = import_feed(config.sources_dir, args.feed)
    except FeedError as error:
        print(f"error: {error.located(args.feed)} (feed refused: no source was changed)", file=sys.stderr)
        return exit_codes.FAILED
    except OSError as error:
        print(f"error: {config.sources_dir}: {error}", file=sys.stderr)
        return exit_codes.FAILED
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for problem in report.errors:
        print(f"error: {problem}", file=sys.stderr)
    print(report.summary())
    return exit_codes.FAILED if report.errors else exit_codes.OK


def _cmd_check(args: argparse.Namespace) -> int:
    from tilmash.i18n.checks import CHECKS
    from tilmash.quality import check_newsroom

    if args.list:
        for check in CHECKS:
            print(f"{check.name:18s} {check.severity:8s} {check.description}")
        return exit_codes.OK
    config = load_config(Path(args.dir))
    unknown = [locale for locale in args.locale or [] if locale not in config.target_locales]
    if unknown:
        print(
            f"error: {', '.join(unknown)}: not a locale of this newsroom "
            f"({', '.join(config.target_locales)})",
            file=sys.stderr,
        )
        return exit_codes.USAGE
    report = check_newsroom(config, args.locale)
    shown = [p for p in report.problems if args.fuzzy or p.check != "fuzzy"]
    blocking = set(map(id, report.blocking))
    if args.json:
        problems = [p.as_dict() | {"blocks_publication": id(p) in blocking} for p in shown]
        print(
            json.dumps(
                {"ok": not report.failed, "problems": problems, "errors": report.errors},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for problem in shown:
            print(f"{problem} (blocks publication)" if id(problem) in blocking else problem)
        errors = sum(p.severity == "error" for p in shown)
        fuzzy = sum(p.check == "fuzzy" for p in report.problems)
        print(
            f"{errors} errors, {len(shown) - errors} warnings, {fuzzy} fuzzy entries"
            + ("" if args.fuzzy else " (list them with --fuzzy)")
        )
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    return exit_codes.FAILED if report.failed else exit_codes.OK


def _cmd_review(args: argparse.Namespace) -> int:
    import secrets
    import socket

    from tilmash.review.app import create_app

    config = load_config(Path(args.dir))
    try:
        socket.getaddrinfo(args.host, args.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        print(
            f"error: --host {args.host}: not an address or host name of this network ({error})",
            file=sys.stderr,
        )
        return exit_codes.USAGE
    password = os.environ.get("TILMASH_REVIEW_PASSWORD") or None
    if not is_loopback(args.host) and not password:
        print(
            "note: reachable from other machines: anyone needs the token below "
            "(or set TILMASH_REVIEW_PASSWORD)"
        )
    token = secrets.token_urlsafe(24)
    # Host names the page answers to (addresses are always fine: DNS rebinding needs a name).
    hosts = {args.host, socket.gethostname(), socket.getfqdn()} | (
        {"localhost"} if is_loopback(args.host) else set()
    )
    app = create_app(config, token, password, hosts=hosts)
    print(f"Review page: http://{args.host}:{args.port}/?token={token}", flush=True)
    app.run(host=args.host, port=args.port, threaded=True, debug=False, use_reloader=False)
    return exit_codes.OK


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="tilmash",
        description="Translate an English newsroom into kk/ru/zh via reviewed gettext catalogs.",
    )
    commands = top.add_subparsers(dest="command", required=True)
    run_cmd = commands.add_parser(
        "run", help="sync catalogs, machine-translate what is new, publish the site"
    )
    run_cmd.add_argument("dir", nargs="?", default=".", help="newsroom directory (default: .)")
    run_cmd.add_argument("--json", action="store_true", help="print the summary as JSON")
    run_cmd.add_argument("--quiet", action="store_true", help="print only errors (for cron)")
    run_cmd.add_argument(
        "--dry-run", action="store_true", help="say what would change; write nothing, no machine translation"
    )
    run_cmd.add_argument(
        "--wait", action="store_true", help="wait for a run in progress instead of exiting with status 3"
    )
    run_cmd.add_argument(
        "--jobs",
        type=_positive,
        metavar="N",
        help="processes for parsing and rendering (default: every available core)",
    )
    run_cmd.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="send the machine translation to this Dask scheduler, e.g. tcp://scheduler:8786 "
        "(default: [runtime] cluster)",
    )
    run_cmd.add_argument(
        "--import",
        dest="import_feed",
        metavar="FEED",
        help="import this English feed first (default: [import] feed)",
    )
    run_cmd.set_defaults(handler=_cmd_run)
    status_cmd = commands.add_parser("status", help="show translation progress without changing anything")
    status_cmd.add_argument("dir", nargs="?", default=".")
    status_cmd.add_argument("--json", action="store_true", help="machine-readable, with per-article counts")
    status_cmd.add_argument("--articles", action="store_true", help="one row per article and locale")
    status_cmd.set_defaults(handler=_cmd_status)
    import_cmd = commands.add_parser(
        "import", help="import an English RSS/Atom feed (file or URL) into sources/"
    )
    import_cmd.add_argument("feed", help="feed file or URL")
    import_cmd.add_argument("dir", nargs="?", default=".")
    import_cmd.set_defaults(handler=_cmd_import)
    check_cmd = commands.add_parser("check", help="quality checks on translated entries")
    check_cmd.add_argument("dir", nargs="?", default=".")
    check_cmd.add_argument("--locale", action="append", help="only this locale (repeatable)")
    check_cmd.add_argument("--json", action="store_true")
    check_cmd.add_argument("--fuzzy", action="store_true", help="also list every fuzzy entry")
    check_cmd.add_argument("--list", action="store_true", help="list the checks and exit")
    check_cmd.set_defaults(handler=_cmd_check)
    review_cmd = commands.add_parser("review", help="the translators' web page (local)")
    review_cmd.add_argument("dir", nargs="?", default=".")
    review_cmd.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1 only)"
    )
    review_cmd.add_argument("--port", type=int, default=8737)
    review_cmd.set_defaults(handler=_cmd_review)
    add_model_parsers(commands)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.handler(args)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return exit_codes.USAGE


if __name__ == "__main__":
    sys.exit(main())
