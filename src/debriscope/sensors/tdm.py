"""CCSDS Tracking Data Message (TDM, KVN) export of the detections (radars, fence, cameras).

CCSDS 503.0-B-2, "Tracking Data Message", Blue Book (2020): one segment per (radar, fragment),
``MODE = SEQUENTIAL``, ``PATH = 1,2,1`` (two-way: radar -> object -> radar), ``ANGLE_TYPE =
AZEL`` (deg), ``RANGE_UNITS = km``; range rate is written as ``DOPPLER_INSTANTANEOUS`` (km/s,
sec. 3.5.2) where the radar measures it. The fence writes ``ANGLE_TYPE = XEYN`` (its direction
cosines as X/Y angles, receiver named in the detections' ``beam``), cameras ``ANGLE_TYPE = RADEC``
in TEME. Epochs are UTC without the trailing ``Z``.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from ..tables import atomic_write
from .radar import Radar


def tdm_text(table: Mapping[str, NDArray], radars: Sequence[Radar], creation_utc: str) -> str:
    """The TDM (KVN) text of a detections table."""
    lines = [
        "CCSDS_TDM_VERS = 2.0",
        "COMMENT detections (radar, fence, camera) simulated by debriscope; PARTICIPANT_2 is the true fragment id (scoring only)",
        f"CREATION_DATE = {creation_utc}",
        "ORIGINATOR = debriscope",
        "",
    ]
    by_name = {r.name: r for r in radars}
    radar_col = np.asarray(table["sensor"], dtype=str)
    frag_col = np.asarray(table["fragment_id"])
    kind_col = np.asarray(table["sensor_kind"], dtype=str)
    for name in dict.fromkeys(radar_col):
        radar = by_name[name]
        for frag in np.unique(frag_col[radar_col == name]):
            rows = np.flatnonzero((radar_col == name) & (frag_col == frag))
            kind = kind_col[rows[0]]
            meta = {"fence": ["PATH = 1,2", "ANGLE_TYPE = XEYN"],
                    "camera": ["PATH = 2,1", "ANGLE_TYPE = RADEC", "REFERENCE_FRAME = TEME"]}.get(
                kind, ["PATH = 1,2,1", "ANGLE_TYPE = AZEL", "RANGE_UNITS = km"])
            lines += [
                "META_START",
                "TIME_SYSTEM = UTC",
                f"PARTICIPANT_1 = {name}",
                f"PARTICIPANT_2 = FRAGMENT-{int(frag)}",
                "MODE = SEQUENTIAL",
                *meta,
                f"COMMENT {kind} site {radar.site}{_position(radar)}",
                "META_STOP",
                "DATA_START",
            ]
            for k in rows:
                lines += _data_lines(table, k, kind)
            lines += ["DATA_STOP", ""]
    return "\n".join(lines)


def _position(sensor: object) -> str:
    if not hasattr(sensor, "latitude_deg"):  # a fence: the receiver is named in the beam column
        return ""
    return f" latitude_deg {sensor.latitude_deg} longitude_deg {sensor.longitude_deg} altitude_m {sensor.altitude_m}"


def _data_lines(table: Mapping[str, NDArray], k: int, kind: str) -> list[str]:
    """One row's TDM data lines: AZEL + range (+ Doppler) for radars, XEYN for the fence, RADEC for cameras.

    Fence direction cosines ``(l, m)`` become the XEYN angles of CCSDS 503.0-B-2 sec. 3.5.2:
    ``X = atan2(l, sqrt(1 - l^2 - m^2))`` (from zenith towards east), ``Y = asin(m)`` (towards north).
    """
    epoch = str(table["time_utc"][k]).rstrip("Z")
    if kind == "fence":
        l_, m_ = float(table["dcos_east"][k]), float(table["dcos_north"][k])
        up = np.sqrt(max(0.0, 1.0 - l_ * l_ - m_ * m_))
        return [f"ANGLE_1 = {epoch} {np.degrees(np.arctan2(l_, up)):.6f}",
                f"ANGLE_2 = {epoch} {np.degrees(np.arcsin(np.clip(m_, -1, 1))):.6f}"]
    if kind == "camera":
        return [f"ANGLE_1 = {epoch} {table['ra_deg'][k]:.6f}", f"ANGLE_2 = {epoch} {table['dec_deg'][k]:.6f}"]
    out = [f"RANGE = {epoch} {table['range_m'][k] / 1000.0:.6f}",
           f"ANGLE_1 = {epoch} {table['azimuth_deg'][k]:.6f}",
           f"ANGLE_2 = {epoch} {table['elevation_deg'][k]:.6f}"]
    if np.isfinite(table["range_rate_mps"][k]):
        out.append(f"DOPPLER_INSTANTANEOUS = {epoch} {table['range_rate_mps'][k] / 1000.0:.9f}")
    return out


def write_tdm(path: str | os.PathLike, table: Mapping[str, NDArray], radars: Sequence[Radar]) -> None:
    """Write the detections as a TDM (KVN) file, atomically."""
    now = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    with atomic_write(path, "w", encoding="utf-8") as handle:
        handle.write(tdm_text(table, radars, now))
