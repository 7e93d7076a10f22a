"""The two people the process is about, on the demo: every page their
accounts can reach names no member and no group, and holds no sentence of a
record that is not addressed to them (S16, S44; issue 14).

The demo is built with every encrypted text it writes noted down, so the
test knows the whole demo's texts and which record each belongs to: a text
of a record addressed to the party may show (field by field, as its pages
allow), any other may not. Parts of a record that are its internal history
(earlier wordings, proposals, the minutes of a meeting) may not either.
"""

from __future__ import annotations

import html
import re
from collections import deque
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.db import models
from django.test import Client

from holdspace.demo import builder
from holdspace.demo.tests.test_demo import _log_in
from holdspace.processes.demo import GROUP_NAMES
from holdspace.processes.models import Party, Record
from holdspace.vault.fields import EncryptedTextField

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="(/[^"#]*)"')
# Not pages: files, and what ends the session or leaves the site.
SKIP = re.compile(r"^/(static/|logout/|quick-exit/|healthz|login/|$)")
MOST_PAGES = 400
SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")
# Shorter pieces ("Yes.", a pseudonym) say nothing about where they are from.
SHORTEST = 16

# Fields of a record addressed to a party that are still the group's own.
INTERNAL_FIELDS = {
    "meeting": {"minutes", "follow_ups"},
    "agreement": {"binds"},
}


@dataclass(frozen=True)
class Written:
    model: str  # app_label.model
    pk: Any
    field: str
    text: str
    record_id: Any  # the record it belongs to (itself, or the record it is part of)


def _record_of(instance: models.Model) -> Any:
    if isinstance(instance, Record):
        return instance.pk
    for field in instance._meta.fields:
        related = field.related_model
        is_record = isinstance(related, type) and issubclass(related, Record)
        if isinstance(field, models.ForeignKey) and is_record:
            return getattr(instance, field.attname)
    return None


def _pieces(text: str) -> list[str]:
    return [piece.strip() for piece in SENTENCE.split(text) if len(piece.strip()) >= SHORTEST]


def _build_demo(monkeypatch: pytest.MonkeyPatch) -> list[Written]:
    notes: list[tuple[models.Model, str, str]] = []
    encrypt = EncryptedTextField.encrypt

    def noting(self: EncryptedTextField, instance: models.Model, text: str) -> bytes:
        notes.append((instance, self.name, str(text)))
        return encrypt(self, instance, text)

    with monkeypatch.context() as patch:
        patch.setattr(EncryptedTextField, "encrypt", noting)
        call_command("demo")
    return [
        Written(instance._meta.label_lower, instance.pk, field, text, _record_of(instance))
        for instance, field, text in notes
        if text.strip()
    ]


def _forbidden(texts: list[Written], role: str) -> set[str]:
    """Pieces of text the party's pages may never show."""
    flag = "to_harming_party" if role == Party.Role.HARMING else "to_harmed_party"
    addressed = set(Record.objects.filter(**{flag: True}).values_list("pk", flat=True))
    kinds = dict(Record.objects.values_list("pk", "kind"))
    allowed: set[str] = set()
    forbidden: set[str] = set()
    for item in texts:
        own_record = item.record_id == item.pk
        if item.record_id in addressed and own_record:
            internal = item.field in INTERNAL_FIELDS.get(kinds.get(item.pk, ""), set())
            (forbidden if internal else allowed).update(_pieces(item.text))
        elif item.record_id in addressed and role == Party.Role.HARMED:
            # Her demands' waiting proposals are hers to answer.
            allowed.update(_pieces(item.text))
        elif item.record_id in addressed and item.model == "commitments.demandwording":
            continue  # the current wording is the demand's own (checked above)
        else:
            forbidden.update(_pieces(item.text))
    # A sentence both in an addressed record and elsewhere may show.
    return forbidden - allowed


def _crawl(client: Client, start: str) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = deque([start])
    while queue:
        url = queue.popleft()
        if url in seen or SKIP.match(url):
            continue
        response = client.get(url)
        assert response.status_code in (200, 302, 404), (url, response.status_code)
        content = response.content.decode() if response.status_code == 200 else ""
        seen[url] = content
        if content and response["Content-Type"].startswith("text/html"):
            queue.extend(link.replace("&amp;", "&") for link in LINK.findall(content))
        assert len(seen) < MOST_PAGES, "the crawl does not end"
    return seen


@pytest.mark.parametrize(
    ("username", "role", "home"),
    [
        ("demo-portal", Party.Role.HARMING, "/portal/"),
        ("demo-survivor", Party.Role.HARMED, "/survivor/"),
    ],
)
def test_a_party_reads_only_what_is_addressed_to_it_S16_S44(
    monkeypatch: pytest.MonkeyPatch, username: str, role: str, home: str
) -> None:
    texts = _build_demo(monkeypatch)
    forbidden = _forbidden(texts, role)
    assert len(forbidden) > 100  # the demo's internal texts are known
    rows = {row["username"]: row for row in builder.credentials()}
    client = _log_in(rows[username])
    assert client.get("/dashboard/")["Location"] == home
    pages = _crawl(client, home)
    names = [name for name in rows if name != username] + list(GROUP_NAMES.values())
    names += ["Process Juniper", "Start a new process", "/processes/new/"]
    reached = [url for url, content in pages.items() if content]
    assert len(reached) >= 4, reached  # the crawl reached the party's pages
    for url, content in pages.items():
        assert content or url == "/dashboard/", f"{url} is linked but not a page of theirs"
        text = html.unescape(content)
        for name in names:
            assert name not in text, (url, name)
        for piece in forbidden:
            assert piece not in text, (url, piece)
