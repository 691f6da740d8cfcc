"""NASA SEM: published limits, table, continuity and inversion (Stokely et al. 2006, JSC-62815)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from debriscope.sensors.sem import SEM_MIE_X, SEM_MIE_Z, rcs_from_size_m2, sem_z_from_x, size_from_rcs_m

TABLE_JOIN_RTOL = 3e-3
"""The Rayleigh and optical laws meet table 1's end points within 0.25 % (JSC-62815 table 1)."""


def test_rayleigh_law_below_the_table():
    x = np.array([1e-3, 0.01, 0.05, 0.1])
    assert np.allclose(sem_z_from_x(x), 9 * np.pi**5 * x**6 / 4, rtol=1e-14)


def test_optical_law_above_the_table():
    # a 10 m object at 3 cm wavelength reflects its disc area pi d^2 / 4
    assert np.isclose(rcs_from_size_m2(10.0, 0.03), np.pi * 100 / 4, rtol=1e-14)


def test_table_points_are_reproduced():
    assert np.allclose(sem_z_from_x(SEM_MIE_X), SEM_MIE_Z, rtol=1e-12)


def test_limits_meet_the_table_continuously():
    rayleigh_end = 9 * np.pi**5 * SEM_MIE_X[0] ** 6 / 4
    optical_start = np.pi * SEM_MIE_X[-1] ** 2 / 4
    assert abs(rayleigh_end / SEM_MIE_Z[0] - 1) < TABLE_JOIN_RTOL
    assert abs(optical_start / SEM_MIE_Z[-1] - 1) < TABLE_JOIN_RTOL
    eps = 1e-9
    for x0 in (SEM_MIE_X[0], SEM_MIE_X[-1]):
        lo, hi = sem_z_from_x(np.array([x0 * (1 - eps), x0 * (1 + eps)]))
        assert abs(hi / lo - 1) < TABLE_JOIN_RTOL


def test_curve_is_increasing():
    x = np.geomspace(1e-3, 100, 5000)
    assert np.all(np.diff(sem_z_from_x(x)) > 0)


@given(st.floats(min_value=1e-3, max_value=50.0), st.sampled_from([0.03, 0.23, 0.68, 1.0]))
def test_size_rcs_round_trip(lc_m, wavelength_m):
    rcs = rcs_from_size_m2(lc_m, wavelength_m)
    assert np.isclose(size_from_rcs_m(rcs, wavelength_m), lc_m, rtol=1e-9)
