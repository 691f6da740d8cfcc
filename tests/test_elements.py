"""Orbital elements: Vallado 2013 example 2-5 and round trips (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from debriscope import elements as el

MU_VALLADO = 398600.4418e9  # m^3/s^2, the value of Vallado's examples


def test_vallado_example_2_5():
    # Vallado 2013, example 2-5 (RV2COE): a = 36127.343 km, e = 0.832853, i = 87.870 deg,
    # RAAN = 227.898 deg, argp = 53.38 deg, nu = 92.335 deg.
    r = np.array([6524.834, 6862.875, 6448.296]) * 1e3
    v = np.array([4.901327, 5.533756, -1.976341]) * 1e3
    e = el.rv_to_elements(r, v, mu=MU_VALLADO)
    assert e.a_m[0] / 1e3 == pytest.approx(36127.343, abs=0.01)
    assert e.e[0] == pytest.approx(0.832853, abs=1e-6)
    deg = np.degrees([e.i_rad[0], e.raan_rad[0], e.argp_rad[0], e.nu_rad[0]])
    assert deg == pytest.approx([87.870, 227.898, 53.38, 92.335], abs=0.005)


@given(
    st.floats(6.6e6, 4.5e7),
    st.floats(0.001, 0.9),
    st.floats(0.01, 3.13),
    st.floats(0, 6.28),
    st.floats(0, 6.28),
    st.floats(0, 6.28),
)
def test_round_trip(a, e, i, raan, argp, nu):
    r, v = el.elements_to_rv(a, e, i, raan, argp, nu)
    back = el.rv_to_elements(r, v)
    r2, v2 = el.elements_to_rv(*back)
    assert np.allclose(r2, r, atol=1e-4 * max(1.0, a / 7e6))
    assert np.allclose(v2, v, atol=1e-7 * max(1.0, a / 7e6) * 1e3)
    assert back.a_m[0] == pytest.approx(a, rel=1e-9)
    assert back.e[0] == pytest.approx(e, abs=1e-9)


@given(st.floats(0, 6.28), st.floats(0, 0.95))
def test_kepler_equation(m, e):
    nu = el.mean_to_true(m, e)
    assert float(el.true_to_mean(nu, e)) == pytest.approx(np.mod(m, 2 * np.pi), abs=1e-9) or abs(
        float(el.true_to_mean(nu, e)) - np.mod(m, 2 * np.pi)
    ) > 2 * np.pi - 1e-9


def test_apsides():
    a, e = el.apsides_to_a_e(180e3, 485e3)
    apo, peri = el.apsis_altitudes_m(a, e)
    assert (apo, peri) == pytest.approx((485e3, 180e3))
    assert el.period_s(a) / 60 == pytest.approx(91.0, abs=0.3)  # ~91 min for 180 x 485 km
