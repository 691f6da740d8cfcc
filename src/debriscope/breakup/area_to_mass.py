"""Area-to-mass ratio, area and mass of fragments (NASA Standard Breakup Model).

References
----------
Johnson, N. L., Krisko, P. H., Liou, J.-C., Anz-Meador, P. D. (2001), "NASA's new breakup model of
EVOLVE 4.0", Adv. Space Res. 28(9), 1377-1384: eq. 5 (rocket-body fragments, Lc > 11 cm), eq. 6
(spacecraft fragments, Lc > 11 cm), eq. 7 (all fragments, Lc < 8 cm), eqs. 8-9 (area), eq. 10
(mass).
Krisko, P. H. (2011), "Proper implementation of the 1998 NASA breakup model", ODQN 15(4).

With ``lambda = log10(Lc [m])`` and ``chi = log10(A/m [m^2/kg])``:

- above 11 cm, chi follows the two-component normal *mixture*
  ``alpha N(mu1, sigma1) + (1 - alpha) N(mu2, sigma2)`` whose five parameters are piecewise-linear
  in lambda, one set for rocket-body and one for spacecraft fragments (eqs. 5, 6);
- below 8 cm, chi is normal ``N(mu_soc, sigma_soc)`` for both classes (eq. 7);
- between 8 and 11 cm the model bridges the two. Implementations differ here. debriscope draws
  from the large-fragment distribution with probability ``w = (Lc - 0.08 m) / 0.03 m`` and from the
  small-fragment one otherwise, so at every Lc the distribution is a mixture of the model's own
  distributions, continuous at both ends (the ESA/TUM C++ code instead interpolates linearly
  between one value drawn from each, which gives neither distribution; the weight ``w`` is the same).

The mixture is sampled as a mixture (a component chosen with probability alpha, then a normal
draw). Some implementations (ESA/TUM C++, kesspy) compute ``alpha X1 + (1 - alpha) X2`` instead,
a single normal with a smaller spread that loses the bimodality of eqs. 5-6; debriscope does not.
The coefficients were checked against the ESA/TUM C++ implementation and two independent Python
implementations (MOCAT-style and a collision-only one); the C++ code has a sign slip in the
rocket-body sigma2 (``-0.28 - ...``) that debriscope does not copy.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtr, ndtri

OBJECT_CLASSES = ("rocket_body", "spacecraft")

#: Upper edge of the small-fragment regime and lower edge of the bridge, m (eq. 7).
SMALL_LC_M = 0.08
#: Lower edge of the bimodal regime and upper edge of the bridge, m (eqs. 5-6).
LARGE_LC_M = 0.11


def check_object_class(object_class: str, name: str = "object_class") -> str:
    """Return ``object_class`` if the model knows it, else raise naming the parameter."""
    if object_class not in OBJECT_CLASSES:
        raise ValueError(f"{name} = {object_class!r}: allowed: 'rocket_body', 'spacecraft'")
    return object_class


def _ramp(lam: NDArray, lo: float, hi: float, y_lo: float, y_hi: float, line: NDArray) -> NDArray:
    """``y_lo`` for lam <= lo, ``y_hi`` for lam >= hi, ``line`` in between (the model's piecewise form)."""
    return np.where(lam <= lo, y_lo, np.where(lam >= hi, y_hi, line))


def rocket_body_parameters(lam: ArrayLike) -> tuple[NDArray, NDArray, NDArray, NDArray, NDArray]:
    """``alpha, mu1, sigma1, mu2, sigma2`` of rocket-body fragments above 11 cm (Johnson et al. 2001, eq. 5)."""
    lam = np.asarray(lam, dtype=float)
    alpha = _ramp(lam, -1.4, 0.0, 1.0, 0.5, 1.0 - 0.3571 * (lam + 1.4))  # eq. 5, alpha_RB
    mu1 = _ramp(lam, -0.5, 0.0, -0.45, -0.9, -0.45 - 0.9 * (lam + 0.5))  # eq. 5, mu1_RB
    sigma1 = np.full_like(lam, 0.55)  # eq. 5, sigma1_RB
    mu2 = np.full_like(lam, -0.9)  # eq. 5, mu2_RB
    sigma2 = _ramp(lam, -1.0, 0.1, 0.28, 0.1, 0.28 - 0.1636 * (lam + 1.0))  # eq. 5, sigma2_RB
    return alpha, mu1, sigma1, mu2, sigma2


def spacecraft_parameters(lam: ArrayLike) -> tuple[NDArray, NDArray, NDArray, NDArray, NDArray]:
    """``alpha, mu1, sigma1, mu2, sigma2`` of spacecraft fragments above 11 cm (Johnson et al. 2001, eq. 6)."""
    lam = np.asarray(lam, dtype=float)
    alpha = _ramp(lam, -1.95, 0.55, 0.0, 1.0, 0.3 + 0.4 * (lam + 1.2))  # eq. 6, alpha_SC
    mu1 = _ramp(lam, -1.1, 0.0, -0.6, -0.95, -0.6 - 0.318 * (lam + 1.1))  # eq. 6, mu1_SC
    sigma1 = _ramp(lam, -1.3, -0.3, 0.1, 0.3, 0.1 + 0.2 * (lam + 1.3))  # eq. 6, sigma1_SC
    mu2 = _ramp(lam, -0.7, -0.1, -1.2, -2.0, -1.2 - 1.333 * (lam + 0.7))  # eq. 6, mu2_SC
    sigma2 = _ramp(lam, -0.5, -0.3, 0.5, 0.3, 0.5 - (lam + 0.5))  # eq. 6, sigma2_SC
    return alpha, mu1, sigma1, mu2, sigma2


def small_parameters(lam: ArrayLike) -> tuple[NDArray, NDArray]:
    """``mu_soc, sigma_soc`` of fragments below 8 cm, either class (Johnson et al. 2001, eq. 7)."""
    lam = np.asarray(lam, dtype=float)
    mu = _ramp(lam, -1.75, -1.25, -0.3, -1.0, -0.3 - 1.4 * (lam + 1.75))  # eq. 7, mu_soc
    sigma = np.where(lam <= -3.5, 0.2, 0.2 + 0.1333 * (lam + 3.5))  # eq. 7, sigma_soc
    return mu, sigma


def large_parameters(lam: ArrayLike, rocket_body: bool) -> tuple[NDArray, NDArray, NDArray, NDArray, NDArray]:
    """Eq. 5 for a rocket body, eq. 6 for a spacecraft."""
    return rocket_body_parameters(lam) if rocket_body else spacecraft_parameters(lam)


def bridge_weight(lc_m: ArrayLike) -> NDArray:
    """Probability of drawing from the large-fragment distribution: 0 below 8 cm, 1 above 11 cm,
    linear in Lc between (the bridge of Johnson et al. 2001 / Krisko 2011)."""
    lc = np.asarray(lc_m, dtype=float)
    return np.clip((lc - SMALL_LC_M) / (LARGE_LC_M - SMALL_LC_M), 0.0, 1.0)


def sample_log_am(rng: np.random.Generator, lc_m: ArrayLike, rocket_body: bool) -> NDArray:
    """Draw ``chi = log10(A/m [m^2/kg])`` for fragments of characteristic length ``lc_m``.

    Parameters
    ----------
    rng : numpy.random.Generator
    lc_m : array_like, shape (N,)
        Characteristic lengths, m.
    rocket_body : bool
        True for fragments of a rocket body (eq. 5), False for a spacecraft (eq. 6).

    Returns
    -------
    ndarray, shape (N,)
    """
    lc = np.asarray(lc_m, dtype=float)
    lam = np.log10(lc)
    n = lc.shape[0]
    u_regime, u_mode, z = rng.random(n), rng.random(n), rng.standard_normal(n)
    large = u_regime < bridge_weight(lc)  # below 8 cm never, above 11 cm always, bridge between
    chi = np.empty(n)
    lam_l, z_l = lam[large], z[large]
    alpha, mu1, sigma1, mu2, sigma2 = large_parameters(lam_l, rocket_body)
    first = u_mode[large] < alpha  # eqs. 5-6: mixture weight alpha on the first mode
    chi[large] = np.where(first, mu1 + sigma1 * z_l, mu2 + sigma2 * z_l)
    small = ~large
    mu_s, sigma_s = small_parameters(lam[small])
    chi[small] = mu_s + sigma_s * z[small]  # eq. 7
    return chi


def log_am_components(lc_m: ArrayLike, rocket_body: bool) -> tuple[NDArray, NDArray, NDArray]:
    """The law of chi at each Lc as a three-component normal mixture: weights, means, spreads.

    Components: eq. 7 with weight ``1 - w``, then the two modes of eq. 5/6 with weights ``w alpha`` and
    ``w (1 - alpha)``, ``w`` the bridge weight (0 below 8 cm, 1 above 11 cm). Arrays of shape (3, N).
    """
    lc = np.atleast_1d(np.asarray(lc_m, dtype=float))
    lam = np.log10(lc)
    w = bridge_weight(lc)
    alpha, mu1, sigma1, mu2, sigma2 = large_parameters(lam, rocket_body)  # eqs. 5-6
    mu_s, sigma_s = small_parameters(lam)  # eq. 7
    weights = np.stack([1.0 - w, w * alpha, w * (1.0 - alpha)])
    return weights, np.stack([mu_s, mu1, mu2]), np.stack([sigma_s, sigma1, sigma2])


def log_am_cdf(chi: ArrayLike, lc_m: float, rocket_body: bool) -> NDArray:
    """Distribution function of ``chi = log10(A/m)`` at one characteristic length (the law
    :func:`sample_log_am` draws from), for statistical checks and plots."""
    weights, mu, sigma = (c[:, 0] for c in log_am_components(lc_m, rocket_body))
    chi = np.asarray(chi, dtype=float)[..., None]
    return np.sum(weights * ndtr((chi - mu) / sigma), axis=-1)


def sample_log_am_above(
    rng: np.random.Generator, lc_m: ArrayLike, chi_min: ArrayLike, rocket_body: bool
) -> NDArray:
    """Draw chi from the law at each ``lc_m`` conditioned on ``chi >= chi_min`` (a lower-truncated draw).

    The truncated mixture is again a mixture: component ``k`` keeps weight ``w_k P_k(chi >= chi_min)``
    and becomes a normal truncated below, drawn by inverting its upper tail,
    ``z = -Phi^-1(v Phi(-z_min))`` with ``v`` uniform on (0, 1]. Where every tail underflows (more than
    ~37 sigma out) the draw is ``chi_min`` itself.
    """
    chi_min = np.asarray(chi_min, dtype=float)
    weights, mu, sigma = log_am_components(lc_m, rocket_body)
    n = chi_min.size
    tails = weights * ndtr((mu - chi_min) / sigma)  # w_k P_k(chi >= chi_min)
    total = tails.sum(axis=0)
    u_mode, v = rng.random(n), 1.0 - rng.random(n)
    cumulative = np.cumsum(tails, axis=0) / np.where(total > 0, total, 1.0)
    k = np.minimum(np.sum(u_mode > cumulative, axis=0), 2)
    cols = np.arange(n)
    mu_k, sigma_k = mu[k, cols], sigma[k, cols]
    z = -ndtri(v * ndtr(-(chi_min - mu_k) / sigma_k))
    chi = np.where((total > 0) & np.isfinite(z), mu_k + sigma_k * z, chi_min)
    return np.maximum(chi, chi_min)


def area_from_lc(lc_m: ArrayLike) -> NDArray:
    """Mean cross-sectional area of a fragment, m^2 (Johnson et al. 2001, eqs. 8-9).

    ``A = 0.540424 Lc^2`` for ``Lc < 1.67 mm`` (eq. 8), ``A = 0.556945 Lc^2.0047077`` otherwise (eq. 9).
    """
    lc = np.asarray(lc_m, dtype=float)
    return np.where(
        lc < 0.00167,
        0.540424 * lc**2,  # eq. 8
        0.556945 * lc**2.0047077,  # eq. 9
    )
