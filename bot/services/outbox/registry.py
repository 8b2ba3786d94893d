"""Kinds of outbox rows: per kind, whom it is for, where it goes, how it is rendered when it is
sent, and when it is not sent after all. The tick's core only asks these questions."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from bot.config import Settings
from storage.models import Person, Prompt
from storage.unit_of_work import UnitOfWork

# Where a row goes: the DM of one person (`Kind.recipient`); the group DM of its people
# (`Kind.people`, by default a plan's engineer and manager; a plan's is opened once and kept);
# the channel given when it was enqueued; or the thread of its parent row's message.
Destination = Literal["dm", "pair", "channel", "thread"]


class Rendered(Protocol):
    """What a kind renders: the notification text and the Block Kit blocks."""

    @property
    def text(self) -> str: ...

    @property
    def blocks(self) -> Sequence[Any]: ...


@dataclass(frozen=True)
class Close:
    """Do not send the row: it ends as `status` ("cancelled", "missed", "paused", ...)."""

    status: str
    reason: str


@dataclass(frozen=True)
class Defer:
    """Not now: the row waits until `until` (still pending, its claim given up)."""

    until: datetime
    reason: str
    late: bool = True  # remember when it was first due, so its message can say it is late


Decision = Close | Defer
Check = Callable[[UnitOfWork, Prompt, datetime, Settings], "Decision | None"]
Hook = Callable[[UnitOfWork, Prompt, datetime, Settings], None]
Render = Callable[[UnitOfWork, Prompt, datetime, Settings], Rendered]


def subject(uow: UnitOfWork, prompt: Prompt, model: type[Any]) -> Any:
    """The record a row is about (enqueued with `subject=(Model.__tablename__, id)`), or None
    when it is about something else or the record is gone."""
    if prompt.subject_type != model.__tablename__ or prompt.subject_id is None:
        return None
    return uow.session.get(model, prompt.subject_id)


def _no_check(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> None:
    return None


def _nothing(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> None:
    return None


def _recipient(prompt: Prompt) -> Person | None:
    return prompt.recipient


@dataclass(frozen=True)
class Kind:
    """One kind of message the bot owes. Only `name`, `to` and `render` are required.

    - `render(uow, prompt, now, settings)`: the message, built from the database when it is
      sent (`subject(uow, prompt, Model)` reads the record it is about).
    - `working_hours`: placed on a working day in its people's working hours, and held there
      when found late; False sends it as soon as it is due ("send now").
    - `people(prompt)`: whom it is for. Their profiles are refreshed before it is sent (a
      deactivated person stops it), and with `working_hours` the first one's calendar places
      it. Default: the recipient for "dm", engineer and manager for "pair", nobody otherwise.
    - `recipient(prompt)`: whose DM "dm" rows go to; default the row's `recipient`.
    - `check(uow, prompt, now, settings)`: Close or Defer it instead of sending; None sends.
    - `after_sent` / `after_given_up`: what follows a post, or a row that failed for good.
    """

    name: str
    to: Destination
    render: Render
    working_hours: bool = False
    people: Callable[[Prompt], list[Person]] | None = None
    recipient: Callable[[Prompt], Person | None] = _recipient
    check: Check = _no_check
    after_sent: Hook = _nothing
    after_given_up: Hook = _nothing

    def people_of(self, prompt: Prompt) -> list[Person]:
        if self.people is not None:
            return self.people(prompt)
        if self.to == "dm":
            person = self.recipient(prompt)
            return [person] if person is not None else []
        if self.to == "pair" and prompt.plan is not None:
            return [prompt.plan.engineer, prompt.plan.manager]
        return []


_KINDS: dict[str, Kind] = {}
# Modules that register the kinds the app ships with; a feature adds its module here.
BUILTIN = ("bot.services.outbox.kinds",)
_loaded = False


def register(kind: Kind) -> Kind:
    existing = _KINDS.get(kind.name)
    if existing is not None and existing != kind:
        raise ValueError(f"outbox kind {kind.name!r} is registered twice")
    _KINDS[kind.name] = kind
    return kind


def kind_of(name: str) -> Kind:
    _load()
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"no outbox kind {name!r}: register it (bot/services/outbox)") from None


def kinds() -> dict[str, Kind]:
    _load()
    return dict(_KINDS)


def _load() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        for module in BUILTIN:
            importlib.import_module(module)
