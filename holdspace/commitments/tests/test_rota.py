"""The rota's rules, on plain data: who may come, and which days conflict."""

from __future__ import annotations

import datetime

from holdspace.commitments.rota import Change, Day, conflicts, resolve

MONDAY = datetime.date(2026, 11, 23)
# X at the co-op Monday, Wednesday, Friday, Sunday; Y Tuesday, Thursday, Saturday.
PATTERN = {"co-op": {0: "X", 1: "Y", 2: "X", 3: "Y", 4: "X", 5: "Y", 6: "X"}}


def _who(days: list[Day], date: datetime.date) -> tuple[str, ...]:
    return next(day.people for day in days if day.date == date)


def test_the_weekly_pattern_repeats_and_has_no_conflict() -> None:
    days = resolve(PATTERN, [], MONDAY, 14)
    assert len(days) == 14
    assert [day.people for day in days[:7]] == [
        ("X",),
        ("Y",),
        ("X",),
        ("Y",),
        ("X",),
        ("Y",),
        ("X",),
    ]
    assert _who(days, MONDAY + datetime.timedelta(days=7)) == ("X",)
    assert conflicts(days) == []


def test_a_swap_replaces_the_usual_person_for_one_date_only() -> None:
    tuesday = MONDAY + datetime.timedelta(days=1)
    days = resolve(PATTERN, [Change("co-op", tuesday, "instead", "X")], MONDAY, 14)
    assert _who(days, tuesday) == ("X",)
    assert _who(days, tuesday + datetime.timedelta(days=7)) == ("Y",)
    assert conflicts(days) == []


def test_two_people_on_one_day_is_a_conflict() -> None:
    friday = MONDAY + datetime.timedelta(days=4)
    days = resolve(PATTERN, [Change("co-op", friday, "also", "Y")], MONDAY, 7)
    [day] = conflicts(days)
    assert (day.date, day.people, day.conflict) == (friday, ("X", "Y"), "both")


def test_a_day_with_nobody_is_a_conflict_whether_by_change_or_gap() -> None:
    gaps = {"library": {0: "X", 2: "Y"}}
    days = resolve(gaps, [Change("library", MONDAY, "nobody", None)], MONDAY, 7)
    found = {(day.date.weekday(), day.conflict) for day in conflicts(days)}
    assert found == {
        (0, "nobody"),
        (1, "nobody"),
        (3, "nobody"),
        (4, "nobody"),
        (5, "nobody"),
        (6, "nobody"),
    }


def test_adding_the_usual_person_again_changes_nothing() -> None:
    days = resolve(PATTERN, [Change("co-op", MONDAY, "also", "X")], MONDAY, 1)
    assert days[0].people == ("X",) and days[0].conflict is None


def test_changes_for_other_places_or_dates_do_not_leak() -> None:
    days = resolve(PATTERN, [Change("library", MONDAY, "nobody", None)], MONDAY, 1)
    assert days[0].people == ("X",)
