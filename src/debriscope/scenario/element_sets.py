"""The parent's orbit from an element set: a two-line element set (``[orbit.tle]``) or CCSDS OMM
mean elements (``[orbit.omm]``), propagated to the event with SGP4.

Element sets are SGP4 mean elements in TEME, epochs in UTC (Hoots & Roehrich 1980, Spacetrack
Report 3; Vallado, Crawford, Hujsak & Kelso 2006, "Revisiting Spacetrack Report #3", AIAA
2006-6753; CCSDS 502.0-B-2, Orbit Data Messages, sec. 4 for the OMM). SGP4 itself is the ``sgp4``
package (Rhodes; Vallado's reference code), WGS-72 constants and the improved ("i") mode, as
element sets are generated. SGP4 returns TEME of date, the propagation frame: the state is only
converted from km and km/s to m and m/s. Times: the internal TT is turned into the UTC Julian
date SGP4 takes with :func:`debriscope.timescale.tt_s_to_mjd_utc`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sgp4 import io as sgp4_io
from sgp4 import omm as sgp4_omm
from sgp4.api import SGP4_ERRORS, WGS72, Satrec

from ..errors import ScenarioError
from ..kvn import parse_omm_kvn
from ..timescale import MJD_JD_OFFSET, tt_s_to_mjd_utc

SGP4_EPOCH0 = _dt.datetime(1949, 12, 31)
"""Origin of ``sgp4init``'s epoch (days since 1949 December 31 00:00 UTC)."""
OMM_KEYS = {
    "EPOCH": "epoch_utc",
    "MEAN_MOTION": "mean_motion_rev_day",
    "ECCENTRICITY": "eccentricity",
    "INCLINATION": "inclination_deg",
    "RA_OF_ASC_NODE": "raan_deg",
    "ARG_OF_PERICENTER": "arg_perigee_deg",
    "MEAN_ANOMALY": "mean_anomaly_deg",
    "BSTAR": "bstar_per_er",
    "MEAN_MOTION_DOT": "mean_motion_dot_rev_day2",
    "MEAN_MOTION_DDOT": "mean_motion_ddot_rev_day3",
    "NORAD_CAT_ID": "norad_cat_id",
    "OBJECT_NAME": "object_name",
    "OBJECT_ID": "object_id",
}
"""OMM keyword -> ``[orbit.omm]`` key (CCSDS 502.0-B-2, table 4-3; units: rev/day, deg, 1/ER)."""
OMM_REQUIRED = ("epoch_utc", "mean_motion_rev_day", "eccentricity", "inclination_deg", "raan_deg",
                "arg_perigee_deg", "mean_anomaly_deg")
_OMM_EXPECTED = {"TIME_SYSTEM": "UTC", "REF_FRAME": "TEME", "MEAN_ELEMENT_THEORY": "SGP4", "CENTER_NAME": "EARTH"}


def tle_satrec(line1: str, line2: str, path: str) -> Satrec:
    """A ``Satrec`` from two TLE lines, checked (format, checksum, SGP4's own initialisation)."""
    for key, line in (("line1", line1), ("line2", line2)):
        if len(line) < 69 or not line.startswith(key[-1] + " "):
            raise ScenarioError(f"{path}.{key}", line, f"expected the 69-character line {key[-1]} of a "
                                "two-line element set")
        expected = sgp4_io.compute_checksum(line)
        if line[68] != str(expected):
            raise ScenarioError(f"{path}.{key}", line, f"the checksum (column 69) is {line[68]!r}, but the "
                                f"line's digits and minus signs give {expected}")
    if line1[2:7] != line2[2:7]:
        raise ScenarioError(f"{path}.line2", line2, f"catalog number {line2[2:7]!r} differs from line 1's {line1[2:7]!r}")
    sat = Satrec.twoline2rv(line1, line2, WGS72)
    if sat.error:
        raise ScenarioError(f"{path}.line1", line1, f"SGP4 cannot use this element set: {SGP4_ERRORS[sat.error]}")
    return sat


def omm_satrec(fields: Any, path: str) -> Satrec:
    """A ``Satrec`` from ``[orbit.omm]`` values (a :class:`~debriscope.scenario.schema.OmmElements`)."""
    epoch = np.datetime64(fields.epoch_utc.removesuffix("Z"), "us").astype(_dt.datetime)
    sat = Satrec()
    sat.sgp4init(
        WGS72, "i", fields.norad_cat_id, (epoch - SGP4_EPOCH0).total_seconds() / 86400.0, fields.bstar_per_er,
        fields.mean_motion_dot_rev_day2 * 2 * np.pi / 1440.0**2,  # rev/day^2 -> rad/min^2, as sgp4.omm
        fields.mean_motion_ddot_rev_day3 * 2 * np.pi / 1440.0**3,
        fields.eccentricity, np.radians(fields.arg_perigee_deg), np.radians(fields.inclination_deg),
        np.radians(fields.mean_anomaly_deg), fields.mean_motion_rev_day * 2 * np.pi / 1440.0,
        np.radians(fields.raan_deg),
    )
    if sat.error:
        raise ScenarioError(path, fields.epoch_utc, f"SGP4 cannot use these mean elements: {SGP4_ERRORS[sat.error]}")
    return sat


def orbit_satrec(orbit: Any) -> tuple[Satrec, str]:
    """The ``Satrec`` of an ``[orbit]`` that gives a TLE or OMM, and its key path."""
    if orbit.tle is not None:
        return tle_satrec(orbit.tle.line1, orbit.tle.line2, "orbit.tle"), "orbit.tle"
    return omm_satrec(orbit.omm, "orbit.omm"), "orbit.omm"


def satrec_epoch_utc(sat: Satrec) -> str:
    """The element set's epoch as ISO 8601 UTC (microseconds)."""
    day = np.datetime64("1858-11-17", "us") + np.timedelta64(
        int(round((sat.jdsatepoch - MJD_JD_OFFSET + sat.jdsatepochF) * 86400e6)), "us")
    return f"{day}Z"


def sgp4_teme(sat: Satrec, t_tt_s: float, path: str) -> NDArray:
    """SGP4 TEME state (6,) in m and m/s at the internal time ``t_tt_s``."""
    jd = float(tt_s_to_mjd_utc(float(t_tt_s))) + MJD_JD_OFFSET
    whole = float(np.floor(jd))
    error, r_km, v_kmps = sat.sgp4(whole, jd - whole)
    if error:
        raise ScenarioError(path, satrec_epoch_utc(sat), f"SGP4 fails between the element set's epoch and the "
                            f"event: {SGP4_ERRORS[error]}")
    return np.array([*r_km, *v_kmps], dtype=float) * 1e3


def read_omm_file(file: str, base_dir: Path, path: str) -> dict[str, Any]:
    """The first message of a CCSDS OMM file (KVN or XML) as ``[orbit.omm]`` values."""
    source = Path(file) if Path(file).is_absolute() else base_dir / file
    key = f"{path}.file"
    if not source.is_file():
        raise ScenarioError(key, file, f"no such file (looked for {source.resolve()})")
    try:
        text = source.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioError(key, file, "not UTF-8 text; expected a CCSDS OMM in KVN or XML") from None
    try:
        if text.lstrip().startswith("<"):
            with source.open(encoding="utf-8-sig") as handle:
                message = next(iter(sgp4_omm.parse_xml(handle)), None)
        else:
            message = next(iter(parse_omm_kvn(text)), None)
    except Exception as exc:  # sgp4's XML reader raises whatever its input provokes
        raise ScenarioError(key, file, f"not a CCSDS OMM in KVN or XML ({exc})") from None
    if not message:
        raise ScenarioError(key, file, "holds no OMM message")
    return omm_values(message, key)


def omm_values(message: Mapping[str, str], key: str) -> dict[str, Any]:
    """OMM keywords (text) to ``[orbit.omm]`` values, checking the frame, theory and time system."""
    for name, expected in _OMM_EXPECTED.items():
        if name in message and message[name].strip().upper() != expected:
            raise ScenarioError(key, f"{name} = {message[name]}", f"an SGP4 element set has {name} = {expected}")
    out: dict[str, Any] = {}
    for name, target in OMM_KEYS.items():
        if name not in message or not str(message[name]).strip():
            continue
        text = str(message[name]).strip()
        try:
            if target == "epoch_utc":
                out[target] = text if text.endswith("Z") else text + "Z"
            elif target == "norad_cat_id":
                out[target] = int(text)
            elif target in ("object_name", "object_id"):
                out[target] = text
            else:
                out[target] = float(text)
        except ValueError:
            raise ScenarioError(key, f"{name} = {text}", "expected a number") from None
    missing = [name for name, target in OMM_KEYS.items() if target in OMM_REQUIRED and target not in out]
    if missing:
        raise ScenarioError(key, sorted(message), "the OMM lacks " + ", ".join(missing))
    return out
