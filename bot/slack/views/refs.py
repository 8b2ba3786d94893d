"""What cadence buttons and modals carry: typed values, never strings split on ':'."""

from __future__ import annotations

from typing import Literal, TypeVar

from pydantic import BaseModel, ValidationError

from bot.domain.errors import DomainError

M = TypeVar("M", bound=BaseModel)


class PromptRef(BaseModel):
    prompt_id: int


class ReminderAnswer(BaseModel):
    """The reminder a "not yet" or "no longer needed" modal answers, and which of the two."""

    prompt_id: int
    state: Literal["pending", "withdrawn"]


class PlanRef(BaseModel):
    plan_id: int


def encode(model: BaseModel) -> str:
    return model.model_dump_json()


def decode(cls: type[M], raw: str | None) -> M:
    try:
        return cls.model_validate_json(raw or "{}")
    except ValidationError as exc:
        raise DomainError("cadence/errors/stale") from exc
