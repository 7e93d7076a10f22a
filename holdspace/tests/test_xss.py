"""S31: no stored XSS through any free-text field. Payloads and generated text
go in through the real forms; every page showing them must have exactly the
elements and attributes it has with harmless text."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from holdspace.testing import FREE_TEXT_FORMS as FORMS
from holdspace.testing import World, sign_in

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "</textarea><script>alert(1)</script>",
    "<iframe src=//evil.example></iframe>",
    "<style>body{display:none}</style>",
    "{{ request }}{% csrf_token %}",
    "&lt;b&gt;&amp;",
    "<!-- comment --><b onmouseover=alert(1)>x</b>",
]
BENIGN = "harmless words"
IGNORED_TAGS = {"br", "p"}  # line breaks in text become these


class Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.shape: Counter[tuple[str, tuple[str, ...]]] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in IGNORED_TAGS:
            self.shape[(tag, tuple(sorted(name for name, _ in attrs)))] += 1


def shape(content: bytes) -> Counter[tuple[str, tuple[str, ...]]]:
    parser = Structure()
    parser.feed(content.decode())
    return parser.shape


def _pages(world: World, form: str, text: str) -> list[Counter[tuple[str, tuple[str, ...]]]]:
    """The shapes of the pages showing ``text`` after it went through ``form``.
    Rolled back afterwards, so every text meets the same world."""
    persona, submit = FORMS[form]
    with transaction.atomic():
        client = Client()
        sign_in(client, world.personas[persona])
        shapes = []
        for path in submit(world, client, text):
            page = client.get(path).content
            assert b"<script>alert" not in page
            shapes.append(shape(page))
        transaction.set_rollback(True)
    return shapes


@pytest.mark.parametrize("form", sorted(FORMS))
def test_payloads_through_every_form_add_no_markup_S31(form: str, world: World) -> None:
    benign = _pages(world, form, BENIGN)
    for payload in PAYLOADS:
        assert _pages(world, form, payload) == benign, payload


def test_generated_text_adds_no_markup_S31(world: World) -> None:
    benign = _pages(world, "note, edit", BENIGN)

    @settings(max_examples=25, deadline=None, database=None)
    @given(text=st.text(alphabet=st.sampled_from("<>\"'&/=;: abc{}%()!-"), min_size=1, max_size=60))
    def check(text: str) -> None:
        if text.strip():
            assert _pages(world, "note, edit", text) == benign

    check()
