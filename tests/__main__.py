"""The whole check: lint, format, types, then every test. `python -m tests [pytest args]`.

The tests run in four pytest-xdist workers (`-n 4`, unless the arguments give `-n`): most of
their time is spent waiting on loopback HTTP and the databases, so four overlap well even on
two cores. Each worker has its own SQLite file and its own PostgreSQL database."""

from __future__ import annotations

import subprocess
import sys

STEPS = (
    ("ruff lint", [sys.executable, "-m", "ruff", "check", "."]),
    ("ruff format", [sys.executable, "-m", "ruff", "format", "--check", "."]),
    ("mypy", [sys.executable, "-m", "mypy"]),
)


def main() -> int:
    for name, command in STEPS:
        print(f"== {name}", flush=True)
        if subprocess.call(command) != 0:
            print(f"== {name} failed", flush=True)
            return 1
    print("== pytest", flush=True)
    args = sys.argv[1:]
    if not any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in args):
        args = ["-n", "4", *args]
    return subprocess.call([sys.executable, "-m", "pytest", *args])


if __name__ == "__main__":
    sys.exit(main())
