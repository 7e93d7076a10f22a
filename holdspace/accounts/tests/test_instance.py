"""Instance administration: accounts only, never process data."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from holdspace.accounts.models import Invitation, Session, User
from holdspace.testing import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def test_only_admins_see_the_administration(signed_in: Client) -> None:
    assert signed_in.get("/instance/").status_code == 404


def test_it_lists_accounts(admin_client: Client, user: User) -> None:
    response = admin_client.get("/instance/")
    assert b"alice" in response.content and b"ada" in response.content


def test_an_admin_creates_an_invitation_link_shown_once(admin_client: Client) -> None:
    response = admin_client.post("/instance/invite/", {"grants_instance_admin": "on"})
    match = re.search(rb"http://testserver/invite/([A-Za-z0-9_-]+)/", response.content)
    assert match
    invitation = Invitation.find_usable(Invitation.Kind.ACCOUNT, match.group(1).decode())
    assert invitation is not None and invitation.grants_instance_admin
    listing = admin_client.get("/instance/")
    assert match.group(1) not in listing.content


def test_an_admin_can_withdraw_an_invitation(admin_client: Client) -> None:
    invitation, token = Invitation.issue(Invitation.Kind.ACCOUNT, created_by=None)
    admin_client.post(f"/instance/invitations/{invitation.pk}/revoke/")
    assert Invitation.find_usable(Invitation.Kind.ACCOUNT, token) is None


def test_an_admin_creates_a_reset_link(admin_client: Client, user: User) -> None:
    response = admin_client.post(f"/instance/accounts/{user.pk}/reset/", {})
    match = re.search(rb"http://testserver/reset/([A-Za-z0-9_-]+)/", response.content)
    assert match
    invitation = Invitation.find_usable(Invitation.Kind.RESET, match.group(1).decode())
    assert invitation is not None and invitation.account == user


def test_deactivating_ends_sessions_and_log_ins(admin_client: Client, user: User) -> None:
    victim = Client()
    sign_in(victim, user)
    admin_client.post(f"/instance/accounts/{user.pk}/deactivate/")
    user.refresh_from_db()
    assert not user.is_active
    assert not Session.objects.filter(user=user).exists()
    assert victim.get("/dashboard/").status_code == 302
    response = Client().post("/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    admin_client.post(f"/instance/accounts/{user.pk}/reactivate/")
    user.refresh_from_db()
    assert user.is_active


def test_an_admin_cannot_deactivate_themselves(admin_client: Client, admin: User) -> None:
    response = admin_client.post(f"/instance/accounts/{admin.pk}/deactivate/", follow=True)
    assert b"cannot deactivate your own account" in response.content
    admin.refresh_from_db()
    assert admin.is_active


def test_a_missing_account_is_a_404(admin_client: Client) -> None:
    response = admin_client.get("/instance/accounts/00000000-0000-0000-0000-000000000000/reset/")
    assert response.status_code == 404
