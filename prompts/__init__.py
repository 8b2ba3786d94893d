"""Every text a person reads, as jinja2 templates a company can edit without touching code.

Every value a template prints is escaped for Slack mrkdwn (`&`, `<`, `>` become `&amp;`,
`&lt;`, `&gt;`), so text a person typed renders as typed and `<!channel>`, `<@U…>`, `<#C…>`
or `<url|label>` in it pings nobody and links nowhere. The template's own words are not
escaped: `<@{{ engineer_id }}>` still mentions the engineer. A template cannot opt out, so a
new one cannot forget it; only the texts printed on a terminal (the CLI, the manifest, the
demo's frames, the formal records written to files) are not Slack text and are left alone.

Slack's `plain_text` objects (headers, modal titles, labels, buttons, options, hints) show
their text literally: `&lt;` there would read as the four characters. Builders put rendered
text into a plain_text object through `plain()`, exactly once."""

from __future__ import annotations

import os
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

HERE = Path(__file__).parent
# Texts for a terminal or a YAML file, not for Slack: printed as they are.
NOT_SLACK = ("cli", "manifest", "demo/", "formal/")


def _long_date(value: date | datetime | str) -> str:
    """ "Mon 4 Jan 2027", the one way a date appears in a sentence (ISO text too: findings
    carry their dates as strings)."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return f"{value:%a} {value.day} {value:%b %Y}"


def _autoescape(name: str | None) -> bool:
    return not (name or "").startswith(NOT_SLACK)


class Rendered(str):
    """Text the template layer produced: already escaped, so a template that prints it again
    (a macro's output passed to another macro) does not escape it twice."""

    __slots__ = ()

    def __html__(self) -> str:
        return str(self)


def _slack(markup: str) -> Rendered:
    """markupsafe escapes quotes too; Slack decodes only `&amp;`, `&lt;`, `&gt;` and would
    show `&#39;`. An escaped `&` is `&amp;`, so the only `&#39;` and `&#34;` left in the
    output are the quotes markupsafe escaped."""
    return Rendered(str(markup).replace("&#39;", "'").replace("&#34;", '"'))


def escape(text: str) -> str:
    """Text for a mrkdwn object, built outside a template."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(text: str) -> str:
    """Rendered text for a plain_text object, which Slack shows literally: undo the escaping.
    Apply it once: `plain` of plain text would turn a typed `&lt;` into `<`."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@cache
def environment() -> Environment:
    loaders = [FileSystemLoader(str(HERE))]
    override = os.environ.get("PDPBOT_PROMPTS_DIR")
    if override:
        loaders.insert(0, FileSystemLoader(override))
    env = Environment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=_autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["longdate"] = _long_date
    return env


def render(name: str, **context: Any) -> str:
    """Render prompts/<name>.j2 and strip surrounding white space."""
    text = environment().get_template(f"{name}.j2").render(**context).strip()
    return _slack(text) if _autoescape(name) else text


def exists(name: str) -> bool:
    return (HERE / f"{name}.j2").exists()


class Texts:
    """The named texts of one surface: `texts("views/draft").title()` calls the macro `title`
    in prompts/views/draft.j2, so every label of a view lives in one editable file."""

    def __init__(self, name: str) -> None:
        self._module = environment().get_template(f"{name}.j2").module
        self._name = name
        self._slack = _autoescape(name)

    def __getattr__(self, macro: str) -> Any:
        function = getattr(self._module, macro, None)
        if function is None:
            raise AttributeError(f"prompts/{self._name}.j2 has no macro {macro!r}")
        if self._slack:
            return lambda *args, **kwargs: _slack(Markup(function(*args, **kwargs)).strip())
        return lambda *args, **kwargs: str(function(*args, **kwargs)).strip()


@cache
def texts(name: str) -> Texts:
    return Texts(name)
