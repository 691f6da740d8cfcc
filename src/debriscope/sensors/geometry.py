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

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..frames import ecef_to_geodetic, enu_matrix, geodetic_to_ecef, itrf_to_teme, teme_to_itrf


@dataclass(frozen=True)
class SiteTeme:
    """A ground site in TEME at T instants: position, velocity and local axes, each (3, T)."""

    r_teme_m: NDArray
    v_teme_mps: NDArray
    east: NDArray
    north: NDArray
    up: NDArray


def site_teme(latitude_deg: float, longitude_deg: float, altitude_m: float, t_tt_s: ArrayLike) -> SiteTeme:
    """Position, velocity and east/north/up unit vectors of a geodetic site in TEME at times ``t_tt_s`` (T,)."""
    t = np.atleast_1d(np.asarray(t_tt_s, dtype=float))
    n = t.size
    lat, lon = np.radians(latitude_deg), np.radians(longitude_deg)
    r_itrf = geodetic_to_ecef(lat, lon, altitude_m).reshape(3, 1)
    r, v = itrf_to_teme(np.repeat(r_itrf, n, axis=1), np.zeros((3, n)), t)
    axes_itrf = enu_matrix(lat, lon)  # rows: E, N, U in ITRF
    axes, _ = itrf_to_teme(np.tile(axes_itrf.T, (1, n)), None, np.repeat(t, 3))
    axes = axes.reshape(3, n, 3)  # component, time, axis
    return SiteTeme(r.reshape(3, n), v.reshape(3, n), axes[:, :, 0], axes[:, :, 1], axes[:, :, 2])


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


def subsatellite_point_deg(r_teme_m: ArrayLike, t_tt_s: ArrayLike) -> tuple[NDArray, NDArray]:
    """Geodetic latitude and longitude (deg) below TEME positions (3, M) at times (M,)."""
    r_itrf, _ = teme_to_itrf(np.asarray(r_teme_m, dtype=float), None, t_tt_s)
    lat, lon, _ = ecef_to_geodetic(r_itrf)
    return np.degrees(lat), np.degrees(lon)
