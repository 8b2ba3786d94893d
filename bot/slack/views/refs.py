"""What cadence buttons and modals carry: typed values, never strings split on ':'."""

from __future__ import annotations

from typing import Literal, TypeVar

from pydantic import BaseModel, ValidationError

from bot.domain.errors import DomainError
from bot.slack.payloads import Id

M = TypeVar("M", bound=BaseModel)


class PromptRef(BaseModel):
    prompt_id: Id


class ReminderAnswer(BaseModel):
    """The reminder a "not yet" or "no longer needed" modal answers, and which of the two."""

    prompt_id: Id
    state: Literal["pending", "withdrawn"]


class PlanRef(BaseModel):
    plan_id: Id


def encode(model: BaseModel) -> str:
    return model.model_dump_json()


def decode(cls: type[M], raw: object) -> M:
    """`raw` as `cls`: a button value or private_metadata (Slack allows 2,000 and 3,000
    characters). Anything else (not text, too long, not JSON, out of bounds) raises
    DomainError("cadence/errors/stale"): an older or forged message, nothing is looked up."""
    if raw is not None and (not isinstance(raw, str) or len(raw) > 3000):
        raise DomainError("cadence/errors/stale")
    try:
        return cls.model_validate_json(raw or "{}")
    except ValidationError as exc:
        raise DomainError("cadence/errors/stale") from exc
