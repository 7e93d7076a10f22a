"""Lints over our own code, each with good and bad examples: user data is
never marked safe (S32: no `|safe`, `mark_safe` or `autoescape off`;
format_html with escaped arguments builds markup in Python), every
`type: ignore` says why, and existing rows are saved with `update_fields`."""

from __future__ import annotations

import ast
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


# Lints that name the safe way (issue 11), each with good and bad examples -----

IGNORE_WITHOUT_REASON = re.compile(r"#\s*type:\s*ignore(?!\[[\w,\s-]+\]\s+#\s*\S)")


def product_modules() -> list[Path]:
    """Our Python code outside tests, test helpers and migrations."""
    return [
        path
        for path in PACKAGE.rglob("*.py")
        if not {"tests", "testing", "migrations"} & set(path.relative_to(PACKAGE).parts)
    ]


def ignores_without_reason(text: str) -> list[int]:
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if IGNORE_WITHOUT_REASON.search(line)
    ]


def test_every_type_ignore_names_its_error_and_says_why() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in PACKAGE.rglob("*.py")
        if path.resolve() != Path(__file__).resolve()  # its examples are strings
        for number in ignores_without_reason(path.read_text())
    ]
    assert found == []


def test_the_type_ignore_lint_knows_good_from_bad() -> None:
    good = "x = f()  # type: ignore[attr-defined]  # django-stubs lacks it\n"
    bad = [
        "x = f()  # type: ignore\n",
        "x = f()  # type: ignore[attr-defined]\n",
        "x = f()  # type:ignore[misc]  \n",
    ]
    assert ignores_without_reason(good) == []
    for line in bad:
        assert ignores_without_reason(line) == [1], line


def _is_new_object(value: ast.expr | None) -> bool:
    """``Model(...)`` or ``Model.factory(...)``: a row not saved before."""
    if not isinstance(value, ast.Call):
        return False
    root: ast.expr = value.func
    while isinstance(root, ast.Attribute):
        root = root.value
    return isinstance(root, ast.Name) and root.id[:1].isupper()


# Saves the lint cannot tell apart, marked by a comment on the line.
MARKERS = ("# a new row", "# not a row")


def saves_without_update_fields(text: str) -> list[int]:
    """``x.save()`` without ``update_fields`` on an ``x`` that this function
    did not just create (``x = Model(…)``), and not marked (MARKERS):
    an existing row would be written whole, and a concurrent change to
    another field lost."""
    found = []
    lines = text.splitlines()
    for function in ast.walk(ast.parse(text)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        new = {
            target.id
            for node in ast.walk(function)
            if isinstance(node, ast.Assign) and _is_new_object(node.value)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(function):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "save"
                and not any(keyword.arg == "update_fields" for keyword in node.keywords)
            ):
                continue
            owner = node.func.value
            if not isinstance(owner, ast.Name) or owner.id in new:
                continue  # only rows held in a name: not ``super()``, not a file
            if any(marker in lines[node.lineno - 1] for marker in MARKERS):
                continue
            found.append(node.lineno)
    return found


def test_existing_rows_are_saved_with_update_fields() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in product_modules()
        for number in saves_without_update_fields(path.read_text())
    ]
    assert found == []


def test_the_save_lint_knows_good_from_bad() -> None:
    good = (
        "def a():\n    note = Note(title='x')\n    note.save()\n"
        "def b(note):\n    note.save(update_fields=['title'])\n"
        "def c():\n    Device.with_key(1).save()\n"
        "def e(model):\n    row = model()\n    row.save()  # a new row\n"
        "def f(image, buffer):\n    segno.make(image).save(buffer)\n"
    )
    bad = "def d(note):\n    note.title = 'y'\n    note.save()\n"
    assert saves_without_update_fields(good) == []
    assert saves_without_update_fields(bad) == [3]
