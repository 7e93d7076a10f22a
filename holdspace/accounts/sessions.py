"""Database sessions that know their account (see models.Session), and that
let a full disk pass (S53)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore

from holdspace.lib import storage

if TYPE_CHECKING:
    from holdspace.accounts.models import Session

log = logging.getLogger("holdspace.storage")


class SessionStore(DatabaseStore):
    #: True once a save was skipped because the disk or the database is full.
    save_skipped = False

    @classmethod
    def get_model_class(cls) -> type[Any]:
        from holdspace.accounts.models import Session

        return Session

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        session = cast("Session", super().create_model_instance(data))
        session.user_id = data.get(SESSION_KEY)
        return session

    def save(self, must_create: bool = False) -> None:
        """Save as usual; on a full disk, keep the stored session as it was.

        Reading pages only refreshes a time stamp in the session: losing that
        refresh is harmless, whereas Django would answer every page with 400
        (SessionInterrupted). The browser then keeps its cookies
        (web.middleware.SessionMiddleware), which still match what is stored.
        """
        try:
            super().save(must_create=must_create)
        except Exception as error:
            if not storage.is_full(error):
                raise
            self.save_skipped = True
            log.warning("session.not_saved reason=storage_full")
