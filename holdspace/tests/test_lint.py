"""S32: user data is never marked safe. No `|safe`, `mark_safe` or
`autoescape off` anywhere in our templates or code (format_html with
escaped arguments is the way to build markup in Python)."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
FORBIDDEN = re.compile(r"\|\s*safe\b|\bmark_safe\s*\(|autoescape\s+off|\bsafeseq\b|SafeString\(")


def offending_lines() -> list[str]:
    found = []
    for path in PACKAGE.rglob("*"):
        if path.suffix not in (".py", ".html", ".txt") or "tests" in path.parts:
            continue
        if "testing" in path.relative_to(PACKAGE).parts[:1]:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if FORBIDDEN.search(line):
                found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    return found


def test_nothing_is_marked_safe_S32() -> None:
    assert offending_lines() == []


def test_the_lint_recognises_each_form() -> None:
    for sample in ("{{ x|safe }}", "{{ x | safe }}", "mark_safe(x)", "{% autoescape off %}"):
        assert FORBIDDEN.search(sample), sample
    assert not FORBIDDEN.search("{{ x|safely_named }}")
