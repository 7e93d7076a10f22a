"""Your account: password change, re-authentication (S26), backup codes, sessions."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from holdspace.accounts import auth
from holdspace.accounts.models import AuthenticatorDevice, Session, User
from holdspace.accounts.tests.helpers import shown_backup_codes, stored_backup_codes
from holdspace.testing import PASSWORD, code_for, enrolment_code, log_in_through_forms, sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a fresh lantern by the sea"


def test_it_shows_the_account(signed_in: Client, user: User) -> None:
    auth.new_backup_codes(user)
    response = signed_in.get("/account/")
    assert b"alice" in response.content
    assert b"Backup codes left" in response.content


def test_changing_the_password_needs_the_current_one(signed_in: Client, user: User) -> None:
    response = signed_in.post(
        "/account/password/",
        {
            "current_password": "not it",
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )
    assert b"This is not your current password" in response.content
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_changing_the_password_ends_other_sessions(client: Client, user: User) -> None:
    log_in_through_forms(client, user)
    other = Client()
    sign_in(other, user)
    response = client.post(
        "/account/password/",
        {
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
            "end_other_sessions": "on",
        },
    )
    assert response["Location"] == "/account/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get("/dashboard/").status_code == 200
    assert other.get("/dashboard/").status_code == 302
    assert Session.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    "path",
    ["/account/backup-codes/new/", "/account/authenticator/", "/account/authenticator/qr.svg"],
)
def test_two_factor_changes_need_a_recent_password_S26(
    client: Client, user: User, path: str
) -> None:
    with time_machine.travel("2026-11-22 09:00:00", tick=False) as traveller:
        log_in_through_forms(client, user)
        assert client.get(path).status_code == 200
        traveller.shift(11 * 60)
        response = client.get(path)
        assert response["Location"] == f"/account/confirm/?next={path.replace('/', '%2F')}"
        confirmed = client.post(response["Location"], {"password": PASSWORD})
        assert confirmed["Location"] == path
        assert client.get(path).status_code == 200


def test_wrong_passwords_at_confirmation_log_out(client: Client, user: User) -> None:
    sign_in(client, user)
    for _ in range(4):
        response = client.post("/account/confirm/", {"password": "wrong"})
        assert b"This is not your password" in response.content
    response = client.post("/account/confirm/", {"password": "wrong"})
    assert response["Location"] == "/login/"
    assert client.get("/dashboard/").status_code == 302


def test_new_backup_codes_replace_the_old_ones(signed_in: Client, user: User) -> None:
    old = auth.new_backup_codes(user)
    response = signed_in.post("/account/backup-codes/new/")
    assert response["Location"] == "/account/backup-codes/"
    new = shown_backup_codes(signed_in.get("/account/backup-codes/").content)
    assert len(set(new)) == auth.BACKUP_CODE_COUNT and not set(new) & set(old)
    assert stored_backup_codes(user, new + old) == set(new)


def test_moving_to_a_new_phone_keeps_the_old_one_until_confirmed(
    signed_in: Client, user: User
) -> None:
    old = AuthenticatorDevice.objects.get(user=user, confirmed=True)
    with time_machine.travel("2026-11-22 09:00:00", tick=False) as traveller:
        sign_in(signed_in, user)
        signed_in.get("/account/authenticator/")
        assert signed_in.post("/account/authenticator/", {"code": "000000"}).status_code == 200
        assert AuthenticatorDevice.objects.filter(pk=old.pk, confirmed=True).exists()
        traveller.shift(3)  # wrong codes slow the next attempt down a little
        code = enrolment_code(signed_in)
        response = signed_in.post("/account/authenticator/", {"code": code})
        assert response["Location"] == "/account/"
        new = AuthenticatorDevice.objects.get(user=user)
        assert new.pk != old.pk and new.confirmed
        traveller.shift(30)
        assert auth.verify_code(user, code_for(user))[0] == new


def test_log_out_everywhere_else(client: Client, user: User) -> None:
    sign_in(client, user)
    other = Client()
    sign_in(other, user)
    client.post("/account/sessions/end/")
    assert client.get("/dashboard/").status_code == 200
    assert other.get("/dashboard/").status_code == 302


def test_choosing_a_language_is_remembered_for_the_account(signed_in: Client, user: User) -> None:
    response = signed_in.post("/language/", {"language": "de", "next": "/account/"})
    assert response["Location"] == "/account/"
    user.refresh_from_db()
    assert user.language == "de"
    assert b"Dein Konto" in signed_in.get("/account/").content


def test_other_sessions_may_go_on_after_a_password_change(client: Client, user: User) -> None:
    log_in_through_forms(client, user)
    other = Client()
    sign_in(other, user)
    response = client.post(
        "/account/password/",
        {
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )
    assert response["Location"] == "/account/"
    assert other.get("/dashboard/").status_code == 200
    assert client.get("/dashboard/").status_code == 200
