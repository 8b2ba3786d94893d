"""`pdpbot` verbs: serve, socket, migrate, tick, demo, manifest. No verb: serve with
Slack credentials, the offline demo without them."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import datetime, timezone

from sqlalchemy.exc import SQLAlchemyError

from bot.config import ConfigError, Settings, load_settings, require
from prompts import render, texts

log = logging.getLogger("pdpbot")


class CliError(Exception):
    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def parse_now(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an ISO 8601 time, e.g. 2027-01-04T10:00:00+00:00"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pdpbot", description=__doc__)
    verbs = parser.add_subparsers(dest="verb")
    verbs.add_parser("serve", help="production HTTP server on $PORT (POST /slack/events)")
    verbs.add_parser("socket", help="Socket Mode, for local use (needs SLACK_APP_TOKEN)")
    verbs.add_parser("migrate", help="upgrade the database schema (Alembic)")
    tick = verbs.add_parser("tick", help="run due work once")
    tick.add_argument("--now", type=parse_now, help="as of this time (ISO 8601; default: now)")
    demo = verbs.add_parser("demo", help="a simulated quarter, offline, printed as text")
    demo.add_argument("--quiet", action="store_true", help="print only the summary")
    manifest = verbs.add_parser("manifest", help="print the Slack app manifest (YAML)")
    manifest.add_argument("--url", help="public base URL, e.g. https://pdpbot.example.com")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        return run(args)
    except (ConfigError, CliError) as exc:
        print(f"pdpbot: {exc}", file=sys.stderr)
        return exc.code if isinstance(exc, CliError) else 2
    except KeyboardInterrupt:
        return 130


def run(args: argparse.Namespace) -> int:
    if args.verb == "manifest":
        from bot.slack.manifest import manifest_yaml

        print(manifest_yaml(args.url), end="")
        return 0
    if args.verb == "demo":
        return run_demo(quiet=args.quiet)
    settings = load_settings()
    if args.verb is None:
        if not settings.has_slack_credentials:
            print(render("cli_no_credentials"), file=sys.stderr)
            return run_demo(quiet=False)
        migrate(settings)
        return socket(settings) if settings.slack_app_token else serve(settings)
    if args.verb == "migrate":
        migrate(settings)
        print(texts("cli").migrated())
        return 0
    if args.verb == "tick":
        return tick(settings, args.now)
    if args.verb == "serve":
        return serve(settings)
    if args.verb == "socket":
        return socket(settings)
    raise CliError(f"unknown verb {args.verb}", 2)


def run_demo(quiet: bool) -> int:
    logging.getLogger().setLevel(logging.WARNING)
    from bot.demo import run as demo

    return demo(quiet=quiet)


def _check_database(settings: Settings) -> None:
    from storage.db import make_engine
    from storage.migrate import current_revision, head_revision

    engine = make_engine(settings.database_url)
    try:
        current = current_revision(engine)
    except SQLAlchemyError as exc:
        reason = str(exc.orig if hasattr(exc, "orig") and exc.orig else exc).splitlines()[0]
        raise CliError(
            render("cli_db_unreachable", url=engine.url.render_as_string(), reason=reason)
        ) from None
    finally:
        engine.dispose()
    if current != head_revision():
        raise CliError(texts("cli").not_migrated())


def migrate(settings: Settings) -> None:
    from storage.db import make_engine
    from storage.migrate import upgrade

    engine = make_engine(settings.database_url)
    try:
        with engine.connect():
            pass
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise CliError(
            render("cli_db_unreachable", url=engine.url.render_as_string(), reason=reason)
        ) from None
    finally:
        engine.dispose()
    upgrade(settings.database_url)


def tick(settings: Settings, now: datetime | None) -> int:
    from bot.runtime import build_runtime

    require(settings, "SLACK_BOT_TOKEN")
    _check_database(settings)
    runtime = build_runtime(settings)
    report = runtime.tick(now)
    print(texts("cli").ticked((now or runtime.clock()).isoformat(), report.summary()))
    return 0


def serve(settings: Settings) -> int:
    import waitress

    from bot.runtime import build_runtime
    from bot.scheduler import start_ticking

    require(settings, "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    _check_database(settings)
    runtime = build_runtime(settings)
    scheduler = start_ticking(runtime.tick_callback())
    try:
        log.info("serving POST /slack/events and GET /healthz on port %s", settings.port)
        waitress.serve(runtime.wsgi(), host="0.0.0.0", port=settings.port, threads=8)
    finally:
        scheduler.shutdown(wait=False)
    return 0


def socket(settings: Settings) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.runtime import build_runtime
    from bot.scheduler import start_ticking

    require(settings, "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    _check_database(settings)
    runtime = build_runtime(settings)
    scheduler = start_ticking(runtime.tick_callback())
    try:
        SocketModeHandler(runtime.app, settings.slack_app_token).start()
    finally:
        scheduler.shutdown(wait=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
