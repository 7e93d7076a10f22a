"""The unlocked private key between requests (S6, S7).

The session stores the private key encrypted under a random secret that only
the browser holds, in its own cookie. The session store alone opens nothing;
the cookie alone is random bytes. Log-out and expiry delete the session, so
the cookie is then useless.
"""

from __future__ import annotations

import base64
import binascii
import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from holdspace.vault import crypto

COOKIE = "__Host-hs-key"
SESSION_KEY = "hs_vault"


def _ad(user_id: uuid.UUID | str) -> bytes:
    return f"session|{user_id}".encode()


def seal(user_id: uuid.UUID, private: bytes) -> tuple[str, str]:
    """(value for the session, value for the cookie)."""
    secret = crypto.random_bytes()
    sealed = crypto.seal_data(secret, private, _ad(user_id), pad=False)
    return base64.b64encode(sealed).decode("ascii"), base64.urlsafe_b64encode(secret).decode()


def store(
    request: HttpRequest, response: HttpResponseBase, user_id: uuid.UUID, private: bytes
) -> None:
    """Keep ``private`` for the coming requests of this browser."""
    session_value, cookie_value = seal(user_id, private)
    request.session[SESSION_KEY] = session_value
    response.set_cookie(
        COOKIE,
        cookie_value,
        secure=True,
        httponly=True,
        samesite="Strict",
        path="/",
        max_age=None if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE else settings.SESSION_COOKIE_AGE,
    )


def load(request: HttpRequest, user_id: uuid.UUID) -> bytes | None:
    """The private key, if this browser's cookie opens this session's box."""
    sealed = request.session.get(SESSION_KEY)
    secret = _cookie_secret(request)
    if not isinstance(sealed, str) or secret is None:
        return None
    try:
        return crypto.open_data(secret, base64.b64decode(sealed), _ad(user_id))
    except (binascii.Error, ValueError, crypto.CryptoError):
        return None


def forget(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def store_extra(request: HttpRequest, user_id: uuid.UUID, name: str, text: str) -> bool:
    """Keep a secret text for this browser's next requests, encrypted like the
    private key (a recovery key between showing and confirming it)."""
    secret = _cookie_secret(request)
    if secret is None:
        return False
    sealed = crypto.seal_data(secret, text.encode("utf-8"), _ad(user_id) + b"|" + name.encode())
    request.session[name] = base64.b64encode(sealed).decode("ascii")
    return True


def load_extra(request: HttpRequest, user_id: uuid.UUID, name: str) -> str | None:
    sealed = request.session.get(name)
    secret = _cookie_secret(request)
    if not isinstance(sealed, str) or secret is None:
        return None
    try:
        plain = crypto.open_data(
            secret, base64.b64decode(sealed), _ad(user_id) + b"|" + name.encode()
        )
    except (binascii.Error, ValueError, crypto.CryptoError):
        return None
    return plain.decode("utf-8")


def _cookie_secret(request: HttpRequest) -> bytes | None:
    text = request.COOKIES.get(COOKIE)
    if not text:
        return None
    try:
        return base64.urlsafe_b64decode(text.encode("ascii"))
    except (binascii.Error, ValueError):
        return None
