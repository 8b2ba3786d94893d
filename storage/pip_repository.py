"""PIPs in the database. Finding one by engineer is allowed here (one PIP under way per
engineer); whether the person asking may see it is the policy's question, asked by
bot/services/pips before anything is shown."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from storage.pip_models import Pip

_WITH_PARTS = (
    selectinload(Pip.concerns),
    selectinload(Pip.criteria),
    selectinload(Pip.support),
    selectinload(Pip.checkpoints),
)


class Pips:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, pip_id: int) -> Pip | None:
        return self.session.get(Pip, pip_id)

    def add(self, pip: Pip) -> Pip:
        self.session.add(pip)
        self.session.flush()
        return pip

    def under_way(self, team_id: str, engineer_id: int) -> Pip | None:
        """The engineer's PIP not yet closed (nor referred elsewhere), if any."""
        return self.session.scalar(
            select(Pip)
            .where(
                Pip.team_id == team_id,
                Pip.engineer_id == engineer_id,
                Pip.status.not_in(("closed", "referred")),
            )
            .options(*_WITH_PARTS)
        )

    def of_team(self, team_id: str, *, under_way: bool = True) -> Sequence[Pip]:
        """Every PIP of a team (for HR's digest and exports), oldest first."""
        query = select(Pip).where(Pip.team_id == team_id)
        if under_way:
            query = query.where(Pip.status.not_in(("closed", "referred")))
        return self.session.scalars(query.order_by(Pip.id).options(*_WITH_PARTS)).all()

    def about(self, team_id: str, engineer_id: int) -> Sequence[Pip]:
        """Every PIP about one engineer, oldest first (subject-access exports)."""
        return self.session.scalars(
            select(Pip)
            .where(Pip.team_id == team_id, Pip.engineer_id == engineer_id)
            .order_by(Pip.id)
            .options(*_WITH_PARTS)
        ).all()

    def held_by(self, manager_id: int) -> Sequence[Pip]:
        """The manager's PIPs under way."""
        return self.session.scalars(
            select(Pip)
            .where(Pip.manager_id == manager_id, Pip.status.not_in(("closed", "referred")))
            .order_by(Pip.id)
            .options(*_WITH_PARTS)
        ).all()
