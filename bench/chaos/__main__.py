"""The reliability figures (issue 9): Slack faults, crashes, several instances, a database
outage, on SQLite and (when TEST_DATABASE_URL is set) PostgreSQL. Each row must read
duplicated 0, lost 0, HTTP 500s 0, pings 0; tests/reliability runs the quick sizes in CI.

    .venv/bin/python -m bench.chaos            # the full sizes (README "Reliability")
    .venv/bin/python -m bench.chaos --quick    # the sizes CI runs
    .venv/bin/python -m bench.chaos --only faults,crashes
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence

from bench.chaos import crashes, instances, outage, slack_faults
from bench.chaos.ledger import Ledger
from bench.databases import backends as all_backends
from bench.report import Table

ONLY: list[str] = []  # --database


def backends() -> list[str]:
    return [b for b in all_backends() if not ONLY or b in ONLY]


SECTIONS = ("faults", "crashes", "instances", "outage")
COLUMNS = [
    "scenario",
    "database",
    "due",
    "posted",
    "duplicated",
    "lost",
    "undeliverable",
    "HTTP 500s",
    "pings",
    "what else",
]


def _row(table: Table, scenario: str, backend: str, ledger: Ledger, extra: str) -> None:
    undeliverable = sum(ledger.undeliverable.values())
    reasons = ", ".join(f"{n} {why}" for why, n in ledger.undeliverable.most_common())
    table.add(
        scenario,
        backend,
        ledger.due,
        ledger.posted,
        ledger.duplicated,
        ledger.lost,
        f"{undeliverable} ({reasons})" if reasons else undeliverable,
        ledger.http_500,
        ledger.pings,
        extra,
    )


Record = Callable[[str, str, Ledger, str], None]


def faults(quick: bool, record: Record, table: Table) -> bool:
    config = slack_faults.QUICK if quick else slack_faults.FULL
    for backend in backends():
        r = slack_faults.run(config, backend)
        injected = ", ".join(f"{n} {k}" for k, n in sorted(r.faults.items()))
        record(
            f"Slack faults: {config.engineers} engineers, {config.weeks} weeks",
            backend,
            r.ledger,
            f"{sum(r.faults.values())} of {r.calls} calls failed ({injected}); "
            f"{r.reviews} reviews in {r.review_attempts} requests; {r.seconds:.0f} s",
        )
    return True


def kills(quick: bool, record: Record, table: Table) -> bool:
    for backend in backends():
        for verb in ("tick", "serve"):
            if verb == "tick":
                config = crashes.QUICK_TICKS if quick else crashes.FULL_TICKS
            else:
                config = crashes.QUICK if quick else crashes.FULL
            r = crashes.run(config, verb, backend)
            record(
                f"SIGKILL pdpbot {verb}: {config.engineers} engineers, {config.weeks} weeks",
                backend,
                r.ledger,
                f"{r.kills} kills, {r.steps} steps; {r.seconds:.0f} s",
            )
    return True


def several(quick: bool, record: Record, table: Table) -> bool:
    config = instances.QUICK if quick else instances.FULL
    clean = True
    for backend in backends():
        r = instances.run(config, backend)
        seen = f"{r.requests} requests during ticks, {len(r.refused)} not answered normally"
        record(
            f"{r.instances} serve instances: {config.engineers} engineers, {config.weeks} weeks",
            backend,
            r.ledger,
            (seen if backend == "sqlite" else f"{r.steps} steps") + f"; {r.seconds:.0f} s",
        )
        clean = clean and not r.refused
    return clean


def unreachable(quick: bool, record: Record, table: Table) -> bool:
    if "postgresql" not in backends():
        table.note("the outage needs PostgreSQL: set TEST_DATABASE_URL")
        return True
    config = outage.QUICK if quick else outage.FULL
    r = outage.run(config)
    d = r.during
    record(
        f"PostgreSQL unreachable {config.outage:g} s: {config.engineers} engineers",
        "postgresql",
        r.ledger,
        f"/healthz {d['healthz']}, then {d['healthz_after']}; /pdp and a review told to"
        f" try again: {d['pdp'][1] and d['review'][1]}; half-written: {d['reviews_written']};"
        f" the tick backed off and resumed: {d['tick_resumed']}; {r.seconds:.0f} s",
    )
    return outage.held(r)


SECTION_RUNS: dict[str, Callable[[bool, Record, Table], bool]] = {
    "faults": faults,
    "crashes": kills,
    "instances": several,
    "outage": unreachable,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.chaos", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the small sizes CI runs")
    parser.add_argument("--only", default="", help=f"comma-separated, of: {', '.join(SECTIONS)}")
    parser.add_argument(
        "--database", choices=("sqlite", "postgresql"), help="only this one (default: each)"
    )
    args = parser.parse_args(argv)
    if args.database:
        ONLY.append(args.database)
    chosen = [s for s in args.only.split(",") if s] or list(SECTIONS)
    if set(chosen) - set(SECTIONS):
        parser.error(f"unknown section(s): {', '.join(sorted(set(chosen) - set(SECTIONS)))}")
    logging.disable(logging.CRITICAL)  # the faults make the app log plenty; the table is the news
    quick = args.quick
    began = time.perf_counter()
    print(
        f"# pdpbot reliability{' (--quick)' if quick else ''}: Python"
        f" {platform.python_version()}, {os.cpu_count()} CPUs, databases: {', '.join(backends())}"
    )
    table = Table("Reliability under faults", COLUMNS)
    clean = True

    def record(scenario: str, backend: str, ledger: Ledger, extra: str) -> None:
        nonlocal clean
        _row(table, scenario, backend, ledger, extra)
        clean = clean and ledger.clean
        print(f"  {scenario} on {backend}: " + "; ".join(ledger.lines()[:1]), flush=True)

    for name in chosen:
        clean = SECTION_RUNS[name](quick, record, table) and clean
    print()
    table.print()
    print(f"\n(all: {time.perf_counter() - began:.0f} s) {'clean' if clean else 'NOT CLEAN'}")
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
