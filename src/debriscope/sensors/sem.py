"""NASA Size Estimation Model (SEM): characteristic length <-> radar cross section.

The SEM maps the normalised size ``x = d / lambda`` of a debris fragment (``d`` its characteristic
length) to its normalised, orientation-averaged radar cross section ``z = sigma / lambda**2``
through one curve built from static RCS measurements of 39 fragments:

- Rayleigh region, ``x < 0.10997``:  ``z = 9 pi^5 x^6 / 4``;
- Mie (resonance) region, ``0.10997 <= x <= 1.8975``: the tabulated curve, interpolated
  linearly in ``(log x, log z)``;
- optical region, ``x > 1.8975``:  ``z = pi x^2 / 4``.

References
----------
C. L. Stokely, J. L. Foster Jr., E. G. Stansbery, J. R. Benbrook, Q. Juarez, "Haystack and HAX
Radar Measurements of the Orbital Debris Environment; 2003", NASA JSC-62815 (2006), sec. 4 and
table 1 (the Mie-region table below). Y.-L. Xu, M. Horstman, P. H. Krisko, J.-C. Liou et al.,
"Modeling of LEO orbital debris populations for ORDEM2008", Adv. Space Res. 43 (2009) 769-782,
for the model's use. The same table and regions are used by NASA CARA's
``NASA_SEM_SizeVecToRCS`` (github.com/nasa/CARA_Analysis_Tools).

The three pieces meet continuously: the Rayleigh law gives 1.2177e-3 at the table's first point
(table: 1.220e-3, 0.2 %), the optical law 2.828 at its last (table: 2.835, 0.25 %); the small
steps are those of the published table and are kept as published.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..constants import C_LIGHT_MPS

# Stokely et al. 2006 (JSC-62815), table 1: x = d/lambda, z = sigma/lambda^2 in the Mie region.
SEM_MIE_X = np.array([
    0.10997, 0.11685, 0.12444, 0.13302, 0.14256, 0.15256, 0.16220, 0.17138, 0.18039, 0.18982,
    0.20014, 0.21237, 0.22902, 0.25574, 0.30537, 0.42028, 0.56287, 0.71108, 0.86714, 1.0529,
    1.2790, 1.5661, 1.8975,
])
SEM_MIE_Z = np.array([
    0.001220, 0.001735, 0.002468, 0.003511, 0.004993, 0.007102, 0.01010, 0.01437, 0.02044,
    0.02907, 0.04135, 0.05881, 0.08365, 0.1190, 0.1692, 0.2407, 0.3424, 0.4870, 0.6927, 0.9852,
    1.401, 1.993, 2.835,
])
_LOG_X = np.log(SEM_MIE_X)
_LOG_Z = np.log(SEM_MIE_Z)

BMEWS_WAVELENGTH_M: float = C_LIGHT_MPS / 440e6
"""Default wavelength: UHF at 440 MHz, the band of the BMEWS AN/FPS-50 (see ``sites``), m."""


def sem_z_from_x(x: ArrayLike) -> NDArray:
    """Normalised RCS ``z = sigma/lambda^2`` from normalised size ``x = d/lambda`` (SEM)."""
    x = np.asarray(x, dtype=float)
    z = np.empty_like(x)
    rayleigh = x < SEM_MIE_X[0]
    optical = x > SEM_MIE_X[-1]
    mie = ~(rayleigh | optical)
    z[rayleigh] = 9.0 * np.pi**5 * x[rayleigh] ** 6 / 4.0  # Rayleigh law, Stokely et al. 2006 sec. 4
    z[optical] = np.pi * x[optical] ** 2 / 4.0  # optical law (geometric cross section of a disc)
    z[mie] = np.exp(np.interp(np.log(x[mie]), _LOG_X, _LOG_Z))  # table 1, log-log interpolation
    return z


def sem_x_from_z(z: ArrayLike) -> NDArray:
    """Normalised size ``x`` from normalised RCS ``z`` (the inverse of :func:`sem_z_from_x`)."""
    z = np.asarray(z, dtype=float)
    x = np.empty_like(z)
    rayleigh = z < SEM_MIE_Z[0]
    optical = z > SEM_MIE_Z[-1]
    mie = ~(rayleigh | optical)
    x[rayleigh] = (4.0 * z[rayleigh] / (9.0 * np.pi**5)) ** (1.0 / 6.0)
    x[optical] = np.sqrt(4.0 * z[optical] / np.pi)
    x[mie] = np.exp(np.interp(np.log(z[mie]), _LOG_Z, _LOG_X))
    return x


def rcs_from_size_m2(lc_m: ArrayLike, wavelength_m: float = BMEWS_WAVELENGTH_M) -> NDArray:
    """Radar cross section (m^2) of fragments of characteristic length ``lc_m`` (NASA SEM).

    Parameters
    ----------
    lc_m : array_like
        Characteristic length, m (> 0).
    wavelength_m : float
        Radar wavelength, m; default the BMEWS UHF wavelength (440 MHz).

    Examples
    --------
    A fragment much larger than the wavelength reflects its disc area:

    >>> round(float(rcs_from_size_m2(10.0, 0.03)), 3)
    78.54
    """
    if wavelength_m <= 0:
        raise ValueError(f"wavelength_m = {wavelength_m!r}: must be > 0")
    return sem_z_from_x(np.asarray(lc_m, dtype=float) / wavelength_m) * wavelength_m**2


def size_from_rcs_m(rcs_m2: ArrayLike, wavelength_m: float = BMEWS_WAVELENGTH_M) -> NDArray:
    """Characteristic length (m) whose SEM radar cross section is ``rcs_m2`` (m^2)."""
    if wavelength_m <= 0:
        raise ValueError(f"wavelength_m = {wavelength_m!r}: must be > 0")
    return sem_x_from_z(np.asarray(rcs_m2, dtype=float) / wavelength_m**2) * wavelength_m
