"""Reference frames: TEME, GCRF (J2000), ITRF, and geodetic coordinates on WGS-84.

Vectors are arrays of shape ``(3, N)`` (or ``(3,)``), components first; every name carries its
frame. Times are TT seconds since J2000 (``debriscope.timescale``).

Reductions follow Vallado, Crawford, Hujsak & Kelso, "Revisiting Spacetrack Report #3",
AIAA 2006-6753, sec. "Coordinate systems" and appendix C:

- TEME -> PEF: rotation about z by GMST (IAU-82, ERFA ``gmst82``), with v corrected by
  omega x r (eq. C-2).
- PEF -> ITRF: polar motion W = ERFA ``pom00(xp, yp, 0)`` (IERS C04 pole unless given).
- TEME -> TOD: rotation about z by the equation of the equinoxes (IAU 1994, ERFA ``eqeq94``).
- TOD -> J2000: IAU-76 precession and IAU-80 nutation (ERFA ``pnm80``), transposed. GCRF is
  taken as J2000 here: the frame bias (about 23 mas, i.e. under 1 m at LEO radius) and the
  EOP nutation corrections dPsi/dEps (1962: not observed) are neglected.

Geodetic <-> ECEF use ERFA ``gd2gc``/``gc2gd`` on WGS-84.
"""

from __future__ import annotations

import erfa
import numpy as np
from numpy.typing import ArrayLike, NDArray

from .constants import OMEGA_EARTH_RAD_S
from .timescale import polar_motion_rad, tt_jd, ut1_jd

_WGS84 = 1  # ERFA ellipsoid identifier


def gmst82_rad(t_tt_s: ArrayLike, ut1_minus_utc_s: ArrayLike | None = None) -> NDArray:
    """Greenwich mean sidereal time (IAU 1982), rad, at TT instants."""
    ut1a, ut1b = ut1_jd(t_tt_s, ut1_minus_utc_s)
    return np.asarray(erfa.gmst82(ut1a, ut1b))


def _rot_z(angle: NDArray) -> NDArray:
    """Passive rotation matrices about z, shape (..., 3, 3): r' = R(angle) r."""
    c, s = np.cos(angle), np.sin(angle)
    z, o = np.zeros_like(c), np.ones_like(c)
    return np.stack([np.stack([c, s, z], -1), np.stack([-s, c, z], -1), np.stack([z, z, o], -1)], -2)


def _apply(mat: NDArray, vec: NDArray) -> NDArray:
    """Apply (3,3) or (N,3,3) matrices to (3,) or (3,N) vectors."""
    vec = np.asarray(vec, dtype=float)
    if mat.ndim == 2:
        return mat @ vec
    if vec.ndim == 1:
        return np.einsum("nij,j->in", mat, vec).reshape(3, -1) if mat.shape[0] > 1 else mat[0] @ vec
    return np.einsum("nij,jn->in", mat, vec)


def _squeeze(mat: NDArray) -> NDArray:
    return mat[0] if mat.ndim == 3 and mat.shape[0] == 1 else mat


def _t_array(t_tt_s: ArrayLike) -> NDArray:
    return np.atleast_1d(np.asarray(t_tt_s, dtype=float))


def teme_to_itrf(
    r_teme_m: ArrayLike,
    v_teme_mps: ArrayLike | None,
    t_tt_s: ArrayLike,
    *,
    ut1_minus_utc_s: ArrayLike | None = None,
    xp_rad: ArrayLike | None = None,
    yp_rad: ArrayLike | None = None,
) -> tuple[NDArray, NDArray | None]:
    """TEME -> ITRF (Vallado et al. 2006, eq. C-2). Earth orientation from IERS C04 unless given.

    ``t_tt_s`` is a scalar or one time per column.
    """
    t = _t_array(t_tt_s)
    gmst = gmst82_rad(t, ut1_minus_utc_s)
    if xp_rad is None or yp_rad is None:
        xp_rad, yp_rad = polar_motion_rad(t)
    pom = _squeeze(np.asarray(erfa.pom00(np.atleast_1d(xp_rad), np.atleast_1d(yp_rad), 0.0)))
    rot = _squeeze(_rot_z(np.atleast_1d(gmst)))
    r_pef = _apply(rot, r_teme_m)
    r_itrf = _apply(pom, r_pef)
    if v_teme_mps is None:
        return r_itrf, None
    w = np.array([0.0, 0.0, OMEGA_EARTH_RAD_S])
    v_pef = _apply(rot, v_teme_mps) - np.cross(w, r_pef, axis=0)
    return r_itrf, _apply(pom, v_pef)


def itrf_to_teme(
    r_itrf_m: ArrayLike,
    v_itrf_mps: ArrayLike | None,
    t_tt_s: ArrayLike,
    *,
    ut1_minus_utc_s: ArrayLike | None = None,
    xp_rad: ArrayLike | None = None,
    yp_rad: ArrayLike | None = None,
) -> tuple[NDArray, NDArray | None]:
    """ITRF -> TEME, the inverse of :func:`teme_to_itrf`."""
    t = _t_array(t_tt_s)
    gmst = gmst82_rad(t, ut1_minus_utc_s)
    if xp_rad is None or yp_rad is None:
        xp_rad, yp_rad = polar_motion_rad(t)
    pom_t = np.swapaxes(
        _squeeze(np.asarray(erfa.pom00(np.atleast_1d(xp_rad), np.atleast_1d(yp_rad), 0.0))), -1, -2
    )
    rot_t = np.swapaxes(_squeeze(_rot_z(np.atleast_1d(gmst))), -1, -2)
    r_pef = _apply(pom_t, r_itrf_m)
    r_teme = _apply(rot_t, r_pef)
    if v_itrf_mps is None:
        return r_teme, None
    w = np.array([0.0, 0.0, OMEGA_EARTH_RAD_S])
    v_pef = _apply(pom_t, v_itrf_mps) + np.cross(w, r_pef, axis=0)
    return r_teme, _apply(rot_t, v_pef)


def _teme_to_j2000_matrix(t_tt_s: ArrayLike) -> NDArray:
    tt1, tt2 = tt_jd(_t_array(t_tt_s))
    eqe = np.asarray(erfa.eqeq94(tt1, tt2))
    npb = np.asarray(erfa.pnm80(tt1, tt2))  # J2000 -> true of date
    tod_from_teme = np.swapaxes(_rot_z(eqe), -1, -2)  # r_tod = R3(-eqe) r_teme
    return _squeeze(np.einsum("nji,njk->nik", npb, tod_from_teme))


def teme_to_gcrf(
    r_teme_m: ArrayLike, v_teme_mps: ArrayLike | None, t_tt_s: ArrayLike
) -> tuple[NDArray, NDArray | None]:
    """TEME -> GCRF (taken as J2000; see the module notes). Both frames are inertial here."""
    mat = _teme_to_j2000_matrix(t_tt_s)
    return _apply(mat, r_teme_m), None if v_teme_mps is None else _apply(mat, v_teme_mps)


def gcrf_to_teme(
    r_gcrf_m: ArrayLike, v_gcrf_mps: ArrayLike | None, t_tt_s: ArrayLike
) -> tuple[NDArray, NDArray | None]:
    """GCRF (J2000) -> TEME, the inverse of :func:`teme_to_gcrf`."""
    mat = np.swapaxes(_teme_to_j2000_matrix(t_tt_s), -1, -2)
    return _apply(mat, r_gcrf_m), None if v_gcrf_mps is None else _apply(mat, v_gcrf_mps)


def gcrf_to_itrf(
    r_gcrf_m: ArrayLike, v_gcrf_mps: ArrayLike | None, t_tt_s: ArrayLike
) -> tuple[NDArray, NDArray | None]:
    """GCRF -> ITRF through TEME."""
    r, v = gcrf_to_teme(r_gcrf_m, v_gcrf_mps, t_tt_s)
    return teme_to_itrf(r, v, t_tt_s)


def itrf_to_gcrf(
    r_itrf_m: ArrayLike, v_itrf_mps: ArrayLike | None, t_tt_s: ArrayLike
) -> tuple[NDArray, NDArray | None]:
    """ITRF -> GCRF through TEME."""
    r, v = itrf_to_teme(r_itrf_m, v_itrf_mps, t_tt_s)
    return teme_to_gcrf(r, v, t_tt_s)


def geodetic_to_ecef(
    lat_rad: ArrayLike, lon_rad: ArrayLike, height_m: ArrayLike
) -> NDArray:
    """Geodetic latitude, longitude and ellipsoidal height (WGS-84) -> ECEF/ITRF, shape (3, N)."""
    xyz = erfa.gd2gc(_WGS84, lon_rad, lat_rad, height_m)
    return np.moveaxis(np.asarray(xyz), -1, 0)


def ecef_to_geodetic(r_ecef_m: ArrayLike) -> tuple[NDArray, NDArray, NDArray]:
    """ECEF/ITRF (3, N) -> geodetic ``(lat_rad, lon_rad, height_m)`` on WGS-84."""
    xyz = np.moveaxis(np.asarray(r_ecef_m, dtype=float), 0, -1)
    lon, lat, height = erfa.gc2gd(_WGS84, xyz)
    return np.asarray(lat), np.asarray(lon), np.asarray(height)


def enu_matrix(lat_rad: float, lon_rad: float) -> NDArray:
    """Rotation ECEF -> local east-north-up at a geodetic point, shape (3, 3)."""
    sl, cl = np.sin(lat_rad), np.cos(lat_rad)
    so, co = np.sin(lon_rad), np.cos(lon_rad)
    return np.array([[-so, co, 0.0], [-sl * co, -sl * so, cl], [cl * co, cl * so, sl]])
