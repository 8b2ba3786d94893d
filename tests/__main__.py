"""The whole check: lint, format, types, then every test. `python -m tests [pytest args]`."""

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
    return subprocess.call([sys.executable, "-m", "pytest", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
