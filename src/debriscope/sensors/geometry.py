"""Topocentric look angles of TEME states from a ground site, vectorised over times and objects.

The site (geodetic, WGS-84) and its local east-north-up axes are carried from ITRF into TEME at
each time with :func:`debriscope.frames.itrf_to_teme` (GMST rotation, polar motion from IERS C04;
Vallado et al. 2006, eq. C-2), so the fragment states never leave TEME::

    rho = r - r_site,   range = |rho|,   az = atan2(rho.E, rho.N),   el = asin(rho.U / range),
    range_rate = rho . (v - v_site) / range      (v_site = omega x r_site, carried into TEME)

Elevations are **geometric** (no tropospheric refraction, which lifts a target near the horizon
by about 0.1-0.5 deg; BMEWS fans at a few degrees see a geometric horizon shifted by that much).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numba as nb
import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..constants import OMEGA_EARTH_RAD_S
from ..frames import ecef_to_geodetic, enu_matrix, geodetic_to_ecef, itrf_to_teme, teme_to_itrf


@dataclass(frozen=True)
class SiteTeme:
    """A ground site in TEME at T instants: position, velocity and local axes, each (3, T)."""

    r_teme_m: NDArray
    v_teme_mps: NDArray
    east: NDArray
    north: NDArray
    up: NDArray


_ROTATION_CACHE: dict[bytes, tuple[NDArray, NDArray]] = {}
_ROTATION_CACHE_SIZE = 4


def _earth_orientation(t_tt_s: NDArray) -> tuple[NDArray, NDArray]:
    """:func:`itrf_to_teme_matrices` and :func:`turn_angles` of a time grid; the last few grids are
    cached: every site of a chunk shares its grid's."""
    key = t_tt_s.tobytes()
    cached = _ROTATION_CACHE.get(key)
    if cached is None:
        n = t_tt_s.size
        cols, _ = itrf_to_teme(np.tile(np.eye(3), (1, n)), None, np.repeat(t_tt_s, 3))
        mats = np.moveaxis(cols.reshape(3, n, 3), 1, 0)  # (T, row, column)
        x_axis = mats[:, :2, 0]  # the ITRF x axis in TEME (cos gmst, sin gmst)
        a, b = x_axis[:-1], x_axis[1:]
        turn = np.arctan2(a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0], a[:, 0] * b[:, 0] + a[:, 1] * b[:, 1])
        if len(_ROTATION_CACHE) >= _ROTATION_CACHE_SIZE:
            _ROTATION_CACHE.pop(next(iter(_ROTATION_CACHE)))
        cached = _ROTATION_CACHE[key] = (mats, turn)
    return cached


def itrf_to_teme_matrices(t_tt_s: NDArray) -> NDArray:
    """Rotation matrices ITRF -> TEME, shape (T, 3, 3), at times (T,): the columns are the ITRF axes
    carried by :func:`debriscope.frames.itrf_to_teme` (polar motion, then GMST)."""
    return _earth_orientation(t_tt_s)[0]


def turn_angles(times_tt_s: NDArray) -> NDArray:
    """The Earth's turn about TEME's z axis (rad, (T-1,)) between consecutive grid times: the angle
    between the ITRF x axes carried into TEME (cos gmst, sin gmst) at the two samples."""
    return _earth_orientation(np.asarray(times_tt_s, dtype=float))[1]


def site_teme(latitude_deg: float, longitude_deg: float, altitude_m: float, t_tt_s: ArrayLike) -> SiteTeme:
    """Position, velocity and east/north/up unit vectors of a geodetic site in TEME at times ``t_tt_s`` (T,).

    The site's inertial velocity is ``omega x r_teme`` (the GMST rotation is about TEME's z axis,
    so ``R3(-gmst) (omega x r_pef) = omega x (R3(-gmst) r_pef)``; Vallado et al. 2006, eq. C-2).
    """
    t = np.atleast_1d(np.asarray(t_tt_s, dtype=float))
    mats = itrf_to_teme_matrices(t)
    # one product for all times (the same bytes as the (T, 3, 3) @ (3, 4) stack, a fifteenth of its time)
    out = np.moveaxis((mats.reshape(-1, 3) @ _site_itrf(latitude_deg, longitude_deg, altitude_m)).reshape(t.size, 3, 4), 1, 0)
    r = out[:, :, 0]
    return SiteTeme(r, earth_rotation_velocity(r), out[:, :, 1], out[:, :, 2], out[:, :, 3])


@functools.lru_cache(maxsize=256)
def _site_itrf(latitude_deg: float, longitude_deg: float, altitude_m: float) -> NDArray:
    """The site's ITRF position and east/north/up axes as the columns of a (3, 4) array (read-only)."""
    lat, lon = np.radians(latitude_deg), np.radians(longitude_deg)
    vectors = np.column_stack([geodetic_to_ecef(lat, lon, altitude_m).reshape(3), enu_matrix(lat, lon).T])  # r, E, N, U
    vectors.flags.writeable = False
    return vectors


def earth_rotation_velocity(r_teme_m: NDArray) -> NDArray:
    """``omega x r`` (m/s, (3, ...)) for the Earth's rotation about TEME's z axis, written out:
    ``(-omega y, omega x, 0)``, the values and the memory layout (components last) of ``np.cross``
    with ``(0, 0, omega)`` (later sums over components then add in the same order), without its overhead."""
    r = np.asarray(r_teme_m, dtype=float)
    return np.moveaxis(np.stack([-(OMEGA_EARTH_RAD_S * r[1]), OMEGA_EARTH_RAD_S * r[0], np.zeros_like(r[0])], axis=-1), -1, 0)


def turned(vectors: NDArray, times_tt_s: NDArray, t_tt_s: ArrayLike) -> NDArray:
    """Earth-fixed vectors given in TEME at the grid times, shape (..., 3, T), carried to times (M,)
    inside the grid (or just beyond it): shape (..., 3, M).

    Between two samples the ITRF -> TEME rotation advances by a turn about TEME's z axis (GMST;
    polar motion, interpolated daily, changes by ~1e-12 rad in a minute), so the vector at the
    sample before ``t`` is turned about z by the fraction of that angle elapsed (GMST is linear in
    UT1 within a sample step to ~1e-15 rad). The angle comes from the grid's own rotation matrices
    (:func:`itrf_to_teme_matrices`), so no Earth-orientation model is evaluated at ``t``.
    """
    times = np.asarray(times_tt_s, dtype=float)
    t = np.atleast_1d(np.asarray(t_tt_s, dtype=float))
    k = np.clip(np.searchsorted(times, t, side="right") - 1, 0, times.size - 2)
    phi = turn_angles(times)[k] * (t - times[k]) / (times[k + 1] - times[k])
    c, s = np.cos(phi), np.sin(phi)
    x = np.asarray(vectors)[..., k]
    return np.stack([c * x[..., 0, :] - s * x[..., 1, :], s * x[..., 0, :] + c * x[..., 1, :], x[..., 2, :]], axis=-2)


def site_axes(site: SiteTeme) -> NDArray:
    """A site's position and east/north/up axes stacked, (4, 3, T): what :func:`site_between` turns."""
    return np.stack([site.r_teme_m, site.east, site.north, site.up])


def site_between(site: SiteTeme | NDArray, times_tt_s: NDArray, t_tt_s: ArrayLike) -> SiteTeme:
    """A site known in TEME at grid times (``site_teme(..., times_tt_s)``, or its :func:`site_axes`)
    at other times inside the grid: its vectors :func:`turned` about z, the velocity ``omega x r``
    as in :func:`site_teme`."""
    vec = turned(site_axes(site) if isinstance(site, SiteTeme) else site, times_tt_s, t_tt_s)
    return SiteTeme(vec[0], earth_rotation_velocity(vec[0]), vec[1], vec[2], vec[3])


def topocentric(
    site: SiteTeme, r_teme_m: ArrayLike, v_teme_mps: ArrayLike
) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    """Range (m), azimuth (rad, [0, 2 pi), clockwise from north), geometric elevation (rad) and range rate (m/s).

    ``r_teme_m``/``v_teme_mps`` have shape ``(3, T)`` (one object per site time) or ``(3, T, N)``
    (N objects at each of the site's T times).
    """
    r = np.asarray(r_teme_m, dtype=float)
    v = np.asarray(v_teme_mps, dtype=float)
    extra = (None,) * (r.ndim - 2)
    rho = r - site.r_teme_m[(slice(None), slice(None), *extra)]
    drho = v - site.v_teme_mps[(slice(None), slice(None), *extra)]
    e = np.einsum("it...,it...->t...", rho, site.east[(slice(None), slice(None), *extra)])
    n = np.einsum("it...,it...->t...", rho, site.north[(slice(None), slice(None), *extra)])
    u = np.einsum("it...,it...->t...", rho, site.up[(slice(None), slice(None), *extra)])
    rng = np.sqrt(e * e + n * n + u * u)
    az = np.mod(np.arctan2(e, n), 2.0 * np.pi)
    el = np.arcsin(np.clip(u / rng, -1.0, 1.0))
    rate = np.einsum("it...,it...->t...", rho, drho) / rng
    return rng, az, el, rate


SCREENED_ELEVATION_RAD = -np.pi / 2
"""The elevation :func:`look_grid` gives a sample it screens out (below every look, never read)."""


def look_grid(site: SiteTeme, states: NDArray, min_el_rad: float) -> tuple[NDArray, NDArray, NDArray]:
    """Range (m), azimuth (rad) and geometric elevation (rad), each (T, N), of the TEME states
    ``states`` (T, 6, N) seen from ``site`` at its T times: :func:`topocentric` fused in one pass.

    The screens (no sensor that reads the grid looks below its lowest elevation ``min_el_rad``):
    the azimuth is computed only where the elevation is at least ``min_el_rad`` (elsewhere NaN);
    the elevation (the ``asin``) only where it reaches ``min_el_rad`` at the sample or at one next
    to it in time (a crossing of a higher elevation is bracketed by two such samples), elsewhere it
    is :data:`SCREENED_ELEVATION_RAD`. NaN states (decayed fragments) give NaN everywhere.
    """
    return _look_grid(np.ascontiguousarray(site.r_teme_m.T), np.ascontiguousarray(site.east.T),
                      np.ascontiguousarray(site.north.T), np.ascontiguousarray(site.up.T),
                      np.ascontiguousarray(states[:, :3, :]), float(min_el_rad))


@nb.njit(cache=True)
def _look_grid(site_r: NDArray, east: NDArray, north: NDArray, up: NDArray, r: NDArray,
               min_el_rad: float) -> tuple[NDArray, NDArray, NDArray]:
    n_t, _, n = r.shape
    rng = np.empty((n_t, n))
    az = np.full((n_t, n), np.nan)
    sin_el = np.empty((n_t, n))
    for k in range(n_t):  # range and the sine of the elevation
        sx, sy, sz = site_r[k, 0], site_r[k, 1], site_r[k, 2]
        for j in range(n):
            dx, dy, dz = r[k, 0, j] - sx, r[k, 1, j] - sy, r[k, 2, j] - sz
            u = dx * up[k, 0] + dy * up[k, 1] + dz * up[k, 2]
            d = np.sqrt(dx * dx + dy * dy + dz * dz)
            rng[k, j] = d
            x = u / d
            if x > 1.0:
                x = 1.0
            elif x < -1.0:
                x = -1.0
            sin_el[k, j] = x
    # below this sine the elevation is below min_el_rad whatever the rounding of asin (margin 1e-9)
    low = np.sin(min_el_rad) - 1e-9 if min_el_rad > -np.pi / 2 else -np.inf
    el = np.full((n_t, n), SCREENED_ELEVATION_RAD)
    two_pi = 2.0 * np.pi
    for k in range(n_t):
        k0, k1 = max(k - 1, 0), min(k + 1, n_t - 1)
        for j in range(n):
            x = sin_el[k, j]
            if not (x >= low or sin_el[k0, j] >= low or sin_el[k1, j] >= low or np.isnan(x)):
                continue
            e_rad = np.arcsin(x)  # NaN stays NaN (a decayed fragment)
            el[k, j] = e_rad
            if e_rad >= min_el_rad:
                dx, dy, dz = r[k, 0, j] - site_r[k, 0], r[k, 1, j] - site_r[k, 1], r[k, 2, j] - site_r[k, 2]
                e = dx * east[k, 0] + dy * east[k, 1] + dz * east[k, 2]
                nn = dx * north[k, 0] + dy * north[k, 1] + dz * north[k, 2]
                a = np.arctan2(e, nn)
                az[k, j] = a + two_pi if a < 0.0 else a
    return rng, az, el


def subsatellite_point_deg(r_teme_m: ArrayLike, t_tt_s: ArrayLike) -> tuple[NDArray, NDArray]:
    """Geodetic latitude and longitude (deg) below TEME positions (3, M) at times (M,)."""
    r_itrf, _ = teme_to_itrf(np.asarray(r_teme_m, dtype=float), None, t_tt_s)
    lat, lon, _ = ecef_to_geodetic(r_itrf)
    return np.degrees(lat), np.degrees(lon)
