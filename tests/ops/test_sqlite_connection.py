"""The embedded database's connections: WAL, a write lock taken when a transaction begins, and a page cache sized for
a province rather than SQLite's 2 MB default."""

import pytest
from django.db import connection


@pytest.fixture
def sqlite(db):
    if connection.vendor != "sqlite":
        pytest.skip("the embedded database's settings (CI's second run is on PostgreSQL)")
    return connection


def _pragma(connection, name: str):
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


def test_each_connection_is_set_up_for_many_readers_and_queued_writers(sqlite):
    assert _pragma(sqlite, "journal_mode") == "wal"
    assert _pragma(sqlite, "synchronous") == 1  # NORMAL
    assert sqlite.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_each_connection_may_keep_64_mb_of_pages(sqlite):
    assert _pragma(sqlite, "cache_size") == -64 * 1024  # negative: KiB, not pages
