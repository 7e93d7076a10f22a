"""The contact timeline: its geometry on plain data, and the drawing it renders."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from holdspace.contact.chart import Chart, build
from holdspace.contact.figures import Exchange, Gathering, compute, find_silences
from holdspace.processes.terminology import Terms

START = datetime.date(2024, 11, 13)
TODAY = datetime.date(2025, 11, 13)


def day(number: int) -> datetime.date:
    return START + datetime.timedelta(days=number)


EXCHANGES = [
    Exchange(day(10), True, True, day(12)),  # answered
    Exchange(day(110), True, True),  # unanswered …
    Exchange(day(150), True, True, day(265)),  # … answered late
    Exchange(day(200), True, False),  # to his surroundings
    Exchange(day(210), False, False),  # from his surroundings
    Exchange(day(300), False, True),  # from him
    Exchange(day(330), True, True),  # unanswered, still waiting
]
GATHERINGS = [
    Gathering(day(20), "held"),
    Gathering(day(60), "no_show"),
    Gathering(day(80), "cancelled_by_him"),
    Gathering(day(90), "cancelled_by_us"),
    Gathering(day(390), "scheduled"),
]


def chart_of(
    exchanges: list[Exchange],
    gatherings: list[Gathering],
    *,
    start: datetime.date = START,
    today: datetime.date = TODAY,
) -> Chart:
    silences = find_silences(exchanges, gatherings, today=today)
    return build(exchanges, gatherings, start=start, today=today, silences=silences)


class Drawing(HTMLParser):
    """The marks as drawn: (x, y, title, shape) for each ``<g transform>``."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.html = html
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.marks: list[dict[str, str]] = []
        self._texts: list[str] = []
        self.texts: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        self.tags.append((tag, attributes))
        if tag == "g" and "transform" in attributes:
            x, y = attributes["transform"].removeprefix("translate(").rstrip(")").split()
            self.marks.append({"x": x, "y": y})
        elif tag == "use" and self.marks and "shape" not in self.marks[-1]:
            self.marks[-1]["shape"] = attributes["href"].removeprefix("#hs-chart-")
        self._texts = []

    def handle_data(self, data: str) -> None:
        self._texts.append(data)

    def handle_endtag(self, tag: str) -> None:
        text = " ".join("".join(self._texts).split())
        self.texts.setdefault(tag, []).append(text)
        if tag == "title" and self.marks and "title" not in self.marks[-1]:
            self.marks[-1]["title"] = text
        self._texts = []

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attributes for name, attributes in self.tags if name == tag]


def drawn(chart: Chart) -> Drawing:
    context = {"chart": chart, "terms": Terms("survivor", "person_who_caused_harm")}
    drawing = Drawing(render_to_string("contact/includes/chart.html", context))
    drawing.feed(drawing.html)
    return drawing


# Geometry ------------------------------------------------------------------


def test_the_range_runs_from_the_left_margin_to_the_right_margin() -> None:
    chart = chart_of([], [])
    assert (chart.start, chart.end) == (START, TODAY)
    assert chart.x_of(START) == 90
    assert chart.x_of(TODAY) == 800 - 20
    assert chart.x_of(day(73)) == 90 + 690 / 5  # a fifth of the year, a fifth of the width
    assert chart.today_x == 780


def test_a_planned_meeting_extends_the_range_beyond_today() -> None:
    chart = chart_of([], [Gathering(TODAY + datetime.timedelta(days=30), "scheduled")])
    assert chart.end == TODAY + datetime.timedelta(days=30)
    assert chart.x_of(chart.end) == 780
    assert 90 < chart.today_x < 780


def test_a_process_that_started_today_still_has_a_scale() -> None:
    chart = chart_of([Exchange(TODAY, True, True)], [], start=TODAY)
    assert chart.x_of(TODAY) == 90
    assert [mark.x for mark in chart.marks] == [90]


def test_each_contact_and_meeting_is_a_mark_of_its_kind_in_its_lane() -> None:
    chart = chart_of(EXCHANGES, GATHERINGS)
    assert chart.counts == {
        "answered": 2,
        "unanswered": 2,
        "surroundings": 1,
        "from_him": 3,  # his message, and his two answers marked on our attempts
        "from_surroundings": 1,
        "held": 1,
        "no_show": 1,
        "cancelled": 2,
        "scheduled": 1,
    }
    # The chart shows each reply the figures count, no more and no fewer.
    assert chart.counts["from_him"] == compute(EXCHANGES, GATHERINGS, today=TODAY).replies
    lanes = {lane.name: lane.y for lane in chart.lanes}
    assert lanes["we"] < lanes["he"] < lanes["meetings"]
    by_kind = {mark.kind: mark for mark in chart.marks}
    assert by_kind["surroundings"].y == lanes["we"]
    assert by_kind["from_surroundings"].y == by_kind["from_him"].y == lanes["he"]
    assert by_kind["no_show"].y == lanes["meetings"]
    assert by_kind["no_show"].x == chart.x_of(day(60))


def test_an_answer_still_to_come_is_drawn_as_unanswered() -> None:
    chart = chart_of([Exchange(day(10), True, True, TODAY + datetime.timedelta(days=1))], [])
    assert [mark.kind for mark in chart.marks] == ["unanswered"]


def test_a_silence_is_a_band_from_its_start_to_its_end() -> None:
    chart = chart_of(EXCHANGES, GATHERINGS)
    long_wait = next(band for band in chart.silences if band.days == 155)
    assert (long_wait.start, long_wait.end, long_wait.ongoing) == (day(110), day(265), False)
    assert long_wait.x == chart.x_of(day(110))
    assert long_wait.x + long_wait.width == pytest.approx(chart.x_of(day(265)))
    assert chart.silences[-1].ongoing
    assert chart.ongoing


def test_a_short_silence_is_still_visible() -> None:
    chart = chart_of([Exchange(day(10), True, True, day(11))], [])
    [band] = chart.silences
    assert band.width == 2


def test_a_long_range_has_a_tick_each_new_year() -> None:
    chart = chart_of([], [], start=datetime.date(2022, 3, 15), today=datetime.date(2025, 6, 1))
    assert [(tick.on, tick.kind) for tick in chart.ticks] == [
        (datetime.date(2023, 1, 1), "year"),
        (datetime.date(2024, 1, 1), "year"),
        (datetime.date(2025, 1, 1), "year"),
    ]
    assert chart.ticks[0].x == chart.x_of(datetime.date(2023, 1, 1))


def test_a_short_range_has_a_tick_each_quarter() -> None:
    chart = chart_of([], [], start=datetime.date(2025, 2, 10), today=datetime.date(2025, 11, 20))
    assert [(tick.on, tick.kind) for tick in chart.ticks] == [
        (datetime.date(2025, 4, 1), "quarter"),
        (datetime.date(2025, 7, 1), "quarter"),
        (datetime.date(2025, 10, 1), "quarter"),
    ]


# The drawing ----------------------------------------------------------------


def test_the_drawing_has_a_title_and_a_description_of_the_counts() -> None:
    drawing = drawn(chart_of(EXCHANGES, GATHERINGS))
    [svg] = [attributes for attributes in drawing.all("svg") if "role" in attributes]
    assert svg["viewbox"] == "0 0 800 230"
    assert svg["aria-labelledby"] == "hs-chart-title hs-chart-desc"
    assert drawing.texts["title"][0] == "Contacts, answers and meetings over time"
    [desc] = drawing.texts["desc"]
    assert "Our attempts at contact: 4, of which 2 are still without an answer." in desc
    assert "Replies and messages received: 3." in desc
    assert "Times of waiting for an answer: 3, the longest 155 days." in desc
    assert "Still waiting since 9 October 2025." in desc
    assert "Meetings: 1 held, 1 missed, 2 cancelled, 1 planned." in desc


def test_each_mark_is_a_shape_of_its_kind_with_its_date() -> None:
    chart = chart_of(EXCHANGES, GATHERINGS)
    drawing = drawn(chart)
    assert len(drawing.texts["title"]) == 1 + len(chart.marks)
    assert [(float(m["x"]), float(m["y"])) for m in drawing.marks] == [
        (mark.x, mark.y) for mark in chart.marks
    ]
    shapes = [mark["shape"] for mark in drawing.marks]
    assert shapes.count("circle-filled") == 5  # two answered; from him, a message and two replies
    assert shapes.count("circle-hollow") == 2
    assert shapes.count("square-small") == 2
    assert shapes.count("square-filled") == 1
    assert shapes.count("cross") == 1
    assert shapes.count("diamond-hollow") == 2
    assert shapes.count("square-hollow") == 1
    titles = [mark["title"] for mark in drawing.marks]
    assert "12 January 2025: He did not come to the meeting" in titles
    assert "23 November 2024: We wrote or called him, and he answered" in titles


def test_the_text_says_how_long_each_silence_lasted() -> None:
    drawing = drawn(chart_of(EXCHANGES, GATHERINGS))
    items = drawing.texts["li"]
    assert "From 3 March 2025 to 5 August 2025: 155 days without an answer" in items
    assert "Since 9 October 2025: 35 days, still waiting" in items
    assert "From 23 November 2024 to 25 November 2024: 2 days without an answer" in items


def test_the_hatching_for_a_wait_that_goes_on_is_defined_only_when_needed() -> None:
    drawing = drawn(chart_of(EXCHANGES, GATHERINGS))
    hatched = [rect for rect in drawing.all("rect") if "hatch" in rect.get("fill", "")]
    assert len(hatched) == 1
    assert 'id="hs-chart-hatch"' in drawing.html

    drawing = drawn(chart_of(EXCHANGES[:3], []))
    assert len(drawing.texts["li"]) == 2
    assert "hatch" not in drawing.html


def test_without_silences_the_text_says_so() -> None:
    drawing = drawn(chart_of([Exchange(day(10), True, True, day(10))], []))
    assert "We have never been left waiting for an answer from him." in drawing.texts["p"]
    assert "li" not in drawing.texts


def test_the_drawing_has_nothing_the_csp_would_block() -> None:
    drawing = drawn(chart_of(EXCHANGES, GATHERINGS))
    assert "style=" not in drawing.html
    assert "<script" not in drawing.html
    for tag, attributes in drawing.tags:
        assert not any(key.startswith("on") for key in attributes), tag


def test_the_coordinates_survive_a_language_with_a_decimal_comma() -> None:
    chart = chart_of(EXCHANGES, GATHERINGS)
    with translation.override("de"):
        drawing = drawn(chart)
    assert [(float(m["x"]), float(m["y"])) for m in drawing.marks] == [
        (mark.x, mark.y) for mark in chart.marks
    ]
    widths = [rect["width"] for rect in drawing.all("rect") if "fill-opacity" in rect]
    assert widths and all("," not in width for width in widths)
