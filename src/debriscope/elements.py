"""Classical orbital elements <-> Cartesian state, vectorised over objects.

Conventions (Vallado 2013, algorithms 9 "RV2COE" and 10 "COE2RV"): angles in radians; the
state is inertial (TEME for debriscope's propagation). Arrays broadcast; vectors are (3, N).
Apogee and perigee *altitudes* are referred to the equatorial radius, as in SATCAT and Gabbard
diagrams (``constants.R_EARTH_SATCAT_M`` unless another radius is given).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .constants import MU_EARTH_M3_S2, R_EARTH_SATCAT_M, R_SOI_EARTH_M

TWO_PI = 2.0 * np.pi


class Elements(NamedTuple):
    """Classical (osculating) elements; SI units, radians. Arrays of shape (N,)."""

    a_m: NDArray
    e: NDArray
    i_rad: NDArray
    raan_rad: NDArray
    argp_rad: NDArray
    nu_rad: NDArray

    @property
    def mean_anomaly_rad(self) -> NDArray:
        return true_to_mean(self.nu_rad, self.e)


def rv_to_elements(r_m: ArrayLike, v_mps: ArrayLike, mu: float = MU_EARTH_M3_S2) -> Elements:
    """Cartesian state -> classical elements (Vallado 2013, algorithm 9).

    Circular orbits take the argument of perigee 0 (nu measured from the node); equatorial
    orbits take the node on the x axis. Hyperbolic states give a < 0 and e > 1.
    """
    r = np.asarray(r_m, dtype=float).reshape(3, -1)
    v = np.asarray(v_mps, dtype=float).reshape(3, -1)
    rn = np.linalg.norm(r, axis=0)
    vn2 = np.einsum("in,in->n", v, v)
    h = np.cross(r, v, axis=0)
    hn = np.linalg.norm(h, axis=0)
    node = np.stack([-h[1], h[0], np.zeros_like(hn)])
    nn = np.linalg.norm(node, axis=0)
    rv = np.einsum("in,in->n", r, v)
    evec = ((vn2 - mu / rn) * r - rv * v) / mu
    e = np.linalg.norm(evec, axis=0)
    energy = vn2 / 2.0 - mu / rn
    a = -mu / (2.0 * energy)
    inc = np.arccos(np.clip(h[2] / hn, -1.0, 1.0))

    eps = 1e-11
    equatorial = nn < eps * hn
    circular = e < eps
    nx = np.where(equatorial, 1.0, node[0] / np.where(equatorial, 1.0, nn))
    ny = np.where(equatorial, 0.0, node[1] / np.where(equatorial, 1.0, nn))
    raan = np.mod(np.arctan2(ny, nx), TWO_PI)
    nhat = np.stack([nx, ny, np.zeros_like(nx)])
    # in-plane basis: p along the node, q = h x p
    hhat = h / hn
    q = np.cross(hhat, nhat, axis=0)
    argp = np.where(
        circular, 0.0, np.mod(np.arctan2(np.einsum("in,in->n", evec, q), np.einsum("in,in->n", evec, nhat)), TWO_PI)
    )
    u = np.arctan2(np.einsum("in,in->n", r, q), np.einsum("in,in->n", r, nhat))
    nu = np.mod(u - argp, TWO_PI)
    return Elements(a, e, inc, raan, argp, nu)


def elements_to_rv(
    a_m: ArrayLike,
    e: ArrayLike,
    i_rad: ArrayLike,
    raan_rad: ArrayLike,
    argp_rad: ArrayLike,
    nu_rad: ArrayLike,
    mu: float = MU_EARTH_M3_S2,
) -> tuple[NDArray, NDArray]:
    """Classical elements -> Cartesian ``(r_m, v_mps)``, each (3, N) (Vallado 2013, alg. 10)."""
    a, e, i, raan, argp, nu = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(x, dtype=float)) for x in (a_m, e, i_rad, raan_rad, argp_rad, nu_rad))
    )
    p = a * (1.0 - e * e)
    cnu, snu = np.cos(nu), np.sin(nu)
    rmag = p / (1.0 + e * cnu)
    r_pqw = np.stack([rmag * cnu, rmag * snu, np.zeros_like(rmag)])
    sq = np.sqrt(mu / p)
    v_pqw = np.stack([-sq * snu, sq * (e + cnu), np.zeros_like(rmag)])
    co, so = np.cos(raan), np.sin(raan)
    cw, sw = np.cos(argp), np.sin(argp)
    ci, si = np.cos(i), np.sin(i)
    rot = np.array(
        [
            [co * cw - so * sw * ci, -co * sw - so * cw * ci, so * si],
            [so * cw + co * sw * ci, -so * sw + co * cw * ci, -co * si],
            [sw * si, cw * si, ci],
        ]
    )
    return np.einsum("ijn,jn->in", rot, r_pqw), np.einsum("ijn,jn->in", rot, v_pqw)


def leaves_earth_orbit(r_m: ArrayLike, v_mps: ArrayLike, mu: float = MU_EARTH_M3_S2) -> NDArray:
    """Whether each state leaves Earth orbit: unbound (specific energy ``v^2/2 - mu/r >= 0``, i.e.
    ``e >= 1``) or bound with its apogee ``a (1 + e)`` beyond Earth's sphere of influence
    (:data:`~debriscope.constants.R_SOI_EARTH_M`), using ``a = -mu / (2 energy)`` and
    ``e^2 = 1 + 2 energy h^2 / mu^2`` (Vallado 2013, section 2.2). (N,) bool for (3, N) states.
    """
    r = np.asarray(r_m, dtype=float).reshape(3, -1)
    v = np.asarray(v_mps, dtype=float).reshape(3, -1)
    energy = np.einsum("in,in->n", v, v) / 2.0 - mu / np.linalg.norm(r, axis=0)
    h = np.cross(r, v, axis=0)
    bound = energy < 0.0
    a = -mu / (2.0 * np.where(bound, energy, -1.0))
    e = np.sqrt(np.maximum(1.0 + 2.0 * energy * np.einsum("in,in->n", h, h) / mu**2, 0.0))
    return ~bound | (a * (1.0 + e) > R_SOI_EARTH_M)


def _ellipse_factor(e: NDArray) -> NDArray:
    """``sqrt(1 - e^2)``, NaN without a warning where ``e >= 1`` (no ellipse)."""
    return np.sqrt(np.where(e < 1.0, 1.0 - e * e, np.nan))


def true_to_eccentric(nu_rad: ArrayLike, e: ArrayLike) -> NDArray:
    """True -> eccentric anomaly (elliptic orbits; NaN where ``e >= 1``)."""
    nu = np.asarray(nu_rad, dtype=float)
    e = np.asarray(e, dtype=float)
    return np.mod(np.arctan2(_ellipse_factor(e) * np.sin(nu), e + np.cos(nu)), TWO_PI)


def true_to_mean(nu_rad: ArrayLike, e: ArrayLike) -> NDArray:
    """True -> mean anomaly (elliptic orbits; NaN where ``e >= 1``), rad in [0, 2 pi)."""
    ecc = true_to_eccentric(nu_rad, e)
    return np.mod(ecc - np.asarray(e) * np.sin(ecc), TWO_PI)


def mean_to_eccentric(m_rad: ArrayLike, e: ArrayLike, tol: float = 1e-14) -> NDArray:
    """Solve Kepler's equation M = E - e sin E by Newton iteration (elliptic orbits)."""
    m = np.mod(np.asarray(m_rad, dtype=float), TWO_PI)
    e = np.asarray(e, dtype=float)
    ecc = np.where(e < 0.8, m, np.pi)
    for _ in range(50):
        f = ecc - e * np.sin(ecc) - m
        step = f / (1.0 - e * np.cos(ecc))
        ecc = ecc - step
        if np.all(np.abs(step) < tol):
            break
    return ecc


def mean_to_true(m_rad: ArrayLike, e: ArrayLike) -> NDArray:
    """Mean -> true anomaly (elliptic orbits; NaN where ``e >= 1``), rad in [0, 2 pi)."""
    ecc = mean_to_eccentric(m_rad, e)
    e = np.asarray(e, dtype=float)
    return np.mod(np.arctan2(_ellipse_factor(e) * np.sin(ecc), np.cos(ecc) - e), TWO_PI)


def period_s(a_m: ArrayLike, mu: float = MU_EARTH_M3_S2) -> NDArray:
    """Keplerian period, s (NaN for unbound orbits)."""
    a = np.asarray(a_m, dtype=float)
    return np.where(a > 0, TWO_PI * np.sqrt(np.abs(a) ** 3 / mu), np.nan)


def apsis_altitudes_m(
    a_m: ArrayLike, e: ArrayLike, radius_m: float = R_EARTH_SATCAT_M
) -> tuple[NDArray, NDArray]:
    """``(apogee_alt_m, perigee_alt_m)`` above a spherical radius (SATCAT convention)."""
    a = np.asarray(a_m, dtype=float)
    e = np.asarray(e, dtype=float)
    return a * (1.0 + e) - radius_m, a * (1.0 - e) - radius_m


def apsides_to_a_e(
    perigee_alt_m: ArrayLike, apogee_alt_m: ArrayLike, radius_m: float = R_EARTH_SATCAT_M
) -> tuple[NDArray, NDArray]:
    """Perigee and apogee altitudes -> ``(a_m, e)``."""
    rp = np.asarray(perigee_alt_m, dtype=float) + radius_m
    ra = np.asarray(apogee_alt_m, dtype=float) + radius_m
    return (rp + ra) / 2.0, (ra - rp) / (ra + rp)
