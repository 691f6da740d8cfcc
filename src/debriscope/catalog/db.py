"""Writing and reading the catalog database, all or nothing.

:func:`write_catalog` builds a complete new database in a temporary file beside the target, in
one transaction, then ``fsync``\\ s it and moves it over the old one with ``os.replace`` (atomic on
POSIX and Windows). An exception or a killed process at any point leaves the previous catalog
as it was (a killed process may leave its ``.catalog.sqlite.*.tmp`` file behind; it is never
read). Rows carry no wall-clock time, so the same inputs give identical rows.
"""

from __future__ import annotations

import contextlib
import math
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import RunFolderError
from .designations import parse_cospar_id
from .schema import TABLE_COLUMNS, schema_sql

ORDER_BY = {
    "runs": "run_id",
    "objects": "catalog_number",
    "element_sets": "catalog_number, epoch_tt_s, source",
    "ephemeris": "catalog_number, t_tt_s",
}


@dataclass
class CatalogRows:
    """The content of a catalog: rows (mappings column -> value) of each table."""

    runs: list[Mapping[str, Any]] = field(default_factory=list)
    objects: list[Mapping[str, Any]] = field(default_factory=list)
    element_sets: list[Mapping[str, Any]] = field(default_factory=list)
    ephemeris: Iterable[Mapping[str, Any]] = field(default_factory=list)


def _sql_value(value: Any) -> Any:
    """NumPy scalars to Python, NaN to NULL; anything else as given (STRICT checks the type)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _insert(con: sqlite3.Connection, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
    columns = TABLE_COLUMNS[table]
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    for row in rows:
        unknown = set(row) - set(columns)
        if unknown:
            raise ValueError(f"{table}: unknown columns {sorted(unknown)}")
        con.execute(sql, [_sql_value(row.get(c)) for c in columns])


def build_database(path: str | os.PathLike, rows: CatalogRows) -> None:
    """Create a new database file at ``path`` (which must not exist) holding ``rows``."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA foreign_keys = ON")
        with con:  # one transaction: commit on success, roll back on any error
            for ddl in schema_sql("sqlite"):
                con.execute(ddl)
            for table in ("runs", "objects", "element_sets", "ephemeris"):
                _insert(con, table, getattr(rows, table))
    finally:
        con.close()


def write_catalog(
    path: str | os.PathLike, rows: CatalogRows, before_replace: Callable[[Path], None] | None = None
) -> Path:
    """Write the catalog to ``path`` atomically: the old file stays until the new one is complete.

    ``before_replace(tmp_path)``, if given, runs on the finished temporary database just before it
    replaces the old one (the stage writes the exports there); if it raises, nothing is replaced.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    os.unlink(tmp)  # sqlite creates the file itself
    try:
        build_database(tmp, rows)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        if before_replace is not None:
            before_replace(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        for leftover in (tmp, tmp + "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(leftover)
        raise
    return path


def open_catalog(path: str | os.PathLike) -> sqlite3.Connection:
    """Open a catalog read-only; rows come back as ``sqlite3.Row``."""
    path = Path(path)
    if not path.exists():
        raise RunFolderError(
            f"{path} is missing: run the catalog stage first (debriscope catalog build RUN_DIR)"
        )
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    return con


def read_rows(
    con: sqlite3.Connection, table: str, where: str = "", params: tuple = ()
) -> list[dict[str, Any]]:
    """Rows of a table as dicts, in primary-key order."""
    if table not in TABLE_COLUMNS:
        raise ValueError(f"table {table!r}: allowed {', '.join(TABLE_COLUMNS)}")
    sql = f"SELECT * FROM {table} {'WHERE ' + where if where else ''} ORDER BY {ORDER_BY[table]}"
    return [dict(row) for row in con.execute(sql, params)]


def find_object(con: sqlite3.Connection, key: str | int) -> dict[str, Any] | None:
    """An object by catalog number (``443``, ``'00443'``), COSPAR (``'1962-057A'``) or Greek designation."""
    text = str(key).strip()
    if text.isdigit():
        rows = read_rows(con, "objects", "catalog_number = ?", (int(text),))
    else:
        try:
            parse_cospar_id(text)
            rows = read_rows(con, "objects", "cospar_id = ?", (text.upper(),))
        except ValueError:
            rows = read_rows(con, "objects", "lower(greek_designation) = ?", (text.lower(),))
    return rows[0] if rows else None
