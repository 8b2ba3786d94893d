"""Sending one claimed row: short transactions with the Slack calls between them, never inside.

Check the row is still ours and ask its kind whether it goes now; look people up and open the
conversation; mark that a post is starting; post; record the result. Every write checks the
row is still ours (same claim token, still `sending`) under a row lock (PostgreSQL) or the
write lock (SQLite), so a claim that outlived its lease changes nothing. A row claimed again
after a post may have begun is first looked for in Slack, by the key in its message metadata,
so a crash between posting and recording never posts it twice."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from bot.config import Settings
from bot.domain.slots import is_good_time, is_late, next_good_time
from bot.services import cadence
from bot.services.outbox.registry import Close, Decision, Defer, Kind, kind_of
from bot.services.people import PROFILE_MAX_AGE, refresh_profile
from bot.slack.gateway import OutcomeUnknown, SlackFailure, SlackGateway
from storage.models import Person, Plan, Prompt
from storage.unit_of_work import UnitOfWork

log = logging.getLogger("bot.services.due_work")

LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=5)
# A reply whose parent message is not posted yet looks again this much later.
PARENT_WAIT = timedelta(minutes=1)
# Our clock and Slack's may disagree a little: look back this much further for an earlier post.
CLOCK_SKEW = timedelta(minutes=2)
# Posts whose answer was lost, each looked for before the next, within one attempt.
POST_TRIES = 3
CANNOT_LOOK = frozenset({"missing_scope", "not_allowed_token_type", "not_in_channel"})

Clock = Callable[[], datetime]
UowFactory = Callable[[], UnitOfWork]


def _write_first(uow: UnitOfWork) -> bool:
    """Take SQLite's write lock up front; True on SQLite, where there is one writer."""
    uow.write_first()
    return uow.session.get_bind().dialect.name == "sqlite"


def own(
    uow: UnitOfWork, prompt_id: int, token: str, clock: Clock, *, rendering: bool = False
) -> Prompt | None:
    """The row, locked, if this claim still owns it; its lease runs LEASE from now again.
    Loaded in the same statement: its plan with the plan's people, its recipient, commitment
    and parent, and with `rendering` the plan's goals and commitments too (what checks,
    render and after_sent read), rather than a statement for each."""
    sqlite = _write_first(uow)
    plan = joinedload(Prompt.plan)
    options = [
        plan.joinedload(Plan.engineer),
        plan.joinedload(Plan.manager),
        joinedload(Prompt.recipient),
        joinedload(Prompt.commitment),
        joinedload(Prompt.parent),
    ]
    if rendering:
        options += [plan.joinedload(Plan.goals), plan.joinedload(Plan.commitments)]
    query = select(Prompt).where(Prompt.id == prompt_id).options(*options)
    if not sqlite:
        query = query.with_for_update(of=Prompt, key_share=True)  # FOR NO KEY UPDATE: see claim()
    prompt = uow.session.execute(query).unique().scalars().one_or_none()
    if prompt is None or prompt.status != "sending" or prompt.claimed_by != token:
        return None
    prompt.lease_until = clock() + LEASE
    return prompt


def close(prompt: Prompt, status: str, reason: str | None) -> str:
    """Give the row up: it is no longer being sent by anyone."""
    prompt.status, prompt.error = status, reason[:200] if reason else None
    prompt.lease_until = prompt.claimed_by = None
    if status != "pending":  # a retry keeps the mark: its earlier post may be in Slack
        prompt.attempt_started_at = None
    return status


def _apply(prompt: Prompt, decision: Decision) -> str:
    if isinstance(decision, Close):
        return close(prompt, decision.status, decision.reason)
    if decision.late:
        prompt.deferred_from = prompt.deferred_from or prompt.due_at
    prompt.due_at = decision.until
    close(prompt, "pending", decision.reason)
    return "deferred"


def decide(
    uow: UnitOfWork, kind: Kind, prompt: Prompt, now: datetime, settings: Settings
) -> str | None:
    """The outcome when the row is not to be posted now; None when it is."""
    decision = kind.check(uow, prompt, now, settings) or _where_check(kind, prompt, now)
    if decision is None and kind.working_hours:
        audience = cadence.recipients(prompt, settings)
        if is_late(prompt.due_at, now) and not is_good_time(now, audience):
            until = next_good_time(now, audience, settings.prompt_hour)
            decision = Defer(until, "late: held until working hours")
    return _apply(prompt, decision) if decision is not None else None


def _where_check(kind: Kind, prompt: Prompt, now: datetime) -> Decision | None:
    """Whether there is somewhere to post it: a person, a plan, a channel, a posted parent."""
    if kind.to == "dm" and kind.recipient(prompt) is None:
        return Close("cancelled", "nobody to send it to")
    if kind.to == "pair" and len(kind.people_of(prompt)) < 2:
        return Close("cancelled", "the people it is for are gone")
    if kind.to == "channel" and prompt.channel is None:
        return Close("undeliverable", "no channel to post it in")
    if kind.to == "thread":
        parent = prompt.parent
        if parent is None or parent.status not in (*cadence.OPEN, "sent"):
            return Close("cancelled", "the message it replies to was not posted")
        if parent.ts is None or parent.channel is None:
            # A parent being posted right now (by the sender that also holds this reply, or
            # another tick): due again at once, for whoever sends next, after the parent.
            soon = now if parent.status == "sending" else now + PARENT_WAIT
            return Defer(soon, "waiting for the message it replies to", late=False)
    return None


@dataclass(frozen=True)
class Todo:
    """What the Slack calls between transactions need to know, read while the row was ours."""

    key: str
    earlier: datetime | None  # when an earlier post of this row began, if one may have landed
    channel: str | None
    thread: str | None
    stale: list[tuple[int, str]]  # people to look up again: (person id, Slack user id)
    open_with: list[str] | None  # whom to open a conversation with, if it is not open yet


def _known_channel(kind: Kind, prompt: Prompt) -> str | None:
    """Where the row goes, when the conversation is already open."""
    if prompt.channel is not None or kind.to == "channel":
        return prompt.channel
    if kind.to == "thread":
        return prompt.parent.channel if prompt.parent is not None else None
    if kind.to == "pair":
        return prompt.plan.dm_channel_id if prompt.plan is not None else None
    person = kind.recipient(prompt)
    return person.dm_channel_id if person is not None else None


def _open_with(kind: Kind, prompt: Prompt) -> list[str]:
    if kind.to == "pair":
        return [person.slack_user_id for person in kind.people_of(prompt)]
    person = kind.recipient(prompt) if kind.to == "dm" else None
    return [person.slack_user_id] if person is not None else []


def _thread(kind: Kind, prompt: Prompt) -> str | None:
    return prompt.parent.ts if kind.to == "thread" and prompt.parent is not None else None


def todo_of(kind: Kind, prompt: Prompt, now: datetime) -> Todo:
    stale = [
        (person.id, person.slack_user_id)
        for person in kind.people_of(prompt)
        if person.profile_refreshed_at is None
        or now - person.profile_refreshed_at >= PROFILE_MAX_AGE
    ]
    channel = _known_channel(kind, prompt)
    open_with = _open_with(kind, prompt) if channel is None else None
    earlier = prompt.attempt_started_at
    return Todo(prompt.key, earlier, prompt.channel, _thread(kind, prompt), stale, open_with)


def already_posted(gateway: SlackGateway, todo: Todo) -> str | None:
    """The earlier attempt's message, if it reached Slack. An install without the history
    scopes cannot look: then the row is posted (perhaps twice) rather than never."""
    assert todo.earlier is not None and todo.channel is not None
    try:
        return gateway.find_posted(todo.channel, todo.key, todo.earlier - CLOCK_SKEW, todo.thread)
    except SlackFailure as exc:
        if exc.error not in CANNOT_LOOK:
            raise
        log.warning("cannot check whether %s was posted (%s); posting it", todo.key, exc.error)
        return None


def ready(
    uow: UnitOfWork,
    kind: Kind,
    prompt: Prompt,
    profiles: dict[int, dict[str, Any]],
    opened: str | None,
    now: datetime,
    settings: Settings,
) -> str | None:
    """Apply what Slack said about the people and the conversation; an outcome when the row
    is not to be posted after all, else None with `prompt.channel` where it goes."""
    gone = _apply_profiles(uow, kind, prompt, profiles, now, settings)
    if gone is not None:
        reason = cadence.pause_plans_of(uow, gone)
        return close(prompt, "paused" if kind.working_hours else "undeliverable", reason)
    if prompt.status != "sending":  # moving their other work merged this one away
        return close(prompt, prompt.status, prompt.error)
    if prompt.channel is None:
        prompt.channel = _known_channel(kind, prompt) or opened
        if opened is not None:
            _remember(kind, prompt, opened)
    if prompt.channel is None:  # the conversation was closed meanwhile: open it next time
        close(prompt, "pending", "the conversation is not open yet")
        return "retrying"
    return None


def _remember(kind: Kind, prompt: Prompt, channel: str) -> None:
    """Keep an opened conversation, so the next message there does not open it again."""
    if kind.to == "pair" and prompt.plan is not None:
        prompt.plan.dm_channel_id = prompt.plan.dm_channel_id or channel
    elif kind.to == "dm":
        person = kind.recipient(prompt)
        if person is not None:
            person.dm_channel_id = person.dm_channel_id or channel


def _apply_profiles(
    uow: UnitOfWork,
    kind: Kind,
    prompt: Prompt,
    profiles: dict[int, dict[str, Any]],
    now: datetime,
    settings: Settings,
) -> Person | None:
    """What users.info said, applied (with what follows: pauses, resumes, moved prompts);
    the first deactivated person, if any."""
    for person in kind.people_of(prompt):
        if person.id in profiles:
            refresh_profile(uow, person, profiles[person.id], settings, now)
        if person.deleted:
            return person
    return None


@dataclass(frozen=True)
class Prepared:
    """A row ready to post: rendered, its attempt marked, still claimed by `token`."""

    prompt_id: int
    token: str
    key: str
    channel: str
    thread: str | None
    text: str
    blocks: Any
    earlier: datetime | None  # the attempt mark before this attempt set it
    retry_after: float | None = None  # seconds: Slack answered the post with 429
    started: datetime | None = None  # the attempt mark now: where a lost post is looked for


def deliver(
    uow_factory: UowFactory,
    gateway: SlackGateway,
    prompt_id: int,
    token: str,
    now: datetime,
    settings: Settings,
    clock: Clock,
) -> str:
    """Send one claimed row now: prepare it, post it, record the outcome."""
    ready = prepare(uow_factory, gateway, prompt_id, token, now, settings, clock)
    if isinstance(ready, str):
        return ready
    outcome = post(uow_factory, gateway, ready, now, settings, clock)
    if isinstance(outcome, str):
        return outcome
    until = clock() + timedelta(seconds=outcome.retry_after or 1)
    return release(uow_factory, outcome, until, clock, "chat.postMessage: ratelimited")


def prepare(
    uow_factory: UowFactory,
    gateway: SlackGateway,
    prompt_id: int,
    token: str,
    now: datetime,
    settings: Settings,
    clock: Clock,
) -> Prepared | str:
    """Everything before the post: the row checked, people and conversation looked up in
    Slack when needed (between transactions), the message rendered and the attempt marked.
    The usual row (conversation open, profiles fresh, no earlier attempt) takes one short
    transaction. An outcome instead when it is not to be posted."""
    with uow_factory() as uow, uow.session.no_autoflush:  # one UPDATE of the row, at the end
        prompt = own(uow, prompt_id, token, clock, rendering=True)
        if prompt is None:
            return "skipped"
        kind = kind_of(prompt.kind)
        decided = decide(uow, kind, prompt, now, settings)
        if decided is not None:
            uow.commit()
            return decided
        todo = todo_of(kind, prompt, now)
        if todo.earlier is None and not todo.stale and not todo.open_with:
            return _ready(uow, kind, prompt, todo, {}, None, now, settings, clock)
        uow.commit()
    try:
        if todo.earlier is not None and todo.channel is not None:
            ts = already_posted(gateway, todo)
            if ts is not None:
                log.info("prompt %s was already posted (%s); recording it", todo.key, ts)
                return record_sent(
                    uow_factory, prompt_id, token, todo.channel, ts, now, settings, clock
                )
        profiles = {pid: gateway.user_info(user) for pid, user in todo.stale}
        leaving = any(profile.get("deleted") for profile in profiles.values())
        opened = None
        if todo.open_with and not leaving:  # a deactivated person stops it instead
            opened = gateway.open_conversation(todo.open_with)
    except SlackFailure as exc:
        return _failed(uow_factory, prompt_id, token, exc, now, settings, clock)
    with uow_factory() as uow, uow.session.no_autoflush:
        prompt = own(uow, prompt_id, token, clock, rendering=True)
        if prompt is None:
            return "skipped"
        kind = kind_of(prompt.kind)
        return _ready(uow, kind, prompt, todo, profiles, opened, now, settings, clock)


def _ready(
    uow: UnitOfWork,
    kind: Kind,
    prompt: Prompt,
    todo: Todo,
    profiles: dict[int, dict[str, Any]],
    opened: str | None,
    now: datetime,
    settings: Settings,
    clock: Clock,
) -> Prepared | str:
    outcome = ready(uow, kind, prompt, profiles, opened, now, settings)
    if outcome is not None:
        uow.commit()
        return outcome
    assert prompt.channel is not None
    message = kind.render(uow, prompt, now, settings)
    earlier = prompt.attempt_started_at
    prompt.attempt_started_at = earlier or clock()
    prepared = Prepared(
        prompt.id,
        prompt.claimed_by or "",
        todo.key,
        prompt.channel,
        _thread(kind, prompt),
        message.text,
        message.blocks,
        earlier,
        started=prompt.attempt_started_at,
    )
    uow.commit()
    return prepared


def post(
    uow_factory: UowFactory,
    gateway: SlackGateway,
    ready: Prepared,
    now: datetime,
    settings: Settings,
    clock: Clock,
) -> Prepared | str:
    """Post a prepared row and record what happened. On a 429 nothing was posted: the row
    comes back, still claimed, with `retry_after` set, for the caller to post again when
    its channel's turn comes, or to `release`.

    When Slack's answer is lost (a 5xx, a timeout, a dropped connection) the message may be
    in Slack: it is looked for by its key before it is posted again, never posted blindly
    (issue 9, fault 7). If it can be neither posted nor found, the row is retried later with
    its attempt mark kept, so that attempt looks for it first."""
    lost: SlackFailure | None = None
    for _ in range(POST_TRIES):
        try:
            ts = gateway.post(
                ready.channel, ready.text, ready.blocks, thread_ts=ready.thread, key=ready.key
            )
        except OutcomeUnknown as exc:
            lost = exc
        except SlackFailure as exc:
            if exc.retry_after is not None:  # nothing posted now; a lost answer's post may be
                kept = ready.started if lost is not None else ready.earlier
                return dataclasses.replace(ready, retry_after=exc.retry_after, earlier=kept)
            return record_failure(
                uow_factory, ready.prompt_id, ready.token, *_why(exc), now, settings, clock
            )
        else:
            return record_sent(
                uow_factory, ready.prompt_id, ready.token, ready.channel, ts, now, settings, clock
            )
        try:
            found = _find_lost(gateway, ready)
        except SlackFailure as exc:
            return record_failure(
                uow_factory, ready.prompt_id, ready.token, *_why(exc), now, settings, clock
            )
        if found is not None:
            log.info("prompt %s reached Slack although its answer was lost (%s)", ready.key, found)
            return record_sent(
                uow_factory,
                ready.prompt_id,
                ready.token,
                ready.channel,
                found,
                now,
                settings,
                clock,
            )
    assert lost is not None
    return record_failure(
        uow_factory, ready.prompt_id, ready.token, *_why(lost), now, settings, clock
    )


def _find_lost(gateway: SlackGateway, ready: Prepared) -> str | None:
    """The message of a post whose answer was lost, if Slack stored it. A failure (including
    an install that may not read history) is raised: the row waits for a later attempt."""
    since = (ready.started or ready.earlier or datetime.now(timezone.utc)) - CLOCK_SKEW
    return gateway.find_posted(ready.channel, ready.key, since, ready.thread)


def release(
    uow_factory: UowFactory, ready: Prepared, until: datetime, clock: Clock, reason: str
) -> str:
    """Give back a prepared row that was not posted: pending again at `until`, its attempt
    not counted and its attempt mark as it was before (this attempt posted nothing)."""
    return _give_back(uow_factory, ready.prompt_id, ready.token, until, clock, reason, ready)


def _give_back(
    uow_factory: UowFactory,
    prompt_id: int,
    token: str,
    until: datetime,
    clock: Clock,
    reason: str,
    ready: Prepared | None = None,
) -> str:
    with uow_factory() as uow:
        prompt = own(uow, prompt_id, token, clock)
        if prompt is None:
            return "skipped"
        prompt.due_at = until
        prompt.attempts = max(0, prompt.attempts - 1)
        close(prompt, "pending", reason)
        if ready is not None:
            prompt.attempt_started_at = ready.earlier
        uow.commit()
        return "retrying"


def _failed(
    uow_factory: UowFactory,
    prompt_id: int,
    token: str,
    exc: SlackFailure,
    now: datetime,
    settings: Settings,
    clock: Clock,
) -> str:
    """A Slack call before the post failed. A 429 only delays the row (Retry-After), without
    counting as an attempt; anything else is recorded as a failure."""
    if exc.retry_after is not None:
        until = clock() + timedelta(seconds=exc.retry_after)
        reason = f"{exc.method}: {exc.error}"
        return _give_back(uow_factory, prompt_id, token, until, clock, reason)
    return record_failure(uow_factory, prompt_id, token, *_why(exc), now, settings, clock)


def _why(exc: SlackFailure) -> tuple[str, bool]:
    return f"{exc.method}: {exc.error}", exc.permanent


def record_sent(
    uow_factory: UowFactory,
    prompt_id: int,
    token: str,
    channel: str,
    ts: str,
    now: datetime,
    settings: Settings,
    clock: Clock,
) -> str:
    with uow_factory() as uow:
        prompt = own(uow, prompt_id, token, clock)
        if prompt is None:  # the lease ran out and another claim took it: it will find this post
            log.warning("prompt %d posted as %s after its claim was lost", prompt_id, ts)
            return "skipped"
        close(prompt, "sent", None)
        prompt.channel, prompt.ts, prompt.sent_at = channel, ts, now
        kind_of(prompt.kind).after_sent(uow, prompt, now, settings)
        uow.commit()
        return "sent"


def record_failure(
    uow_factory: UowFactory,
    prompt_id: int,
    token: str,
    reason: str,
    permanent: bool,
    now: datetime,
    settings: Settings,
    clock: Clock,
) -> str:
    with uow_factory() as uow:
        prompt = own(uow, prompt_id, token, clock)
        if prompt is None:
            return "skipped"
        if permanent or prompt.attempts >= MAX_ATTEMPTS:
            outcome = close(prompt, "undeliverable" if permanent else "failed", reason)
            kind_of(prompt.kind).after_given_up(uow, prompt, now, settings)
        else:
            prompt.due_at = now + RETRY_AFTER * prompt.attempts
            close(prompt, "pending", reason)
            outcome = "retrying"
        uow.commit()
        return outcome
