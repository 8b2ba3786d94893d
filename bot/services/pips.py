"""A PIP from /pip to the engineer's copy (issue 12; the guide's "When a PIP Is Appropriate"
and "How to Run a PIP With Integrity"): the five preconditions with evidence, HR from the
start (a member of the private HR channel acknowledges before the engineer sees anything),
the plan, and the opening conversation. Every step is audited (subject_type "pip").

Every refusal of access reads the same whether or not a PIP exists (PipRefused)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.domain.errors import Conflict, DomainError, PermissionDenied
from bot.domain.goals import Finding
from bot.domain.pip_rules import (
    PlanForm,
    Preconditions,
    check_plan,
    check_preconditions,
    end_date,
    route,
)
from bot.domain.plans import errors_of, fingerprint, warnings_of
from bot.domain.policy import Act, Actor, Subject, allows
from bot.services import hr_channel, pip_outbox
from bot.services.common import Ctx, today_for
from bot.services.people import ensure_person
from storage.models import Concern, ConcernConversation, Person
from storage.pip_models import Pip, PipConcern, PipCriterion, PipSupport

SUBJECT_TYPE = "pip"
UNDER_WAY = ("preconditions", "changes_requested", "planning", "ready", "open")


class PipRefused(PermissionDenied):
    """The one answer to anyone who may not see or touch a PIP, or names one that does not
    exist: it never says which."""

    template = "pip/errors/refused"


# --- the policy, for PIPs -----------------------------------------------------------------


def actor_of(ctx: Ctx, person: Person) -> Actor:
    """The person as the policy sees them; HR when Slack lists them in the private HR
    channel right now (conversations.info is_private, then conversations.members)."""
    is_hr = hr_channel.is_member(ctx.gateway, ctx.settings, ctx.now, person.slack_user_id)
    return Actor(person.team_id, person.id, person.is_bot, person.deleted, is_hr=is_hr)


def subject_of(pip: Pip) -> Subject:
    return Subject(pip.team_id, pip.engineer_id, pip.manager_id, confidential=True, escalated=True)


def load_pip(ctx: Ctx, person: Person, pip_id: int, act: Act) -> Pip:
    """The PIP, if `person` may do `act` to it; the same refusal otherwise."""
    pip = ctx.uow.pips.get(pip_id)
    if pip is None or pip.team_id != ctx.team_id:
        raise PipRefused()
    if not allows(actor_of(ctx, person), act, subject_of(pip)):
        raise PipRefused()
    return pip


def snapshot(pip: Pip) -> dict[str, Any]:
    """What the audit log keeps of a PIP after each step."""
    return {
        "status": pip.status,
        "classification": pip.classification,
        "hr_person_id": pip.hr_person_id,
        "preconditions": dict(pip.preconditions or {}),
        "earlier_iterations": pip.earlier_iterations,
        "hr_changes": pip.hr_changes,
        "start_on": pip.start_on.isoformat() if pip.start_on else None,
        "end_on": pip.end_on.isoformat() if pip.end_on else None,
        "weeks": pip.weeks,
        "timeline_justification": pip.timeline_justification,
        "frequency": pip.frequency,
        "frequency_reason": pip.frequency_reason,
        "consequence": pip.consequence,
        "concerns": [{"concern": c.concern, "evidence": c.evidence} for c in pip.concerns],
        "criteria": [{"text": c.text, "revision": c.revision} for c in pip.criteria],
        "support": [{"what": s.what, "who": s.who, "how_often": s.how_often} for s in pip.support],
        "outcome": pip.outcome,
    }


def audit(
    ctx: Ctx,
    actor: Person | None,
    pip: Pip,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    ctx.uow.audit.append(
        team_id=pip.team_id,
        at=ctx.now,
        actor_id=actor.id if actor else None,
        action=action,
        subject_type=SUBJECT_TYPE,
        subject_id=pip.id,
        engineer_id=pip.engineer_id,
        before=before,
        after=after,
    )


# --- /pip @engineer -------------------------------------------------------------------


def _engineer_subject(engineer: Person) -> Subject:
    manager_id = engineer.manager_id if engineer.manager_id is not None else -1
    return Subject(engineer.team_id, engineer.id, manager_id, confidential=True, escalated=True)


def require_hr_channel(ctx: Ctx) -> hr_channel.HrChannel:
    """The private HR channel, or a refusal for whoever runs pdpbot: the guide requires HR."""
    channel = hr_channel.look(ctx.gateway, ctx.settings, ctx.now)
    if channel.state == "not_configured":
        raise DomainError("pip/errors/no_hr_channel")
    if channel.state == "not_private":
        raise DomainError("pip/errors/hr_channel_public", channel=channel.channel_id or "")
    if not channel.usable:
        raise DomainError("pip/errors/hr_channel_unreachable", error=channel.error)
    return channel


def engineer_named(ctx: Ctx, manager: Person, user_id: str | None) -> Person:
    """Whom a manager may open a PIP about: their own report, a person, active."""
    if not user_id:
        raise DomainError("pip/errors/usage")
    if user_id == manager.slack_user_id:
        raise DomainError("pip/errors/yourself")
    engineer = ensure_person(ctx.uow, ctx.gateway, ctx.team_id, user_id, ctx.now, ctx.settings)
    if engineer.is_bot or engineer.deleted:
        raise DomainError("pip/errors/not_a_person", who=user_id)
    if not allows(actor_of(ctx, manager), Act.OPEN_PIP, _engineer_subject(engineer)):
        raise PermissionDenied("pip/errors/not_your_report", who=user_id)
    return engineer


@dataclass(frozen=True)
class EarlierConversation:
    held_on: date
    number: int
    expectation: str  # empty when another manager recorded it (they alone read it)
    recap: bool


@dataclass(frozen=True)
class PipStart:
    """What the preconditions modal opens with."""

    engineer_id: int
    engineer_name: str
    earlier: list[EarlierConversation]
    form: Preconditions | None = None
    pip_id: int | None = None  # editing after HR asked for changes
    hr_changes: str = ""

    @property
    def iterations(self) -> int:
        return len(self.earlier)


def earlier_conversations(ctx: Ctx, manager: Person, engineer: Person) -> list[EarlierConversation]:
    """Every early-intervention conversation recorded about the engineer, oldest first. Only
    how many and when for another manager's (COUNT_CONCERNS); what was expected only for the
    manager's own, whose recaps are the written expectations."""
    rows = ctx.uow.session.execute(
        select(ConcernConversation, Concern)
        .join(Concern, ConcernConversation.concern_id == Concern.id)
        .where(Concern.team_id == ctx.team_id, Concern.engineer_id == engineer.id)
        .order_by(ConcernConversation.held_on, ConcernConversation.id)
    ).all()
    return [
        EarlierConversation(
            c.held_on,
            c.number,
            c.expectation if thread.manager_id == manager.id else "",
            c.recap_requested and thread.manager_id == manager.id,
        )
        for c, thread in rows
    ]


def start(ctx: Ctx, manager: Person, engineer: Person) -> PipStart:
    """A new PIP's preconditions; a second one while one is under way is refused."""
    require_hr_channel(ctx)
    if ctx.uow.pips.under_way(ctx.team_id, engineer.id) is not None:
        raise Conflict("pip/errors/already_under_way", who=engineer.slack_user_id)
    return PipStart(engineer.id, engineer.name, earlier_conversations(ctx, manager, engineer))


def restart(ctx: Ctx, manager: Person, pip_id: int) -> PipStart:
    """The preconditions again, as HR asked for changes."""
    pip = load_pip(ctx, manager, pip_id, Act.OPEN_PIP)
    if pip.status != "changes_requested":
        raise Conflict("pip/errors/moved_on")
    values = pip.preconditions or {}
    hr = pip.hr_person.slack_user_id if pip.hr_person else None
    form = Preconditions(
        frozenset(values.get("confirmed", [])),
        values.get("gap_evidence", ""),
        values.get("expectations_evidence", ""),
        values.get("conversations_evidence", ""),
        pip.classification,
        values.get("support_evidence", ""),
        values.get("justification", ""),
        hr,
    )
    earlier = earlier_conversations(ctx, manager, pip.engineer)
    return PipStart(pip.engineer_id, pip.engineer.name, earlier, form, pip.id, pip.hr_changes)


@dataclass
class Submitted:
    """What became of a submission: refused with findings, warned once, or saved."""

    findings: list[Finding] = field(default_factory=list)
    warned: str | None = None
    pip: Pip | None = None


def submit_preconditions(
    ctx: Ctx,
    manager: Person,
    *,
    engineer_id: int,
    pip_id: int | None,
    form: Preconditions,
    warned: str | None,
) -> Submitted:
    """Conduct or capability: recorded as referred, and the PIP stops. Performance: checked,
    the HR person checked against the private HR channel, saved, and HR's DM owed."""
    engineer = ctx.uow.people.get_by_id(engineer_id)
    if engineer is None or engineer.team_id != ctx.team_id:
        raise PipRefused()
    if not allows(actor_of(ctx, manager), Act.OPEN_PIP, _engineer_subject(engineer)):
        raise PipRefused()
    existing = ctx.uow.pips.under_way(ctx.team_id, engineer.id)
    if pip_id is None and existing is not None:
        raise Conflict("pip/errors/already_under_way", who=engineer.slack_user_id)
    if pip_id is not None and (existing is None or existing.id != pip_id):
        raise Conflict("pip/errors/moved_on")
    iterations = len(earlier_conversations(ctx, manager, engineer))
    findings = check_preconditions(form, iterations)
    if errors_of(findings):
        return Submitted(errors_of(findings))
    if route(form.classification) != "pip":
        return Submitted(pip=_refer(ctx, manager, engineer, existing, form))
    hr_person = _hr_person(ctx, engineer, form.hr_user_id)
    seen = fingerprint(form)
    if warnings_of(findings) and warned != seen:
        return Submitted(warnings_of(findings), warned=seen)
    return Submitted(
        pip=_save_preconditions(ctx, manager, engineer, existing, form, hr_person, iterations)
    )


def _hr_person(ctx: Ctx, engineer: Person, user_id: str | None) -> Person:
    channel = require_hr_channel(ctx)
    if not user_id or user_id not in channel.members or user_id == engineer.slack_user_id:
        raise DomainError("pip/errors/hr_not_member", who=user_id or "")
    person = ensure_person(ctx.uow, ctx.gateway, ctx.team_id, user_id, ctx.now, ctx.settings)
    if person.is_bot or person.deleted:
        raise DomainError("pip/errors/hr_not_member", who=user_id)
    return person


def _values(form: Preconditions) -> dict[str, Any]:
    return {
        "confirmed": sorted(form.confirmed),
        "gap_evidence": form.gap_evidence.strip(),
        "expectations_evidence": form.expectations_evidence.strip(),
        "conversations_evidence": form.conversations_evidence.strip(),
        "support_evidence": form.support_evidence.strip(),
        "justification": form.justification.strip(),
    }


def _refer(
    ctx: Ctx, manager: Person, engineer: Person, existing: Pip | None, form: Preconditions
) -> Pip:
    """The guide's condition 4: a different process applies. Only that is recorded."""
    before = snapshot(existing) if existing else None
    pip = existing or Pip(
        team_id=ctx.team_id, engineer_id=engineer.id, manager_id=manager.id, created_at=ctx.now
    )
    pip.status, pip.classification, pip.closed_at = "referred", form.classification or "", ctx.now
    pip.preconditions = {}
    if existing is None:
        ctx.uow.pips.add(pip)
    else:
        pip_outbox.withdraw(ctx, pip, "classified as another process")
    ctx.uow.session.flush()
    audit(
        ctx,
        manager,
        pip,
        "pip.referred",
        before,
        {"status": "referred", "classification": pip.classification},
    )
    ctx.uow.commit()
    return pip


def _save_preconditions(
    ctx: Ctx,
    manager: Person,
    engineer: Person,
    existing: Pip | None,
    form: Preconditions,
    hr_person: Person,
    iterations: int,
) -> Pip:
    before = snapshot(existing) if existing else None
    pip = existing or Pip(
        team_id=ctx.team_id, engineer_id=engineer.id, manager_id=manager.id, created_at=ctx.now
    )
    pip.status, pip.classification = "preconditions", "performance"
    pip.preconditions, pip.hr_person, pip.earlier_iterations = _values(form), hr_person, iterations
    try:
        if existing is None:
            ctx.uow.pips.add(pip)
        ctx.uow.session.flush()
        action = "pip.preconditions" if existing is None else "pip.preconditions_changed"
        audit(ctx, manager, pip, action, before, snapshot(pip))
        pip_outbox.ask_hr(ctx, pip)
        ctx.uow.commit()
    except IntegrityError:  # another window started one
        ctx.uow.rollback()
        raise Conflict("pip/errors/already_under_way", who=engineer.slack_user_id) from None
    return pip


# --- HR: acknowledge, or ask for changes ---------------------------------------------------


def _as_hr(ctx: Ctx, person: Person, pip_id: int) -> Pip:
    pip = load_pip(ctx, person, pip_id, Act.ACKNOWLEDGE_PIP)
    if pip.hr_person_id != person.id:
        raise PipRefused()
    if pip.status != "preconditions":
        raise Conflict("pip/errors/moved_on")
    return pip


def acknowledge(ctx: Ctx, hr: Person, pip_id: int) -> Pip:
    pip = _as_hr(ctx, hr, pip_id)
    before = snapshot(pip)
    pip.status, pip.hr_acknowledged_at, pip.hr_changes = "planning", ctx.now, ""
    ctx.uow.session.flush()
    audit(ctx, hr, pip, "pip.hr_acknowledged", before, snapshot(pip))
    pip_outbox.tell_manager(ctx, pip, "acknowledged")
    ctx.uow.commit()
    return pip


def ask_for_changes(ctx: Ctx, hr: Person, pip_id: int, changes: str) -> Pip:
    pip = _as_hr(ctx, hr, pip_id)  # permission before anything else is said
    if not changes.strip():
        raise DomainError("pip/errors/changes_empty")
    before = snapshot(pip)
    pip.status, pip.hr_changes = "changes_requested", changes.strip()[:3000]
    ctx.uow.session.flush()
    audit(ctx, hr, pip, "pip.hr_changes_requested", before, snapshot(pip))
    pip_outbox.tell_manager(ctx, pip, "changes")
    ctx.uow.commit()
    return pip


# --- the plan ---------------------------------------------------------------------------


def plan_to_write(ctx: Ctx, manager: Person, pip_id: int) -> Pip:
    pip = load_pip(ctx, manager, pip_id, Act.OPEN_PIP)
    if pip.status not in ("planning", "ready", "open"):
        raise Conflict("pip/errors/moved_on")
    return pip


def save_plan(
    ctx: Ctx, manager: Person, pip_id: int, version: int, form: PlanForm, warned: str | None
) -> Submitted:
    """The plan written (planning or ready) or its criteria and support changed once open:
    a criterion reworded after the engineer answered asks them again."""
    pip = plan_to_write(ctx, manager, pip_id)
    if pip.version != version:
        raise Conflict("pip/errors/moved_on")
    today = today_for(manager, ctx)
    if pip.status == "open":  # the timeline runs on; only an extension moves it
        form = _keep_timeline(pip, form)
    findings = check_plan(form, pip.start_on if pip.status == "open" and pip.start_on else today)
    if errors_of(findings):
        return Submitted(errors_of(findings))
    seen = fingerprint(form)
    if warnings_of(findings) and warned != seen:
        return Submitted(warnings_of(findings), warned=seen)
    before = snapshot(pip)
    changed = _apply_plan(pip, form)
    ctx.uow.session.flush()
    if pip.status == "open":
        audit(ctx, manager, pip, "pip.plan_changed", before, snapshot(pip))
        if changed:
            pip_outbox.ask_engineer_again(ctx, pip)
    else:
        pip.status = "ready"
        audit(ctx, manager, pip, "pip.planned", before, snapshot(pip))
        pip_outbox.tell_manager(ctx, pip, "opening")
    ctx.uow.commit()
    return Submitted(pip=pip)


def _keep_timeline(pip: Pip, form: PlanForm) -> PlanForm:
    return replace(
        form,
        start_on=pip.start_on,
        weeks=pip.weeks,
        timeline_justification=pip.timeline_justification,
        frequency=pip.frequency,
        frequency_reason=pip.frequency_reason,
    )


def _apply_plan(pip: Pip, form: PlanForm) -> bool:
    """Write the form into the PIP; whether a criterion was added or reworded."""
    assert form.start_on is not None and form.weeks is not None
    pip.start_on, pip.weeks = form.start_on, form.weeks
    pip.end_on = end_date(form.start_on, form.weeks)
    pip.timeline_justification = form.timeline_justification.strip()
    pip.frequency, pip.frequency_reason = form.frequency, form.frequency_reason.strip()
    pip.consequence = form.consequence.strip()
    pip.concerns[:] = [
        PipConcern(
            team_id=pip.team_id, position=i, concern=c.concern.strip(), evidence=c.evidence.strip()
        )
        for i, c in enumerate([c for c in form.concerns if c.concern.strip()], 1)
    ]
    pip.support[:] = _support(pip, form)
    return _criteria(pip, [t.strip() for t in form.criteria if t.strip()])


def _support(pip: Pip, form: PlanForm) -> list[PipSupport]:
    items = [s for s in form.support if s.what.strip()]
    kept: list[PipSupport] = []
    for i, item in enumerate(items, 1):
        row = pip.support[i - 1] if i <= len(pip.support) else PipSupport(team_id=pip.team_id)
        row.position, row.what, row.who = i, item.what.strip(), item.who.strip()
        row.how_often = item.how_often.strip()
        kept.append(row)
    return kept


def _criteria(pip: Pip, texts: list[str]) -> bool:
    """Criteria kept in place by position; a changed wording bumps its revision (the engineer's
    answer then no longer holds). Whether any was added or reworded."""
    rows: list[PipCriterion] = []
    changed = False
    for i, text in enumerate(texts, 1):
        row = pip.criteria[i - 1] if i <= len(pip.criteria) else None
        if row is None:
            row = PipCriterion(team_id=pip.team_id, position=i, text=text, revision=1)
            changed = True
        elif row.text != text:
            row.text, row.revision = text, row.revision + 1
            changed = True
        rows.append(row)
    pip.criteria[:] = rows
    return changed


# --- the opening conversation ------------------------------------------------------------


def mark_opened(ctx: Ctx, manager: Person, pip_id: int) -> Pip:
    """The opening conversation was held: the engineer gets the whole plan, the checkpoints
    are scheduled in the manager's calendar, and HR is told."""
    pip = load_pip(ctx, manager, pip_id, Act.OPEN_PIP)
    if pip.status != "ready":
        raise Conflict("pip/errors/moved_on")
    before = snapshot(pip)
    pip.status, pip.opened_at = "open", ctx.now
    pip_outbox.schedule_checkpoints(ctx, pip)
    ctx.uow.session.flush()
    audit(ctx, manager, pip, "pip.opened", before, snapshot(pip))
    pip_outbox.send_plan_to_engineer(ctx, pip)
    ctx.uow.commit()
    return pip
