"""Button values, private_metadata and modal state: typed, never strings split on ':'."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, Field, ValidationError

from bot.domain.errors import DomainError

M = TypeVar("M", bound=BaseModel)


class DraftMeta(BaseModel):
    plan_id: int | None = None
    version: int | None = None
    warned: str | None = None
    slots: int = 1  # goal slots shown; "Add a goal" adds one, up to three
    previous_plan_id: int | None = None
    carried: list[int] = []  # per goal slot: periods carried forward
    carried_from: list[int | None] = []  # per goal slot: the goal it continues
    goal_ids: list[int | None] = []  # per goal slot: the goal it shows
    dates_rev: int = 0  # bumped when the period changes and review dates are recomputed
    reviews: dict[str, date] = {}  # the review dates shown (periods.agreed_key -> date)
    editing_dates: bool = False  # "Change dates" shows them as date pickers


class PlanMeta(BaseModel):
    plan_id: int
    version: int
    warned: str | None = None


class PlanButton(BaseModel):
    plan_id: int


class NudgeButton(BaseModel):
    """An item of HR's digest: the digest it was listed in and the item's key."""

    digest_id: int
    key: str = Field(max_length=120)


def encode(model: BaseModel) -> str:
    return model.model_dump_json(exclude_none=True)


def decode(cls: type[M], raw: str | None) -> M:
    try:
        return cls.model_validate_json(raw or "{}")
    except ValidationError as exc:
        raise DomainError("errors/stale_button") from exc


def state_values(view: dict[str, Any]) -> dict[str, Any]:
    """block_id -> the submitted value, whatever the element type."""
    values: dict[str, Any] = {}
    for block_id, actions in (view.get("state") or {}).get("values", {}).items():
        for action in actions.values():
            values[block_id] = _value_of(action)
    return values


def _value_of(action: dict[str, Any]) -> Any:
    kind = action.get("type")
    if kind == "datepicker":
        raw = action.get("selected_date")
        return date.fromisoformat(raw) if raw else None
    if kind in ("users_select",):
        return action.get("selected_user")
    if kind in ("static_select", "radio_buttons"):
        option = action.get("selected_option")
        return option.get("value") if option else None
    if kind in ("checkboxes", "multi_static_select"):
        return [o.get("value") for o in action.get("selected_options") or []]
    return action.get("value") or ""


def text_of(values: dict[str, Any], block_id: str) -> str:
    value = values.get(block_id)
    return value.strip() if isinstance(value, str) else ""


def date_of(values: dict[str, Any], block_id: str) -> date | None:
    value = values.get(block_id)
    return value if isinstance(value, date) else None
