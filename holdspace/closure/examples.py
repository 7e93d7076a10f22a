"""Records the authorization matrix points the closure app's URLs at
(``registry.Route.example``): a closure and a reopening as records only —
the example process stays open, so that every other URL can still write."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from holdspace.accounts.models import User
from holdspace.closure.models import Closure, Reopening
from holdspace.processes.models import Group
from holdspace.processes.services.records import create_record


def example_closure(group: Group, author: User) -> Closure:
    with transaction.atomic():
        return create_record(
            Closure,
            author=author,
            group=group,
            texts={"reached": "A closure's secret", "kept": ""},
            delete_on=timezone.localdate() + datetime.timedelta(days=365),
        )


def example_reopening(group: Group, author: User) -> Reopening:
    with transaction.atomic():
        return create_record(
            Reopening, author=author, group=group, texts={"reasons": "A reopening's secret"}
        )
