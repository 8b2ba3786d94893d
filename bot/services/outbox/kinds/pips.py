"""PIP messages (issue 12). Each goes to one of the places the issue allows and nowhere else:
the HR person's DM, the manager's DM, the engineer's DM, or the pair's DM (engineer and
manager). Each is rendered from the database when it is sent, and checks first that it is
still owed (a PIP closed meanwhile, a checkpoint recorded meanwhile)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import object_session

from bot.config import Settings
from bot.services.outbox.registry import Close, Decision, Kind, Rendered, register, subject
from bot.slack.views import pip_messages as messages
from storage.models import Person, Prompt
from storage.pip_models import Pip, PipCheckpoint
from storage.unit_of_work import UnitOfWork

HR_REVIEW = "pip_hr_review"
MANAGER = "pip_manager"
ENGINEER_PLAN = "pip_engineer_plan"
CHECKPOINT = "pip_checkpoint"
OVERDUE = "pip_checkpoint_overdue"
HR_OVERDUE = "pip_hr_overdue"
HR_NOTICE = "pip_hr_notice"
SUMMARY = "pip_summary"
OUTCOME = "pip_outcome"
# What closing a PIP withdraws: everything still owed about a checkpoint.
WITHDRAWN = (CHECKPOINT, OVERDUE, HR_OVERDUE)
UNDER_WAY = ("preconditions", "changes_requested", "planning", "ready", "open")


def _pip(uow: UnitOfWork, prompt: Prompt) -> Pip | None:
    found: Pip | None = subject(uow, prompt, Pip)
    return found


def _arg(prompt: Prompt, name: str) -> Any:
    return (prompt.args or {}).get(name)


def _checkpoint(pip: Pip, prompt: Prompt) -> PipCheckpoint | None:
    return next((c for c in pip.checkpoints if c.number == _arg(prompt, "number")), None)


def _pair(prompt: Prompt) -> list[Person]:
    """The engineer and the manager of the PIP a pair message is about."""
    session = object_session(prompt)
    pip = session.get(Pip, prompt.subject_id) if session and prompt.subject_id else None
    return [pip.engineer, pip.manager] if pip is not None else []


def _gone(uow: UnitOfWork, prompt: Prompt) -> Pip | None:
    pip = _pip(uow, prompt)
    return pip if pip is not None and pip.status not in ("referred",) else None


# --- while it is being set up --------------------------------------------------------------


def _hr_review_check(
    uow: UnitOfWork, prompt: Prompt, now: datetime, settings: Settings
) -> Decision | None:
    pip = _pip(uow, prompt)
    if pip is None or pip.status != "preconditions" or pip.hr_person_id != prompt.recipient_id:
        return Close("cancelled", "the preconditions were answered or withdrawn")
    return None


def _render_hr_review(uow: UnitOfWork, prompt: Prompt, now: datetime, s: Settings) -> Rendered:
    pip = _pip(uow, prompt)
    assert pip is not None
    return messages.hr_review(pip)


def _alive(uow: UnitOfWork, prompt: Prompt, now: datetime, s: Settings) -> Decision | None:
    if _gone(uow, prompt) is None:
        return Close("cancelled", "the PIP is gone")
    return None


def _render_manager(uow: UnitOfWork, prompt: Prompt, now: datetime, s: Settings) -> Rendered:
    pip = _pip(uow, prompt)
    assert pip is not None
    return messages.for_manager(pip, str(_arg(prompt, "step")))


def _render_engineer(uow: UnitOfWork, prompt: Prompt, now: datetime, s: Settings) -> Rendered:
    pip = _pip(uow, prompt)
    assert pip is not None
    return messages.plan_for_engineer(pip, again=bool(_arg(prompt, "again")))


def _open_only(uow: UnitOfWork, prompt: Prompt, now: datetime, s: Settings) -> Decision | None:
    pip = _pip(uow, prompt)
    if pip is None or pip.status != "open":
        return Close("cancelled", "the PIP is not open")
    return None


register(Kind(HR_REVIEW, to="dm", render=_render_hr_review, check=_hr_review_check))
register(Kind(MANAGER, to="dm", render=_render_manager, check=_alive))
register(Kind(ENGINEER_PLAN, to="dm", render=_render_engineer, check=_open_only))


# --- checkpoints ------------------------------------------------------------------------


def _unrecorded(uow: UnitOfWork, prompt: Prompt, now: datetime, s: Settings) -> Decision | None:
    """Still owed while the PIP is open and the checkpoint unrecorded."""
    pip = _pip(uow, prompt)
    if pip is None or pip.status != "open":
        return Close("cancelled", "the PIP is not open")
    checkpoint = _checkpoint(pip, prompt)
    if checkpoint is None or checkpoint.recorded_at is not None:
        return Close("cancelled", "the checkpoint is recorded")
    return None


def _render_checkpoint(kind: str) -> Any:
    def render(uow: UnitOfWork, prompt: Prompt, now: datetime, s: Settings) -> Rendered:
        pip = _pip(uow, prompt)
        assert pip is not None
        checkpoint = _checkpoint(pip, prompt)
        assert checkpoint is not None
        return messages.checkpoint_prompt(pip, checkpoint, kind)

    return render


register(
    Kind(
        CHECKPOINT,
        to="dm",
        render=_render_checkpoint("due"),
        check=_unrecorded,
        working_hours=True,
    )
)
register(
    Kind(
        OVERDUE,
        to="dm",
        render=_render_checkpoint("overdue"),
        check=_unrecorded,
        working_hours=True,
    )
)
register(
    Kind(
        HR_OVERDUE,
        to="dm",
        render=_render_checkpoint("hr_overdue"),
        check=_unrecorded,
        working_hours=True,
    )
)


def _render_summary(uow: UnitOfWork, prompt: Prompt, now: datetime, s: Settings) -> Rendered:
    pip = _pip(uow, prompt)
    assert pip is not None
    checkpoint = _checkpoint(pip, prompt)
    assert checkpoint is not None
    return messages.summary(pip, checkpoint)


def _summary_check(uow: UnitOfWork, prompt: Prompt, now: datetime, s: Settings) -> Decision | None:
    pip = _gone(uow, prompt)
    if pip is None or _checkpoint(pip, prompt) is None:
        return Close("cancelled", "the checkpoint is gone")
    return None


register(Kind(SUMMARY, to="pair", render=_render_summary, check=_summary_check, people=_pair))


# --- outcomes and HR's notices ----------------------------------------------------------------


def _render_outcome(uow: UnitOfWork, prompt: Prompt, now: datetime, s: Settings) -> Rendered:
    pip = _pip(uow, prompt)
    assert pip is not None
    return messages.outcome(pip, str(_arg(prompt, "outcome")))


def _render_hr_notice(uow: UnitOfWork, prompt: Prompt, now: datetime, s: Settings) -> Rendered:
    pip = _pip(uow, prompt)
    assert pip is not None
    return messages.hr_notice(pip, dict(prompt.args or {}), now, s)


register(Kind(OUTCOME, to="pair", render=_render_outcome, check=_alive, people=_pair))
register(Kind(HR_NOTICE, to="dm", render=_render_hr_notice, check=_alive))
