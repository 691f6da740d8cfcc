"""CCSDS Orbit Ephemeris Messages (OEM), KVN.

Reference: CCSDS 502.0-B-2 "Orbit Data Messages" (2009), section 5: a header
(``CCSDS_OEM_VERS``, ``CREATION_DATE``, ``ORIGINATOR``), then per object a metadata block between
``META_START``/``META_STOP`` (``OBJECT_NAME``, ``OBJECT_ID``, ``CENTER_NAME``, ``REF_FRAME``,
``TIME_SYSTEM``, ``START_TIME``, ``STOP_TIME``) and data lines ``epoch x y z x_dot y_dot z_dot``
in km and km/s (section 5.2.4). This is the one adapter from SI to the OEM's km.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..frames import teme_to_gcrf
from ..timescale import tt_s_to_utc_iso

OEM_VERSION = "2.0"
FRAMES = ("TEME", "GCRF")


@dataclass(frozen=True)
class OemSegment:
    """One object's ephemeris: TEME states ``(6, T)`` in m, m/s at internal times ``(T,)``."""

    object_name: str
    object_id: str
    times_tt_s: NDArray
    states_teme: NDArray


def _utc(t_tt_s: NDArray) -> NDArray:
    """OEM epochs: ISO UTC with milliseconds, no trailing Z (CCSDS 502.0-B-2 sec. 7.5.10)."""
    return np.array([s[:-1] for s in np.atleast_1d(tt_s_to_utc_iso(t_tt_s, decimals=3))])


def oem_kvn(segments: Iterable[OemSegment], frame: str, creation_date: str, originator: str) -> str:
    """The OEM text for the segments, in ``frame`` ('TEME' or 'GCRF' via ``debriscope.frames``).

    Non-finite states (after decay) are left out; a segment with none left is skipped.
    """
    if frame not in FRAMES:
        raise ValueError(f"OEM frame {frame!r}: allowed {', '.join(FRAMES)}")
    lines = [f"CCSDS_OEM_VERS = {OEM_VERSION}", f"CREATION_DATE = {creation_date}", f"ORIGINATOR = {originator}", ""]
    for seg in segments:
        times = np.asarray(seg.times_tt_s, dtype=float)
        states = np.asarray(seg.states_teme, dtype=float).reshape(6, -1)
        keep = np.all(np.isfinite(states), axis=0)
        times, states = times[keep], states[:, keep]
        if times.size == 0:
            continue
        if frame == "GCRF":
            r, v = teme_to_gcrf(states[:3], states[3:], times)
            states = np.vstack([r, v])
        epochs = _utc(times)
        lines += [
            "META_START",
            f"OBJECT_NAME = {seg.object_name}",
            f"OBJECT_ID = {seg.object_id}",
            "CENTER_NAME = EARTH",
            f"REF_FRAME = {frame}",
            "TIME_SYSTEM = UTC",
            f"START_TIME = {epochs[0]}",
            f"STOP_TIME = {epochs[-1]}",
            "META_STOP",
            "",
        ]
        km = states / 1000.0
        for k, epoch in enumerate(epochs):
            x, y, z, vx, vy, vz = km[:, k]
            lines.append(f"{epoch} {x:.6f} {y:.6f} {z:.6f} {vx:.9f} {vy:.9f} {vz:.9f}")
        lines.append("")
    return "\n".join(lines)
