from __future__ import annotations

from holdspace.accounts.models import User
from holdspace.processes.models import Group, Record
from holdspace.processes.services import create_record
from holdspace.vault.fields import EncryptedTextField


class Toy(Record):
    text = EncryptedTextField(key="data_key", blank=True)


def example(group: Group, author: User) -> Toy:
    """A toy record in ``group``, for the authorization matrix."""
    return create_record(Toy, author=author, group=group, texts={"text": "A toy's secret"})
