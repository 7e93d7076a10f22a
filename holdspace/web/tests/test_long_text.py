"""Long texts: forms count characters, the request limit holds the largest form,
and a request over it shows the text back instead of losing it (S43)."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from holdspace.processes.models import Note
from holdspace.testing import World, client_for, database_snapshot
from holdspace.web import texts

# What browsers send: a form URL-encoded, every byte of an emoji as %XX.
FORM = "application/x-www-form-urlencoded"
EMOJI = "\U0001f331"  # 4 bytes in UTF-8, 2 UTF-16 units, 1 character

# Free-text fields without a limit: bounded by the request limit only.
# (processes.forms GroupForm/EditGroupForm "purpose": left to that app.)
KNOWN_UNBOUNDED = {"purpose"}


def _hidden(client: Client, url: str) -> dict[str, str]:
    page = client.get(url).content.decode()
    found = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    found.pop("csrfmiddlewaretoken", None)
    return {name: html.unescape(value) for name, value in found.items()}


def _post_as_browser(client: Client, url: str, **fields: str) -> Any:
    data = {**_hidden(client, url), **fields}
    return client.post(url, urlencode(data), content_type=FORM)


def test_the_request_limit_holds_the_largest_form_S43() -> None:
    """Every form, each text filled to its limit with 4-byte characters and
    URL-encoded, fits under DATA_UPLOAD_MAX_MEMORY_SIZE with room to spare."""
    name, size = texts.largest_form_bytes()
    # A report to supervision: 200,000 characters and the lines it was drafted from.
    assert name.endswith("EditReportForm")
    headroom = size // 10 + 50_000  # tokens, dates, choices, field names
    assert size + headroom <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE, (name, size)
    unbounded = {name for name, field in texts.text_fields().items() if field.max_length is None}
    assert unbounded <= KNOWN_UNBOUNDED, "a free-text field without max_length"


@pytest.mark.django_db
def test_a_note_of_99990_emoji_is_saved_and_shown_intact_S43(world: World) -> None:
    client = client_for(world, "contact-member")
    body = EMOJI * 99_990
    url = reverse("hs-note-new", args=[world.groups["contact"].pk])
    response = _post_as_browser(client, url, occurred_on="2026-11-20", title="Long", body=body)
    assert len(urlencode({"body": body})) > 1_000_000  # what used to be refused
    assert response.status_code == 302, response.content[:2000]
    note = Note.objects.latest("created_at")
    assert note.body == body
    page = client.get(response["Location"])
    assert body.encode() in page.content


@pytest.mark.django_db
def test_a_note_a_character_too_long_is_refused_with_its_text_kept_S43(world: World) -> None:
    client = client_for(world, "contact-member")
    body = EMOJI * 100_001
    url = reverse("hs-note-new", args=[world.groups["contact"].pk])
    before = database_snapshot()
    response = _post_as_browser(client, url, occurred_on="2026-11-20", title="Long", body=body)
    assert response.status_code == 200
    assert "You have 1 character too many." in html.unescape(response.content.decode())
    assert body.encode() in response.content
    assert database_snapshot() == before


@pytest.mark.django_db
def test_fields_carry_no_maxlength_that_counts_emoji_twice_S43(world: World) -> None:
    """Browsers count maxlength in UTF-16 units and cut what is pasted beyond;
    the form counts characters and says so instead."""
    client = client_for(world, "contact-member")
    page = client.get(reverse("hs-note-new", args=[world.groups["contact"].pk]))
    assert b"<textarea" in page.content
    assert b"maxlength" not in page.content


@pytest.mark.django_db
def test_a_request_over_the_limit_shows_the_text_back_S43(world: World) -> None:
    client = client_for(world, "contact-member")
    body = EMOJI * 300_000  # more than any form takes: 3.6 MB URL-encoded
    url = reverse("hs-note-new", args=[world.groups["contact"].pk])
    before = database_snapshot()
    response = _post_as_browser(client, url, occurred_on="2026-11-20", title="Too long", body=body)
    assert response.status_code == 413
    page = html.unescape(response.content.decode())
    assert "too long" in page and "Nothing was saved" in page
    assert "copy it somewhere safe" in page
    assert body in page and "Too long" in page
    assert "300000 characters; this field takes at most 200000." in page
    assert database_snapshot() == before
    # The same browser goes on as before.
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_an_oversized_request_from_elsewhere_shows_nothing_back_S43(world: World) -> None:
    """Only the browser that typed a text sees it again: a request that fails
    the CSRF check gets the page without any text."""
    client = client_for(world, "contact-member")
    client.handler.enforce_csrf_checks = True
    url = reverse("hs-note-new", args=[world.groups["contact"].pk])
    assert client.get(url).status_code == 200  # the browser has its CSRF cookie
    body = "planted " * 500_000
    response = client.post(url, urlencode({"body": body}), content_type=FORM)
    assert response.status_code == 413
    assert b"planted" not in response.content
    assert b"Back button" in response.content
