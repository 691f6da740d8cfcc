"""Result types of the propagation: per-object status codes, ephemerides, decay predictions."""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple

from numpy.typing import NDArray

from . import kernels


class Status(IntEnum):
    """Per-object outcome of a batch propagation (kernels return codes, never raise).

    ESCAPED is set before integration (never by a kernel) for states that leave Earth orbit
    (:func:`debriscope.elements.leaves_earth_orbit`): they are not propagated.
    """

    OK = kernels.OK
    DECAYED = kernels.DECAYED
    FAILED = kernels.FAILED
    ESCAPED = 3


STATUS_TEXT = {Status.OK: "in_orbit", Status.DECAYED: "decayed", Status.FAILED: "failed", Status.ESCAPED: "escaped"}
"""Status as written in ``decay.csv``."""


class Ephemeris(NamedTuple):
    """States of N objects at T times.

    Attributes
    ----------
    times_tt_s : (T,) TT seconds since J2000.
    states : (T, 6, N) TEME position (m) and velocity (m/s); NaN once an object has decayed.
    status : (N,) :class:`Status` codes at the last time.
    decay_tt_s : (N,) decay epoch (TT s), NaN if not decayed.
    """

    times_tt_s: NDArray
    states: NDArray
    status: NDArray
    decay_tt_s: NDArray


class DecayResult(NamedTuple):
    """Decay epochs (TT s, NaN when still in orbit or failed) and :class:`Status` codes, (N,)."""

    decay_tt_s: NDArray
    status: NDArray
