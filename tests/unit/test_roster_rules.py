"""The org roster file, checked as a whole (bot/domain/roster.py): columns, encoding, every
problem by line, cycles, working days, and the difference an import makes."""

from __future__ import annotations

import pytest

from bot.domain.roster import (
    Lookup,
    Member,
    Problem,
    Refused,
    canonical_working_days,
    check,
    diff,
    find_cycles,
    read_rows,
    weekend_of,
)

COUNTRIES = {"GB", "US", "IL", "IN", "DE"}
FOUND = {
    "maya@acme.test": Lookup("UMAYA"),
    "UMAYA": Lookup("UMAYA"),
    "ana@acme.test": Lookup("UANA"),
    "UBEN": Lookup("UBEN"),
    "UCHIDI": Lookup("UCHIDI"),
    "ghost@acme.test": Lookup(None, "unknown"),
    "gone@acme.test": Lookup(None, "deactivated"),
}


def rows(text: str) -> list:  # type: ignore[type-arg]
    return read_rows(text.encode("utf-8"))


def problems(text: str) -> list[Problem]:
    with pytest.raises(Refused) as refused:
        check(rows(text), FOUND, COUNTRIES)
    return refused.value.problems


def test_a_valid_file_gives_each_person_their_manager_team_country_and_week() -> None:
    roster = check(
        rows(
            "person,manager,team,country,working_days\n"
            "maya@acme.test,,Platform,GB,\n"
            "ana@acme.test,maya@acme.test,Platform,us,\n"
            "UBEN,UMAYA,Data,IL,sun-thu\n"
        ),
        FOUND,
        COUNTRIES,
    )
    assert roster == {
        "UMAYA": Member("UMAYA", None, "Platform", "GB"),
        "UANA": Member("UANA", "UMAYA", "Platform", "US"),
        "UBEN": Member("UBEN", "UMAYA", "Data", "IL", "Sun-Thu"),
    }


def test_each_bad_row_is_named_by_its_line_and_the_whole_file_is_refused() -> None:
    found = problems(
        "person,manager,team,country\n"
        "ghost@acme.test,UMAYA,Platform,GB\n"  # 2: unknown person
        "ana@acme.test,gone@acme.test,Platform,GB\n"  # 3: manager deactivated
        "UBEN,nobody@acme.test,Data,GB\n"  # 4: manager not in Slack
        "UCHIDI,UMAYA,Data,XX\n"  # 5: bad country
        "UMAYA,,Platform,GB\n"  # 6: fine
        "maya@acme.test,,Platform,GB\n"  # 7: duplicate of line 6
    )
    assert [(p.line, p.code, p.value) for p in found] == [
        (2, "unknown_person", "ghost@acme.test"),
        (3, "deactivated_manager", "gone@acme.test"),
        (4, "unknown_manager", "nobody@acme.test"),
        (5, "bad_country", "XX"),
        (7, "duplicate", "maya@acme.test"),
    ]
    assert found[-1].other == "6"


def test_a_cycle_in_the_reporting_chain_is_refused_at_its_first_line() -> None:
    found = problems(
        "person,manager,team,country\n"
        "UMAYA,,Platform,GB\n"
        "UBEN,UCHIDI,Data,GB\n"
        "UCHIDI,ana@acme.test,Data,GB\n"
        "ana@acme.test,UBEN,Data,GB\n"
    )
    assert [(p.line, p.code) for p in found] == [(3, "cycle")]
    assert found[0].value.count("→") == 3


def test_someone_named_as_their_own_manager_is_refused() -> None:
    found = problems("person,manager,team,country\nUBEN,UBEN,Data,GB\n")
    assert [(p.line, p.code) for p in found] == [(2, "own_manager")]


def test_a_missing_column_a_wrong_encoding_and_an_empty_file_are_refused() -> None:
    with pytest.raises(Refused) as refused:
        read_rows(b"person,manager,country\nUBEN,UMAYA,GB\n")
    assert [(p.line, p.code, p.value) for p in refused.value.problems] == [
        (1, "missing_column", "team")
    ]
    with pytest.raises(Refused) as refused:
        read_rows(
            "person,manager,team,country\nUBEN,UMAYA,Daten-Team,GB\nJos\xe9,,A,GB\n".encode(
                "latin-1"
            )
        )
    assert [(p.line, p.code) for p in refused.value.problems] == [(3, "encoding")]
    with pytest.raises(Refused) as refused:
        read_rows(b"")
    assert refused.value.problems[0].code == "empty"


def test_a_byte_order_mark_and_spaced_headers_are_read() -> None:
    (row,) = read_rows(
        "\ufeffPerson, Manager ,Team,Country,Working Days\nUBEN,UMAYA,Data,gb,Mon-Thu\n".encode()
    )
    assert (row.line, row.person, row.manager, row.country, row.working_days) == (
        2,
        "UBEN",
        "UMAYA",
        "GB",
        "Mon-Thu",
    )


@pytest.mark.parametrize(
    ("text", "canonical", "weekend"),
    [
        ("Mon-Fri", "Mon-Fri", {5, 6}),
        ("sun-thu", "Sun-Thu", {4, 5}),
        ("Mon,Tue,Wed,Thu", "Mon-Thu", {4, 5, 6}),
        ("Mon,Wed,Fri", "Mon,Wed,Fri", {1, 3, 5, 6}),
    ],
)
def test_working_days_are_read_as_a_run_or_a_list(
    text: str, canonical: str, weekend: set[int]
) -> None:
    assert canonical_working_days(text) == canonical
    assert weekend_of(canonical) == frozenset(weekend)


def test_bad_working_days_are_refused() -> None:
    found = problems("person,manager,team,country,working_days\nUBEN,UMAYA,Data,GB,Funday\n")
    assert [(p.line, p.code) for p in found] == [(2, "bad_working_days")]
    assert weekend_of("") is None


def test_find_cycles_reports_each_loop_once() -> None:
    assert find_cycles({"A": "B", "B": "A", "C": "A", "D": None}) == [["A", "B"]]


def test_the_difference_lists_people_added_managers_changed_and_people_removed() -> None:
    before = {
        "UANA": Member("UANA", "UMAYA", "Platform", "US"),
        "UBEN": Member("UBEN", "UMAYA", "Data", "GB"),
        "UCHIDI": Member("UCHIDI", "UMAYA", "Data", "IN"),
    }
    after = {
        "UANA": Member("UANA", "UMAYA", "Platform", "US"),
        "UBEN": Member("UBEN", "UOTTO", "Data", "GB"),
        "UOTTO": Member("UOTTO", None, "Data", "DE"),
    }
    change = diff(before, after)
    assert [m.user_id for m in change.added] == ["UOTTO"]
    assert [(b.manager_id, a.manager_id) for b, a in change.managers_changed] == [
        ("UMAYA", "UOTTO")
    ]
    assert [m.user_id for m in change.removed] == ["UCHIDI"]
    assert diff(after, after).is_empty
