"""What every use case needs: who is asking, their local date, and the policy's answer."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm.attributes import flag_modified

from bot.config import Settings
from bot.domain.cadence import local_date
from bot.domain.errors import PermissionDenied
from bot.domain.periods import parse_agreed
from bot.domain.policy import Act, Actor, Subject, allows, team_subject
from bot.services import hr_channel
from bot.slack.gateway import SlackFailure, SlackGateway
from storage.models import Person, Plan
from storage.unit_of_work import UnitOfWork

# A Slack call that can wait until the person has their answer (an edit of the bot's own
# message); it gets the gateway and nothing else: no database, no transaction.
Later = Callable[[SlackGateway], None]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ctx:
    """One request's context: the unit of work, the gateway, the team, and the time."""

    uow: UnitOfWork
    gateway: SlackGateway
    team_id: str
    now: datetime
    settings: Settings
    later: list[Later] | None = field(default=None, compare=False)

    def after_response(self, job: Later) -> None:
        """Run `job` once Slack has its answer: an edit of a posted message must not hold up
        the response. Messages to other people go to the outbox instead (bot/services/notify)."""
        if self.later is None:
            job(self.gateway)
        else:
            self.later.append(job)


def edit_later(ctx: Ctx, channel: str, ts: str, text: str, blocks: Sequence[Any]) -> None:
    """Edit the bot's message `ts` in `channel` once Slack has its answer (chat.update can be
    slow). A failure is logged and nothing more: what was answered is saved, the message only
    mirrors it (and its old buttons refuse politely if pressed)."""

    def edit(gateway: SlackGateway) -> None:
        try:
            gateway.update(channel, ts, text, blocks)
        except SlackFailure as exc:
            log.warning("could not update message %s in %s: %s", ts, channel, exc.error)

    ctx.after_response(edit)


def today_for(person: Person, ctx: Ctx) -> date:
    try:
        return local_date(ctx.now, person.tz or ctx.settings.default_tz)
    except ValueError:
        return local_date(ctx.now, ctx.settings.default_tz)


def actor_of(person: Person, is_hr: bool = False) -> Actor:
    """`is_hr`: the person is a member of the private HR channel (bot/services/hr_channel)."""
    return Actor(person.team_id, person.id, person.is_bot, person.deleted, is_hr=is_hr)


def authorize_hr(ctx: Ctx, person: Person, act: Act) -> None:
    """Raises PermissionDenied unless the policy lets `person`, as a member of the HR
    channel or not, do `act` to the whole team (HR's exports, the quarter's cycle)."""
    is_hr = hr_channel.is_member(ctx.gateway, ctx.settings, ctx.now, person.slack_user_id)
    if not allows(actor_of(person, is_hr), act, team_subject(ctx.team_id)):
        raise PermissionDenied()


def plan_subject(plan: Plan) -> Subject:
    manager_id = plan.manager_id if plan.manager_id is not None else -1
    return Subject(plan.team_id, plan.engineer_id, manager_id)


def authorize(person: Person, act: Act, plan: Plan) -> None:
    """Raises PermissionDenied (errors/not_allowed) unless the policy lets `person` do `act`
    to `plan`."""
    if not allows(actor_of(person), act, plan_subject(plan)):
        raise PermissionDenied()


def touch(plan: Plan) -> None:
    """Every write to a plan's content bumps its version, even when only its goals,
    commitments or reviews changed, so a modal opened before the change is refused."""
    flag_modified(plan, "review_dates")


def agreed_dates(plan: Plan) -> dict[str, date]:
    """The plan's agreed review dates by periods.agreed_key ("1", "4", "8", "12", "m1", ...)."""
    return parse_agreed(plan.review_dates or {})


def plan_for(ctx: Ctx, person: Person, act: Act, plan_id: int) -> Plan:
    """The plan `plan_id`, if the policy lets `person` do `act` to it. Permission comes
    before anything about the plan's state, and the refusal (PermissionDenied) is the same
    whether the plan exists, belongs to another team or to other people (issue 9, item 8)."""
    plan = ctx.uow.plans.get(plan_id)
    if plan is None or plan.team_id != ctx.team_id:
        raise PermissionDenied()
    authorize(person, act, plan)
    return plan
