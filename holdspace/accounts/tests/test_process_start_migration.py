"""The migration that makes starting a process an account setting keeps it
for the accounts that already started one, and runs backwards (S41)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from holdspace.accounts.models import User
from holdspace.audit import services as audit
from holdspace.testing import make_user, migrate_app_to


def _migrate_accounts_to(name: str | None) -> None:
    migrate_app_to("accounts", name)


@pytest.fixture
def before_the_setting(transactional_db: None) -> Iterator[None]:
    yield
    # Later tests need every table, not just those of this migration's time.
    _migrate_accounts_to(None)


def test_founders_keep_starting_processes_and_nobody_else_gains_it_S41(
    before_the_setting: None,
) -> None:
    founder, member = make_user("founder"), make_user("member")
    _migrate_accounts_to("0004_network_login_failures")
    audit.log("process.created", user=founder, target=founder)
    audit.log("note.created", user=member, target=member)
    _migrate_accounts_to("0006_submission_receipts")
    allowed = dict(User.objects.values_list("username", "may_start_processes"))
    assert allowed == {"founder": True, "member": False}
