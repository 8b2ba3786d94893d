"""The kinds the app ships with. A feature adds its module of kinds to this list."""

from bot.services.outbox.kinds import cadence, hr, lifecycle

__all__ = ["cadence", "hr", "lifecycle"]
