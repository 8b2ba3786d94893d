"""Every benchmark, on SQLite and (when TEST_DATABASE_URL is set) PostgreSQL; prints tables of
figures and ratios measured in this one run. Nothing here passes or fails (bench/README.md).

    .venv/bin/python -m bench            # the full run: under ten minutes on 2 cores
    .venv/bin/python -m bench --quick    # every table, small sizes: under a minute
    .venv/bin/python -m bench --only latency,tick
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from bench import delivery, hr, hr_home, latency, tick
from bench.databases import backends
from bench.report import Table
from bench.seed import TEAM
from bot.fakeslack import FakeSlack

SECTIONS: dict[str, tuple[Any, Any, Callable[..., list[Table]]]] = {
    "latency": (latency.FULL, latency.QUICK, latency.run),
    "tick": (tick.FULL, tick.QUICK, tick.run),
    "delivery": (delivery.FULL, delivery.QUICK, delivery.run),
    "hr": (hr.FULL, hr.QUICK, hr.run),
    "hr-home": (hr_home.FULL, hr_home.QUICK, hr_home.run),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: every table, fast")
    parser.add_argument(
        "--only", help=f"comma-separated sections, of: {', '.join(SECTIONS)}", default=""
    )
    args = parser.parse_args(argv)
    chosen = [s for s in args.only.split(",") if s] or list(SECTIONS)
    unknown = set(chosen) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    started = time.perf_counter()
    print(
        f"# pdpbot benchmarks{' (--quick)' if args.quick else ''}: Python"
        f" {platform.python_version()}, {os.cpu_count()} CPUs, databases: {', '.join(backends())}"
    )
    if "postgresql" not in backends():
        print("TEST_DATABASE_URL is not set: SQLite only")
    with FakeSlack(team_id=TEAM) as fake:
        for backend in backends():
            print(f"\n## {backend}", flush=True)
            for name in chosen:
                full, quick, run = SECTIONS[name]
                begun = time.perf_counter()
                for table in run(backend, quick if args.quick else full, fake):
                    table.print()
                print(f"({name} on {backend}: {time.perf_counter() - begun:.0f} s)", flush=True)
                fake.clear()
    print(f"\n(all: {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
