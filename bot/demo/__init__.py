"""`pdpbot demo`: the whole cadence offline, against the local stand-in for Slack."""

from bot.demo.runner import run

__all__ = ["run"]
