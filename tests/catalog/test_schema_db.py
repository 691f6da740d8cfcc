"""The database: STRICT types, all-or-nothing writes (exception and SIGKILL), idempotent rebuilds."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from debriscope.catalog.db import CatalogRows, open_catalog, read_rows, write_catalog
from debriscope.catalog.schema import schema_sql

RUN = {
    "run_id": 1, "schema_version": 1, "scenario_name": "t", "scenario_sha256": "00", "seed": 1,
    "package_version": "0", "launch_utc": "1962-10-24T17:55:04Z", "event_utc": "1962-10-24T18:56:00Z",
    "min_detections": 1, "min_passes": 1,
}  # fmt: skip
OBJECT = {
    "catalog_number": 443, "cospar_id": "1962-057A", "object_name": "SPUTNIK 22", "object_type": "PAY",
    "owner": "CIS", "launch_site": "TYMSC", "launch_date": "1962-10-24", "fate": "fragmented", "run_id": 1,
}  # fmt: skip


def _ephemeris_rows(n):
    for k in range(n):
        yield {"catalog_number": 443, "epoch_utc": f"t{k}", "t_tt_s": float(k), "x_teme_m": 1.0, "y_teme_m": 2.0,
               "z_teme_m": 3.0, "vx_teme_mps": 4.0, "vy_teme_mps": 5.0, "vz_teme_mps": 6.0}  # fmt: skip


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def con():
    c = sqlite3.connect(":memory:")
    for ddl in schema_sql("sqlite"):
        c.execute(ddl)
    c.execute("INSERT INTO runs VALUES (1, 1, 't', '00', 1, '0', 'a', 'b', 1, 1)")
    yield c
    c.close()


def test_strict_rejects_text_in_integer_column(con):
    insert = (
        "INSERT INTO objects (catalog_number, cospar_id, object_name, object_type, owner, launch_site,"
        " launch_date, fate, run_id, n_passes) VALUES (?, '1962-057A', 'X', 'PAY', 'CIS', 'TYMSC', '1962-10-24',"
        " 'decayed', 1, ?)"
    )
    with pytest.raises(sqlite3.IntegrityError, match="datatype mismatch"):  # the INTEGER PRIMARY KEY
        con.execute(insert, ("abc", 2))
    with pytest.raises(
        sqlite3.IntegrityError, match="cannot store TEXT value in INTEGER column objects.n_passes"
    ):
        con.execute(insert, (443, "two"))
    con.execute(insert, (443, 2))  # the same row with the right types is accepted


def test_strict_rejects_text_in_real_column(con):
    con.execute(
        "INSERT INTO objects (catalog_number, cospar_id, object_name, object_type, owner, launch_site, launch_date,"
        " fate, run_id) VALUES (443, '1962-057A', 'X', 'PAY', 'CIS', 'TYMSC', '1962-10-24', 'decayed', 1)"
    )
    with pytest.raises(sqlite3.IntegrityError, match="cannot store TEXT value in REAL column"):
        con.execute("UPDATE objects SET size_m = 'large' WHERE catalog_number = 443")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        con.execute("UPDATE objects SET object_type = 'SAT' WHERE catalog_number = 443")


def test_postgresql_dialect_is_plain_sql():
    statements = schema_sql("postgresql")
    assert len(statements) == 4
    assert all("STRICT" not in s and " REAL" not in s for s in statements)
    assert "DOUBLE PRECISION" in statements[2]


def test_exception_mid_write_leaves_previous_catalog(tmp_path):
    path = tmp_path / "catalog.sqlite"
    write_catalog(path, CatalogRows([RUN], [OBJECT], [], list(_ephemeris_rows(3))))
    before = _digest(path)

    def failing_rows():
        yield from _ephemeris_rows(50)
        raise RuntimeError("simulated failure in the middle of the build")

    with pytest.raises(RuntimeError, match="simulated failure"):
        write_catalog(path, CatalogRows([RUN], [OBJECT], [], failing_rows()))
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog.sqlite"]  # temporary files removed
    con = open_catalog(path)
    assert len(read_rows(con, "ephemeris")) == 3
    con.close()


def test_bad_row_type_aborts_the_whole_write(tmp_path):
    path = tmp_path / "catalog.sqlite"
    write_catalog(path, CatalogRows([RUN], [OBJECT], [], []))
    before = _digest(path)
    with pytest.raises(sqlite3.IntegrityError):
        write_catalog(
            path, CatalogRows([RUN], [OBJECT, {**OBJECT, "catalog_number": "x", "cospar_id": "1962-057B"}])
        )
    assert _digest(path) == before


def test_sigkill_mid_write_leaves_previous_catalog(tmp_path):
    path = tmp_path / "catalog.sqlite"
    write_catalog(path, CatalogRows([RUN], [OBJECT], [], list(_ephemeris_rows(3))))
    before = _digest(path)
    script = textwrap.dedent(
        f"""
        import os, signal
        from debriscope.catalog.db import CatalogRows, write_catalog

        def rows():
            for k in range(100000):
                if k == 20000:
                    os.kill(os.getpid(), signal.SIGKILL)  # killed in the middle of writing
                yield {{"catalog_number": 443, "epoch_utc": "t", "t_tt_s": float(k), "x_teme_m": 1.0,
                       "y_teme_m": 2.0, "z_teme_m": 3.0, "vx_teme_mps": 4.0, "vy_teme_mps": 5.0,
                       "vz_teme_mps": 6.0}}

        write_catalog({str(path)!r}, CatalogRows([{RUN!r}], [{OBJECT!r}], [], rows()))
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    assert _digest(path) == before
    con = open_catalog(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert len(read_rows(con, "ephemeris")) == 3
    con.close()
