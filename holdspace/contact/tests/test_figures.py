"""The contact figures, on plain data: silences, answers, meetings, years.
They never present silence as cooperation (DESIGN §6)."""

from __future__ import annotations

import datetime

from holdspace.contact.figures import (
    Exchange,
    Figures,
    Gathering,
    Silence,
    Year,
    by_year,
    compute,
)

START = datetime.date(2024, 11, 13)


def day(number: int) -> datetime.date:
    return START + datetime.timedelta(days=number)


def attempt(number: int, answered: int | None = None) -> Exchange:
    """We wrote to or called him on day ``number``; he answered on day ``answered``."""
    return Exchange(day(number), True, True, day(answered) if answered is not None else None)


def from_him(number: int) -> Exchange:
    return Exchange(day(number), False, True)


def test_a_silence_lasts_from_the_first_unanswered_attempt_to_his_answer() -> None:
    exchanges = [attempt(0, answered=2), attempt(110), attempt(150, answered=265)]
    figures = compute(exchanges, [], today=day(300))
    assert figures.silences == (
        Silence(day(0), day(2), 2, False),
        Silence(day(110), day(265), 155, False),
    )
    assert figures.longest_silence == Silence(datetime.date(2025, 3, 3), day(265), 155, False)
    assert (figures.attempts, figures.answered, figures.unanswered) == (3, 2, 1)
    assert figures.days_since_answer == 35


def test_his_own_message_ends_a_silence_too() -> None:
    figures = compute([attempt(110), attempt(150), from_him(265)], [], today=day(300))
    assert figures.silences == (Silence(day(110), day(265), 155, False),)
    assert figures.unanswered == 2


def test_a_silence_without_an_answer_lasts_until_today() -> None:
    exchanges = [from_him(10), attempt(20), attempt(40)]
    figures = compute(exchanges, [], today=day(100))
    assert figures.silences == (Silence(day(20), day(100), 80, True),)
    assert figures.longest_silence == figures.silences[0]
    assert figures.days_since_answer == 90
    assert figures.days_since_contact == 60


def test_response_times_are_the_median_and_the_longest_wait_for_an_answer() -> None:
    exchanges = [
        attempt(0, answered=1),
        attempt(10, answered=13),
        attempt(20, answered=30),
        attempt(40, answered=42),
        attempt(50),
    ]
    figures = compute(exchanges, [], today=day(60))
    assert figures.median_response_days == 2  # of 1, 2, 3 and 10 days
    assert figures.longest_response_days == 10
    assert (figures.attempts, figures.answered, figures.unanswered) == (5, 4, 1)


def test_meetings_are_counted_by_outcome() -> None:
    gatherings = [
        Gathering(day(10), "held"),
        Gathering(day(20), "no_show"),
        Gathering(day(30), "cancelled_by_him"),
        Gathering(day(40), "cancelled_by_him"),
        Gathering(day(50), "cancelled_by_us"),
        Gathering(day(60), "held"),
    ]
    figures = compute([], gatherings, today=day(70))
    assert (figures.meetings_held, figures.no_shows) == (2, 1)
    assert (figures.cancelled_by_him, figures.cancelled_by_us) == (2, 1)
    assert figures.days_since_answer == 10


def test_a_no_show_is_contact_but_not_a_sign_of_life() -> None:
    figures = compute([attempt(40)], [Gathering(day(50), "no_show")], today=day(60))
    assert figures.days_since_contact == 10
    assert figures.days_since_answer is None
    assert figures.silences == (Silence(day(40), day(60), 20, True),)


def test_his_surroundings_are_contact_but_not_a_sign_of_life_from_him() -> None:
    exchanges = [
        attempt(0, answered=3),
        Exchange(day(10), outgoing=True, with_him=False),
        Exchange(day(20), outgoing=False, with_him=False),
    ]
    figures = compute(exchanges, [], today=day(30))
    assert figures.days_since_contact == 10
    assert figures.days_since_answer == 27
    assert figures.attempts == 1
    # Writing to his surroundings is not waiting for him.
    assert figures.silences == (Silence(day(0), day(3), 3, False),)


def test_his_answer_counts_as_contact_on_the_day_it_came() -> None:
    figures = compute([attempt(0, answered=25)], [], today=day(30))
    assert (figures.days_since_contact, figures.days_since_answer) == (5, 5)


def test_an_attempt_on_the_day_of_his_answer_starts_no_silence() -> None:
    # He wrote on day 10, we replied the same day; we cannot tell which came first.
    exchanges = [attempt(5), from_him(10), attempt(10), attempt(20, answered=20)]
    figures = compute(exchanges, [], today=day(30))
    assert figures.silences == (Silence(day(5), day(10), 5, False),)
    assert figures.median_response_days == 0


def test_an_attempt_after_his_last_answer_starts_a_silence() -> None:
    figures = compute([from_him(10), attempt(11)], [], today=day(30))
    assert figures.silences == (Silence(day(11), day(30), 19, True),)


def test_nothing_yet_gives_no_figures() -> None:
    assert compute([], [], today=day(0)) == Figures(
        days_since_contact=None,
        days_since_answer=None,
        longest_silence=None,
        silences=(),
        attempts=0,
        answered=0,
        unanswered=0,
        median_response_days=None,
        longest_response_days=None,
        meetings_held=0,
        no_shows=0,
        cancelled_by_him=0,
        cancelled_by_us=0,
    )


def test_meetings_still_to_come_change_no_figure() -> None:
    exchanges = [attempt(0, answered=2), attempt(10)]
    past = [Gathering(day(5), "held")]
    planned = [Gathering(day(40), "scheduled"), Gathering(day(50), "scheduled")]
    assert compute(exchanges, past + planned, today=day(30)) == compute(
        exchanges, past, today=day(30)
    )
    assert compute(exchanges, past + planned, today=day(30)).days_since_contact == 20


def test_an_answer_after_today_is_not_yet_an_answer() -> None:
    figures = compute([attempt(0, answered=40)], [], today=day(30))
    assert (figures.answered, figures.unanswered) == (0, 1)
    assert figures.silences == (Silence(day(0), day(30), 30, True),)


def test_the_years_split_a_silence_at_new_year() -> None:
    date = datetime.date
    exchanges = [
        Exchange(date(2024, 12, 1), True, True),  # unanswered …
        Exchange(date(2025, 1, 31), False, True),  # … until he wrote: 31 + 30 days
        Exchange(date(2025, 6, 1), True, True, date(2025, 6, 3)),
        Exchange(date(2025, 12, 20), True, True, date(2026, 1, 5)),  # 12 + 4 days
    ]
    gatherings = [
        Gathering(date(2025, 9, 10), "held"),
        Gathering(date(2025, 10, 10), "no_show"),
        Gathering(date(2026, 3, 1), "scheduled"),
    ]
    years = by_year(exchanges, gatherings, start=date(2023, 5, 1), today=date(2026, 2, 1))
    assert years == [
        Year(2023, attempts=0, answered=0, signs_of_life=0, meetings_held=0, no_shows=0,
             longest_silence_days=0, replies=0, unanswered=0),
        Year(2024, attempts=1, answered=0, signs_of_life=0, meetings_held=0, no_shows=0,
             longest_silence_days=31, replies=0, unanswered=1),
        Year(2025, attempts=2, answered=2, signs_of_life=3, meetings_held=1, no_shows=1,
             longest_silence_days=30, replies=2, unanswered=0),
        Year(2026, attempts=0, answered=0, signs_of_life=1, meetings_held=0, no_shows=0,
             longest_silence_days=4, replies=1, unanswered=0),
    ]  # fmt: skip


# Figures that do not flatter him (DESIGN §6) ----------------------------------


def test_one_late_answer_to_many_attempts_is_one_reply_after_a_long_silence() -> None:
    """Fourteen e-mails over five months, then one message that answers them
    all, then one more e-mail: "14 of 15 answered" would flatter him."""
    attempts = [attempt(10 * n, answered=150) for n in range(14)]
    exchanges = [*attempts, from_him(150), attempt(160)]
    figures = compute(exchanges, [], today=day(200))
    assert (figures.attempts, figures.replies, figures.unanswered) == (15, 1, 1)
    assert figures.longest_silence == Silence(day(0), day(150), 150, False)
    assert figures.current_silence == Silence(day(160), day(200), 40, True)
    assert figures.days_since_two_way == 50
    assert figures.last_attempt == day(160)


def test_our_own_attempts_are_never_two_way_contact() -> None:
    figures = compute([attempt(0), attempt(30), attempt(60)], [], today=day(70))
    assert figures.days_since_two_way is None and figures.replies == 0
    assert figures.days_since_contact == 10  # an exchange, but not contact with him
    assert figures.current_silence == Silence(day(0), day(70), 70, True)


def test_a_meeting_held_is_two_way_contact_and_a_missed_one_is_not() -> None:
    held = compute([attempt(0)], [Gathering(day(20), "held")], today=day(30))
    assert held.days_since_two_way == 10 and held.current_silence is None
    missed = compute([attempt(0)], [Gathering(day(20), "no_show")], today=day(30))
    assert missed.days_since_two_way is None and missed.current_silence is not None


def test_an_answer_marked_without_his_message_is_one_reply_on_its_day() -> None:
    exchanges = [attempt(0, answered=12), attempt(5, answered=12), attempt(20, answered=25)]
    figures = compute(exchanges, [], today=day(30))
    assert figures.replies == 2 and figures.unanswered == 0
