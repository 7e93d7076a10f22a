"""Invitations (S27): single-use, expiring, stored hashed; reset links alike."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test import Client

from holdspace.accounts import auth
from holdspace.accounts.models import (
    AuthenticatorDevice,
    BackupCodeDevice,
    Invitation,
    Session,
    User,
)
from holdspace.testing import PASSWORD, make_user, normalised

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a fresh lantern by the sea"


def _accept(client: Client, token: str, username: str = "newbie") -> object:
    return client.post(
        f"/invite/{token}/",
        {
            "username": username,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )


def test_accepting_creates_the_account_and_starts_two_factor_setup(client: Client) -> None:
    invitation, token = Invitation.issue(Invitation.Kind.ACCOUNT, created_by=None)
    assert b"Choose a username" in client.get(f"/invite/{token}/").content
    response = _accept(client, token)
    assert response["Location"] == "/login/setup/"  # type: ignore[index]  # the test client's response type is partial in django-stubs
    user = User.objects.get(username="newbie")
    assert user.check_password(NEW_PASSWORD)
    assert not user.is_instance_admin
    invitation.refresh_from_db()
    assert invitation.used_at is not None and invitation.account == user
    assert client.get("/dashboard/").status_code == 302  # two-factor still to do


def test_tokens_are_stored_only_as_hashes_S27(client: Client) -> None:
    _invitation, token = Invitation.issue(Invitation.Kind.ACCOUNT, created_by=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_invitation")
        rows = cursor.fetchall()
    assert token not in repr(rows)


def test_an_invitation_works_once_S27(client: Client) -> None:
    _invitation, token = Invitation.issue(Invitation.Kind.ACCOUNT, created_by=None)
    _accept(client, token)
    other = Client()
    response = _accept(other, token, username="second")
    assert b"This link cannot be used" in response.content  # type: ignore[attr-defined]  # the test client's response type is partial in django-stubs
    assert not User.objects.filter(username="second").exists()


def test_an_invitation_expires_S27(client: Client) -> None:
    with time_machine.travel("2026-11-01 10:00:00", tick=False) as traveller:
        _invitation, token = Invitation.issue(Invitation.Kind.ACCOUNT, created_by=None)
        traveller.shift(6 * 24 * 3600)
        assert b"Choose a username" in client.get(f"/invite/{token}/").content
        traveller.shift(2 * 24 * 3600)
        response = _accept(client, token)
    assert b"This link cannot be used" in response.content  # type: ignore[attr-defined]  # the test client's response type is partial in django-stubs
    assert not User.objects.filter(username="newbie").exists()


def test_unknown_used_and_expired_links_look_the_same_S24(client: Client) -> None:
    _i, used = Invitation.issue(Invitation.Kind.ACCOUNT, created_by=None)
    _accept(Client(), used)
    unknown = client.get("/invite/not-a-real-token-at-all/")
    reused = client.get(f"/invite/{used}/")
    assert unknown.status_code == reused.status_code == 200
    # The pages differ only where they repeat their own address.
    page = normalised(reused.content).replace(used.encode(), b"not-a-real-token-at-all")
    assert normalised(unknown.content) == page


def test_bad_input_keeps_the_username_and_creates_nothing_S43(client: Client) -> None:
    _invitation, token = Invitation.issue(Invitation.Kind.ACCOUNT, created_by=None)
    response = client.post(
        f"/invite/{token}/",
        {"username": "newbie", "new_password": "short", "new_password_again": "short"},
    )
    assert response.status_code == 200
    assert b"too short" in response.content
    assert b'value="newbie"' in response.content
    assert b'value="short"' not in response.content
    assert not User.objects.filter(username="newbie").exists()
    mismatch = client.post(
        f"/invite/{token}/",
        {
            "username": "newbie",
            "new_password": NEW_PASSWORD,
            "new_password_again": "x" + NEW_PASSWORD,
        },
    )
    assert b"not the same" in mismatch.content
    assert Invitation.find_usable(Invitation.Kind.ACCOUNT, token) is not None


def test_a_taken_or_malformed_username_is_explained(client: Client) -> None:
    make_user("taken")
    _invitation, token = Invitation.issue(Invitation.Kind.ACCOUNT, created_by=None)
    assert b"This username is taken" in _accept(client, token, "Taken").content  # type: ignore[attr-defined]  # a test response
    assert b"Use 3 to 40 characters" in _accept(client, token, "a b").content  # type: ignore[attr-defined]  # a test response


def test_an_admin_invitation_makes_an_admin(client: Client) -> None:
    _invitation, token = Invitation.issue(
        Invitation.Kind.ACCOUNT, created_by=None, grants_instance_admin=True
    )
    _accept(client, token)
    assert User.objects.get(username="newbie").is_instance_admin


def test_a_reset_link_sets_a_new_password_and_ends_sessions(client: Client, user: User) -> None:
    other = Client()
    other.force_login(user)
    _invitation, token = Invitation.issue(Invitation.Kind.RESET, created_by=None, account=user)
    response = client.post(
        f"/reset/{token}/", {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    )
    assert response["Location"] == "/login/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not Session.objects.filter(user=user).exists()
    # Two-factor stays as it was: a reset link alone does not open the account.
    assert AuthenticatorDevice.objects.filter(user=user, confirmed=True).exists()
    again = client.post(
        f"/reset/{token}/", {"new_password": PASSWORD, "new_password_again": PASSWORD}
    )
    assert b"This link cannot be used" in again.content
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_reset_link_can_also_reset_two_factor(client: Client, user: User) -> None:
    auth.new_backup_codes(user)
    _invitation, token = Invitation.issue(
        Invitation.Kind.RESET, created_by=None, account=user, resets_two_factor=True
    )
    client.post(
        f"/reset/{token}/", {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    )
    assert not AuthenticatorDevice.objects.filter(user=user).exists()
    assert not BackupCodeDevice.objects.filter(user=user).exists()
    response = client.post("/login/", {"username": "alice", "password": NEW_PASSWORD})
    assert response["Location"] == "/login/setup/"


def test_an_invitation_link_is_no_reset_link(client: Client, user: User) -> None:
    _invitation, token = Invitation.issue(Invitation.Kind.ACCOUNT, created_by=None)
    response = client.get(f"/reset/{token}/")
    assert b"This link cannot be used" in response.content
