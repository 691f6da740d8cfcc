"""The radar range equation and the probability of detection.

Single-pulse signal-to-noise ratio of a monostatic radar (Skolnik, *Introduction to Radar
Systems*, 3rd ed., 2001, sec. 1.2 and 2.1, with the receiver noise ``k T_s B_n`` and the noise
bandwidth of a matched filter ``B_n = 1/tau``)::

    SNR = P_t G^2 lambda^2 sigma tau / ((4 pi)^3 R^4 k T_s L)

Detection: square-law (envelope) detection of one look against a threshold set for a
false-alarm probability ``P_fa`` (threshold ``T = -ln P_fa`` in noise-power units). For a
non-fluctuating target (Swerling 0) ``P_d = Q_1(sqrt(2 SNR), sqrt(2 T))`` (Marcum Q, written as
one minus the CDF of a non-central chi-square with 2 degrees of freedom and non-centrality
``2 SNR``). A Swerling I target (exponentially distributed RCS, scan-to-scan fluctuation) then
averages to the closed form ``P_d = P_fa^(1/(1+SNR))`` (Swerling, "Probability of detection for
fluctuating targets", IRE Trans. IT-6 (1960) 269-308; Skolnik 2001 sec. 2.8). The simulation draws
the fluctuating RCS (Swerling I: exponential; Swerling III: chi-square with 4 degrees of freedom)
and applies the Swerling 0 law to the drawn SNR, which reproduces these averages.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import chndtr

from ..constants import BOLTZMANN_J_K

FOUR_PI_CUBED = (4.0 * np.pi) ** 3


def db_to_ratio(db: ArrayLike) -> NDArray | float:
    """Decibels to a power ratio."""
    return 10.0 ** (np.asarray(db, dtype=float) / 10.0)


def ratio_to_db(ratio: ArrayLike) -> NDArray | float:
    """A power ratio to decibels (``-inf`` for zero)."""
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(np.asarray(ratio, dtype=float))


def snr_single_pulse(
    range_m: ArrayLike,
    rcs_m2: ArrayLike,
    *,
    peak_power_w: float,
    gain: float,
    wavelength_m: float,
    pulse_width_s: float,
    noise_temperature_k: float,
    losses: float = 1.0,
) -> NDArray:
    """Single-pulse SNR (power ratio) from the radar range equation (Skolnik 2001, sec. 2.1).

    ``gain`` and ``losses`` are power ratios (not dB); ``losses >= 1``.
    """
    r = np.asarray(range_m, dtype=float)
    numerator = peak_power_w * gain**2 * wavelength_m**2 * np.asarray(rcs_m2, dtype=float) * pulse_width_s
    return numerator / (FOUR_PI_CUBED * r**4 * BOLTZMANN_J_K * noise_temperature_k * losses)


def rcs_from_snr(
    snr: ArrayLike, range_m: ArrayLike, *, peak_power_w: float, gain: float, wavelength_m: float,
    pulse_width_s: float, noise_temperature_k: float, losses: float = 1.0,
) -> NDArray:
    """Radar cross section (m^2) that gives ``snr`` at ``range_m``: :func:`snr_single_pulse` solved for sigma.

    ``sigma = SNR (4 pi)^3 R^4 k T_s L / (P_t G^2 lambda^2 tau)`` (Skolnik 2001, sec. 2.1).
    """
    r = np.asarray(range_m, dtype=float)
    denominator = peak_power_w * gain**2 * wavelength_m**2 * pulse_width_s
    return np.asarray(snr, dtype=float) * FOUR_PI_CUBED * r**4 * BOLTZMANN_J_K * noise_temperature_k * losses / denominator


def energy_for_snr(
    snr: float, range_m: float, rcs_m2: float, *, gain: float, wavelength_m: float,
    noise_temperature_k: float, losses: float = 1.0,
) -> float:
    """Pulse energy ``P_t tau`` (J) that gives ``snr`` at ``range_m`` on ``rcs_m2`` (the range equation solved for it)."""
    return snr * FOUR_PI_CUBED * range_m**4 * BOLTZMANN_J_K * noise_temperature_k * losses / (
        gain**2 * wavelength_m**2 * rcs_m2
    )


def pd_nonfluctuating(snr: ArrayLike, pfa: float) -> NDArray:
    """Single-look P_d of a steady (Swerling 0) target: Marcum Q_1(sqrt(2 SNR), sqrt(-2 ln P_fa)).

    ``1 -`` the non-central chi-square CDF (scipy.special's ``chndtr`` ufunc: the distribution's
    ``sf`` costs about 0.1 ms of argument handling per call, which the detection draw makes tens
    of thousands of times; the two agree to 1e-15).
    """
    snr = np.asarray(snr, dtype=float)
    return 1.0 - chndtr(-2.0 * np.log(pfa), 2.0, 2.0 * snr)


def pd_swerling1(snr: ArrayLike, pfa: float) -> NDArray:
    """Single-look P_d of a Swerling I target of mean SNR ``snr``: ``P_fa^(1/(1+SNR))`` (Swerling 1960)."""
    return pfa ** (1.0 / (1.0 + np.asarray(snr, dtype=float)))


def draw_rcs_fluctuation(swerling: int, shape: tuple[int, ...], rng: np.random.Generator) -> NDArray:
    """Multiplicative RCS fluctuation (mean 1) for one look per element.

    Swerling 0: 1; Swerling I: exponential (chi-square, 2 dof); Swerling III: chi-square with
    4 degrees of freedom, i.e. Gamma(2, 1/2) (Swerling 1960).
    """
    if swerling == 0:
        return np.ones(shape)
    if swerling == 1:
        return rng.exponential(1.0, shape)
    if swerling == 3:
        return rng.gamma(2.0, 0.5, shape)
    raise ValueError(f"swerling = {swerling!r}: allowed 0, 1, 3")


def detect_draw(swerling: int, pfa: float, snr_mean: NDArray, shape: tuple[int, ...],
                rng: np.random.Generator) -> tuple[NDArray, NDArray]:
    """One look per element of ``shape``: a Swerling RCS draw, then a square-law detection draw.

    ``snr_mean`` broadcasts over the trailing axes of ``shape``; returns (detected, realised SNR).
    """
    snr_mean = np.asarray(snr_mean, dtype=float)
    snr = snr_mean.reshape(snr_mean.shape + (1,) * (len(shape) - snr_mean.ndim)) * draw_rcs_fluctuation(
        swerling, shape, rng
    )
    hit = rng.random(shape) < pd_nonfluctuating(snr, pfa)
    return hit, snr
