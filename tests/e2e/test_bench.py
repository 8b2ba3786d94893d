"""`python -m bench --quick` runs every benchmark and prints every table (never any verdict
on the figures: tests do not assert times)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TABLES = (
    "Interaction latency, request to response",
    "Interaction latency, request to views.open / views.publish",
    "Memory of `pdpbot serve`",
    "A 429 inside a request",
    "Idle tick, nothing due",
    "Tick sending",
    "Delivering due prompts",
    "HR digest and a manager's App Home",
)


def test_quick_bench_prints_every_table_with_every_row() -> None:
    env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"}  # SQLite: quicker
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    for title in TABLES:
        assert f"### {title}" in out, f"no table {title!r} in:\n{out}"
    latency = out.split("### Interaction latency, request to response")[1].split("###")[0]
    for request in ("/pdp ", "/pdp-review", "App Home"):
        rows = [line for line in latency.splitlines() if line.startswith(f"| {request}")]
        assert len(rows) == 2, f"{request}: one row at 1 client and one at 32 in:\n{latency}"
    cases = out.split("### Delivering due prompts")[1]
    for case in ("no rate limits", "per-channel limits", "mixed, per-channel limits"):
        assert f"| {case} " in cases
