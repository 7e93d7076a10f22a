"""What accounts tells the other apps, without knowing them.

accounts sits below processes: it must not import it. When an administrator
deactivates an account, the apps that gave the account access take it back
by receiving ``account_deactivated`` (processes ends its memberships).
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

#: Sent with ``user`` (the account) and ``by`` (the administrator) inside the
#: transaction that deactivates the account, before it commits. A receiver
#: that must not let it happen raises DeactivationRefused: then nothing at all
#: changes.
account_deactivated = Signal()


class DeactivationRefused(Exception):
    """The account cannot be deactivated now; ``message`` says why, kindly."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message
