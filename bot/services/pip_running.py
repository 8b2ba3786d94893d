"""A PIP once open (the guide's "Checkpoint Conversations", "The Checkpoint Conversation
Structure", "When the PIP Is Not Working"): the engineer's answers, checkpoints, integrity
signals sent to HR when they change, and outcomes, with "not met" refused while the
organisation has not met its part. Every step is audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.domain.errors import Conflict, DomainError
from bot.domain.goals import Finding
from bot.domain.pip_integrity import CheckpointForm, Signal, check_checkpoint, outcome_refusal
from bot.domain.plans import errors_of, fingerprint, warnings_of
from bot.domain.policy import Act
from bot.services import pip_facts, pip_outbox
from bot.services.common import Ctx, today_for
from bot.services.pips import audit, load_pip, snapshot
from storage.models import Person
from storage.pip_models import Pip, PipCheckpoint, PipCriterion

_EARLY = timedelta(days=3)  # a checkpoint may be held a few days before its date


def _open(pip: Pip) -> Pip:
    if pip.status == "closed":
        raise Conflict("pip/errors/closed")
    if pip.status != "open":
        raise Conflict("pip/errors/moved_on")
    return pip


# --- the engineer ---------------------------------------------------------------------------


def received(ctx: Ctx, engineer: Person, pip_id: int) -> Pip:
    pip = _open(load_pip(ctx, engineer, pip_id, Act.AGREE_PIP))
    if pip.received_at is None:
        pip.received_at = ctx.now
        ctx.uow.session.flush()
        audit(ctx, engineer, pip, "pip.received", None, {"received_at": ctx.now.isoformat()})
        ctx.uow.commit()
    return pip


def _criterion(pip: Pip, criterion_id: int, revision: int | None) -> PipCriterion:
    criterion = next((c for c in pip.criteria if c.id == criterion_id), None)
    if criterion is None or (revision is not None and criterion.revision != revision):
        raise Conflict("pip/errors/moved_on")
    return criterion


def criterion_text(ctx: Ctx, engineer: Person, pip_id: int, criterion_id: int) -> str:
    pip = _open(load_pip(ctx, engineer, pip_id, Act.AGREE_PIP))
    return _criterion(pip, criterion_id, None).text


def answer(
    ctx: Ctx,
    engineer: Person,
    pip_id: int,
    criterion_id: int,
    revision: int | None,
    comment: str | None = None,
) -> Pip:
    """ "Yes: if I achieve that, I should be considered to have met the requirement" (no
    comment), or a comment. Recorded for this wording of the criterion only."""
    pip = _open(load_pip(ctx, engineer, pip_id, Act.AGREE_PIP))
    criterion = _criterion(pip, criterion_id, revision)
    if comment is not None and not comment.strip():
        raise DomainError("pip/errors/changes_empty")
    before = {"answer": criterion.answer, "comment": criterion.comment}
    criterion.answer = "agreed" if comment is None else "commented"
    criterion.comment = (comment or "").strip()[:3000]
    criterion.answered_revision, criterion.answered_at = criterion.revision, ctx.now
    ctx.uow.session.flush()
    after = {
        "criterion_id": criterion.id,
        "revision": criterion.revision,
        "answer": criterion.answer,
        "comment": criterion.comment,
    }
    audit(ctx, engineer, pip, "pip.criterion_answered", before, after)
    if all(c.answered_revision == c.revision for c in pip.criteria):
        pip_outbox.tell_manager(ctx, pip, "answered")
    ctx.uow.commit()
    return pip


# --- checkpoints ------------------------------------------------------------------------


def checkpoint_to_record(
    ctx: Ctx, manager: Person, pip_id: int, number: int
) -> tuple[Pip, PipCheckpoint]:
    pip = _open(load_pip(ctx, manager, pip_id, Act.CHECKPOINT_PIP))
    checkpoint = next((c for c in pip.checkpoints if c.number == number), None)
    if checkpoint is None:
        raise Conflict("pip/errors/moved_on")
    if checkpoint.recorded_at is not None:
        raise Conflict("pip/errors/already_recorded")
    if today_for(manager, ctx) < checkpoint.due_on - _EARLY:
        raise Conflict("pip/errors/not_due")
    return pip, checkpoint


def signal_texts(pip: Pip, today: date) -> list[Signal]:
    return pip_facts.signals(pip, today)


@dataclass
class Checked:
    findings: list[Finding] = field(default_factory=list)
    warned: str | None = None
    checkpoint: PipCheckpoint | None = None
    suggestions: list[Signal] = field(default_factory=list)


def record_checkpoint(
    ctx: Ctx, manager: Person, pip_id: int, number: int, form: CheckpointForm, warned: str | None
) -> Checked:
    pip, checkpoint = checkpoint_to_record(ctx, manager, pip_id, number)
    is_final = checkpoint.number == len(pip.checkpoints)
    findings = check_checkpoint(form, is_final)
    if len(form.assessments) != len(pip.criteria) or len(form.deliveries) != len(pip.support):
        raise Conflict("pip/errors/moved_on")
    if errors_of(findings):
        return Checked(errors_of(findings))
    seen = fingerprint(form)
    if warnings_of(findings) and warned != seen:
        return Checked(warnings_of(findings), warned=seen)
    today = today_for(manager, ctx)
    signals_before = _codes(pip_facts.signals(pip, today))
    working_before = {s.code for s in pip_facts.not_working(pip, today)}
    checkpoint.recorded_at, checkpoint.recorded_on = ctx.now, today
    checkpoint.working, checkpoint.needs_work = form.working, form.needs_work
    checkpoint.adjustments, checkpoint.next_focus = form.adjustments, form.next_focus
    checkpoint.assessments = [
        {"criterion_id": c.id, "status": a.status, "evidence": a.evidence}
        for c, a in zip(pip.criteria, form.assessments, strict=True)
    ]
    checkpoint.deliveries = [
        {"support_id": s.id, "delivery": d.delivery, "reason": d.reason}
        for s, d in zip(pip.support, form.deliveries, strict=True)
    ]
    ctx.uow.session.flush()
    audit(ctx, manager, pip, "pip.checkpoint", None, _checkpoint_snapshot(checkpoint))
    pip_outbox.share_checkpoint(ctx, pip, checkpoint.number)
    signals_after = _codes(pip_facts.signals(pip, today))
    if signals_after != signals_before:
        pip_outbox.tell_hr(ctx, pip, "signals", signals=signals_after)
        audit(
            ctx,
            None,
            pip,
            "pip.signals_changed",
            {"signals": signals_before},
            {"signals": signals_after},
        )
    suggestions = pip_facts.not_working(pip, today)
    for signal in suggestions:
        if signal.code == "hr_should_engage" and signal.code not in working_before:
            pip_outbox.tell_hr(ctx, pip, "not_working", code=signal.code)
    ctx.uow.commit()
    return Checked(checkpoint=checkpoint, suggestions=suggestions)


def _codes(signals: list[Signal]) -> list[list[Any]]:
    return [[s.code, dict(s.params)] for s in signals]


def _checkpoint_snapshot(checkpoint: PipCheckpoint) -> dict[str, Any]:
    return {
        "number": checkpoint.number,
        "due_on": checkpoint.due_on.isoformat(),
        "recorded_on": checkpoint.recorded_on.isoformat() if checkpoint.recorded_on else None,
        "assessments": checkpoint.assessments,
        "deliveries": checkpoint.deliveries,
        "working": checkpoint.working,
        "needs_work": checkpoint.needs_work,
        "adjustments": checkpoint.adjustments,
        "next_focus": checkpoint.next_focus,
    }


# --- outcomes ---------------------------------------------------------------------------


def pip_to_close(ctx: Ctx, manager: Person, pip_id: int) -> Pip:
    return _open(load_pip(ctx, manager, pip_id, Act.CLOSE_PIP))


def close(
    ctx: Ctx, manager: Person, pip_id: int, outcome: str | None, new_end: date | None, note: str
) -> Pip:
    """Record an outcome, or refuse it with the reason (prompts/pip/refusals)."""
    pip = pip_to_close(ctx, manager, pip_id)
    facts = pip_facts.facts_of(pip)
    assert facts is not None
    today = today_for(manager, ctx)
    refusal = outcome_refusal(outcome or "", facts, today, new_end)
    if refusal is not None:
        audit(
            ctx, manager, pip, "pip.outcome_refused", None, {"outcome": outcome, "reason": refusal}
        )
        ctx.uow.commit()
        raise DomainError(f"pip/refusals/{refusal}")
    assert outcome is not None
    before = snapshot(pip)
    pip.outcome, pip.outcome_note = outcome, note.strip()[:3000]
    if outcome == "extended":
        assert new_end is not None and pip.start_on is not None
        pip.end_on = new_end
        pip.weeks = max(pip.weeks or 0, -(-(new_end - pip.start_on).days // 7))
        pip_outbox.schedule_checkpoints(ctx, pip)
    else:
        pip.status, pip.closed_at = "closed", ctx.now
        pip_outbox.withdraw(ctx, pip, f"the PIP closed: {outcome}")
    ctx.uow.session.flush()
    audit(ctx, manager, pip, f"pip.{outcome}", before, snapshot(pip))
    pip_outbox.tell_outcome(ctx, pip, outcome)
    ctx.uow.commit()
    return pip
