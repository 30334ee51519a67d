"""The backup reads one moment of the database while the application goes on writing, and
does not hold the writers up."""

from __future__ import annotations

import os
import sqlite3

import psycopg
import pytest
from django.db import connection, connections

from mamori.backup.create import read_snapshot
from mamori.settings.base import SQLITE_OPTIONS


def _count(alias: str, sql: str) -> int:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):
    """A second connection, to an SQLite file with the application's options (WAL)."""
    path = tmp_path / "snapshot.sqlite3"
    alias = "snapshot-test"
    connections.settings[alias] = connections.configure_settings(
        {
            "default": connections.settings["default"],
            alias: {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(path),
                "OPTIONS": dict(SQLITE_OPTIONS),
            },
        }
    )[alias]
    with django_db_blocker.unblock():
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE item (id INTEGER PRIMARY KEY)")
            cursor.execute("INSERT INTO item DEFAULT VALUES")
        yield alias, path
        connections[alias].close()
    del connections.settings[alias]


def test_sqlite_snapshot_sees_one_moment_and_lets_writers_write(sqlite_file):
    alias, path = sqlite_file
    with read_snapshot(alias):
        before = _count(alias, "SELECT count(*) FROM item")
        writer = sqlite3.connect(path, timeout=2)
        writer.execute("INSERT INTO item DEFAULT VALUES")  # not blocked by the reader
        writer.commit()
        writer.close()
        assert _count(alias, "SELECT count(*) FROM item") == before
    assert _count(alias, "SELECT count(*) FROM item") == before + 1


@pytest.fixture
def postgresql_table(django_db_blocker):
    """A second connection to the test database, with a scratch table of its own (the test
    transaction cannot hold a REPEATABLE READ snapshot, and a transactional test would
    flush the rows the migrations put in)."""
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL branch (the suite runs on PostgreSQL too)")
    alias = "snapshot-pg"
    table = f"snapshot_item_{os.getpid()}"
    connections.settings[alias] = connections.configure_settings(
        {"default": connections.settings["default"], alias: dict(connection.settings_dict)}
    )[alias]
    with django_db_blocker.unblock():
        with connections[alias].cursor() as cursor:
            cursor.execute(f"CREATE TABLE {table} (id serial PRIMARY KEY)")
            cursor.execute(f"INSERT INTO {table} DEFAULT VALUES")
        yield alias, table
        with connections[alias].cursor() as cursor:
            cursor.execute(f"DROP TABLE {table}")
        connections[alias].close()
    del connections.settings[alias]


def test_postgresql_snapshot_is_repeatable_read(postgresql_table):
    alias, table = postgresql_table
    count = f"SELECT count(*) FROM {table}"  # noqa: S608 (the fixture's own table name)

    def write() -> None:
        with psycopg.connect(**_libpq(connections[alias].settings_dict), autocommit=True) as other:
            other.execute(f"INSERT INTO {table} DEFAULT VALUES")

    with read_snapshot(alias):
        before = _count(alias, count)
        write()
        assert _count(alias, count) == before
    assert _count(alias, count) == before + 1


def _libpq(settings: dict) -> dict:
    return {
        key: value
        for key, value in {
            "dbname": settings["NAME"],
            "user": settings["USER"],
            "password": settings["PASSWORD"],
            "host": settings["HOST"],
            "port": settings["PORT"],
        }.items()
        if value
    }
