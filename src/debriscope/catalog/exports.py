"""Every export is made from the catalog database alone: TLE/3LE, OMM (KVN, XML), OEM, SATCAT CSV,
Situation Summary.

Messages carry a ``CREATION_DATE`` equal to the catalog's "as of" time (its latest element-set
epoch or decay), not the wall clock, so rebuilding a run gives byte-identical files.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import numpy as np

from .. import __version__
from ..tables import umask_mode
from .db import read_rows
from .designations import tle_intldesg
from .oem import OemSegment, oem_kvn
from .omm import UNKNOWN_OBJECT_ID, omm_fields, omm_kvn, omm_xml
from .satcat import satcat_csv, satcat_record
from .sss import sss_listing
from .tle_fit import make_satrec

ORIGINATOR = "DEBRISCOPE"
FORMATS = ("tle", "3le", "omm-kvn", "omm-xml", "oem", "satcat", "sss")
FILE_NAMES = {
    "tle": "catalog.tle",
    "3le": "catalog.3le",
    "omm-kvn": "catalog.omm.kvn",
    "omm-xml": "catalog.omm.xml",
    "oem": "oem/{catalog_number:05d}.oem",
    "satcat": "satcat.csv",
    "sss": "situation_summary.txt",
}
"""File name of each export format inside ``exports/`` (one OEM per object)."""


def _fitted_sets(con: sqlite3.Connection) -> list[dict]:
    return read_rows(con, "element_sets", "source = 'sgp4-fit'")


def _objects_by_number(con: sqlite3.Connection) -> dict[int, dict]:
    return {row["catalog_number"]: row for row in read_rows(con, "objects")}


def as_of_utc(con: sqlite3.Connection) -> str:
    """The catalog's "as of" time: its latest element-set epoch or decay, ISO UTC."""
    times = [row[0] for row in con.execute("SELECT max(epoch_utc) FROM element_sets") if row[0]]
    times += [row[0] for row in con.execute("SELECT max(decay_utc) FROM objects") if row[0]]
    if not times:
        raise ValueError("the catalog holds no element sets and no decays")
    return max(times)


def satrec_from_row(row: dict, cospar: str):
    """Rebuild the full-precision ``Satrec`` of an ``element_sets`` row."""
    elements = np.array(
        [
            row["mean_motion_rev_day"] * 2 * np.pi / 1440.0,
            row["eccentricity"],
            np.radians(row["inclination_deg"]),
            np.radians(row["raan_deg"]),
            np.radians(row["arg_perigee_deg"]),
            np.radians(row["mean_anomaly_deg"]),
            row["bstar_per_er"],
        ]
    )
    return make_satrec(
        elements,
        row["epoch_tt_s"],
        satnum=row["catalog_number"],
        intldesg=tle_intldesg(cospar),
        elnum=row["element_set_number"],
        revnum=row["rev_at_epoch"],
    )


def _tle_text(con: sqlite3.Connection, with_names: bool) -> str:
    objects = _objects_by_number(con)
    lines = []
    for row in _fitted_sets(con):
        if with_names:
            lines.append(f"0 {objects[row['catalog_number']]['object_name']}")
        lines += [row["tle_line1"], row["tle_line2"]]
    return "\n".join(lines) + "\n"


def _omm_messages(con: sqlite3.Connection) -> list[dict]:
    objects = _objects_by_number(con)
    out = []
    for row in _fitted_sets(con):
        obj = objects[row["catalog_number"]]
        out.append(omm_fields(satrec_from_row(row, obj["cospar_id"]), obj["object_name"]))
    return out


def oem_objects(con: sqlite3.Connection) -> list[int]:
    """Catalog numbers that have an ephemeris (an OEM) in the catalog."""
    return [row[0] for row in con.execute("SELECT DISTINCT catalog_number FROM ephemeris ORDER BY 1")]


def _oem_text(con: sqlite3.Connection, number: int, frame: str, creation: str) -> str:
    rows = read_rows(con, "ephemeris", "catalog_number = ?", (number,))
    if not rows:
        raise ValueError(f"no ephemeris for object {number}; objects with one: {oem_objects(con)}")
    cols = ("x_teme_m", "y_teme_m", "z_teme_m", "vx_teme_mps", "vy_teme_mps", "vz_teme_mps")
    states = np.array([[r[k] for r in rows] for k in cols])
    obj = _objects_by_number(con)[number]
    object_id = obj["cospar_id"] or UNKNOWN_OBJECT_ID
    segment = OemSegment(obj["object_name"], object_id, np.array([r["t_tt_s"] for r in rows]), states)
    return oem_kvn(segment, frame, creation, ORIGINATOR)


def _latest_sets(con: sqlite3.Connection) -> dict[int, dict]:
    latest: dict[int, dict] = {}
    for row in read_rows(con, "element_sets"):
        latest[row["catalog_number"]] = row  # ordered by epoch: the last one wins
    return latest


def export_text(
    con: sqlite3.Connection, fmt: str, *, oem_frame: str = "TEME", oem_object: int | None = None
) -> str:
    """The text of one export format (see :data:`FORMATS`) from an open catalog.

    An OEM describes one object: ``oem_object`` (a catalog number) is required for ``'oem'``.
    """
    creation = as_of_utc(con).removesuffix("Z")
    if fmt in ("tle", "3le"):
        return _tle_text(con, with_names=fmt == "3le")
    if fmt == "omm-kvn":
        return omm_kvn(_omm_messages(con), creation, ORIGINATOR)
    if fmt == "omm-xml":
        return omm_xml(_omm_messages(con), creation, ORIGINATOR)
    if fmt == "oem":
        if oem_object is None:
            raise ValueError(f"an OEM describes one object: choose one of {oem_objects(con)}")
        return _oem_text(con, oem_object, oem_frame, creation)
    latest = _latest_sets(con)
    objects = read_rows(con, "objects")
    if fmt == "satcat":
        return satcat_csv(satcat_record(obj, latest.get(obj["catalog_number"])) for obj in objects)
    if fmt == "sss":
        run = read_rows(con, "runs")[0]
        first = objects[0]
        launch = (first["cospar_id"] or "")[:8]
        greek = first["greek_designation"].rsplit(" ", 1)[0] if first["greek_designation"] else None
        title = f"objects of launch {greek} ({launch})" if greek else f"objects of launch {launch}" if launch else "objects"
        title += f" - simulated, {run['scenario_name']} seed {run['seed']}, debriscope {__version__}"
        return sss_listing(
            ((obj, latest.get(obj["catalog_number"])) for obj in objects), title, as_of_utc(con)
        )
    raise ValueError(f"export format {fmt!r}: allowed {', '.join(FORMATS)}")


def write_exports(
    db_path: str | os.PathLike, exports_dir: str | os.PathLike, *, oem_frame: str = "TEME"
) -> Path:
    """Write every format into ``exports_dir``, replacing the folder only once all are written."""
    exports_dir = Path(exports_dir)
    exports_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{exports_dir.name}.", suffix=".partial", dir=exports_dir.parent)
    )
    staging.chmod(umask_mode(directory=True))  # mkdtemp's folder is private; the user's umask decides
    try:
        con = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True)
        con.row_factory = sqlite3.Row
        try:
            for fmt, name in FILE_NAMES.items():
                for number in oem_objects(con) if fmt == "oem" else [None]:
                    path = staging / name.format(catalog_number=number)
                    path.parent.mkdir(exist_ok=True)
                    text = export_text(con, fmt, oem_frame=oem_frame, oem_object=number)
                    with open(path, "w", encoding="utf-8", newline="") as handle:
                        handle.write(text)
        finally:
            con.close()
        old = exports_dir.with_name(f".{exports_dir.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if exports_dir.exists():
            exports_dir.rename(old)
        staging.rename(exports_dir)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return exports_dir
