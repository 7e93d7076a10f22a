"""Database sessions that know their account (see models.Session)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore

if TYPE_CHECKING:
    from holdspace.accounts.models import Session


class SessionStore(DatabaseStore):
    @classmethod
    def get_model_class(cls) -> type[Any]:
        from holdspace.accounts.models import Session

        return Session

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        session = cast("Session", super().create_model_instance(data))
        session.user_id = data.get(SESSION_KEY)
        return session
