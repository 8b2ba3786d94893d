"""A PIP button's value and a PIP modal's private_metadata: typed, checked again on use."""

from __future__ import annotations

from pydantic import BaseModel


class PipRef(BaseModel):
    pip_id: int
    number: int | None = None  # a checkpoint
    criterion_id: int | None = None
    revision: int | None = None  # the criterion's wording the engineer answers


class PreconditionsMeta(BaseModel):
    engineer_id: int
    pip_id: int | None = None
    warned: str | None = None


class PlanMeta(BaseModel):
    pip_id: int
    version: int
    concerns: int = 1  # slots shown; each "Add" adds one
    criteria: int = 1
    support: int = 1
    warned: str | None = None


class CheckpointMeta(BaseModel):
    pip_id: int
    number: int
    warned: str | None = None
