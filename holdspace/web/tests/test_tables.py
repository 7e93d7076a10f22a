"""One table pattern (issue 12): on a phone every table stacks its rows and
labels each cell, so no table is clipped or needs a scroll region."""

from __future__ import annotations

import re
from pathlib import Path

import holdspace

TEMPLATES = sorted(Path(holdspace.__file__).parent.glob("**/templates/**/*.html"))
TABLE = re.compile(r"<table\b[^>]*>")
STACKED = re.compile(r'class="[^"]*\bstack\b')
# A body cell: any <td>, and a <th> that heads a row.
CELL = re.compile(r'<td\b[^>]*>|<th\b[^>]*scope="row"[^>]*>')


def test_every_table_stacks_on_a_phone() -> None:
    tables = {path: TABLE.findall(path.read_text()) for path in TEMPLATES}
    assert sum(map(len, tables.values())) >= 8  # the pattern reaches the tables we know
    loose = [
        f"{path.name}: {tag}"
        for path, tags in tables.items()
        for tag in tags
        if not STACKED.search(tag)
    ]
    assert loose == []


def test_every_cell_of_a_table_is_labelled_for_a_phone() -> None:
    unlabelled, cells = [], 0
    for path in TEMPLATES:
        text = path.read_text()
        for cell in CELL.finditer(text):
            cells += 1
            # A cell of actions needs no label: its links and buttons say what they do.
            actions = text[cell.end() :].lstrip().startswith('<div class="row-actions">')
            if "data-label=" not in cell.group() and not actions:
                unlabelled.append(f"{path.name}: {cell.group()}")
    assert cells >= 30
    assert unlabelled == []
