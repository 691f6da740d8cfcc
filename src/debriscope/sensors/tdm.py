"""CCSDS Tracking Data Message (TDM, KVN) export of radar detections.

CCSDS 503.0-B-2, "Tracking Data Message", Blue Book (2020): one segment per (radar, fragment),
``MODE = SEQUENTIAL``, ``PATH = 1,2,1`` (two-way: radar -> object -> radar), ``ANGLE_TYPE =
AZEL`` (deg), ``RANGE_UNITS = km``; range rate is written as ``DOPPLER_INSTANTANEOUS`` (km/s,
sec. 3.5.2) where the radar measures it. Epochs are UTC without the trailing ``Z``.
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
        "COMMENT radar detections simulated by debriscope; PARTICIPANT_2 is the true fragment id (scoring only)",
        f"CREATION_DATE = {creation_utc}",
        "ORIGINATOR = debriscope",
        "",
    ]
    by_name = {r.name: r for r in radars}
    radar_col = np.asarray(table["radar"], dtype=str)
    frag_col = np.asarray(table["fragment_id"])
    for name in dict.fromkeys(radar_col):
        radar = by_name[name]
        for frag in np.unique(frag_col[radar_col == name]):
            rows = np.flatnonzero((radar_col == name) & (frag_col == frag))
            lines += [
                "META_START",
                "TIME_SYSTEM = UTC",
                f"PARTICIPANT_1 = {name}",
                f"PARTICIPANT_2 = FRAGMENT-{int(frag)}",
                "MODE = SEQUENTIAL",
                "PATH = 1,2,1",
                "ANGLE_TYPE = AZEL",
                "RANGE_UNITS = km",
                f"COMMENT site {radar.site} latitude_deg {radar.latitude_deg} longitude_deg {radar.longitude_deg} altitude_m {radar.altitude_m}",
                "META_STOP",
                "DATA_START",
            ]
            for k in rows:
                epoch = str(table["time_utc"][k]).rstrip("Z")
                lines.append(f"RANGE = {epoch} {table['range_m'][k] / 1000.0:.6f}")
                lines.append(f"ANGLE_1 = {epoch} {table['azimuth_deg'][k]:.6f}")
                lines.append(f"ANGLE_2 = {epoch} {table['elevation_deg'][k]:.6f}")
                if np.isfinite(table["range_rate_mps"][k]):
                    lines.append(f"DOPPLER_INSTANTANEOUS = {epoch} {table['range_rate_mps'][k] / 1000.0:.9f}")
            lines += ["DATA_STOP", ""]
    return "\n".join(lines)


def write_tdm(path: str | os.PathLike, table: Mapping[str, NDArray], radars: Sequence[Radar]) -> None:
    """Write the detections as a TDM (KVN) file, atomically."""
    now = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
    with atomic_write(path, "w", encoding="utf-8") as handle:
        handle.write(tdm_text(table, radars, now))
