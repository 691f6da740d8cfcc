"""Ejection velocities of fragments (NASA Standard Breakup Model).

Johnson, N. L., Krisko, P. H., Liou, J.-C., Anz-Meador, P. D. (2001), "NASA's new breakup model of
EVOLVE 4.0", Adv. Space Res. 28(9), 1377-1384, eqs. 11-12: ``nu = log10(dv [m/s])`` is normal with
standard deviation 0.4 and mean

- explosions (eq. 11): ``mu = 0.2 chi + 1.85``,
- collisions (eq. 12): ``mu = 0.9 chi + 2.9``,

where ``chi = log10(A/m [m^2/kg])``. Directions are isotropic. The model gives the speed relative
to the parent; it conserves neither momentum nor energy, and debriscope does not impose either.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Standard deviation of log10(dv [m/s]) (Johnson et al. 2001, eqs. 11-12).
SIGMA_LOG_DV = 0.4
#: (slope, offset) of the mean of log10(dv [m/s]) against chi, per event kind (eqs. 11-12).
MU_COEFFICIENTS = {"explosion": (0.2, 1.85), "collision": (0.9, 2.9)}


def log_dv_mean(chi: ArrayLike, kind: str) -> NDArray:
    """Mean of ``log10(dv [m/s])`` given ``chi = log10(A/m)`` (eq. 11 explosions, eq. 12 collisions)."""
    if kind not in MU_COEFFICIENTS:
        raise ValueError(f"kind = {kind!r}: allowed: 'explosion', 'collision'")
    slope, offset = MU_COEFFICIENTS[kind]
    return slope * np.asarray(chi, dtype=float) + offset  # eq. 11 / eq. 12


def isotropic_directions(rng: np.random.Generator, n: int) -> NDArray:
    """``n`` unit vectors uniform on the sphere, shape (3, n): ``z ~ U(-1, 1)``, azimuth ``~ U(0, 2 pi)``."""
    z = rng.uniform(-1.0, 1.0, n)
    phi = rng.uniform(0.0, 2.0 * np.pi, n)
    rho = np.sqrt(1.0 - z * z)
    return np.stack((rho * np.cos(phi), rho * np.sin(phi), z))


def sample_delta_v(rng: np.random.Generator, chi: ArrayLike, kind: str) -> NDArray:
    """Draw ejection velocity vectors, m/s, shape (3, N).

    Parameters
    ----------
    rng : numpy.random.Generator
    chi : array_like, shape (N,)
        ``log10(A/m [m^2/kg])`` of each fragment.
    kind : str
        'explosion' (eq. 11) or 'collision' (eq. 12).
    """
    chi = np.asarray(chi, dtype=float)
    mu = log_dv_mean(chi, kind)
    speed = 10.0 ** (mu + SIGMA_LOG_DV * rng.standard_normal(chi.shape[0]))  # eqs. 11-12
    return speed * isotropic_directions(rng, chi.shape[0])
