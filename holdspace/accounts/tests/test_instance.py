"""Instance administration: accounts only, never process data."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from holdspace.accounts.models import Invitation, Session, User
from holdspace.audit.models import Entry as AuditEntry
from holdspace.processes.models import Event, Membership
from holdspace.testing import (
    PASSWORD,
    World,
    client_for,
    database_snapshot,
    log_in_through_forms,
    sign_in,
)
from holdspace.vault.models import Grant

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


# Deactivation: like removal from every group at once (S9, S10) ---------------


def test_deactivating_first_explains_what_it_does(world: World) -> None:
    admin = client_for(world, "admin")
    member = world.personas["contact-member"]
    page = admin.get(f"/instance/accounts/{member.pk}/deactivate/")
    assert page.status_code == 200
    assert b"can no longer log in" in page.content
    assert b"each group has to invite them again" in page.content
    assert b"The account is in 1 group now." in page.content
    assert Membership.objects.current().filter(user=member).exists()


def test_deactivating_removes_from_every_group_and_moves_the_keys_on_S9(world: World) -> None:
    member = world.personas["contact-member"]
    group = world.groups["contact"]
    version = group.compartment.version
    victim = client_for(world, "contact-member")
    assert victim.get(f"/g/{group.pk}/").status_code == 200
    response = client_for(world, "admin").post(f"/instance/accounts/{member.pk}/deactivate/")
    assert response["Location"] == "/instance/"
    member.refresh_from_db()
    assert not member.is_active
    membership = Membership.objects.get(pk=world.memberships["contact-member"].pk)
    assert (membership.status, membership.end_reason) == ("ended", "removed")
    assert not Grant.objects.filter(user=member).exists()
    group.compartment.refresh_from_db()
    assert group.compartment.version == version + 1
    assert Event.objects.filter(code="member.removed", subject=member, author=None).exists()
    assert AuditEntry.objects.filter(action="membership.removed", group_id=group.pk).exists()
    assert AuditEntry.objects.filter(action="account.deactivated").exists()
    assert not Session.objects.filter(user=member).exists()
    assert victim.get("/dashboard/").status_code == 302
    # The group goes on: its members read what was written before.
    colleague = client_for(world, "contact-coordinator")
    assert b"The body of contact note." in colleague.get(f"/r/{world.notes['contact'].pk}/").content


def test_a_group_whose_only_coordinator_is_deactivated_keeps_a_coordinator(
    world: World,
) -> None:
    coordinator = world.personas["contact-coordinator"]
    client_for(world, "admin").post(f"/instance/accounts/{coordinator.pk}/deactivate/")
    successor = Membership.objects.get(pk=world.memberships["contact-member"].pk)
    assert successor.role == Membership.Role.COORDINATOR
    group = world.groups["contact"]
    assert Event.objects.filter(
        code="coordination.handed_over", subject=successor.user, process=world.process
    ).exists()
    page = client_for(world, "contact-member").get(f"/g/{group.pk}/").content.decode()
    assert (
        "now coordinates"
        in client_for(world, "contact-member")
        .get(f"/p/{world.process.pk}/timeline/")
        .content.decode()
    )
    assert f"/g/{group.pk}/edit/" in page  # the new coordinator can manage the group


def test_coming_back_means_being_invited_again(world: World) -> None:
    member = world.personas["contact-member"]
    admin = client_for(world, "admin")
    admin.post(f"/instance/accounts/{member.pk}/deactivate/")
    admin.post(f"/instance/accounts/{member.pk}/reactivate/")
    member.refresh_from_db()
    assert member.is_active
    back = Client()
    log_in_through_forms(back, member)
    assert back.get("/dashboard/").status_code == 200
    assert back.get(f"/g/{world.groups['contact'].pk}/").status_code == 404
    assert back.get(f"/r/{world.notes['contact'].pk}/").status_code == 404
    assert back.get(f"/p/{world.process.pk}/").status_code == 404


def test_the_last_key_holder_of_a_group_is_not_deactivated_S10(world: World) -> None:
    # In the other process, each group's coordinator alone holds its key.
    holder = Membership.objects.get(group=world.other_groups["contact"]).user
    admin = client_for(world, "admin")
    page = admin.get(f"/instance/accounts/{holder.pk}/deactivate/")
    assert b"nobody else holds the key yet" in page.content
    assert b"Deactivate the account</button>" not in page.content
    before = database_snapshot()
    response = admin.post(f"/instance/accounts/{holder.pk}/deactivate/")
    assert response.status_code == 200
    assert b"The account was not deactivated" in response.content
    assert b"unreadable for good" in response.content
    assert database_snapshot() == before
    holder.refresh_from_db()
    assert holder.is_active


def test_a_failure_half_way_leaves_everything_as_it_was_S39(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from holdspace.processes.services import memberships as process_services

    member = world.personas["contact-member"]

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("injected")

    monkeypatch.setattr(process_services, "_event", broken)
    admin = Client(raise_request_exception=False)
    sign_in(admin, world.personas["admin"])
    before = database_snapshot()
    assert admin.post(f"/instance/accounts/{member.pk}/deactivate/").status_code == 500
    assert database_snapshot() == before


def test_an_admin_allows_an_account_to_start_processes_and_ends_it(
    admin_client: Client, user: User
) -> None:
    assert b"Allow to start processes" in admin_client.get("/instance/").content
    admin_client.post(f"/instance/accounts/{user.pk}/process-start/", {"allow": "yes"})
    admin_client.post(f"/instance/accounts/{user.pk}/process-start/", {"allow": "yes"})
    user.refresh_from_db()
    assert user.may_start_processes
    allowed = AuditEntry.objects.filter(action="account.process_start_allowed")
    assert allowed.count() == 1  # the second click changed nothing
    admin_client.post(f"/instance/accounts/{user.pk}/process-start/", {"allow": "no"})
    user.refresh_from_db()
    assert not user.may_start_processes


def test_an_invitation_can_let_the_newcomer_start_processes(admin_client: Client) -> None:
    response = admin_client.post("/instance/invite/", {"grants_process_start": "on"})
    match = re.search(rb"http://testserver/invite/([A-Za-z0-9_-]+)/", response.content)
    assert match
    token = match.group(1).decode()
    invitation = Invitation.find_usable(Invitation.Kind.ACCOUNT, token)
    assert invitation is not None and invitation.grants_process_start
    assert not invitation.grants_instance_admin
    newcomer = Client()
    newcomer.post(
        f"/invite/{token}/",
        {"username": "founder", "new_password": PASSWORD, "new_password_again": PASSWORD},
    )
    assert User.objects.get(username="founder").may_start_processes


def test_only_admins_change_who_starts_processes(signed_in: Client, user: User) -> None:
    response = signed_in.post(f"/instance/accounts/{user.pk}/process-start/", {"allow": "yes"})
    assert response.status_code == 404
    user.refresh_from_db()
    assert not user.may_start_processes
