"""Button values, private_metadata and modal state: typed, never strings split on ':'."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, Field, ValidationError

from bot.domain.errors import DomainError
from bot.domain.goals import MAX_GOALS

M = TypeVar("M", bound=BaseModel)

# What a button value or private_metadata may ask for is bounded: ids fit the database's
# integer columns, lists hold at most one entry per goal slot, text is short. Anything else
# reads as a stale or forged button (errors/stale_button), before any query is made.
Id = Annotated[int, Field(ge=0, le=2**31 - 1)]
Count = Annotated[int, Field(ge=0, le=2**31 - 1)]
Digest = Annotated[str, Field(max_length=128)]
ReviewKey = Annotated[str, Field(pattern=r"^(1|4|8|12|m\d{1,2})$")]


class DraftMeta(BaseModel):
    plan_id: Id | None = None
    version: Count | None = None
    warned: Digest | None = None
    slots: int = Field(default=1, ge=1, le=MAX_GOALS)  # goal slots shown; "Add a goal" adds one
    previous_plan_id: Id | None = None
    carried: list[Count] = Field(default=[], max_length=MAX_GOALS)  # per slot: periods carried
    # per goal slot: the goal it continues
    carried_from: list[Id | None] = Field(default=[], max_length=MAX_GOALS)
    goal_ids: list[Id | None] = Field(default=[], max_length=MAX_GOALS)  # per slot: its goal
    dates_rev: Count = 0  # bumped when the period changes and review dates are recomputed
    # the review dates shown (periods.agreed_key -> date)
    reviews: dict[ReviewKey, date] = Field(default={}, max_length=32)
    editing_dates: bool = False  # "Change dates" shows them as date pickers


class PlanMeta(BaseModel):
    plan_id: Id
    version: Count
    warned: Digest | None = None


class PlanButton(BaseModel):
    plan_id: Id


class NudgeButton(BaseModel):
    """An item of HR's digest: the digest it was listed in and the item's key."""

    digest_id: Id
    key: str = Field(max_length=120)


def encode(model: BaseModel) -> str:
    return model.model_dump_json(exclude_none=True)


def decode(cls: type[M], raw: object) -> M:
    """`raw` as `cls`: a button value or private_metadata (Slack allows 2,000 and 3,000
    characters). Anything else (not text, too long, not JSON, out of bounds) raises
    DomainError("errors/stale_button"): an older or forged message, nothing is looked up."""
    if raw is not None and (not isinstance(raw, str) or len(raw) > 3000):
        raise DomainError("errors/stale_button")
    try:
        return cls.model_validate_json(raw or "{}")
    except ValidationError as exc:
        raise DomainError("errors/stale_button") from exc


class BadInput(DomainError):
    """A submitted value no form of ours produces: an impossible date, a field of the wrong
    type, a block the form does not have. `block_id`: where the person reads the message
    (a modal shows it under that input)."""

    def __init__(self, template: str, block_id: str | None = None, **params: object) -> None:
        super().__init__(template, **params)
        self.block_id = block_id


def state_values(view: dict[str, Any]) -> dict[str, Any]:
    """block_id -> the submitted value, whatever the element type. Raises BadInput for a
    value Slack's elements never hold (errors/bad_date, errors/unknown_field)."""
    values: dict[str, Any] = {}
    state = view.get("state") if isinstance(view, dict) else None
    found = state.get("values") if isinstance(state, dict) else None
    for block_id, actions in (found if isinstance(found, dict) else {}).items():
        if not isinstance(actions, dict):
            raise BadInput("errors/unknown_field", str(block_id))
        for action in actions.values():
            values[block_id] = _value_of(str(block_id), action)
    return values


def _value_of(block_id: str, action: Any) -> Any:
    if not isinstance(action, dict):
        raise BadInput("errors/unknown_field", block_id)
    kind = action.get("type")
    if kind == "datepicker":
        raw = action.get("selected_date")
        if raw is None or raw == "":
            return None
        if not isinstance(raw, str) or len(raw) != 10:
            raise BadInput("errors/bad_date", block_id)
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise BadInput("errors/bad_date", block_id) from None
    if kind in ("users_select",):
        return _checked(block_id, action.get("selected_user"), str)
    if kind in ("static_select", "radio_buttons"):
        option = _checked(block_id, action.get("selected_option"), dict)
        return _checked(block_id, option.get("value"), str) if option else None
    if kind in ("checkboxes", "multi_static_select"):
        options = _checked(block_id, action.get("selected_options"), list) or []
        return [
            _checked(block_id, (_checked(block_id, o, dict) or {}).get("value"), str)
            for o in options
        ]
    return _checked(block_id, action.get("value"), str) or ""


T = TypeVar("T")


def _checked(block_id: str, value: Any, kind: type[T]) -> T | None:
    if value is not None and not isinstance(value, kind):
        raise BadInput("errors/unknown_field", block_id)
    return value


def number_after(prefix: str, block_id: str) -> int:
    """The id a block or option carries after `prefix` (`commitment_12` -> 12); a block
    no form of ours has raises BadInput (errors/unknown_field)."""
    digits = str(block_id)[len(prefix) :]
    if (
        not str(block_id).startswith(prefix)
        or not (digits.isascii() and digits.isdigit())
        or len(digits) > 9
    ):
        raise BadInput("errors/unknown_field", None)
    return int(digits)


def text_of(values: dict[str, Any], block_id: str) -> str:
    value = values.get(block_id)
    return value.strip() if isinstance(value, str) else ""


def date_of(values: dict[str, Any], block_id: str) -> date | None:
    value = values.get(block_id)
    return value if isinstance(value, date) else None


def form_of(body: dict[str, Any], callback_id: str) -> dict[str, Any]:
    """The modal a button inside a form was pressed in; the same button pressed anywhere else
    (a message, another modal) raises BadInput (errors/only_in_form)."""
    view = body.get("view")
    if not isinstance(view, dict) or view.get("callback_id") != callback_id:
        raise BadInput("errors/only_in_form")
    return view
