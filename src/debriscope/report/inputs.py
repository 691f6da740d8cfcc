"""Everything the report reads from a run folder, loaded once and tolerant of missing stages.

A file that a stage did not write (the stage was not run, or found nothing) loads as ``None``;
the figure that needs it then says so instead of failing.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import runfolder as rf
from ..errors import InputFileError
from ..tables import Table, read_csv
from ..timescale import datetime64_text

log = logging.getLogger(__name__)

TRUTH_COLUMNS = ("truth_fragment_id", "fragment_id")
"""Columns of the catalog's objects table that may link an object to the fragment it was (scoring only)."""


@dataclass(frozen=True)
class RunData:
    """The run folder's contents as the report uses them; ``None`` where a file is missing."""

    run_dir: Path
    event: dict[str, Any] | None
    groundtrack: Table | None
    radars: dict[str, Any] | None
    summary: dict[str, Any]
    fragments: Table | None
    decay: Table | None
    elements: Table | None
    burn_lifetimes: Table | None
    detections: Table | None
    tracks: Table | None
    orbits: Table | None
    alerts: Table | None
    catalog_objects: Table | None

    def catalogued_fragment_ids(self) -> NDArray | None:
        """Truth fragment ids of the catalogued objects (for plotting only, never for deciding).

        From the catalog's objects table where it links objects to fragments, else from the
        orbits of tracking classified 'orbital'. ``None`` if neither exists.
        """
        if self.catalog_objects is not None:
            for column in TRUTH_COLUMNS:
                if column in self.catalog_objects:
                    return _valid_ids(self.catalog_objects[column])
        if self.orbits is not None and "truth_fragment_id" in self.orbits:
            ids = self.orbits["truth_fragment_id"]
            if "classification" in self.orbits:
                ids = ids[np.asarray(self.orbits["classification"]).astype(str) == "orbital"]
            return _valid_ids(ids)
        return None

    def n_catalogued(self) -> int | None:
        """Number of debris objects in the catalog (all objects if it has no type column)."""
        objects = self.catalog_objects
        if objects is None:
            ids = self.catalogued_fragment_ids()
            return None if ids is None else len(ids)
        n = len(next(iter(objects.values()), []))
        for column in ("object_type", "type"):
            if column in objects:
                kinds = np.char.upper(np.asarray(objects[column]).astype(str))
                return int(np.sum(np.char.find(kinds, "DEB") >= 0))
        return n


def _valid_ids(ids: NDArray) -> NDArray:
    ids = np.asarray(ids, dtype=float)
    ids = ids[np.isfinite(ids) & (ids > 0)]
    return np.unique(ids.astype(np.int64))


def _table(run_dir: Path, name: str) -> Table | None:
    path = run_dir / name
    if not path.exists():
        log.info("report: %s is missing; its sections will say so", name)
        return None
    return read_csv(path)


def _json(run_dir: Path, name: str) -> Any:
    path = run_dir / name
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def read_catalog_objects(path: Path) -> Table | None:
    """The ``objects`` table of a catalog database as a column table, or ``None`` if the file is absent.

    Opened read-only (``mode=ro``), so the report can never change a catalog. A file that is not a
    catalog (zero bytes, not SQLite, no ``objects`` table) is an :class:`InputFileError` naming it:
    a report must not quietly leave the catalog's figures out.
    """
    if not path.exists():
        return None
    rebuild = f"rebuild it with 'debriscope catalog build {path.parent}'"
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        has = con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='objects'").fetchone()
        if not has:
            what = "an empty file" if path.stat().st_size == 0 else "a database without an objects table"
            raise InputFileError(path, f"{what}, not a debriscope catalog: {rebuild}")
        cursor = con.execute("SELECT * FROM objects")
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    except sqlite3.DatabaseError as exc:
        raise InputFileError(path, f"not a readable SQLite catalog ({exc}): {rebuild}") from None
    finally:
        con.close()
    table: Table = {}
    for j, name in enumerate(names):
        values = [row[j] for row in rows]
        if all(isinstance(v, int) for v in values):
            table[name] = np.array(values, dtype=np.int64)
        elif all(v is None or isinstance(v, (int, float)) for v in values):
            table[name] = np.array([np.nan if v is None else v for v in values], dtype=float)
        else:
            table[name] = np.array(["" if v is None else str(v) for v in values], dtype=str)
    return table


def load_run(run_dir: str | Path) -> RunData:
    """Read every file the report uses from a run folder."""
    run_dir = Path(run_dir)
    return RunData(
        run_dir=run_dir,
        event=_json(run_dir, rf.EVENT_FILE),
        groundtrack=_table(run_dir, rf.GROUNDTRACK_FILE),
        radars=_json(run_dir, rf.RADARS_FILE),
        summary=_json(run_dir, rf.SUMMARY_FILE) or {},
        fragments=_table(run_dir, rf.FRAGMENTS_FILE),
        decay=_table(run_dir, rf.DECAY_FILE),
        elements=_table(run_dir, rf.ELEMENTS_FILE),
        burn_lifetimes=_table(run_dir, rf.BURN_LIFETIMES_FILE),
        detections=_table(run_dir, rf.DETECTIONS_FILE),
        tracks=_table(run_dir, rf.TRACKS_FILE),
        orbits=_table(run_dir, rf.ORBITS_FILE),
        alerts=_table(run_dir, rf.ALERTS_FILE),
        catalog_objects=read_catalog_objects(run_dir / rf.CATALOG_FILE),
    )


def utc_datetime64(values: Any) -> NDArray:
    """UTC ISO 8601 strings (``...Z``; empty or NaN for none) -> ``datetime64[ms]`` (NaT for none)."""
    out = []
    for v in np.atleast_1d(np.asarray(values, dtype=object)):
        text = "" if v is None or (isinstance(v, float) and not np.isfinite(v)) else str(v).strip()
        if text.lower() in ("", "nan", "none", "null"):
            out.append(np.datetime64("NaT", "ms"))
            continue
        out.append(np.datetime64(datetime64_text(text), "ms"))
    return np.array(out, dtype="datetime64[ms]")


def utc_text(iso: str) -> str:
    """An ISO 8601 UTC string for reading: ``1962-10-24T18:56:11.000Z`` -> ``1962-10-24 18:56:11Z``."""
    text = str(iso).strip()
    if not text:
        return ""
    text = text.replace("T", " ")
    if text.endswith("Z") and "." in text:
        head, frac = text[:-1].rsplit(".", 1)
        text = head + ("." + frac.rstrip("0") if frac.rstrip("0") else "") + "Z"
    return text


def lat_lon_text(lat_deg: float, lon_deg: float) -> str:
    """``-64.994, -67.431`` -> ``64.99 S, 67.43 W``."""
    lon = (lon_deg + 180.0) % 360.0 - 180.0
    return f"{abs(lat_deg):.2f} {'N' if lat_deg >= 0 else 'S'}, {abs(lon):.2f} {'E' if lon >= 0 else 'W'}"
