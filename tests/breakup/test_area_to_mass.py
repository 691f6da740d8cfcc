"""A/m distributions and the area law (Johnson et al. 2001, eqs. 5-9).

The reference distributions below are written out by hand from the published formulas at fixed
characteristic lengths (lambda = log10 Lc), independently of the package's piecewise code.
"""

import math

import numpy as np
import pytest
from scipy import stats

from debriscope.breakup.area_to_mass import area_from_lc, log_am_cdf, sample_log_am

#: KS tests: reject only below this p-value (a 1-in-1000 false alarm with a fixed seed: the seeds are
#: fixed, so a pass is reproducible; a wrong coefficient of 0.05 in a mean gives p << 1e-6 at n = 20000).
KS_P_MIN = 1e-3
N_DRAWS = 20_000


def _mixture_cdf(alpha, mu1, s1, mu2, s2):
    return lambda x: alpha * stats.norm.cdf(x, mu1, s1) + (1 - alpha) * stats.norm.cdf(x, mu2, s2)


def _hand_reference():
    """Published parameters evaluated by hand at fixed Lc."""
    lam = math.log10(0.095)  # -1.0223, inside the 8-11 cm bridge: weight (0.095-0.08)/0.03 = 0.5
    rb_bridge_large = _mixture_cdf(1 - 0.3571 * (lam + 1.4), -0.45, 0.55, -0.9, 0.28)  # eq. 5, lam <= -1 for sigma2
    small_bridge = stats.norm(-1.0, 0.2 + 0.1333 * (lam + 3.5)).cdf  # eq. 7, lam >= -1.25 for mu
    return {
        # Lc = 1 m (lambda = 0): eq. 5 alpha 0.5, mu1 -0.9, sigma1 0.55, mu2 -0.9, sigma2 0.28 - 0.1636
        ("rocket_body", 1.0): _mixture_cdf(0.5, -0.9, 0.55, -0.9, 0.28 - 0.1636),
        # eq. 6 at lambda = 0: alpha 0.3 + 0.4 * 1.2 = 0.78, mu1 -0.95, sigma1 0.3, mu2 -2.0, sigma2 0.3
        ("spacecraft", 1.0): _mixture_cdf(0.78, -0.95, 0.3, -2.0, 0.3),
        # Lc = 0.3 m (lambda = -0.5229): eq. 6 alpha 0.3 + 0.4 (lambda + 1.2), mu1 -0.6 - 0.318 (lambda + 1.1),
        # sigma1 0.1 + 0.2 (lambda + 1.3), mu2 -1.2 - 1.333 (lambda + 0.7) [lambda > -0.7], sigma2 0.5
        ("spacecraft", 0.3): _mixture_cdf(
            0.3 + 0.4 * (math.log10(0.3) + 1.2), -0.6 - 0.318 * (math.log10(0.3) + 1.1),
            0.1 + 0.2 * (math.log10(0.3) + 1.3), -1.2 - 1.333 * (math.log10(0.3) + 0.7), 0.5,
        ),
        # Lc = 1 cm (lambda = -2 <= -1.75): eq. 7 mu -0.3, sigma 0.2 + 0.1333 * 1.5 = 0.39995
        ("rocket_body", 0.01): stats.norm(-0.3, 0.39995).cdf,
        ("spacecraft", 0.01): stats.norm(-0.3, 0.39995).cdf,
        # Lc = 3 cm (lambda = -1.5229, on the slope): mu -0.3 - 1.4 (lambda + 1.75), sigma 0.2 + 0.1333 (lambda + 3.5)
        ("spacecraft", 0.03): stats.norm(
            -0.3 - 1.4 * (math.log10(0.03) + 1.75), 0.2 + 0.1333 * (math.log10(0.03) + 3.5)
        ).cdf,
        # the bridge at 9.5 cm: half eq. 5, half eq. 7
        ("rocket_body", 0.095): lambda x: 0.5 * rb_bridge_large(x) + 0.5 * small_bridge(x),
    }


@pytest.mark.parametrize("object_class, lc", list(_hand_reference()))
def test_sample_matches_the_analytic_distribution(object_class, lc):
    reference = _hand_reference()[(object_class, lc)]
    rng = np.random.default_rng(1234)
    chi = sample_log_am(rng, np.full(N_DRAWS, lc), object_class == "rocket_body")
    assert stats.kstest(chi, reference).pvalue > KS_P_MIN
    grid = np.linspace(-3.5, 1.5, 51)
    np.testing.assert_allclose(log_am_cdf(grid, lc, object_class == "rocket_body"), reference(grid), atol=1e-12)


def test_bimodal_mixture_is_not_a_weighted_sum():
    # eq. 6 at 1 m is bimodal (modes at -0.95 and -2.0): about 22 % of draws lie below -1.6.
    # A weighted sum alpha X1 + (1 - alpha) X2 (a single normal about -1.18) would put under 1 % there.
    chi = sample_log_am(np.random.default_rng(5), np.full(N_DRAWS, 1.0), False)
    expected = 0.78 * stats.norm.cdf(-1.6, -0.95, 0.3) + 0.22 * stats.norm.cdf(-1.6, -2.0, 0.3)
    assert np.mean(chi < -1.6) == pytest.approx(expected, abs=5 * math.sqrt(expected * (1 - expected) / N_DRAWS))
    assert expected > 0.2


def test_bridge_ends_join_the_neighbouring_regimes():
    for rb in (True, False):
        grid = np.linspace(-3, 1, 41)
        assert np.allclose(log_am_cdf(grid, 0.08, rb), stats.norm.cdf(grid, -1.0, 0.2 + 0.1333 * (math.log10(0.08) + 3.5)))
        assert np.allclose(log_am_cdf(grid, 0.11, rb), log_am_cdf(grid, 0.110001, rb), atol=1e-4)


def test_area_law():
    # eq. 8 below 1.67 mm, eq. 9 above
    assert area_from_lc(0.001) == pytest.approx(0.540424e-6, rel=1e-12)
    assert area_from_lc(1.0) == pytest.approx(0.556945, rel=1e-12)
    assert area_from_lc(2.0) == pytest.approx(0.556945 * 2**2.0047077, rel=1e-12)
    # the two branches meet at 1.67 mm to 1e-4 (hand: 1.50718e-6 vs 1.50711e-6 m^2)
    below, above = area_from_lc(np.nextafter(0.00167, 0)), area_from_lc(0.00167)
    assert above == pytest.approx(below, rel=1e-4)


@pytest.mark.parametrize("object_class, lc, chi_min", [
    ("spacecraft", 1.0, -1.6),   # cuts into the low-A/m mode of eq. 6
    ("spacecraft", 0.3, -0.8),
    ("rocket_body", 2.0, -0.5),  # far in the upper tail of eq. 5
    ("rocket_body", 0.095, -1.2),  # the 8-11 cm bridge: three components
])
def test_truncated_draw_follows_the_truncated_law(object_class, lc, chi_min):
    from debriscope.breakup.area_to_mass import sample_log_am_above

    rb = object_class == "rocket_body"
    chi = sample_log_am_above(np.random.default_rng(11), np.full(N_DRAWS, lc), np.full(N_DRAWS, chi_min), rb)
    assert chi.min() >= chi_min
    below = float(log_am_cdf(chi_min, lc, rb))
    truncated = lambda x: (log_am_cdf(x, lc, rb) - below) / (1.0 - below)  # noqa: E731
    assert stats.kstest(chi, truncated).pvalue > KS_P_MIN


def test_truncated_draw_beyond_every_tail_is_the_bound():
    from debriscope.breakup.area_to_mass import sample_log_am_above

    chi = sample_log_am_above(np.random.default_rng(1), np.array([1.0, 0.05]), np.array([40.0, 3.0]), False)
    assert np.all(np.isfinite(chi)) and np.all(chi >= [40.0, 3.0]) and chi[0] == 40.0
