"""S1: a canary written through every form with free text never appears in
the database files (with -wal and -shm), the sessions or the logs — while
the people it is meant for read it on their pages."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from holdspace.testing import FREE_TEXT_FORMS, World, sign_in, stored_bytes
from holdspace.testing.world import fresh_world

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="searches the SQLite files"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def world(transactional_db: None) -> Iterator[World]:
    """Committed rows: the database files are what is searched."""
    with fresh_world() as built:
        yield built


@pytest.mark.parametrize("form", sorted(FREE_TEXT_FORMS))
def test_no_canary_at_rest_for_any_form_S1(
    form: str, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    canary = f"canary-{secrets.token_hex(8)}"
    persona, submit = FREE_TEXT_FORMS[form]
    client = Client()
    sign_in(client, world.personas[persona])
    with caplog.at_level("DEBUG"):
        pages = [client.get(path).content for path in submit(world, client, canary)]
    # It was stored, and its readers see it …
    assert any(canary.encode() in page for page in pages)
    # … but nowhere is it at rest in the clear.
    stored = stored_bytes()
    for variant in (canary, canary.upper(), canary.encode().hex()):
        assert variant.encode() not in stored
    assert canary not in caplog.text


def test_the_test_would_find_a_plain_canary() -> None:
    """The search itself works: plain text written to the database is found."""
    canary = f"canary-{secrets.token_hex(8)}"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS canary_probe (text TEXT)")
        cursor.execute("INSERT INTO canary_probe VALUES (%s)", [canary])
    try:
        assert canary.encode() in stored_bytes()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE canary_probe")


def test_no_canary_in_a_backup_S1(world: World, tmp_path: Path) -> None:
    from holdspace.vault import backup

    canaries = []
    for persona, submit in FREE_TEXT_FORMS.values():
        canary = f"canary-{secrets.token_hex(8)}"
        client = Client()
        sign_in(client, world.personas[persona])
        submit(world, client, canary)
        canaries.append(canary)
    public, _private = backup.generate_keypair()
    key_file = backup.save_public_key(public, force=True)
    try:
        content = backup.create_backup(tmp_path / "canaries.hsbackup").read_bytes()
    finally:
        key_file.unlink()
    assert len(content) > 10_000
    for canary in canaries:
        assert canary.encode() not in content
