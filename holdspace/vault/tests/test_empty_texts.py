"""An empty optional text is the empty string, never the text ``b''``
(issue 11): new rows store it encrypted and padded like any short text, and
rows the old default wrote read as empty and are repaired by their next save."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from holdspace.processes.models import Group, Membership
from holdspace.testing import (
    FREE_TEXT_FORMS,
    OPTIONAL_TEXTS,
    LeavingOut,
    World,
    client_for,
)
from holdspace.vault import crypto
from holdspace.vault.fields import LEGACY_EMPTY, EncryptedTextField, data_key_id_of, field_ad
from holdspace.vault.keyring import current, using

pytestmark = pytest.mark.django_db


def _stored(model: Any, pk: Any, field: str) -> bytes:
    q = connection.ops.quote_name
    column = model._meta.get_field(field).column
    key = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {q(column)} FROM {q(model._meta.db_table)} WHERE {q(key)} = %s",  # noqa: S608
            [pk.hex if connection.vendor == "sqlite" else pk],
        )
        return bytes(cursor.fetchone()[0])


def _plain(instance: Any, field: str) -> str:
    """What the stored ciphertext of ``field`` really holds (opened by hand)."""
    encrypted: EncryptedTextField = type(instance)._meta.get_field(field)
    blob = _stored(type(instance), instance.pk, field)
    data_key = current().data_key(_key_id(instance, encrypted))
    assert data_key is not None
    ad = field_ad(instance, field, _key_id(instance, encrypted))
    return crypto.open_data(data_key, blob, ad).decode()


def _key_id(instance: Any, field: EncryptedTextField) -> Any:
    return data_key_id_of(instance, field.key_path)


def _plant_legacy(instance: Any, field: str) -> None:
    """Write what the old default wrote: the text ``b''``, encrypted."""
    encrypted: EncryptedTextField = type(instance)._meta.get_field(field)
    blob = encrypted.encrypt(instance, LEGACY_EMPTY)
    type(instance).objects.filter(pk=instance.pk).update(**{field: blob})


def test_an_optional_text_nobody_filled_in_is_empty_and_stored_padded(world: World) -> None:
    founder = Membership.objects.get(
        group=world.groups["support"], user=world.personas["support-coordinator"]
    )
    with using(world.keyring):
        fresh = Membership.objects.get(pk=founder.pk)
        assert fresh.conflict_of_interest == "" and fresh.capacity_note == ""
        assert _plain(fresh, "conflict_of_interest") == ""
    # Padded like any short text: the dump does not tell empty from short.
    empty = _stored(Membership, founder.pk, "conflict_of_interest")
    member = world.memberships["support-member"]
    with using(world.keyring):
        member.capacity_note = "Two evenings a month."
        member.save(update_fields=["capacity_note"])
    assert len(empty) == len(_stored(Membership, member.pk, "capacity_note"))


def test_empty_bytes_are_the_empty_text_and_a_zero_length_value_reads_empty(
    world: World,
) -> None:
    group = world.groups["support"]
    with using(world.keyring):
        membership = Membership(group=group, user=world.personas["outsider"])
        assert membership.capacity_note == ""
        membership.conflict_of_interest = b""
        assert membership.conflict_of_interest == ""
        membership.save()
        assert _plain(membership, "conflict_of_interest") == ""
    # What a schema default writes: nothing, without a key.
    Membership.objects.filter(pk=membership.pk).update(capacity_note="")
    assert _stored(Membership, membership.pk, "capacity_note") == b""
    with using(world.keyring):
        assert Membership.objects.get(pk=membership.pk).capacity_note == ""


def test_a_database_holding_the_bug_shows_nothing_and_heals_on_the_next_save(
    world: World,
) -> None:
    """Rows written before the fix hold ``b''`` encrypted. Nothing without a
    key can find them (a migration cannot open record keys), so they read as
    empty, and the next save of the row writes the empty text properly."""
    group = world.groups["support"]
    founder = Membership.objects.get(group=group, user=world.personas["support-coordinator"])
    with using(world.keyring):
        _plant_legacy(founder, "conflict_of_interest")
        _plant_legacy(founder, "capacity_note")
        assert _plain(founder, "conflict_of_interest") == LEGACY_EMPTY
    page = client_for(world, "support-member").get(f"/g/{group.pk}/").content
    assert b"b&#x27;&#x27;" not in page and b"b''" not in page
    assert b"Declared conflict of interest" not in page
    with using(world.keyring):
        row = Membership.objects.get(pk=founder.pk)
        assert row.conflict_of_interest == "" and row.capacity_note == ""
        row.version += 1
        row.save(update_fields=["conflict_of_interest", "version"])
        assert _plain(row, "conflict_of_interest") == ""
        # A field the save did not touch keeps its old ciphertext, still read as empty.
        assert _plain(row, "capacity_note") == LEGACY_EMPTY
        assert Membership.objects.get(pk=founder.pk).capacity_note == ""


def test_a_legacy_empty_text_is_healed_by_an_ordinary_edit(world: World) -> None:
    group = world.groups["support"]
    mine = world.memberships["support-member"]
    with using(world.keyring):
        _plant_legacy(mine, "capacity_note")
    client = client_for(world, "support-member")
    form = client.get(f"/g/{group.pk}/me/").content
    assert b"b&#x27;&#x27;" not in form
    response = client.post(
        f"/g/{group.pk}/me/",
        {"commitment_until": "", "capacity_note": "", "conflict_of_interest": "", "version": 1},
    )
    assert response.status_code == 302
    with using(world.keyring):
        assert _plain(Membership.objects.get(pk=mine.pk), "capacity_note") == ""


# Through every form -------------------------------------------------------------

LEGACY_ON_PAGE = (b"b''", b"b&#x27;&#x27;", b"b&#39;&#39;")


@pytest.mark.parametrize("form", sorted(FREE_TEXT_FORMS))
def test_no_page_shows_b_quotes_when_optional_texts_are_left_empty(world: World, form: str) -> None:
    """Issue 11: every form with free text, its optional texts left empty;
    no page that shows what was saved — nor the groups' pages, with their
    members' declarations — shows ``b''``."""
    persona, submit = FREE_TEXT_FORMS[form]
    client = LeavingOut(client_for(world, persona), OPTIONAL_TEXTS[form])
    urls = submit(world, client, "Left-empty probe")  # type: ignore[arg-type]  # a Client
    assert client.left_out == OPTIONAL_TEXTS[form]
    process = world.process.pk
    groups = [f"/g/{pk}/" for pk in Group.objects.values_list("pk", flat=True)]
    shown = 0
    for url in [*urls, f"/p/{process}/", f"/p/{process}/timeline/", "/dashboard/", *groups]:
        page = client.get(url, follow=True)  # a party's overview is its own home
        assert page.status_code in (200, 404), (form, url)
        assert not any(bad in page.content for bad in LEGACY_ON_PAGE), (form, url)
        shown += page.status_code == 200
    # The process's pages too — but a party sees only its own (S44).
    assert shown >= len(urls) + (1 if persona in ("portal", "survivor") else 3)
