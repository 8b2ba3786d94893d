"""What the operator reads on stderr: pdpbot's own lines at LOG_LEVEL (INFO by default),
the libraries' only when they warn (all of it at DEBUG), and never a request body above DEBUG."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

OWN = ("pdpbot", "bot", "storage")
FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
# Bolt writes the body of a request it refuses (and some others) into its log at INFO or
# WARNING; a body carries what people typed, so it is shown at DEBUG or not at all.
_BODY_SOURCES = ("slack_bolt", "slack_sdk")
_BODY_MARKERS = ("body:", "for the request (")


class RequestBodies(logging.Filter):
    """Demote a Slack library record that quotes a request body to DEBUG, and drop it
    unless DEBUG is on."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno <= logging.DEBUG or not record.name.startswith(_BODY_SOURCES):
            return True
        message = record.getMessage()
        if not any(marker in message for marker in _BODY_MARKERS):
            return True
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger().isEnabledFor(logging.DEBUG)


class Unhelpful(logging.Filter):
    """Drops Bolt's warning that the client's token wins over SLACK_BOT_TOKEN: pdpbot builds
    that client from SLACK_BOT_TOKEN, so it is the same token and nothing is unused."""

    def filter(self, record: logging.LogRecord) -> bool:
        from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

        return record.getMessage() != warning_client_prioritized_and_token_skipped()


class _Handler(logging.StreamHandler[TextIO]):
    """pdpbot's handler, so that configuring again replaces it and nothing else."""


def configure(level: str = "INFO", stream: TextIO | None = None) -> None:
    """One handler on stderr; pdpbot at `level`, everything else at WARNING unless DEBUG."""
    own = logging.getLevelName(level)
    handler = _Handler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RequestBodies())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if own <= logging.DEBUG else max(own, logging.WARNING))
    for name in OWN:
        logging.getLogger(name).setLevel(own)
    bolt_app = logging.getLogger("slack_bolt.App")
    if not any(isinstance(f, Unhelpful) for f in bolt_app.filters):
        bolt_app.addFilter(Unhelpful())
