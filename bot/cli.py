"""`pdpbot` verbs: serve, socket, migrate, tick, demo, manifest, help. No verb: serve with
Slack credentials, the offline demo without them."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from collections.abc import Sequence
from datetime import datetime, timezone

from bot import cli_hr, cli_roster, doctor, logs, preflight
from bot.config import ConfigError, Settings, load_settings, require
from bot.preflight import CannotStart
from prompts import render, texts

log = logging.getLogger("pdpbot")

RHYTHM = (
    "HR_CHANNEL_ID",
    "DEFAULT_TZ",
    "PROMPT_HOUR",
    "HOLIDAY_COUNTRY",
    "HR_DIGEST",
    "HR_DIGEST_HOUR",
    "HR_DIGEST_WEEKDAY",
    "HR_DIGEST_WHEN_EMPTY",
    "HR_TZ",
    "RETENTION_DAYS",
    "CYCLES",
    "CYCLE_TEAMS",
)
# Per verb: the settings it cannot run without, and the ones it reads when they are set.
SETTINGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "serve": (
        ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"),
        ("DATABASE_URL", "PORT", *RHYTHM, "SLACK_API_URL", "LOG_LEVEL", "TICK_SECONDS"),
    ),
    "socket": (
        ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"),
        ("DATABASE_URL", *RHYTHM, "SLACK_API_URL", "LOG_LEVEL", "TICK_SECONDS"),
    ),
    "migrate": ((), ("DATABASE_URL", "LOG_LEVEL")),
    "tick": (("SLACK_BOT_TOKEN",), ("DATABASE_URL", *RHYTHM, "SLACK_API_URL", "LOG_LEVEL")),
    "demo": ((), ("DEFAULT_TZ", "PROMPT_HOUR", "HOLIDAY_COUNTRY", "HR_DIGEST")),
    "manifest": ((), ()),
    "export": ((), ("DATABASE_URL", "HR_TZ", "DEFAULT_TZ", "LOG_LEVEL")),
    "purge": ((), ("DATABASE_URL", "HR_TZ", "DEFAULT_TZ", "LOG_LEVEL")),
    "doctor": (
        ("SLACK_BOT_TOKEN",),
        ("DATABASE_URL", "HR_CHANNEL_ID", "SLACK_API_URL", "DEFAULT_TZ", "HR_TZ", "LOG_LEVEL"),
    ),
    "import": (
        ("SLACK_BOT_TOKEN",),
        ("DATABASE_URL", "SLACK_API_URL", *RHYTHM[:4], "LOG_LEVEL"),
    ),
    "cycle": (
        ("SLACK_BOT_TOKEN",),
        ("DATABASE_URL", "SLACK_API_URL", *RHYTHM[:4], "LOG_LEVEL"),
    ),
    "help": ((), ()),
}


def parse_now(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an ISO 8601 time, e.g. 2027-01-04T10:00:00+00:00"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    words = texts("cli_help")
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="pdpbot",
        description=words.description(),
        epilog=words.epilog(),
        formatter_class=formatter,
    )
    verbs = parser.add_subparsers(dest="verb", title="verbs", metavar="VERB")
    sub: dict[str, argparse.ArgumentParser] = {}
    for name, (needs, reads) in SETTINGS.items():
        sub[name] = verbs.add_parser(
            name,
            help=words.summary(name),
            description=words.verb(name, needs, reads),
            formatter_class=formatter,
        )
    sub["tick"].add_argument(
        "--now", type=parse_now, help="as of this time (ISO 8601; default: now)"
    )
    sub["demo"].add_argument("--quiet", action="store_true", help="print only the summary")
    sub["manifest"].add_argument(
        "--url",
        help="public HTTPS base URL for HTTP mode, e.g. https://pdpbot.example.com "
        "(/slack/events is added); leave it out for Socket Mode",
    )
    cli_hr.add_arguments(sub)
    cli_roster.add_arguments(sub)
    cli_roster.add_cycle_arguments(sub)
    sub["help"].add_argument("topic", nargs="?", choices=[v for v in SETTINGS if v != "help"])
    return parser, sub


def main(argv: Sequence[str] | None = None) -> int:
    parser, verbs = build_parser()
    args = parser.parse_args(argv)
    if args.verb == "help":
        print((verbs[args.topic] if args.topic else parser).format_help(), end="")
        return 0
    try:
        return run(args)
    except (ConfigError, CannotStart) as exc:
        print(f"pdpbot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def run(args: argparse.Namespace) -> int:
    if args.verb == "manifest":
        from bot.slack.manifest import BadUrl, manifest_yaml

        try:
            print(manifest_yaml(args.url), end="")
        except BadUrl as exc:
            raise CannotStart(str(exc)) from None
        return 0
    settings = load_settings()
    if args.verb == "demo" or (args.verb is None and not settings.has_slack_credentials):
        if args.verb is None:
            print(render("cli_no_credentials"), file=sys.stderr)
        return run_demo(settings, quiet=getattr(args, "quiet", False))
    logs.configure(settings.log_level)
    verb = args.verb or ("socket" if settings.slack_app_token else "serve")
    require(settings, *SETTINGS[verb][0])
    if verb == "migrate":
        print(texts("cli").migrated(*preflight.migrate(settings)))
        return 0
    if verb == "tick":
        return tick(settings, args.now)
    if verb == "export":
        return cli_hr.export(settings, args)
    if verb == "purge":
        return cli_hr.run_purge(settings, args)
    if verb == "doctor":
        return cli_hr.doctor(settings)
    if verb == "import":
        return cli_roster.run_import(settings, args)
    if verb == "cycle":
        return cli_roster.run_cycle(settings, args)
    preflight.check_slack(settings)
    doctor.log_hr_channel(settings)
    if verb == "socket":
        preflight.check_app_token(settings)
    # Bare `pdpbot` and Socket Mode on SQLite (a laptop) migrate; `serve` has its release step.
    if args.verb is None or (verb == "socket" and settings.on_sqlite):
        preflight.migrate(settings)
    else:
        preflight.require_migrated(settings)
    return serve(settings) if verb == "serve" else socket(settings)


def run_demo(settings: Settings, quiet: bool) -> int:
    logs.configure("DEBUG" if settings.log_level == "DEBUG" else "WARNING")
    from bot.demo import run as demo

    return demo(quiet=quiet)


def tick(settings: Settings, now: datetime | None) -> int:
    from bot.clock import clock_from_environment
    from bot.runtime import build_runtime

    preflight.require_migrated(settings)
    runtime = build_runtime(settings, clock_from_environment())
    report = runtime.tick(now)
    at = (now or runtime.clock()).astimezone(timezone.utc)
    print(texts("cli").ticked(f"{at:%a} {at.day} {at:%b %Y %H:%M} UTC", report.summary()))
    return 0


def serve(settings: Settings) -> int:
    from waitress.server import create_server

    from bot.clock import clock_from_environment
    from bot.runtime import build_runtime
    from bot.scheduler import start_ticking

    runtime = build_runtime(settings, clock_from_environment())
    try:
        server = create_server(runtime.wsgi(), host="0.0.0.0", port=settings.port, threads=8)
    except OSError as exc:  # the port is taken, or not ours to take
        raise CannotStart(texts("cli").port_unusable(settings.port, exc.strerror or exc)) from None
    scheduler = start_ticking(runtime.tick_callback(), settings.tick_seconds)
    try:
        log.info(texts("cli").serving(settings.port))
        server.run()
    finally:
        scheduler.shutdown(wait=False)
    return 0


def socket(settings: Settings) -> int:
    from bot import socket_mode
    from bot.clock import clock_from_environment
    from bot.runtime import build_runtime
    from bot.scheduler import start_ticking

    runtime = build_runtime(settings, clock_from_environment())
    handler = socket_mode.connect(runtime.app, settings)
    scheduler = start_ticking(runtime.tick_callback(), settings.tick_seconds)
    try:
        threading.Event().wait()
    finally:
        scheduler.shutdown(wait=False)
        handler.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
