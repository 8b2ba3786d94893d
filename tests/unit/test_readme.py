"""The README's configuration and commands sections describe what the code does."""

from __future__ import annotations

import re
from pathlib import Path

from bot.cli import SETTINGS
from bot.config import Settings

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def first_cells(text: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"^\| `([^`]+)`", text, re.MULTILINE)]


def test_the_configuration_table_lists_every_setting_and_only_those() -> None:
    documented = first_cells(section("Configuration"))
    settings = [name.upper() for name in Settings.model_fields]
    assert sorted(documented) == sorted([*settings, "PDPBOT_PROMPTS_DIR"])


def test_the_configuration_table_gives_each_settings_default() -> None:
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^\| `([A-Z_]+)` \| ([^|]+) \|", section("Configuration"), re.M)
    }
    for name, field in Settings.model_fields.items():
        shown = rows[name.upper()].strip()
        if field.default is None:
            assert shown in ("—", "Slack's"), name
        else:
            assert shown == f"`{field.default}`", name


def test_the_commands_table_lists_every_verb() -> None:
    documented = {cell.split()[1] for cell in first_cells(section("Commands")) if " " in cell}
    assert documented == set(SETTINGS)
    assert "`pdpbot demo [--quiet]`" in section("Commands")


def test_ci_runs_the_readme_test_command_and_cites_a_section_that_exists() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    cited = re.search(r'README\.md, "([^"]+)"', script)
    assert cited is not None
    assert f"\n## {cited.group(1)}\n" in README
    command = (
        "python3 -m venv .venv && .venv/bin/pip install -q -e '.[dev]' && .venv/bin/python -m tests"
    )
    assert command in script
    assert command in README
    assert "Slack lifecycle tests" in section("Tests")
