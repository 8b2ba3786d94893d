"""The kinds the app ships with. A feature adds its module of kinds to this list."""

from bot.services.outbox.kinds import (
    cadence,
    concerns,
    cycles,
    hr,
    lifecycle,
    pips,
    quarter,
    roster,
)

__all__ = ["cadence", "concerns", "cycles", "hr", "lifecycle", "pips", "quarter", "roster"]
