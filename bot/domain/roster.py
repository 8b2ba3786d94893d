"""The org roster: who reports to whom, in which team and country, read from a CSV file and
checked as a whole. Pure: the Slack look-ups are done by the service and handed in.

A file is accepted whole or refused whole; every problem names its line (the header is
line 1). `diff` says what importing it would change, so a dry run and a re-import agree."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

REQUIRED = ("person", "manager", "team", "country")
OPTIONAL = ("working_days",)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Problem:
    """One reason a file is refused. `code` names the sentence (prompts/cli_roster.j2);
    `line` is the file's line number (None: the file as a whole)."""

    line: int | None
    code: str
    value: str = ""
    other: str = ""  # a second value: the earlier line of a duplicate, a cycle's chain


class Refused(Exception):
    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.code))


@dataclass(frozen=True)
class Row:
    line: int
    person: str
    manager: str
    team: str
    country: str
    working_days: str = ""


@dataclass(frozen=True)
class Lookup:
    """What Slack said about a reference (a Slack id or an email): the user id, or why not
    ("unknown", "deactivated", "bot", "not_a_reference", "short_id": U-shaped, too short)."""

    user_id: str | None
    problem: str | None = None


@dataclass(frozen=True)
class Member:
    """One person as the roster has them. `working_days` is canonical ("Sun-Thu") or ""
    (their country's week)."""

    user_id: str
    manager_id: str | None
    team: str
    country: str
    working_days: str = ""


@dataclass(frozen=True)
class Diff:
    """What an import changes. A person joining the roster whose manager pdpbot knows already
    from /pdp (a draft naming them, a confirmed claim) and whom the file gives another manager
    is a manager change, not an addition: their user id is in `joining`, and their "before"
    has only that manager (no team, country or working days)."""

    added: list[Member] = field(default_factory=list)
    managers_changed: list[tuple[Member, Member]] = field(default_factory=list)  # before, after
    joining: set[str] = field(default_factory=set)  # of managers_changed: not on the roster yet
    details_changed: list[tuple[Member, Member]] = field(default_factory=list)  # team, country…
    removed: list[Member] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.managers_changed or self.details_changed or self.removed)


def read_rows(data: bytes) -> list[Row]:
    """The rows of a CSV file (UTF-8, a BOM allowed). Refused when it is not UTF-8, has no
    header, lacks a required column or has no rows."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise Refused([Problem(line, "encoding")]) from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise Refused([Problem(None, "empty")])
    names = [h.strip().lower().replace(" ", "_") for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise Refused([Problem(1, "missing_column", c) for c in missing])
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        values = dict(zip(names, (c.strip() for c in cells), strict=False))
        rows.append(
            Row(
                number,
                values.get("person", ""),
                values.get("manager", ""),
                values.get("team", ""),
                values.get("country", "").upper(),
                values.get("working_days", ""),
            )
        )
    if not rows:
        raise Refused([Problem(None, "no_rows")])
    return rows


def references(rows: Sequence[Row]) -> list[str]:
    """Every person and manager reference the rows name, once each, in file order."""
    seen: dict[str, None] = {}
    for row in rows:
        for ref in (row.person, row.manager):
            if ref:
                seen.setdefault(ref, None)
    return list(seen)


def parse_working_days(text: str) -> tuple[int, ...]:
    """ "Sun-Thu", "Mon-Fri" or "Mon,Tue,Thu" as weekdays (Monday is 0). ValueError otherwise."""
    parts = [p.strip().lower()[:3] for p in text.replace(" ", "").split(",") if p.strip()]
    days: set[int] = set()
    for part in text.replace(" ", "").lower().split(","):
        first, dash, last = part.partition("-")
        if first[:3] not in DAYS or (dash and last[:3] not in DAYS):
            raise ValueError(text)
        start = DAYS.index(first[:3])
        end = DAYS.index(last[:3]) if dash else start
        days.update((start + k) % 7 for k in range((end - start) % 7 + 1))
    if not parts or len(days) == 7:
        raise ValueError(text)
    return tuple(sorted(days))


def canonical_working_days(text: str) -> str:
    """The one spelling stored: "Sun-Thu" for a run of days, else "Mon,Wed,Fri"."""
    if not text:
        return ""
    days = parse_working_days(text)
    for start in days:
        run = [(start + k) % 7 for k in range(len(days))]
        if sorted(run) == list(days):
            first, last = DAYS[run[0]].title(), DAYS[run[-1]].title()
            return first if len(run) == 1 else f"{first}-{last}"
    return ",".join(DAYS[d].title() for d in days)


def weekend_of(working_days: str) -> frozenset[int] | None:
    """The weekdays someone does not work, from their working days; None: their country's."""
    if not working_days:
        return None
    return frozenset(range(7)) - frozenset(parse_working_days(working_days))


def check(
    rows: Sequence[Row], found: Mapping[str, Lookup], countries: Collection[str]
) -> dict[str, Member]:
    """The roster the rows describe, by Slack user id; Refused with every problem found."""
    problems: list[Problem] = []
    members: dict[str, Member] = {}
    first_line: dict[str, int] = {}
    for row in rows:
        member, row_problems = _member(row, found, countries)
        problems += row_problems
        if member is None:
            continue
        if member.user_id in first_line:
            problems.append(
                Problem(row.line, "duplicate", row.person, str(first_line[member.user_id]))
            )
            continue
        first_line[member.user_id] = row.line
        members[member.user_id] = member
    by_id = {uid: ref for ref, look in found.items() if (uid := look.user_id)}
    for cycle in find_cycles({uid: m.manager_id for uid, m in members.items()}):
        chain = " → ".join(by_id.get(uid, uid) for uid in [*cycle, cycle[0]])
        problems.append(Problem(min(first_line[uid] for uid in cycle), "cycle", chain))
    if problems:
        raise Refused(problems)
    return members


def _member(
    row: Row, found: Mapping[str, Lookup], countries: Collection[str]
) -> tuple[Member | None, list[Problem]]:
    problems = []
    person = found.get(row.person) if row.person else None
    if not row.person:
        problems.append(Problem(row.line, "no_person"))
    elif person is None or person.user_id is None:
        problem = person.problem if person is not None else "unknown"
        problems.append(Problem(row.line, f"{problem}_person", row.person))
    manager = found.get(row.manager) if row.manager else None
    if row.manager and (manager is None or manager.user_id is None):
        problem = manager.problem if manager is not None else "unknown"
        problems.append(Problem(row.line, f"{problem}_manager", row.manager))
    if not row.team:
        problems.append(Problem(row.line, "no_team"))
    if row.country not in countries:
        problems.append(Problem(row.line, "bad_country", row.country))
    try:
        working_days = canonical_working_days(row.working_days)
    except ValueError:
        problems.append(Problem(row.line, "bad_working_days", row.working_days))
        working_days = ""
    if problems or person is None or person.user_id is None:
        return None, problems
    manager_id = manager.user_id if manager is not None else None
    if manager_id == person.user_id:
        return None, [Problem(row.line, "own_manager", row.person)]
    return Member(person.user_id, manager_id, row.team, row.country, working_days), []


def find_cycles(manager_of: Mapping[str, str | None]) -> list[list[str]]:
    """Each loop in the reporting chain once, as the people in it, starting from the one
    met first."""
    cycles: list[list[str]] = []
    done: set[str] = set()
    for start in manager_of:
        path: list[str] = []
        on_path: set[str] = set()
        current: str | None = start
        while current is not None and current not in done and current not in on_path:
            path.append(current)
            on_path.add(current)
            current = manager_of.get(current)
        if current is not None and current in on_path:
            cycles.append(path[path.index(current) :])
        done.update(path)
    return cycles


def diff(
    current: Mapping[str, Member],
    new: Mapping[str, Member],
    known_managers: Mapping[str, str] | None = None,
) -> Diff:
    """What importing `new` changes, the roster being `current` (both by user id).
    `known_managers`: user id → manager's user id of people not on the roster whose manager
    pdpbot knows from /pdp; one the file gives another manager is a manager change."""
    result = Diff()
    known = known_managers or {}
    for uid, after in new.items():
        before = current.get(uid)
        if before is None:
            manager = known.get(uid)
            if manager is not None and manager != after.manager_id:
                result.managers_changed.append((Member(uid, manager, "", ""), after))
                result.joining.add(uid)
            else:
                result.added.append(after)
            continue
        if before.manager_id != after.manager_id:
            result.managers_changed.append((before, after))
        if (before.team, before.country, before.working_days) != (
            after.team,
            after.country,
            after.working_days,
        ):
            result.details_changed.append((before, after))
    result.removed.extend(m for uid, m in current.items() if uid not in new)
    return result
