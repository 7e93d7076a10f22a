"""S2: ciphertexts belong to their row, field, compartment and key version.
Swapped or moved, they fail to decrypt, and the page shows an error for that
one record — never garbage, never a crashed page."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from holdspace.processes.models import RecordAudience
from holdspace.testing import World, client_for
from holdspace.vault.models import Wrap

pytestmark = pytest.mark.django_db


def _swap(table: str, column: str, key: str, first: Any, second: Any) -> None:
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {q(column)} FROM {q(table)} WHERE {q(key)} = %s", [first])  # noqa: S608
        a = cursor.fetchone()[0]
        cursor.execute(f"SELECT {q(column)} FROM {q(table)} WHERE {q(key)} = %s", [second])  # noqa: S608
        b = cursor.fetchone()[0]
        cursor.execute(f"UPDATE {q(table)} SET {q(column)} = %s WHERE {q(key)} = %s", [b, first])  # noqa: S608
        cursor.execute(f"UPDATE {q(table)} SET {q(column)} = %s WHERE {q(key)} = %s", [a, second])  # noqa: S608


def _id(value: Any) -> Any:
    return value.hex if connection.vendor == "sqlite" else value


def test_swapped_texts_fail_to_decrypt_and_say_so_S2(world: World) -> None:
    from holdspace.testing import write_note

    group = world.groups["support"]
    other = write_note(world.keyring, group, world.personas["support-member"], "second note")
    first = world.notes["support"]
    _swap("processes_note", "body", "record_ptr_id", _id(first.pk), _id(other.pk))
    client = client_for(world, "support-member")
    for note in (first, other):
        page = client.get(f"/r/{note.pk}/")
        assert page.status_code == 200
        assert b"could not be decrypted" in page.content
        assert b"The body of" not in page.content
    timeline = client.get(f"/p/{world.process.pk}/timeline/")
    assert timeline.status_code == 200 and b"could not be decrypted" in timeline.content
    # The titles were not swapped and still read fine.
    assert b"second note" in timeline.content


def test_a_text_copied_to_another_field_fails_S2(world: World) -> None:
    note = world.notes["support"]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE processes_note SET title = body WHERE record_ptr_id = %s", [_id(note.pk)]
        )
    page = client_for(world, "support-member").get(f"/r/{note.pk}/").content
    assert b"could not be decrypted" in page and b"The body of support note." in page


def test_a_key_moved_to_another_compartment_opens_nothing_S2(world: World) -> None:
    """The support note's key, sealed for the support group, copied as if it
    had been sealed for the contact group: the contact group cannot open it."""
    note = world.notes["support"]
    contact = world.groups["contact"].compartment
    wrap = Wrap.objects.get(data_key_id=note.data_key_id)
    Wrap.objects.create(
        data_key_id=note.data_key_id,
        compartment=contact,
        version=contact.version,
        sealed=wrap.sealed,
    )
    RecordAudience.objects.create(record=note, group=world.groups["contact"])
    page = client_for(world, "contact-member").get(f"/r/{note.pk}/")
    assert page.status_code == 200
    assert b"The body of support note." not in page.content
    assert b"cannot read this yet" in page.content


def test_a_wrap_from_another_key_version_opens_nothing_S2(world: World) -> None:
    note = world.notes["support"]
    Wrap.objects.filter(data_key_id=note.data_key_id).update(version=99)
    page = client_for(world, "support-member").get(f"/r/{note.pk}/").content
    assert b"The body of support note." not in page and b"cannot read this yet" in page


def test_a_buggy_view_would_show_nothing_readable(world: World) -> None:
    """Defence in depth: even without the access core, another group's keyring
    cannot open a record it was never shared with."""
    from holdspace.testing import keyring_of
    from holdspace.vault.keyring import using

    note = world.notes["support"].__class__.objects.get(pk=world.notes["support"].pk)
    with using(keyring_of(world.personas["contact-member"])):
        assert "cannot read this yet" in note.body
