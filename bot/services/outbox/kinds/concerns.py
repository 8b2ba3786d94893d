"""Early-intervention messages: the follow-up in the recording manager's DM on its date, in
their working hours; the optional recap in the engineer's DM (the expectation, the support
and the follow-up date, never the manager's notes). Nothing about a concern goes anywhere
else."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.config import Settings
from bot.domain.cadence import local_date
from bot.domain.concerns import formal_process_may_be_warranted
from bot.services.cadence import zone_of
from bot.services.outbox.registry import Close, Decision, Kind, Rendered, register, subject
from bot.slack.views import concern_messages as messages
from storage.models import Concern, ConcernConversation, Prompt
from storage.unit_of_work import UnitOfWork

FOLLOW_UP = "concern_follow_up"
RECAP = "concern_recap"


def _concern(uow: UnitOfWork, prompt: Prompt) -> Concern | None:
    found: Concern | None = subject(uow, prompt, Concern)
    return found


def _number(prompt: Prompt) -> int | None:
    value: Any = (prompt.args or {}).get("number")
    return value if isinstance(value, int) else None


def _conversation(concern: Concern, prompt: Prompt) -> ConcernConversation | None:
    return next((c for c in concern.conversations if c.number == _number(prompt)), None)


# --- the follow-up -----------------------------------------------------------------------


def _follow_up_check(
    uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings
) -> Decision | None:
    """Still owed while the thread is open and this conversation is its latest, unanswered."""
    concern = _concern(uow, prompt)
    if concern is None or concern.status != "open":
        return Close("cancelled", "the concern is closed")
    last = concern.conversations[-1]
    if last.number != _number(prompt) or last.outcome is not None:
        return Close("cancelled", "this follow-up was answered or replaced by a later conversation")
    return None


def _render_follow_up(
    uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings
) -> Rendered:
    concern = _concern(uow, prompt)
    assert concern is not None  # the check closed the row otherwise
    last = concern.conversations[-1]
    today = local_date(now, zone_of(concern.manager, settings))
    formal_due = formal_process_may_be_warranted(last.number, last.follow_up_on, today)
    return messages.follow_up(concern, formal_due)


register(
    Kind(
        FOLLOW_UP,
        to="dm",
        render=_render_follow_up,
        check=_follow_up_check,
        working_hours=True,
    )
)


# --- the recap -------------------------------------------------------------------------


def _recap_check(
    uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings
) -> Decision | None:
    concern = _concern(uow, prompt)
    if concern is None or _conversation(concern, prompt) is None:
        return Close("cancelled", "the conversation is gone")
    return None


def _render_recap(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> Rendered:
    concern = _concern(uow, prompt)
    assert concern is not None
    conversation = _conversation(concern, prompt)
    assert conversation is not None
    return messages.recap(concern, conversation)


def _audit_recap(action: str) -> Any:
    """The evidence, later, that expectations were made explicit: appended to the audit log
    in the transaction that records how the recap ended."""

    def hook(uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings) -> None:
        concern = _concern(uow, prompt)
        if concern is None:
            return
        uow.audit.append(
            team_id=concern.team_id,
            at=now,
            actor_id=None,
            action=action,
            subject_type="concern",
            subject_id=concern.id,
            engineer_id=concern.engineer_id,
            before=None,
            after={"number": _number(prompt), "status": prompt.status, "error": prompt.error},
        )

    return hook


register(
    Kind(
        RECAP,
        to="dm",
        render=_render_recap,
        check=_recap_check,
        after_sent=_audit_recap("concern.recap_sent"),
        after_given_up=_audit_recap("concern.recap_not_sent"),
    )
)
