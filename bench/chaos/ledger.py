"""What was owed and what reached Slack: every outbox row against the messages the fake Slack
holds, matched by the key each message carries in its metadata."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, select

from bot.fakeslack import FakeSlack
from bot.slack.gateway import PROMPT_EVENT
from storage.models import Prompt
from storage.unit_of_work import UnitOfWork
from tests.reliability.slack_text import sent_texts, tokens

# Rows that end this way were not owed: the bot decided not to send them (a plan closed, an
# answer came first, a later occurrence took over, a person was deactivated).
NOT_OWED = ("cancelled", "missed", "paused")


@dataclass
class Ledger:
    due: int = 0  # rows owed by the end: sent, undeliverable, failed, or still waiting though due
    posted: int = 0  # owed rows whose message is in Slack
    duplicated: int = 0  # messages beyond the first for a key
    lost: int = 0  # owed rows with no message in Slack, not reported undeliverable
    undeliverable: Counter[str] = field(default_factory=Counter)  # reason -> rows
    not_owed: Counter[str] = field(default_factory=Counter)  # status -> rows
    unrecorded: int = 0  # messages in Slack whose row does not say sent
    http_500: int = 0  # requests a person made that answered 500
    pings: int = 0  # texts the bot sent with a ping or link someone typed
    typed: int = 0  # texts the bot sent that carry what people typed (escaped, as typed)
    lost_keys: list[str] = field(default_factory=list)
    duplicate_keys: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.duplicated or self.lost or self.unrecorded or self.http_500 or self.pings)

    def lines(self) -> list[str]:
        reasons = ", ".join(f"{n} {why}" for why, n in self.undeliverable.most_common()) or "none"
        decided = ", ".join(f"{n} {why}" for why, n in sorted(self.not_owed.items())) or "none"
        return [
            f"due {self.due}, posted {self.posted}, duplicated {self.duplicated}, "
            f"lost {self.lost}, undeliverable {sum(self.undeliverable.values())}",
            f"undeliverable: {reasons}",
            f"not sent by decision: {decided}",
            f"HTTP 500s {self.http_500}, pings from people's text {self.pings}, "
            f"unrecorded posts {self.unrecorded}",
        ]


def message_keys(fake: FakeSlack) -> Counter[str]:
    keys: Counter[str] = Counter()
    for _, message in fake.all_messages():
        meta = message.get("metadata") or {}
        if meta.get("event_type") == PROMPT_EVENT:
            keys[str((meta.get("event_payload") or {}).get("key"))] += 1
    return keys


def pings(fake: FakeSlack, planted: tuple[str, ...]) -> tuple[int, int]:
    """(texts sent to Slack in which a token someone typed would ping or link, texts that
    carry that typed text escaped: shown as typed, pinging nobody)."""
    found = typed = 0
    for _, kind, text in sent_texts(fake):
        if kind != "mrkdwn":
            continue
        found += any(t in planted for t in tokens(text))
        typed += "&lt;!channel&gt;" in text
    return found, typed


def account(
    engine: Engine, fake: FakeSlack, end: datetime, planted: tuple[str, ...] = ()
) -> Ledger:
    """The ledger of everything owed by `end`."""
    keys = message_keys(fake)
    ledger = Ledger()
    with UnitOfWork.for_engine(engine) as uow:
        rows = uow.session.execute(select(Prompt.key, Prompt.status, Prompt.due_at, Prompt.error))
        for key, status, due_at, error in rows:
            if status in NOT_OWED:
                ledger.not_owed[status] += 1
                if keys[key]:
                    ledger.unrecorded += 1
                continue
            if status in ("pending", "sending") and (due_at is None or due_at > end):
                continue  # not due yet
            ledger.due += 1
            if keys[key]:
                ledger.posted += 1
                if status != "sent":
                    ledger.unrecorded += 1
            elif status == "undeliverable":
                ledger.undeliverable[(error or "?").split(":")[-1].strip()] += 1
            else:
                ledger.lost += 1
                ledger.lost_keys.append(f"{key} ({status}: {error})")
    for key, count in keys.items():
        if count > 1:
            ledger.duplicated += count - 1
            ledger.duplicate_keys.append(key)
    if planted:
        ledger.pings, ledger.typed = pings(fake, planted)
    return ledger
