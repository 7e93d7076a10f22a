"""Where to draw contact with him over time: numbers for an SVG timeline.

The template ``contact/includes/chart.html`` draws; this module only works
out coordinates and short machine words, because the project never builds
markup in Python and every label is translated in the template. The chart
has three lanes: what the group did ("we"), what came in from him or his
surroundings ("he": each reply or message from him, as counted in the
figures), and meetings with him ("meetings"). Silences are bands behind the
lanes, so a long wait is visible at a glance.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from holdspace.contact.figures import Exchange, Gathering, Silence, answer_of, reply_days

LANES = ("we", "he", "meetings")
# Each kind of mark has its own shape, so the chart reads without colour.
SHAPES = {
    "answered": "circle-filled",
    "unanswered": "circle-hollow",
    "surroundings": "square-small",
    "from_him": "circle-filled",
    "from_surroundings": "square-small",
    "held": "square-filled",
    "no_show": "cross",
    "cancelled": "diamond-hollow",
    "scheduled": "square-hollow",
}
KINDS = tuple(SHAPES)
MEETING_KINDS = {
    "scheduled": "scheduled",
    "held": "held",
    "no_show": "no_show",
    "cancelled_by_us": "cancelled",
    "cancelled_by_him": "cancelled",
}
# Below two years, yearly ticks would leave the axis nearly bare.
QUARTERLY_BELOW_DAYS = 2 * 365


@dataclass(frozen=True)
class Frame:
    """The fixed geometry of the drawing, in viewBox units."""

    width: int = 800
    height: int = 230
    left: int = 90  # room for the lane labels
    right: int = 780
    top: int = 20
    bottom: int = 185  # the axis baseline
    label_x: int = 82
    tick_end_y: int = 190
    tick_label_y: int = 204
    today_label_y: int = 14

    @property
    def plot_height(self) -> int:
        return self.bottom - self.top

    @property
    def lane_height(self) -> float:
        return self.plot_height / len(LANES)


FRAME = Frame()


@dataclass(frozen=True)
class Lane:
    name: str  # one of LANES
    y: float  # the centre line


@dataclass(frozen=True)
class Mark:
    """One contact or meeting, drawn as a small shape at (x, y)."""

    x: float
    y: float
    kind: str  # one of KINDS
    on: datetime.date

    @property
    def shape(self) -> str:
        return SHAPES[self.kind]


@dataclass(frozen=True)
class Band:
    """A silence, drawn as a band behind all lanes from ``x`` for ``width``."""

    x: float
    width: float
    ongoing: bool
    days: int
    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class Tick:
    """A mark on the axis: each 1 January ("year"), or each quarter ("quarter")."""

    x: float
    on: datetime.date
    kind: str


@dataclass(frozen=True)
class Chart:
    start: datetime.date
    end: datetime.date
    today: datetime.date
    today_x: float
    lanes: tuple[Lane, ...]
    marks: tuple[Mark, ...]
    silences: tuple[Band, ...]
    ticks: tuple[Tick, ...]
    counts: Mapping[str, int]  # every kind in KINDS, with how many marks it has
    frame: Frame = FRAME

    @property
    def ongoing(self) -> bool:
        """The group is waiting for him right now (the template then defines the hatching)."""
        return any(band.ongoing for band in self.silences)

    @property
    def attempts(self) -> int:
        """Our attempts to reach him, answered or not."""
        return self.counts["answered"] + self.counts["unanswered"]

    @property
    def longest(self) -> Band | None:
        return max(self.silences, key=lambda band: band.days, default=None)

    @property
    def waiting_since(self) -> datetime.date | None:
        return next((band.start for band in self.silences if band.ongoing), None)

    def x_of(self, day: datetime.date) -> float:
        return x_of(day, start=self.start, end=self.end)


def x_of(day: datetime.date, *, start: datetime.date, end: datetime.date) -> float:
    """The x of ``day`` on a linear scale from ``start`` (left) to ``end`` (right).

    A day outside the range is drawn at its edge rather than off the canvas.
    """
    span = max((end - start).days, 1)
    fraction = min(max((day - start).days / span, 0.0), 1.0)
    return round(FRAME.left + fraction * (FRAME.right - FRAME.left), 1)


def build(
    exchanges: Iterable[Exchange],
    gatherings: Iterable[Gathering],
    *,
    start: datetime.date,
    today: datetime.date,
    silences: Sequence[Silence],
) -> Chart:
    """The timeline from ``start`` to today, or to the last planned meeting if later.

    ``silences`` are drawn as given (``figures.find_silences`` or
    ``Figures.silences``); pass a filtered list to leave out short waits.
    """
    gatherings = list(gatherings)
    end = max([today, *(meeting.on for meeting in gatherings)])
    lanes = {name: Lane(name, _lane_y(index)) for index, name in enumerate(LANES)}
    marks = [
        Mark(x_of(day, start=start, end=end), lanes[lane].y, kind, day)
        for lane, kind, day in _events(exchanges, gatherings, today)
    ]
    counts = Counter(mark.kind for mark in marks)
    return Chart(
        start=start,
        end=end,
        today=today,
        today_x=x_of(today, start=start, end=end),
        lanes=tuple(lanes.values()),
        marks=tuple(sorted(marks, key=lambda mark: mark.on)),
        silences=tuple(_band(silence, start, end) for silence in silences),
        ticks=_ticks(start, end),
        counts={kind: counts[kind] for kind in KINDS},
    )


def _lane_y(index: int) -> float:
    return round(FRAME.top + FRAME.lane_height * (index + 0.5), 1)


def _events(
    exchanges: Iterable[Exchange], gatherings: Iterable[Gathering], today: datetime.date
) -> Iterable[tuple[str, str, datetime.date]]:
    """(lane, kind, day) for every exchange and meeting, and for each answer
    of his that was marked on our attempts without a message of his logged."""
    exchanges = list(exchanges)
    messages = {e.on for e in exchanges if not e.outgoing and e.with_him}
    for day in reply_days(exchanges, today=today):
        if day not in messages:
            yield "he", "from_him", day
    for exchange in exchanges:
        if not exchange.outgoing:
            yield "he", "from_him" if exchange.with_him else "from_surroundings", exchange.on
        elif not exchange.with_him:
            yield "we", "surroundings", exchange.on
        elif answer_of(exchange, today) is not None:
            yield "we", "answered", exchange.on
        else:
            yield "we", "unanswered", exchange.on
    for meeting in gatherings:
        yield "meetings", MEETING_KINDS[meeting.outcome], meeting.on


def _band(silence: Silence, start: datetime.date, end: datetime.date) -> Band:
    left = x_of(silence.start, start=start, end=end)
    right = x_of(silence.end, start=start, end=end)
    # A wait of a day or two must still be visible.
    width = max(round(right - left, 1), 2.0)
    return Band(left, width, silence.ongoing, silence.days, silence.start, silence.end)


def _ticks(start: datetime.date, end: datetime.date) -> tuple[Tick, ...]:
    quarterly = (end - start).days < QUARTERLY_BELOW_DAYS
    months = (1, 4, 7, 10) if quarterly else (1,)
    days = [
        datetime.date(year, month, 1)
        for year in range(start.year, end.year + 1)
        for month in months
    ]
    kind = "quarter" if quarterly else "year"
    return tuple(
        Tick(x_of(day, start=start, end=end), day, kind) for day in days if start <= day <= end
    )
