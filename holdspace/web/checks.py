"""System checks: every view has a policy and no restore is unfinished
(always), and deploy checks (S17, S34); the free-space warning (S53).

`holdspace check` runs Django's `check --deploy --fail-level WARNING` and
therefore every check registered here with ``deploy=True``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, get_hashers
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.urls import URLPattern, URLResolver, get_resolver

from holdspace.lib import storage
from holdspace.web.policy import policy_of

# Argon2id floor for password hashing in production: 64 MiB, two passes.
ARGON2_MIN_MEMORY_KIB = 64 * 1024
ARGON2_MIN_TIME_COST = 2


def walk_patterns(
    patterns: list[URLPattern | URLResolver] | None = None, prefix: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    """Yield (route, pattern) for every routed view of the project."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk_patterns(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


@register(Tags.urls)
def check_view_policies(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for route, pattern in walk_patterns():
        if policy_of(pattern.callback) is None:
            errors.append(
                Error(
                    f"The view for '{route}' ({pattern.lookup_str}) declares no access policy.",
                    hint="Decorate it with a policy from holdspace.web.policy or the access core.",
                    id="holdspace.E001",
                )
            )
    return errors


@register("holdspace_data")
def check_interrupted_restore(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Nothing runs on a half-restored data directory: no demo on restored keys,
    no server, no migration (S39). `holdspace restore` itself skips the checks."""
    from holdspace.vault.backup import interrupted_restore

    problem = interrupted_restore()
    return [Error(problem, id="holdspace.E030")] if problem else []


def free_space_warning() -> str | None:
    """Said by `holdspace check`, `serve` and `prepare` when the data directory's
    disk has less than HOLDSPACE_MIN_FREE_MB free. Not a failed check: with
    little space left, reading must still work, so nothing refuses to start."""
    return storage.low_space(Path(settings.DATA_DIR), settings.MIN_FREE_MB)


_CSP_MUST_BE_NONE = ("default-src", "object-src", "base-uri", "frame-ancestors")
_CSP_FORBIDDEN = ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:")


def csp_problems() -> list[str]:
    """What is missing or too permissive in the Content-Security-Policy."""
    if "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE:
        return ["the CSP middleware is not installed"]
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    directives: dict[str, list[str]] = policy.get("DIRECTIVES") or {}
    problems = []
    for name in (*_CSP_MUST_BE_NONE, "script-src", "style-src"):
        if name not in directives:
            problems.append(f"{name} is missing")
    for name in _CSP_MUST_BE_NONE:
        if name in directives and [str(v) for v in directives[name]] != ["'none'"]:
            problems.append(f"{name} must be 'none'")
    for name, values in directives.items():
        bad = [str(v) for v in values if str(v) in _CSP_FORBIDDEN and name != "form-action"]
        if bad:
            problems.append(f"{name} allows {', '.join(bad)}")
    return problems


@register(Tags.security, deploy=True)
def check_csp(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return [
        Error(f"Content-Security-Policy: {problem}.", id="holdspace.E010")
        for problem in csp_problems()
    ]


@register(Tags.security, deploy=True)
def check_debug_and_environment(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    if settings.DEBUG:
        messages.append(Error("DEBUG is on.", id="holdspace.E011"))
    if settings.ENVIRONMENT != "production":
        messages.append(
            Warning(
                f"HOLDSPACE_ENV is {settings.ENVIRONMENT!r}, not 'production'.",
                hint="Set HOLDSPACE_ENV=production and explicit secrets on a server.",
                id="holdspace.W010",
            )
        )
    return messages


@register(Tags.security, deploy=True)
def check_password_hashing(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    hasher = get_hashers()[0]
    if not isinstance(hasher, Argon2PasswordHasher):
        return [Error("Passwords are not hashed with Argon2id.", id="holdspace.E012")]
    if hasher.memory_cost < ARGON2_MIN_MEMORY_KIB or hasher.time_cost < ARGON2_MIN_TIME_COST:
        return [
            Error(
                "Password hashing uses test-speed Argon2 parameters.",
                hint=f"At least {ARGON2_MIN_MEMORY_KIB} KiB and {ARGON2_MIN_TIME_COST} passes.",
                id="holdspace.E013",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_two_factor(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    for name in ("OTP_TOTP_THROTTLE_FACTOR", "OTP_STATIC_THROTTLE_FACTOR"):
        if getattr(settings, name, 0) < 1:
            messages.append(Error(f"{name} must be at least 1.", id="holdspace.E014"))
    return messages


@register(Tags.security, deploy=True)
def check_cookies(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    for prefix in ("SESSION", "CSRF", "LANGUAGE"):
        name = getattr(settings, f"{prefix}_COOKIE_NAME")
        secure = getattr(settings, f"{prefix}_COOKIE_SECURE")
        same_site = getattr(settings, f"{prefix}_COOKIE_SAMESITE")
        if not (str(name).startswith("__Host-") and secure and same_site == "Strict"):
            messages.append(
                Error(
                    f"The {prefix.lower()} cookie must be __Host-, Secure and SameSite=Strict.",
                    id="holdspace.E015",
                )
            )
    return messages


@register(Tags.security, deploy=True)
def check_csrf(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if "holdspace.web.csrf.CsrfViewMiddleware" not in settings.MIDDLEWARE:
        return [Error("The CSRF middleware is not installed.", id="holdspace.E016")]
    return []
