"""Gibbs and Herrick-Gibbs against Vallado's worked examples; the f-g series against exact Kepler."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from debriscope.elements import elements_to_rv, mean_to_true, rv_to_elements
from debriscope.tracking.iod import fg_series_fit, gibbs, herrick_gibbs, three_position_state

MU_VALLADO_KM = 398600.4418e9
"""mu used in Vallado's examples (km^3/s^2 -> m^3/s^2)."""
GIBBS_BOOK_TOL_MPS = 0.06
"""Example 7-3 prints v2 to 0.1 m/s: half a printed digit plus rounding."""
HG_BOOK_TOL_MPS = 0.002
"""Example 7-4 prints v2 to 1 mm/s."""
FG_TOL_M, FG_TOL_MPS = 1.0, 1.0
"""f-g series truncation over arcs up to 5 min (error grows as tau^5)."""


def test_gibbs_vallado_example_7_3():
    # Vallado 2013, Fundamentals of Astrodynamics and Applications, 4th ed., example 7-3:
    # v2 = 0.0 I + 5.5311 J - 5.1918 K km/s (printed to 0.1 m/s).
    r1 = np.array([0.0, 0.0, 6378.137]) * 1e3
    r2 = np.array([0.0, -4464.696, -5102.509]) * 1e3
    r3 = np.array([0.0, 5740.323, 3189.068]) * 1e3
    res = gibbs(r1, r2, r3, MU_VALLADO_KM)
    np.testing.assert_allclose(res.v2_mps, [0.0, 5531.1, -5191.8], atol=GIBBS_BOOK_TOL_MPS)
    assert abs(res.coplanarity_rad) < 1e-9  # the three vectors lie in the y-z plane


def test_herrick_gibbs_vallado_example_7_4():
    # Vallado 2013, example 7-4: times 0, 1 min 16.48 s, 2 min 33.04 s;
    # v2 = -6.441557 I + 3.777559 J - 1.720567 K km/s (printed to 1 mm/s).
    r1 = np.array([3419.85564, 6019.82602, 2784.60022]) * 1e3
    r2 = np.array([2935.91195, 6326.18324, 2660.59584]) * 1e3
    r3 = np.array([2434.95202, 6597.38674, 2521.52311]) * 1e3
    res = herrick_gibbs(r1, r2, r3, 0.0, 76.48, 153.04, MU_VALLADO_KM)
    np.testing.assert_allclose(res.v2_mps, [-6441.557, 3777.559, -1720.567], atol=HG_BOOK_TOL_MPS)


def _kepler_positions(times_s: np.ndarray, e: float, a_m: float = 6.9e6) -> tuple[np.ndarray, np.ndarray]:
    """Exact two-body positions by Kepler's equation (independent of the integrator)."""
    n = np.sqrt(MU_VALLADO_KM / a_m**3)
    nu = mean_to_true(0.3 + n * times_s, e)
    r, v = elements_to_rv(a_m, e, np.radians(64.9), 0.5, 0.7, nu, mu=MU_VALLADO_KM)
    return r, v


@settings(max_examples=20, deadline=None)
@given(e=st.floats(0.0, 0.1), span=st.floats(20.0, 300.0))
def test_fg_series_recovers_kepler_velocity(e, span):
    # Short arcs: the 4th-order f-g series fit returns the exact velocity to within 1 m/s for arcs
    # up to 5 min (a fifth of a radian of a LEO orbit); the truncation error grows as tau^5.
    t = np.linspace(0.0, span, 7)
    r, v = _kepler_positions(t, e)
    state = fg_series_fit(t, r, t0_s=t[3], mu=MU_VALLADO_KM)
    np.testing.assert_allclose(state[:3], r[:, 3], atol=FG_TOL_M)
    np.testing.assert_allclose(state[3:], v[:, 3], atol=FG_TOL_MPS)


def test_fg_series_two_positions_is_short_arc_lambert():
    t = np.array([0.0, 90.0])
    r, v = _kepler_positions(t, 0.02)
    state = fg_series_fit(t, r, t0_s=0.0, mu=MU_VALLADO_KM)
    np.testing.assert_allclose(state[3:], v[:, 0], atol=FG_TOL_MPS)


def test_three_position_state_switches_to_gibbs_for_wide_spacing():
    t = np.array([0.0, 600.0, 1200.0])  # about 40 deg apart: Gibbs
    r, v = _kepler_positions(t, 0.05)
    t2, state = three_position_state(t, r, MU_VALLADO_KM)
    assert t2 == 600.0
    np.testing.assert_allclose(state[3:], v[:, 1], rtol=1e-9)  # Gibbs is exact for two-body
    el = rv_to_elements(state[:3], state[3:], MU_VALLADO_KM)
    assert abs(el.e[0] - 0.05) < 1e-9
