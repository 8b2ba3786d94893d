import os
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

Clock = Callable[[], datetime]

# Tests and `python -m bench.chaos` run `pdpbot serve` and `pdpbot tick` through a simulated
# month: every process reads the time from this file (one ISO 8601 instant), which the test moves.
CLOCK_FILE = "PDPBOT_CLOCK_FILE"


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


def file_clock(path: Path) -> Clock:
    """The instant written in `path` (ISO 8601, UTC when it has no offset)."""

    def now() -> datetime:
        found = datetime.fromisoformat(path.read_text(encoding="utf-8").strip())
        return found if found.tzinfo else found.replace(tzinfo=timezone.utc)

    return now


def clock_from_environment() -> Clock:
    """The system clock, or the simulated one of PDPBOT_CLOCK_FILE when it is set."""
    path = os.environ.get(CLOCK_FILE)
    return file_clock(Path(path)) if path else system_clock
