"""Observations of every sensor kind as arrays, with the observer's geometry, grouped into passes.

Rows of ``detections.csv`` become one struct of arrays: time (TT s), sensor, measurement kind,
measurement vector ``z`` (4, M) and its sigmas, and the observer's TEME position, velocity and
east/north/up axes at the row's time (:func:`debriscope.sensors.geometry.site_teme`, the geometry
the sensors stage measured with). Measurement vectors by kind:

- ``RADAR``: range (m), azimuth (rad), elevation (rad), range rate (m/s; NaN when not measured);
- ``FENCE``: direction cosines east and north at the receiver that heard the crossing, and their
  rates (1/s; NaN when the fence reports none);
- ``CAMERA``: topocentric right ascension and declination (rad, TEME axes).

A *pass* is what one sensor saw of one object in one go, found without the truth: the rows of one
tracker (cued or tasked) contiguous in time; one row of a fan radar (a fan sees many objects at
once; its rows are associated one by one); the receivers' rows of one fence crossing; one camera
row (one observation per pass).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from ...sensors.geometry import site_teme
from ...tables import Table
from ...timescale import utc_to_tt_s

RADAR, FENCE, CAMERA = 0, 1, 2
"""Measurement kinds (``Observations.kind``)."""
N_COMPONENTS = (4, 4, 2)
"""Components of ``z`` each kind carries (radar range rate and fence rates may still be NaN)."""
FENCE_CROSSING_S = 2.0
"""Rows of one fence within this many seconds, from distinct receivers, are one crossing, s."""
TRACK_JUMP_M = 5000.0
"""Largest misfit of a tracker row's range to the previous row's range and range rate, m."""
TRACK_JUMP_RAD = np.radians(1.0)
"""Largest jump of a tracker's direction between rows, rad (plus 0.02 rad per second between them)."""


@dataclass(frozen=True)
class Station:
    """Where a sensor (or a fence receiver) stands: geodetic WGS-84, degrees and metres; and the
    standard deviation of its time tags, s (a fence's crossing time)."""

    latitude_deg: float
    longitude_deg: float
    altitude_m: float
    sigma_time_s: float = 0.0


def stations_from_sensors(doc: Mapping[str, Any]) -> dict[tuple[str, str], Station]:
    """Stations by (sensor, beam) from ``radars.json``: radars (any beam, key beam ''), fence
    receivers (beam = receiver name) and cameras (beam '')."""
    out: dict[tuple[str, str], Station] = {}
    for entry in list(doc.get("radars", [])) + list(doc.get("cameras", [])):
        station = Station(entry["latitude_deg"], entry["longitude_deg"], entry.get("altitude_m", 0.0))
        out[(entry["name"], "")] = station
        if entry.get("site"):  # tables that name the site only (user detections): its first sensor
            out.setdefault((entry["site"], ""), station)
    for fence in doc.get("fences", []):
        for st in fence["stations"]:
            out[(fence["name"], st["name"])] = Station(st["latitude_deg"], st["longitude_deg"], st.get("altitude_m", 0.0),
                                                       float(fence.get("sigma_time_s", 0.0)))
    return out


class Observations(NamedTuple):
    """Rows of detections.csv in time order (``row``: index in the file)."""

    row: NDArray
    t_tt_s: NDArray
    sensor: NDArray
    kind: NDArray
    needs_prediction: NDArray
    z: NDArray
    sigma: NDArray
    site_r: NDArray
    site_v: NDArray
    east: NDArray
    north: NDArray
    up: NDArray
    pass_id: NDArray
    snr_db: NDArray
    sigma_t: NDArray
    """Per row: the standard deviation of its time tag, s (:func:`.measurement.variance`)."""

    @property
    def size(self) -> int:
        return int(self.t_tt_s.size)


def _num(table: Table, name: str, n: int) -> NDArray:
    if name not in table:
        return np.full(n, np.nan)
    col = np.asarray(table[name])
    if col.dtype.kind not in "fiu":
        col = np.array([float(v) if str(v).strip() not in ("", "nan") else np.nan for v in col])
    return col.astype(float)


def observations_from_table(table: Table, stations: Mapping[tuple[str, str], Station]) -> Observations:
    """The detections table as :class:`Observations`, time-ordered, passes numbered.

    Raises ValueError naming the sensor when a row's sensor (or fence receiver) has no station.
    """
    n = len(table["time_utc"])
    table = with_defaults(table)
    t = np.atleast_1d(np.asarray(utc_to_tt_s(np.asarray(table["time_utc"]).astype(str)), dtype=float)) if n else np.empty(0)
    order = np.argsort(t, kind="stable")
    sensor = np.asarray(table["sensor"]).astype(str)[order] if n else np.empty(0, dtype=str)
    meas = np.asarray(table["measurement"]).astype(str)[order] if n else np.empty(0, dtype=str)
    beam = np.asarray(table["beam"]).astype(str)[order] if n else np.empty(0, dtype=str)
    kind = np.select([meas == "crossing_dcos", meas == "ra_dec"], [FENCE, CAMERA], RADAR).astype(np.int8)
    need = np.asarray(table["needs_prediction"])[order] if "needs_prediction" in table else np.zeros(n, bool)
    need = np.array([str(v).lower() in ("true", "1") for v in need], dtype=bool) if need.dtype.kind not in "b" else need
    col = {c: _num(table, c, n)[order] for c in (
        "range_m", "azimuth_deg", "elevation_deg", "range_rate_mps", "dcos_east", "dcos_north", "dcos_east_rate_per_s",
        "dcos_north_rate_per_s", "ra_deg", "dec_deg", "sigma_range_m", "sigma_azimuth_deg", "sigma_elevation_deg",
        "sigma_range_rate_mps", "sigma_dcos", "sigma_dcos_rate_per_s", "sigma_radec_deg", "snr_db")}
    deg = np.pi / 180.0
    z = np.full((4, n), np.nan)
    sig = np.full((4, n), np.nan)
    r, f, c = kind == RADAR, kind == FENCE, kind == CAMERA
    z[:, r] = np.stack([col["range_m"][r], col["azimuth_deg"][r] * deg, col["elevation_deg"][r] * deg,
                        col["range_rate_mps"][r]])
    sig[:, r] = np.stack([col["sigma_range_m"][r], col["sigma_azimuth_deg"][r] * deg,
                          col["sigma_elevation_deg"][r] * deg, col["sigma_range_rate_mps"][r]])
    z[:, f] = np.stack([col["dcos_east"][f], col["dcos_north"][f], col["dcos_east_rate_per_s"][f],
                        col["dcos_north_rate_per_s"][f]])
    sig[:2, f] = col["sigma_dcos"][f]
    sig[2:, f] = col["sigma_dcos_rate_per_s"][f]
    z[:2, c] = np.stack([col["ra_deg"][c] * deg, col["dec_deg"][c] * deg])
    sig[:2, c] = col["sigma_radec_deg"][c] * deg
    geo = [np.full((3, n), np.nan) for _ in range(5)]
    sigma_t = np.zeros(n)
    key = np.where(f, beam, "")
    for sk in sorted(set(zip(sensor.tolist(), key.tolist(), strict=True))):
        if sk not in stations:
            raise ValueError(f"detections: sensor {sk[0]!r}{' receiver ' + repr(sk[1]) if sk[1] else ''} "
                             "has no station in radars.json")
        sel = (sensor == sk[0]) & (key == sk[1])
        st = stations[sk]
        sigma_t[sel] = st.sigma_time_s
        g = site_teme(st.latitude_deg, st.longitude_deg, st.altitude_m, t[order][sel])
        for arr, val in zip(geo, (g.r_teme_m, g.v_teme_mps, g.east, g.north, g.up), strict=True):
            arr[:, sel] = val
    tt = t[order]
    return Observations(order, tt, sensor, kind, need.astype(bool), z, sig, *geo,
                        pass_ids(tt, sensor, kind, beam, need, z), col["snr_db"], sigma_t)


def with_defaults(table: Table) -> Table:
    """A radar-only table without ``sensor``/``measurement`` columns (user detections, as the
    early-warning tracker reads them) completed: the sensor is the site, the measurement range and
    angles (with range rate where one is given)."""
    if "sensor" in table and "measurement" in table:
        return table
    out = dict(table)
    n = len(table["time_utc"])
    out.setdefault("sensor", np.asarray(table["site"]).astype(str))
    rate = _num(table, "range_rate_mps", n)
    out.setdefault("measurement", np.where(np.isfinite(rate), "range_az_el_rr", "range_az_el"))
    out.setdefault("beam", np.full(n, "tracker"))
    return out


def pass_ids(t: NDArray, sensor: NDArray, kind: NDArray, beam: NDArray, needs_prediction: NDArray,
             z: NDArray | None = None, max_gap_s: float = 120.0) -> NDArray:
    """Pass number of each (time-ordered) row; passes numbered in order of their first row.

    Trackers: rows of one sensor with gaps <= ``max_gap_s`` that continue one another (range within
    :data:`TRACK_JUMP_M` of the previous row's range carried by its range rate, direction within
    :data:`TRACK_JUMP_RAD`: a tracker handed from one object to the next starts a new pass); fence:
    rows of one fence within :data:`FENCE_CROSSING_S` from distinct receivers; fan radars, cameras and
    opportunities: a row each.
    """
    n = t.size
    out = np.full(n, -1, dtype=np.int64)
    nxt = 0
    last: dict[str, tuple[float, int, set[str]]] = {}
    for k in range(n):
        s = str(sensor[k])
        grouped = (kind[k] == FENCE) or (kind[k] == RADAR and beam[k] == "tracker")
        prev = last.get(s) if grouped else None
        if prev is not None:
            gap = FENCE_CROSSING_S if kind[k] == FENCE else max_gap_s
            if (t[k] - prev[0] <= gap and not (kind[k] == FENCE and beam[k] in prev[2])
                    and (kind[k] == FENCE or z is None or _continues(z, prev[3], k, t[k] - prev[0]))):
                out[k] = prev[1]
                prev[2].add(str(beam[k]))
                last[s] = (t[k] if kind[k] != FENCE else prev[0], prev[1], prev[2], k)
                continue
        out[k] = nxt
        if grouped:
            last[s] = (t[k], nxt, {str(beam[k])}, k)
        nxt += 1
    return out


def _continues(z: NDArray, j: int, k: int, dt_s: float) -> bool:
    """Whether radar row ``k`` continues row ``j`` of the same tracker ``dt_s`` later."""
    rate = z[3, j] if np.isfinite(z[3, j]) else 0.0
    if abs(z[0, k] - (z[0, j] + rate * dt_s)) > TRACK_JUMP_M + (0.0 if np.isfinite(z[3, j]) else 8e3 * dt_s):
        return False
    cos_sep = (np.sin(z[2, j]) * np.sin(z[2, k])
               + np.cos(z[2, j]) * np.cos(z[2, k]) * np.cos(z[1, k] - z[1, j]))
    return bool(np.arccos(np.clip(cos_sep, -1.0, 1.0)) <= TRACK_JUMP_RAD + 0.02 * dt_s)
