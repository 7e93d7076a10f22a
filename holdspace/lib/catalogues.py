"""Translation catalogues stay in sync with the code (`make messages`).

`problems()` regenerates the German catalogue from a copy of the sources
and compares it with the committed one, then checks that every message is
translated and that the compiled `.mo` file matches. `make lint` and a test
both call it, so drift fails the build.
"""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
LANGUAGES = ("de",)
IGNORE = ("*/tests/*", "testenv.py", "*/testing/*")


def catalogue(root: Path, language: str, suffix: str) -> Path:
    return root / "locale" / language / "LC_MESSAGES" / f"django.{suffix}"


def makemessages_args() -> list[str]:
    args = ["makemessages", "--no-obsolete", "--no-location"]
    for language in LANGUAGES:
        args += ["--locale", language]
    for pattern in IGNORE:
        args += ["--ignore", pattern]
    return args


def _run_holdspace(package_copy: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    # Import the *copy* of the package, so that makemessages writes there.
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import holdspace;"
        "assert holdspace.__file__.startswith(sys.argv[1]), holdspace.__file__;"
        "from holdspace.cli import main; main(sys.argv[2:])"
    )
    env = {
        **os.environ,
        "HOLDSPACE_ENV": "test",
        "HOLDSPACE_DATA_DIR": str(package_copy.parent / "data"),
        "DJANGO_SETTINGS_MODULE": "holdspace.settings",
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code, str(package_copy.parent), *args],
        cwd=package_copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _without_header_date(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith('"POT-Creation-Date:')]


def _untranslated(po: Path) -> str | None:
    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(po)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        return result.stderr.strip()
    if "untranslated" in result.stderr or "fuzzy" in result.stderr:
        return result.stderr.strip()
    return None


def _compiled(mo: Path) -> dict[object, str]:
    with mo.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]  # gettext keeps it private


MISSING_TOOLS = "GNU gettext (xgettext, msgfmt) is not installed: run `make system-packages`"


def tools_missing() -> bool:
    return shutil.which("xgettext") is None or shutil.which("msgfmt") is None


def problems() -> list[str]:
    """Everything that is out of sync; an empty list means all is well."""
    if tools_missing():
        return [MISSING_TOOLS]
    found: list[str] = []
    with tempfile.TemporaryDirectory(prefix="holdspace-messages-") as temp:
        copy = Path(temp) / "holdspace"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
        result = _run_holdspace(copy, makemessages_args())
        if result.returncode != 0:
            return [f"makemessages failed: {result.stderr.strip()}"]
        compiled = _run_holdspace(copy, ["compilemessages"])
        if compiled.returncode != 0:
            return [f"compilemessages failed: {compiled.stderr.strip()}"]
        for language in LANGUAGES:
            committed, fresh = catalogue(PACKAGE, language, "po"), catalogue(copy, language, "po")
            if not committed.exists():
                found.append(f"{committed} is missing: run `make messages`")
                continue
            if _without_header_date(committed.read_text()) != _without_header_date(
                fresh.read_text()
            ):
                found.append(f"{committed} is out of date with the code: run `make messages`")
            if (problem := _untranslated(committed)) is not None:
                found.append(f"{committed}: not every message is translated ({problem})")
            mo = catalogue(PACKAGE, language, "mo")
            if not mo.exists() or _compiled(mo) != _compiled(catalogue(copy, language, "mo")):
                found.append(f"{mo} does not match the catalogue: run `make messages`")
    return found


def update() -> int:
    """Regenerate and compile the catalogues in place (`make messages`)."""
    env = {**os.environ, "HOLDSPACE_ENV": "test", "DJANGO_SETTINGS_MODULE": "holdspace.settings"}
    with tempfile.TemporaryDirectory(prefix="holdspace-data-") as data:
        env["HOLDSPACE_DATA_DIR"] = data
        for args in (makemessages_args(), ["compilemessages"]):
            result = subprocess.run(  # noqa: S603
                [sys.executable, "-m", "holdspace.cli", *args], cwd=PACKAGE, env=env, check=False
            )
            if result.returncode != 0:
                return result.returncode
    return 0


def main(argv: list[str]) -> int:
    if argv == ["update"]:
        return update()
    if argv == ["check"]:
        if tools_missing() and not os.environ.get("CI"):
            sys.stderr.write(f"WARNING: {MISSING_TOOLS}; the catalogue check is SKIPPED.\n")
            return 0
        found = problems()
        for problem in found:
            sys.stderr.write(f"{problem}\n")
        return 1 if found else 0
    sys.stderr.write("usage: python -m holdspace.lib.catalogues update|check\n")
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
