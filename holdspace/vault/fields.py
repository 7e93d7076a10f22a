"""The encrypted field: every free text, name, contact detail and title.

In Python the value is a plain ``str``; in the database, a ciphertext bound to
its row, its field and its data key. It is opened with the keyring of the
request on first access, and only then. A text the keyring cannot open shows
as an :class:`UnreadableText` — a polite placeholder, never garbage and never
an error page.

Encrypted fields cannot be filtered, ordered or bulk-updated: the database
sees only ciphertext. Change them by assigning and saving the object.

An unset or empty field is the empty string ``""``, encrypted like any other
text: padded to the smallest size, so a stolen dump does not tell an empty
field from a short one. Two older forms of "nothing" read as ``""`` too: a
zero-length value (what a schema default leaves, written without a key), and
the text ``b''``, which a forgotten default wrote into fields nobody had
filled in (issue 11). That text is repaired by the next save of its row.
"""

from __future__ import annotations

import base64
import logging
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from holdspace.vault import crypto
from holdspace.vault.attest import KeyForgery
from holdspace.vault.keyring import KeyUnavailable, current

log = logging.getLogger("holdspace.vault")

LOCKED = _(
    "[You cannot read this yet. Someone in your group needs to open Holdspace once so "
    "that your key can be given to you.]"
)
DAMAGED = _(
    "[This text could not be decrypted. It may have been damaged; please tell your "
    "group's coordinator.]"
)


# What the empty default of a binary field became as text: str(b""). Written
# by mistake into empty optional fields before issue 11; nobody types it.
LEGACY_EMPTY = "b''"


class UnreadableText(str):
    """What a text that cannot be opened reads as."""

    unreadable = True


class Sealed:
    """A ciphertext as read from the database, with its plaintext once opened.

    ``legacy``: the ciphertext holds :data:`LEGACY_EMPTY`; the text reads as
    ``""`` and is written again, properly encrypted, when its row is saved.
    """

    __slots__ = ("blob", "legacy", "plain")

    def __init__(self, blob: bytes, plain: str | None = None) -> None:
        self.blob = blob
        self.plain = plain
        self.legacy = False

    def __repr__(self) -> str:
        return "<Sealed>"


def data_key_id_of(instance: models.Model, path: str) -> Any:
    """Follow ``path`` (e.g. ``"group.data_key"``) to a data key id."""
    *hops, last = path.split(".")
    target: Any = instance
    for hop in hops:
        target = getattr(target, hop)
    return getattr(target, f"{last}_id")


def field_ad(instance: models.Model, field_name: str, data_key_id: Any) -> bytes:
    return f"field|{instance._meta.label_lower}|{instance.pk}|{field_name}|{data_key_id}".encode()


class _Descriptor:
    def __init__(self, field: EncryptedTextField) -> None:
        self.field = field

    def __get__(self, instance: models.Model | None, owner: type) -> Any:
        if instance is None:
            return self
        value = instance.__dict__.get(self.field.attname)
        if isinstance(value, Sealed):
            if value.plain is None:
                text = self.field.decrypt(instance, value.blob)
                value.legacy = text == LEGACY_EMPTY and not isinstance(text, UnreadableText)
                value.plain = "" if value.legacy else text
            return value.plain
        return value

    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = _from_bytes(value)


def _from_bytes(value: Any) -> Any:
    """Text stays text; bytes are a ciphertext, and empty bytes (a binary
    field's default — no ciphertext is empty) are the empty text."""
    if isinstance(value, bytes | bytearray | memoryview):
        return Sealed(bytes(value)) if len(value) else ""
    return value


class EncryptedTextField(models.BinaryField):  # type: ignore[type-arg]  # django-stubs makes the field generic
    """``key`` names the data key, as an attribute path from the model."""

    def __init__(self, *args: Any, key: str, **kwargs: Any) -> None:
        self.key_path = key
        kwargs.setdefault("editable", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["key"] = self.key_path
        return name, path, args, kwargs

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        setattr(cls, self.attname, _Descriptor(self))

    def get_default(self) -> Any:
        # A binary field's default is b"", which must never become text.
        default = super().get_default()
        return "" if isinstance(default, bytes) and not default else default

    def to_python(self, value: Any) -> Any:
        # The Python value is text; never base64-decode it as a binary field would.
        return _from_bytes(value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Sealed | str | None:
        if value is None:
            return None
        blob = bytes(value)
        # No ciphertext is empty: a zero-length value was written without a key.
        return Sealed(blob) if blob else ""

    def decrypt(self, instance: models.Model, blob: bytes) -> str:
        keyring = current()
        data_key_id = data_key_id_of(instance, self.key_path)
        ad = field_ad(instance, self.name, data_key_id)
        if (ad, blob) in keyring.opened:
            return keyring.opened[(ad, blob)]
        key = keyring.data_key(data_key_id)
        if key is None:
            # A key refused as not vouched for (S46) is damage, not a wait.
            return UnreadableText(DAMAGED if keyring.refused(data_key_id) else LOCKED)
        try:
            text = crypto.open_data(key, blob, ad).decode("utf-8")
        except (crypto.CryptoError, UnicodeDecodeError):
            log.error("field.unreadable model=%s id=%s", instance._meta.label_lower, instance.pk)
            return UnreadableText(DAMAGED)
        # Remembered with its context: a copy in another row opens nothing.
        keyring.opened[(ad, blob)] = text
        return text

    def encrypt(self, instance: models.Model, text: str) -> bytes:
        """The ciphertext of ``text`` for this field of ``instance``.

        Raises KeyUnavailable if the request's keyring does not hold the data
        key, and KeyForgery if the only key on offer was refused (S46): a text
        is never encrypted under a key Holdspace did not make.
        """
        if isinstance(text, UnreadableText):
            raise KeyUnavailable("an unreadable text cannot be saved back")
        data_key_id = data_key_id_of(instance, self.key_path)
        keyring = current()
        key = keyring.data_key(data_key_id)
        if key is None and keyring.refused(data_key_id):
            raise KeyForgery(f"the key of {instance._meta.label_lower}.{self.name} was refused")
        if key is None or instance.pk is None:
            raise KeyUnavailable(f"no key to encrypt {instance._meta.label_lower}.{self.name}")
        return crypto.seal_data(
            key, text.encode("utf-8"), field_ad(instance, self.name, data_key_id)
        )

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if value is None or (isinstance(value, Sealed) and not value.legacy):
            return value
        text = "" if isinstance(value, Sealed) else str(value)
        sealed = Sealed(self.encrypt(model_instance, text), text)
        model_instance.__dict__[self.attname] = sealed
        return sealed

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, Sealed):
            return value.blob
        if isinstance(value, str) and not value:
            return b""  # nothing to hide and no key needed: a schema default
        if isinstance(value, bytes | memoryview):
            return bytes(value)  # an already encrypted value (bulk inserts)
        raise TypeError(
            "Encrypted fields are only written by saving their object; they cannot be "
            "queried or bulk-updated with plain text."
        )

    def value_to_string(self, obj: models.Model) -> str:
        # Serialisation (dumpdata) exports the ciphertext, never the text.
        value = obj.__dict__.get(self.attname)
        return base64.b64encode(value.blob).decode("ascii") if isinstance(value, Sealed) else ""
