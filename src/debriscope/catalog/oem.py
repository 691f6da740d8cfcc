"""CCSDS Orbit Ephemeris Messages (OEM), KVN.

Reference: CCSDS 502.0-B-2 "Orbit Data Messages" (2009), section 5: a header
(``CCSDS_OEM_VERS``, ``CREATION_DATE``, ``ORIGINATOR``), then per object a metadata block between
``META_START``/``META_STOP`` (``OBJECT_NAME``, ``OBJECT_ID``, ``CENTER_NAME``, ``REF_FRAME``,
``TIME_SYSTEM``, ``START_TIME``, ``STOP_TIME``) and data lines ``epoch x y z x_dot y_dot z_dot``
in km and km/s (section 5.2.4). An OEM describes a single object (sec. 5.1), so each object gets
its own message. This is the one adapter from SI to the OEM's km.
"""

from __future__ import annotations

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


def oem_kvn(segment: OemSegment, frame: str, creation_date: str, originator: str) -> str:
    """The OEM text of one object, in ``frame`` ('TEME' or 'GCRF' via ``debriscope.frames``).

    Non-finite states (after decay) are left out; at least one finite state is required.
    """
    if frame not in FRAMES:
        raise ValueError(f"OEM frame {frame!r}: allowed {', '.join(FRAMES)}")
    times = np.asarray(segment.times_tt_s, dtype=float)
    states = np.asarray(segment.states_teme, dtype=float).reshape(6, -1)
    keep = np.all(np.isfinite(states), axis=0)
    times, states = times[keep], states[:, keep]
    if times.size == 0:
        raise ValueError(f"OEM for {segment.object_id}: no finite state")
    if frame == "GCRF":
        r, v = teme_to_gcrf(states[:3], states[3:], times)
        states = np.vstack([r, v])
    epochs = _utc(times)
    lines = [
        f"CCSDS_OEM_VERS = {OEM_VERSION}",
        f"CREATION_DATE = {creation_date}",
        f"ORIGINATOR = {originator}",
        "",
        "META_START",
        f"OBJECT_NAME = {segment.object_name}",
        f"OBJECT_ID = {segment.object_id}",
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
    return "\n".join(lines) + "\n"
