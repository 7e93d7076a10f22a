"""S31: no stored XSS through any free-text field. Payloads and generated text
go in through the real forms; every page showing them must have exactly the
elements and attributes it has with harmless text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from holdspace.processes.models import Group, Membership, Note, Process
from holdspace.testing import World, make_user, sign_in

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


# Each form: (persona, how to submit a text into every field, pages showing it).
Submit = Callable[[World, Client, str], list[str]]


def _new_process(world: World, client: Client, text: str) -> list[str]:
    client.post(
        "/processes/new/",
        {
            "name": text,
            "started_on": "2026-01-01",
            "harmed_term": "survivor",
            "harming_term": "perpetrator",
            "harmed_pseudonym": text,
            "harming_pseudonym": text,
            "group_kind": "support",
            "group_name": text,
            "commitment_until": "",
        },
    )
    process = Process.objects.latest("created_at")
    group = process.groups.get()
    return ["/dashboard/", f"/p/{process.pk}/", f"/p/{process.pk}/timeline/", f"/g/{group.pk}/"]


def _new_group(world: World, client: Client, text: str) -> list[str]:
    client.post(
        f"/p/{world.process.pk}/groups/new/", {"kind": "custom", "name": text, "purpose": text}
    )
    group = Group.objects.latest("created_at")
    return [f"/g/{group.pk}/", f"/p/{world.process.pk}/", f"/p/{world.process.pk}/timeline/"]


def _note(world: World, client: Client, text: str) -> list[str]:
    group = world.groups["support"]
    client.post(
        f"/g/{group.pk}/notes/new/", {"occurred_on": "2026-01-01", "title": text, "body": text}
    )
    note = Note.objects.latest("created_at")
    client.post(
        f"/r/{note.pk}/edit/",
        {"occurred_on": "2026-01-02", "title": text, "body": text + " again", "version": 1},
    )
    return [f"/r/{note.pk}/", f"/r/{note.pk}/history/", f"/p/{world.process.pk}/timeline/"]


def _membership(world: World, client: Client, text: str) -> list[str]:
    group = world.groups["support"]
    mine = Membership.objects.get(group=group, user=world.personas["support-coordinator"])
    client.post(
        f"/g/{group.pk}/me/",
        {
            "commitment_until": "",
            "capacity_note": text,
            "conflict_of_interest": "",
            "version": mine.version,
        },
    )
    client.post(f"/g/{group.pk}/invite/", {"role": "member", "note": text[:100]})
    client.post(f"/p/{world.process.pk}/parties/harming/", {"pseudonym": text[:100], "version": 1})
    return [f"/g/{group.pk}/", f"/p/{world.process.pk}/"]


def _conflict(world: World, client: Client, text: str) -> list[str]:
    group = world.groups["contact"]
    pending = Membership.objects.create(
        group=group, user=make_user("declaring"), status="pending", conflict_of_interest=text
    )
    client.post(f"/g/{group.pk}/members/{pending.pk}/confirm/", {"reason": text})
    return [f"/g/{group.pk}/"]


# Each form: the persona who fills it in, and how.
FORMS: dict[str, tuple[str, Submit]] = {
    "new process": ("support-coordinator", _new_process),
    "new group": ("support-coordinator", _new_group),
    "note": ("support-coordinator", _note),
    "membership, invitation, pseudonym": ("support-coordinator", _membership),
    "conflict of interest": ("contact-coordinator", _conflict),
}


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
    benign = _pages(world, "note", BENIGN)

    @settings(max_examples=25, deadline=None, database=None)
    @given(text=st.text(alphabet=st.sampled_from("<>\"'&/=;: abc{}%()!-"), min_size=1, max_size=60))
    def check(text: str) -> None:
        if text.strip():
            assert _pages(world, "note", text) == benign

    check()
