"""Heliocentric planet states from the JPL DE421 ephemeris that ``skyfield-data`` ships.

DE421 (Folkner, Williams & Boggs 2008, JPL IOM 343R-08-003) covers 1899-2053 and lies within about
1 km of DE440 for Earth and Mars in 1962-1963. The SPK file is read with ``jplephem`` (B. Rhodes);
nothing is downloaded. Positions are ICRF (equatorial, J2000 axes), Sun-centred:
``body = (SSB -> planet barycentre) + (barycentre -> planet) - (SSB -> Sun)``.

Time: the kernel's argument is TDB; TT is passed for it (|TDB - TT| < 1.7 ms, under 60 m of Earth's
heliocentric motion).
"""

from __future__ import annotations

import functools
from importlib import resources

import numpy as np
from jplephem.spk import SPK
from numpy.typing import ArrayLike, NDArray

from ..constants import J2000_JD, OBLIQUITY_J2000_RAD, SECONDS_PER_DAY

BODIES: dict[str, tuple[tuple[int, int], ...]] = {
    "earth": ((0, 3), (3, 399)),
    "mars": ((0, 4), (4, 499)),
    "venus": ((0, 2), (2, 299)),
}
"""NAIF segment chains (center, target) from the solar-system barycentre to each body."""

_SUN = ((0, 10),)


@functools.cache
def _kernel() -> SPK:
    path = resources.files("skyfield_data") / "data" / "de421.bsp"
    return SPK.open(str(path))


def _chain(chain: tuple[tuple[int, int], ...], jd1: NDArray, jd2: NDArray) -> tuple[NDArray, NDArray]:
    kernel = _kernel()
    r = np.zeros((3, jd1.size))
    v = np.zeros((3, jd1.size))
    for center, target in chain:
        pos_km, vel_km_day = kernel[center, target].compute_and_differentiate(jd1, jd2)
        r += np.reshape(pos_km, (3, -1))
        v += np.reshape(vel_km_day, (3, -1))
    return r * 1e3, v * 1e3 / SECONDS_PER_DAY


def heliocentric_state(body: str, t_tt_s: ArrayLike) -> tuple[NDArray, NDArray]:
    """Sun-centred ICRF state of ``body`` ('earth', 'mars', 'venus') at ``t_tt_s``.

    Returns ``(r_icrf_m, v_icrf_mps)``, each of shape (3, N) (N = number of epochs).
    """
    if body not in BODIES:
        raise ValueError(f"body = {body!r}: allowed: {', '.join(BODIES)}")
    t = np.atleast_1d(np.asarray(t_tt_s, dtype=float))
    jd1 = np.full(t.shape, J2000_JD)
    jd2 = t / SECONDS_PER_DAY
    r_body, v_body = _chain(BODIES[body], jd1, jd2)
    r_sun, v_sun = _chain(_SUN, jd1, jd2)
    return r_body - r_sun, v_body - v_sun


def geocentric_distance_m(r_helio_icrf_m: ArrayLike, t_tt_s: ArrayLike) -> NDArray:
    """Distance from the Earth's centre of Sun-centred ICRF positions (3, N) at ``t_tt_s`` (N,), m."""
    r_earth, _ = heliocentric_state("earth", t_tt_s)
    return np.linalg.norm(np.asarray(r_helio_icrf_m, dtype=float).reshape(3, -1) - r_earth, axis=0)


def icrf_to_ecliptic(vec_icrf: ArrayLike) -> NDArray:
    """Rotate ICRF (equatorial) vectors (3, N) to the J2000 mean ecliptic (rotation about x by eps0)."""
    c, s = np.cos(OBLIQUITY_J2000_RAD), np.sin(OBLIQUITY_J2000_RAD)
    rot = np.array([[1.0, 0.0, 0.0], [0.0, c, s], [0.0, -s, c]])
    return rot @ np.asarray(vec_icrf, dtype=float).reshape(3, -1)
