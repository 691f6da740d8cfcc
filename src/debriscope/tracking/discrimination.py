"""Orbital or ballistic? Discrimination from an estimated state and its covariance.

Criterion (stated, configurable): an object is **orbital** if its osculating perigee lies at least
``h_crit`` above the WGS-84 ellipsoid (measured at the perigee's latitude), so that it completes a
revolution above the sensible atmosphere; otherwise it is **ballistic**: its trajectory meets the
Earth, or dips so deep that it re-enters within the revolution. The default ``h_crit`` = 120 km
is the conventional re-entry "entry interface" of 400,000 ft (121.9 km) used in NASA entry planning
since Apollo, below which aerodynamic forces take over; an orbit whose perigee dips below it
does not complete another revolution.

The probability of "ballistic" comes from the state covariance, either by Monte Carlo (samples
``x + L z``, L a square root of P, z from the passed Generator) or linearised (the perigee
altitude's variance ``g^T P g`` with g its numerical gradient, and the normal CDF). For ballistic
objects the impact point (geodetic latitude and longitude on WGS-84) and time come from
propagating the state (two-body + J2) down to the ellipsoid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtr

from ..constants import WGS84_A_M, WGS84_E2
from ..elements import rv_to_elements
from ..frames import ecef_to_geodetic, teme_to_itrf
from ..propagation.estimator_dynamics import PASS_MODEL, PASS_STEP_S, propagate_to_height

H_CRIT_DEFAULT_M = 120e3
"""Default perigee altitude separating orbital from ballistic, m (entry interface)."""
MAX_IMPACT_SEARCH_S = 3.0 * 3600.0
"""How far ahead an impact is sought (longer than any sub-orbital flight), s."""


def perigee_altitude_m(states_teme: ArrayLike) -> NDArray:
    """Osculating perigee height above the WGS-84 ellipsoid at the perigee's latitude, m, (N,).

    r_p = a (1 - e) (ellipse and hyperbola alike); the perigee's
    geocentric latitude is asin(sin i sin omega) and the ellipsoid radius there is
    a_E sqrt((1 - e_E^2) / (1 - e_E^2 cos^2 phi')).
    """
    x = np.asarray(states_teme, dtype=float).reshape(6, -1)
    el = rv_to_elements(x[:3], x[3:])
    rp = el.a_m * (1.0 - el.e)
    sin_lat = np.sin(el.i_rad) * np.sin(el.argp_rad)
    r_ell = WGS84_A_M * np.sqrt((1.0 - WGS84_E2) / (1.0 - WGS84_E2 * (1.0 - sin_lat**2)))
    return rp - r_ell


def sample_states(state: ArrayLike, covariance: ArrayLike, n: int, rng: np.random.Generator) -> NDArray:
    """``n`` states drawn from N(state, covariance), (6, n)."""
    x = np.asarray(state, dtype=float).reshape(6)
    cov = np.asarray(covariance, dtype=float)
    w, v = np.linalg.eigh(0.5 * (cov + cov.T))
    lmat = v * np.sqrt(np.clip(w, 0.0, None))  # symmetric square root; tolerates semi-definite P
    return x[:, None] + lmat @ rng.standard_normal((6, n))


def p_ballistic_monte_carlo(
    state: ArrayLike, covariance: ArrayLike, rng: np.random.Generator, n_samples: int = 2000,
    h_crit_m: float = H_CRIT_DEFAULT_M,
) -> float:
    """Fraction of covariance samples whose perigee is below ``h_crit_m``."""
    return float(np.mean(perigee_altitude_m(sample_states(state, covariance, n_samples, rng)) < h_crit_m))


def perigee_sigma_m(state: ArrayLike, covariance: ArrayLike) -> float:
    """Linearised standard deviation of the perigee altitude, sqrt(g^T P g), m."""
    x = np.asarray(state, dtype=float).reshape(6)
    step = np.concatenate([np.full(3, 1.0), np.full(3, 1e-3)])  # 1 m, 1 mm/s
    cols = np.concatenate([x[:, None] + np.diag(step), x[:, None] - np.diag(step)], axis=1)
    hp = perigee_altitude_m(cols)
    grad = (hp[:6] - hp[6:]) / (2.0 * step)
    return float(np.sqrt(max(grad @ np.asarray(covariance) @ grad, 0.0)))


def p_ballistic_linear(state: ArrayLike, covariance: ArrayLike, h_crit_m: float = H_CRIT_DEFAULT_M) -> float:
    """P(perigee < h_crit) for a normal perigee altitude with the linearised sigma."""
    hp = float(perigee_altitude_m(state)[0])
    sig = perigee_sigma_m(state, covariance)
    if sig == 0.0:
        return float(hp < h_crit_m)
    return float(ndtr((h_crit_m - hp) / sig))


class ImpactPoint(NamedTuple):
    """Predicted ground impact (NaN where the state does not reach the ground in the search)."""

    t_tt_s: NDArray
    lat_deg: NDArray
    lon_deg: NDArray


def impact_point(
    states_teme: ArrayLike, t_tt_s: float, max_duration_s: float = MAX_IMPACT_SEARCH_S,
    step_s: float = PASS_STEP_S,
) -> ImpactPoint:
    """Where and when states ``(6, N)`` at ``t_tt_s`` meet the WGS-84 ellipsoid (two-body + J2)."""
    x = np.asarray(states_teme, dtype=float).reshape(6, -1)
    t_imp, x_imp = propagate_to_height(x, t_tt_s, 0.0, max_duration_s, PASS_MODEL, step_s=step_s)
    lat = np.full(t_imp.size, np.nan)
    lon = np.full(t_imp.size, np.nan)
    hit = np.isfinite(t_imp)
    if hit.any():
        r_itrf, _ = teme_to_itrf(x_imp[:3, hit], None, t_imp[hit])
        la, lo, _ = ecef_to_geodetic(r_itrf.reshape(3, -1))
        lat[hit], lon[hit] = np.degrees(la), np.degrees(lo)
    return ImpactPoint(t_imp, lat, lon)


@dataclass(frozen=True)
class Classification:
    """Discrimination of one track or object (base of the tracker's and multi-pass results)."""

    classification: str
    """'orbital' or 'ballistic' (ballistic when p_ballistic > 0.5)."""
    p_ballistic: float
    perigee_km: float
    impact_tt_s: float
    impact_lat_deg: float
    impact_lon_deg: float


def classify(
    state: ArrayLike,
    covariance: ArrayLike,
    t_tt_s: float,
    rng: np.random.Generator | None = None,
    *,
    h_crit_m: float = H_CRIT_DEFAULT_M,
    n_samples: int = 2000,
) -> Classification:
    """Class, probability and (if ballistic) impact point of a state with its covariance.

    With ``rng`` the probability is by Monte Carlo, without it linearised.
    """
    x = np.asarray(state, dtype=float).reshape(6)
    if rng is None:
        p = p_ballistic_linear(x, covariance, h_crit_m)
    else:
        p = p_ballistic_monte_carlo(x, covariance, rng, n_samples, h_crit_m)
    hp = float(perigee_altitude_m(x)[0])
    cls = "ballistic" if p > 0.5 else "orbital"
    imp = ImpactPoint(np.array([np.nan]), np.array([np.nan]), np.array([np.nan]))
    if cls == "ballistic":
        imp = impact_point(x, t_tt_s)
    return Classification(cls, p, hp / 1e3, float(imp.t_tt_s[0]), float(imp.lat_deg[0]), float(imp.lon_deg[0]))
