"""Strict, typed readers for environment variables.

Every variable Holdspace reads goes through these helpers, so that a
malformed value stops start-up with a message naming the variable, and so
that a test can compare the variables read with `.env.example`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

#: Every variable read from the real environment, in the order first asked.
READ: dict[str, None] = {}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class EnvError(ImproperlyConfigured):
    """A variable is set to something Holdspace cannot use."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    if environ is None:
        READ.setdefault(name, None)
    value = (os.environ if environ is None else environ).get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def string(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    return default if value is None else value


def optional_string(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    return _raw(name, environ)


def boolean(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise EnvError(name, f"expected one of true/false/yes/no/on/off/1/0, got {value!r}")


def integer(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value, 10)
    except ValueError:
        raise EnvError(name, f"expected a whole number, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise EnvError(name, f"must be at least {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise EnvError(name, f"must be at most {maximum}, got {number}")
    return number


def choice(
    name: str, default: str, choices: tuple[str, ...], environ: Mapping[str, str] | None = None
) -> str:
    value = _raw(name, environ)
    if value is None:
        return default
    if value not in choices:
        raise EnvError(name, f"expected one of {', '.join(choices)}, got {value!r}")
    return value


def string_list(
    name: str, default: list[str], environ: Mapping[str, str] | None = None
) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise EnvError(name, "expected a comma-separated list without empty items")
    return items


def url(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ) or default
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EnvError(name, f"expected an http:// or https:// address, got {value!r}")
    return value


def origin(address: str) -> str:
    """``https://example.org:8443`` from ``https://example.org:8443/any/path``."""
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}"


def path(name: str, default: Path, environ: Mapping[str, str] | None = None) -> Path:
    value = _raw(name, environ)
    return (Path(value) if value is not None else default).expanduser().resolve()


def parsed(
    name: str,
    default: T,
    parse: Callable[[str], T],
    environ: Mapping[str, str] | None = None,
) -> T:
    """Read a variable through a parser that raises ValueError on bad input."""
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        return parse(value)
    except ValueError as error:
        raise EnvError(name, str(error)) from None


def secret(
    name: str,
    *,
    generate_into: Path | None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """Read a secret from NAME, or from the file named by NAME_FILE.

    With ``generate_into`` set (the embedded default), a missing secret is
    created once as a random value in that file with mode 0600 and read
    from there afterwards. Without it, a missing secret is an error: the
    production settings never invent secrets.

    Raises EnvError when both NAME and NAME_FILE are set, when the file
    cannot be read or is empty, or when the secret is missing.
    """
    direct = _raw(name, environ)
    file_name = _raw(f"{name}_FILE", environ)
    if direct is not None and file_name is not None:
        raise EnvError(name, f"set either {name} or {name}_FILE, not both")
    if direct is not None:
        return direct
    if file_name is not None:
        return read_secret_file(f"{name}_FILE", Path(file_name))
    if generate_into is None:
        raise EnvError(name, f"missing: set {name} or {name}_FILE")
    if not generate_into.exists():
        write_private_file(generate_into, secrets.token_urlsafe(48) + "\n")
    return read_secret_file(name, generate_into)


def optional_secret(name: str, environ: Mapping[str, str] | None = None) -> str:
    """A secret from NAME or NAME_FILE, or "" when neither is set."""
    if _raw(name, environ) is None and _raw(f"{name}_FILE", environ) is None:
        return ""
    return secret(name, generate_into=None, environ=environ)


def read_secret_file(name: str, file: Path) -> str:
    try:
        value = file.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise EnvError(name, f"cannot read {file}: {error.strerror}") from None
    if not value:
        raise EnvError(name, f"{file} is empty")
    return value


def write_private_file(file: Path, content: str) -> None:
    """Create ``file`` readable only by its owner; never overwrite one."""
    file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(content)
