"""Fragment numbers and characteristic lengths of the NASA Standard Breakup Model.

References
----------
Johnson, N. L., Krisko, P. H., Liou, J.-C., Anz-Meador, P. D. (2001), "NASA's new breakup model of
EVOLVE 4.0", Adv. Space Res. 28(9), 1377-1384 (equation numbers below).
Krisko, P. H. (2011), "Proper implementation of the 1998 NASA breakup model", Orbital Debris
Quarterly News 15(4), 4-5.

The cumulative laws give the number of fragments *larger than* ``Lc`` (m):

- explosions, eq. 2: ``N(>Lc) = 6 S Lc^-1.6``;
- collisions, eq. 4: ``N(>Lc) = 0.1 M^0.75 Lc^-1.71``, with ``M`` (kg) the sum of both masses for a
  catastrophic collision and ``m_projectile[kg] * v_impact[km/s]^2`` otherwise (Krisko 2011; the
  2001 paper prints ``v`` without the square).

Between ``lc_min`` and an upper bound ``lc_max`` the law is a truncated Pareto distribution; a
sample is drawn by inverting its cumulative distribution.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Exponent of the explosion cumulative size law (Johnson et al. 2001, eq. 2).
EXPLOSION_EXPONENT = -1.6
#: Exponent of the collision cumulative size law (Johnson et al. 2001, eq. 4).
COLLISION_EXPONENT = -1.71
#: Catastrophic-collision threshold on the projectile's kinetic energy per target mass, J/kg
#: (40 J/g; Johnson et al. 2001, section 3).
CATASTROPHIC_THRESHOLD_J_PER_KG = 40_000.0

KINDS = ("explosion", "collision")


def exponent_for(kind: str) -> float:
    """The cumulative size-law exponent of an event kind ('explosion' or 'collision')."""
    if kind == "explosion":
        return EXPLOSION_EXPONENT
    if kind == "collision":
        return COLLISION_EXPONENT
    raise ValueError(f"kind = {kind!r}: allowed: 'explosion', 'collision'")


def explosion_cumulative_count(lc_m: ArrayLike, scaling_factor: float = 1.0) -> NDArray:
    """Number of explosion fragments larger than ``lc_m``.

    ``N(>Lc) = 6 S Lc^-1.6`` with ``Lc`` in metres (Johnson et al. 2001, eq. 2).

    Parameters
    ----------
    lc_m : array_like
        Characteristic length, m (> 0).
    scaling_factor : float
        The dimensionless factor ``S`` (1 for the nominal upper stage of the model).
    """
    return 6.0 * scaling_factor * np.asarray(lc_m, dtype=float) ** EXPLOSION_EXPONENT  # eq. 2


def collision_cumulative_count(lc_m: ArrayLike, reference_mass_kg: float) -> NDArray:
    """Number of collision fragments larger than ``lc_m``.

    ``N(>Lc) = 0.1 M^0.75 Lc^-1.71`` with ``M`` in kg and ``Lc`` in m (Johnson et al. 2001, eq. 4);
    ``M`` from :func:`collision_reference_mass`.
    """
    return 0.1 * reference_mass_kg**0.75 * np.asarray(lc_m, dtype=float) ** COLLISION_EXPONENT  # eq. 4


def collision_reference_mass(
    target_mass_kg: float, projectile_mass_kg: float, relative_speed_mps: float
) -> tuple[float, bool, float]:
    """The collision's reference mass ``M``, whether it is catastrophic, and its energy per target mass.

    The projectile is the lighter body. The collision is catastrophic when the projectile's kinetic
    energy divided by the target's mass reaches 40 J/g (Johnson et al. 2001, section 3); then
    ``M = m_target + m_projectile``, otherwise ``M = m_projectile * v^2`` with ``v`` in km/s
    (Krisko 2011, who gives the square the 2001 text omits; also Horstman 2020, followed by the
    ESA/TUM C++ implementation).

    Returns
    -------
    reference_mass_kg : float
    catastrophic : bool
    energy_to_mass_j_per_g : float
    """
    _check_positive(target_mass_kg, "target mass_kg")
    _check_positive(projectile_mass_kg, "impactor mass_kg")
    _check_positive(relative_speed_mps, "relative_speed_mps")
    m_t, m_p = max(target_mass_kg, projectile_mass_kg), min(target_mass_kg, projectile_mass_kg)
    emr_j_per_kg = 0.5 * m_p * relative_speed_mps**2 / m_t
    catastrophic = emr_j_per_kg >= CATASTROPHIC_THRESHOLD_J_PER_KG
    if catastrophic:
        reference = m_t + m_p
    else:
        reference = m_p * (relative_speed_mps / 1000.0) ** 2  # Krisko 2011: M = m_p v^2, v in km/s
    return float(reference), bool(catastrophic), float(emr_j_per_kg / 1000.0)


def lc_from_mass_m(mass_kg: ArrayLike) -> NDArray:
    """Characteristic length of a body of given mass, m, from the model's size-density relation.

    A sphere of diameter ``d`` and density ``rho = 92.937 d^-0.74`` kg/m^3 (Johnson et al. 2001,
    eq. 1, as used by the ESA/TUM implementation) has ``m = (pi/6) 92.937 d^2.26``, so
    ``d = (6 m / (92.937 pi))^(1/2.26)``. 900 kg gives 3.6 m.
    """
    return (6.0 * np.asarray(mass_kg, dtype=float) / (92.937 * math.pi)) ** (1.0 / 2.26)


def lc_from_area_m(area_m2: ArrayLike) -> NDArray:
    """Characteristic length whose model area equals ``area_m2`` (inverse of eq. 9).

    ``A = 0.556945 Lc^2.0047077`` (Johnson et al. 2001, eq. 9) solved for ``Lc``.
    """
    return (np.asarray(area_m2, dtype=float) / 0.556945) ** (1.0 / 2.0047077)


def parent_lc_max_m(mass_kg: float, area_m2: float | None = None) -> float:
    """The largest fragment a parent allows: its own characteristic length, m.

    From its mean cross-sectional area when known (:func:`lc_from_area_m`), else from its mass
    (:func:`lc_from_mass_m`). No fragment can be larger than the body it came from.
    """
    _check_positive(mass_kg, "mass_kg")
    if area_m2 is not None:
        _check_positive(area_m2, "area_m2")
        return float(lc_from_area_m(area_m2))
    return float(lc_from_mass_m(mass_kg))


def expected_count(
    lc_min_m: float, lc_max_m: float, exponent: float, coefficient: float
) -> float:
    """Expected number of fragments with ``lc_min_m <= Lc < lc_max_m`` under ``N(>Lc) = c Lc^k``."""
    return float(coefficient * (lc_min_m**exponent - lc_max_m**exponent))


def stochastic_round(rng: np.random.Generator, x: float) -> int:
    """``floor(x)`` plus one with probability ``x - floor(x)``: an integer whose mean is exactly ``x``."""
    base = math.floor(x)
    return int(base + (rng.random() < x - base))


def sample_lc(
    rng: np.random.Generator, n: int, lc_min_m: float, lc_max_m: float, exponent: float
) -> NDArray:
    """Draw ``n`` characteristic lengths from the size law truncated to ``[lc_min_m, lc_max_m)``.

    The cumulative law ``N(>Lc) ~ Lc^k`` (``k`` = -1.6 or -1.71) restricted to the interval has the
    distribution function ``F(Lc) = (lc_min^k - Lc^k) / (lc_min^k - lc_max^k)``; its inverse maps a
    uniform ``u`` to ``Lc = (lc_min^k - u (lc_min^k - lc_max^k))^(1/k)``.
    """
    _check_bounds(lc_min_m, lc_max_m)
    u = rng.random(n)
    lo, hi = lc_min_m**exponent, lc_max_m**exponent
    return (lo - u * (lo - hi)) ** (1.0 / exponent)


def _check_positive(value: float | None, name: str) -> None:
    if value is None or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} = {value!r}: must be a finite number > 0")


def _check_bounds(lc_min_m: float, lc_max_m: float) -> None:
    _check_positive(lc_min_m, "lc_min_m")
    _check_positive(lc_max_m, "lc_max_m")
    if lc_min_m >= lc_max_m:
        raise ValueError(
            f"lc_min_m = {lc_min_m!r}: must be smaller than the largest fragment the parent allows "
            f"(lc_max_m = {lc_max_m:.6g} m)"
        )
