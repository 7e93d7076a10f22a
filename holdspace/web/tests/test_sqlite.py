"""SQLite is set up for durability and privacy (WAL, full sync, secure delete)."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import connection, transaction

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite only; PostgreSQL has its own settings"
)


@pytest.mark.django_db
def test_the_pragmas_hold_on_a_live_connection() -> None:
    with connection.cursor() as cursor:
        values = {}
        for pragma in (
            "journal_mode",
            "synchronous",
            "secure_delete",
            "foreign_keys",
            "trusted_schema",
        ):
            cursor.execute(f"PRAGMA {pragma}")
            values[pragma] = cursor.fetchone()[0]
    assert values == {
        "journal_mode": "wal",
        "synchronous": 2,  # FULL
        "secure_delete": 1,
        "foreign_keys": 1,
        "trusted_schema": 0,
    }


@pytest.mark.django_db(transaction=True)
def test_transactions_take_the_write_lock_at_once() -> None:
    """BEGIN IMMEDIATE: a transaction that will write never meets a
    'database is locked' error half-way, after it has read."""
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
    try:
        with transaction.atomic():
            connection.cursor().execute("SELECT 1")
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")
        other.rollback()
    finally:
        other.close()
