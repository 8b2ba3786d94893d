"""Every text a person reads, as jinja2 templates a company can edit without touching code."""

from __future__ import annotations

import os
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

HERE = Path(__file__).parent


def _long_date(value: date | datetime) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"


@cache
def environment() -> Environment:
    loaders = [FileSystemLoader(str(HERE))]
    override = os.environ.get("PDPBOT_PROMPTS_DIR")
    if override:
        loaders.insert(0, FileSystemLoader(override))
    env = Environment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["longdate"] = _long_date
    return env


def render(name: str, **context: Any) -> str:
    """Render prompts/<name>.j2 and strip surrounding white space."""
    return environment().get_template(f"{name}.j2").render(**context).strip()


def exists(name: str) -> bool:
    return (HERE / f"{name}.j2").exists()


class Texts:
    """The named texts of one surface: `texts("views/draft").title()` calls the macro `title`
    in prompts/views/draft.j2, so every label of a view lives in one editable file."""

    def __init__(self, name: str) -> None:
        self._module = environment().get_template(f"{name}.j2").module
        self._name = name

    def __getattr__(self, macro: str) -> Any:
        function = getattr(self._module, macro, None)
        if function is None:
            raise AttributeError(f"prompts/{self._name}.j2 has no macro {macro!r}")
        return lambda *args, **kwargs: str(function(*args, **kwargs)).strip()


@cache
def texts(name: str) -> Texts:
    return Texts(name)
