"""Gravity and drag: gradient of the potential, Kepler limit, J2 secular rates, energy decay."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debriscope.constants import J2, J3, J4, MU_EARTH_M3_S2, R_EARTH_GRAVITY_M
from debriscope.elements import elements_to_rv, mean_to_true, period_s, rv_to_elements
from debriscope.propagation import ConstantIndices, ForceModel, Nrlmsis, Status, kernels, propagate
from debriscope.propagation.snapshots import snapshot_tables, window_times


def _potential(r: np.ndarray) -> float:
    """Zonal potential U = mu/r [1 - sum J_n (R/r)^n P_n(z/r)] (Montenbruck & Gill 2000 eq. 3.33)."""
    rn = np.linalg.norm(r)
    s = r[2] / rn
    p = {2: 0.5 * (3 * s**2 - 1), 3: 0.5 * (5 * s**3 - 3 * s), 4: (35 * s**4 - 30 * s**2 + 3) / 8}
    q = R_EARTH_GRAVITY_M / rn
    return MU_EARTH_M3_S2 / rn * (1 - J2 * q**2 * p[2] - J3 * q**3 * p[3] - J4 * q**4 * p[4])


@pytest.mark.parametrize("r", [[6.7e6, 1.0e5, 2.0e6], [1e6, -3e6, -6.0e6], [7.0e6, 0.0, 0.0]])
def test_acceleration_is_gradient_of_zonal_potential(r):
    """Independent check: central differences of U (step 100 m; rounding and truncation errors
    both ~1e-9 m/s^2) agree to 1e-8 m/s^2, far below the J3/J4 terms (~1e-5 m/s^2)."""
    r = np.array(r, dtype=float)
    model = ForceModel(zonal_degree=4, drag=False)
    acc = np.empty(3)
    kernels.acceleration(0.0, np.concatenate([r, np.zeros(3)]), acc, 0.0, model.kernel_params(),
                         np.zeros((1, 2, 2, 2)), np.array([0.0, 1.0]), np.zeros(2, dtype=np.int64), np.ones(3))
    grad = np.array([(_potential(r + d) - _potential(r - d)) / 200.0 for d in 100.0 * np.eye(3)])
    np.testing.assert_allclose(acc, grad, rtol=0, atol=1e-8)


def test_zero_duration_returns_input(state0, t0_tt_s):
    model = ForceModel(zonal_degree=4, drag=False)
    eph = propagate(state0, t0_tt_s, [t0_tt_s], [0.01], model)
    np.testing.assert_array_equal(eph.states[0], state0)
    assert eph.status[0] == Status.OK


def test_no_drag_no_j2_is_kepler_to_metres_over_a_day(t0_tt_s):
    """Two-body: after one day the position matches Kepler's equation to 5 m (RK4 at 10 s)."""
    a, e, i, raan, argp = 6.378e6 + 400e3, 0.01, 1.0, 0.3, 0.7
    r0, v0 = elements_to_rv(a, e, i, raan, argp, 0.0)
    model = ForceModel(zonal_degree=0, drag=False, step_s=5.0)
    eph = propagate(np.vstack([r0, v0]), t0_tt_s, [t0_tt_s + 86400.0], [0.0], model)
    n = np.sqrt(MU_EARTH_M3_S2 / a**3)

    nu = mean_to_true(n * 86400.0, e)
    r1, _ = elements_to_rv(a, e, i, raan, argp, nu)
    assert np.linalg.norm(eph.states[0, :3, 0] - r1[:, 0]) < 5.0


def test_j2_secular_rates_match_analytic(t0_tt_s):
    """Node and perigee drift over 2 days vs Vallado (2013) eqs. 9-41 and 9-42 (first order J2),
    from mean elements; tolerance 1 % of the drift (second-order terms are ~J2 ~ 0.1 %)."""
    a, e, i = 6.378e6 + 600e3, 0.02, np.radians(50.0)
    r0, v0 = elements_to_rv(a, e, i, 1.0, 1.0, 0.0)
    model = ForceModel(zonal_degree=2, drag=False, step_s=10.0)
    epochs = np.array([t0_tt_s, t0_tt_s + 2 * 86400.0])
    eph = propagate(np.vstack([r0, v0]), t0_tt_s, window_times(epochs), [0.0], model)
    k = eph.times_tt_s.size // 2
    m0 = [t for t in snapshot_tables(np.array([1]), "x", eph.states[:k]) if t["kind"][0] == "mean"][0]
    m1 = [t for t in snapshot_tables(np.array([1]), "x", eph.states[k:]) if t["kind"][0] == "mean"][0]
    am, em, im = m0["a_m"][0], m0["e"][0], np.radians(m0["inclination_deg"][0])
    n = np.sqrt(MU_EARTH_M3_S2 / am**3)
    p = am * (1 - em**2)
    k2 = 1.5 * n * J2 * (R_EARTH_GRAVITY_M / p) ** 2
    raan_rate = -k2 * np.cos(im)  # Vallado 2013 eq. 9-41
    argp_rate = 0.5 * k2 * (5 * np.cos(im) ** 2 - 1)  # Vallado 2013 eq. 9-42 (= 3/4 n J2 (R/p)^2 ...)
    draan = np.radians(m1["raan_deg"][0] - m0["raan_deg"][0])
    dargp = np.radians((m1["argp_deg"][0] - m0["argp_deg"][0] + 180) % 360 - 180)
    assert draan == pytest.approx(raan_rate * 2 * 86400.0, rel=0.01)
    assert dargp == pytest.approx(argp_rate * 2 * 86400.0, rel=0.01)


def test_energy_decays_monotonically_with_drag(state0, t0_tt_s):
    """Specific energy v^2/2 - mu/r + zonal terms, sampled every 10 min over 6 h, never rises."""
    model = ForceModel(zonal_degree=2, atmosphere=Nrlmsis("2.1", ConstantIndices(85.0, 15.0)),
                       t_ref_tt_s=t0_tt_s)
    times = t0_tt_s + np.arange(0, 6 * 3600 + 1, 600.0)
    eph = propagate(state0, t0_tt_s, times, [0.02], model)
    r = eph.states[:, :3, 0]
    v = eph.states[:, 3:, 0]
    rn = np.linalg.norm(r, axis=1)
    s = r[:, 2] / rn
    u = MU_EARTH_M3_S2 / rn * (1 - J2 * (R_EARTH_GRAVITY_M / rn) ** 2 * 0.5 * (3 * s**2 - 1))
    energy = 0.5 * np.sum(v**2, axis=1) - u
    assert np.all(np.diff(energy) < 0)
    el = rv_to_elements(r[-1], v[-1])
    assert period_s(el.a_m)[0] < period_s(rv_to_elements(r[0], v[0]).a_m)[0]


@settings(max_examples=300, deadline=None)
@given(st.floats(-1e7, 1e7), st.floats(-1e7, 1e7))
def test_fast_atan2_matches_libm(y, x):
    """The density look-up's atan2 (polynomial, octant-reduced) is within 4.1e-8 rad of libm's in
    every quadrant and on the axes (0 at the origin, as the look-up needs no value there)."""
    import math

    expected = math.atan2(y, x) if (x, y) != (0.0, 0.0) else 0.0
    got = kernels.atan2_fast(y, x)
    assert abs(got - expected) < 4.2e-8 or abs(abs(got - expected) - 2 * math.pi) < 4.2e-8


def test_kernel_drag_reads_the_density_grid_as_its_python_lookup(t0_tt_s):
    """The kernels read the grid through raw data addresses (``kernels.field``); the drag they
    apply at seeded random states and times gives back the density of the grid's own look-up
    (``DensityGrid.density_kg_m3``, indexed by the arrays) to 1e-6: the flat offsets, the altitude
    cell table and the time interpolation agree with the array indexing (the kernels' polynomial
    atan2 moves latitude and local time by < 4.2e-8 rad)."""
    from debriscope.propagation import force_model_from_parameters
    from debriscope.propagation.fast import _grid_for
    from debriscope.scenario.models import truth_parameters
    from debriscope.scenario.options import PropagationOptions

    model = force_model_from_parameters(truth_parameters(PropagationOptions()), t0_tt_s)
    grid, alt, lut, gax, k0 = _grid_for(model, t0_tt_s, t0_tt_s + 86400.0)
    prm = model.kernel_params(k0)
    no_drag = prm.copy()
    no_drag[8] = 0.0
    omega, cd_am = prm[kernels.P_OMEGA], 2.2
    rng = np.random.default_rng(3)
    for _ in range(40):
        t = t0_tt_s + rng.uniform(0.0, 86400.0)
        r = rng.normal(size=3)
        r *= (6.4e6 + rng.uniform(80e3, 500e3)) / np.linalg.norm(r)
        v = rng.normal(size=3) * 4.5e3
        a_drag, a_grav = np.empty(3), np.empty(3)
        kernels.acceleration(t, np.concatenate([r, v]), a_drag, cd_am, prm, grid, alt, lut, gax)
        kernels.acceleration(t, np.concatenate([r, v]), a_grav, cd_am, no_drag, grid, alt, lut, gax)
        v_rel = v - np.cross([0.0, 0.0, omega], r)
        rho = np.linalg.norm(a_drag - a_grav) / (0.5 * cd_am * float(v_rel @ v_rel))
        lat_rad, h_m = kernels.geodetic(*r)
        lon_deg = np.degrees(np.arctan2(r[1], r[0]) - (prm[kernels.P_THETA_REF] + omega * (t - prm[kernels.P_T_REF])))
        expected = model.grid.density_kg_m3(t, h_m / 1e3, np.degrees(lat_rad), lon_deg)[0]
        assert rho == pytest.approx(expected, rel=1e-6)


def test_density_slope_is_the_lookups_height_derivative(t0_tt_s):
    """Stage 4 of the Nystrom step carries the density looked up at the step's end to its own
    height with the slope of ``kernels.log_density_at``: at seeded random points that slope is the
    derivative along the height of the grid's own look-up (``DensityGrid.density_kg_m3``; central
    difference over +-0.5 m inside the altitude cell) to 1e-6, and its ln(rho) is that look-up's."""
    import numba

    from debriscope.propagation import force_model_from_parameters
    from debriscope.propagation.fast import _grid_for
    from debriscope.scenario.models import truth_parameters
    from debriscope.scenario.options import PropagationOptions

    @numba.njit
    def log_density(t, r, prm, grid, alt, lut, gax):
        P, F = kernels.field(prm, grid, alt, lut, gax)
        num, den, _, h = kernels.geodetic_sc(r[0], r[1], r[2])
        return kernels.log_density_at(t, r[0], r[1], num, den, h, P, F)

    model = force_model_from_parameters(truth_parameters(PropagationOptions()), t0_tt_s)
    grid, alt, lut, gax, k0 = _grid_for(model, t0_tt_s, t0_tt_s + 86400.0)
    prm = model.kernel_params(k0)
    rng = np.random.default_rng(5)
    checked = 0
    for _ in range(40):
        t = t0_tt_s + rng.uniform(0.0, 86400.0)
        r = rng.normal(size=3)
        r *= (6.4e6 + rng.uniform(100e3, 600e3)) / np.linalg.norm(r)
        lnrho, slope = log_density(t, r, prm, grid, alt, lut, gax)
        lat_rad, h_m = kernels.geodetic(*r)
        lon_deg = np.degrees(np.arctan2(r[1], r[0]) - (prm[kernels.P_THETA_REF] + prm[kernels.P_OMEGA] * (t - prm[kernels.P_T_REF])))
        h_km = h_m / 1e3 + np.array([-0.5e-3, 0.0, 0.5e-3])
        if len(set(np.searchsorted(alt, h_km))) > 1:
            continue  # the +-0.5 m straddle a node
        ln_py = np.log(model.grid.density_kg_m3(t, h_km, np.degrees(lat_rad), lon_deg))
        assert lnrho == pytest.approx(ln_py[1], abs=1e-6)
        assert slope == pytest.approx((ln_py[2] - ln_py[0]) / 1.0, rel=1e-6)
        assert slope < 0.0
        checked += 1
    assert checked > 35


def test_kernels_refuse_a_strided_grid():
    """The raw reads assume C-contiguous float64/int64 arrays: any other layout is a typing error
    that says so, never a wrong read."""
    from numba.core.errors import TypingError

    model = ForceModel(zonal_degree=4, drag=False)
    strided = np.zeros((2, 2, 4, 2))[:, :, ::2, :]
    with pytest.raises(TypingError, match="C-contiguous"):
        kernels.acceleration(0.0, np.array([7e6, 0.0, 0.0, 0.0, 7.5e3, 0.0]), np.empty(3), 0.0,
                             model.kernel_params(), strided, np.array([0.0, 1.0]), np.zeros(2, dtype=np.int64),
                             np.ones(3))


def test_make_force_model_takes_numbers_and_an_atmosphere(t0_tt_s):
    """The Earth angle is GMST82 at the start given; no atmosphere is kept without drag; a start that
    is not a number is refused before any work."""
    from debriscope.frames import gmst82_rad
    from debriscope.propagation import Exponential, make_force_model

    model = make_force_model(t0_tt_s, Exponential(), cd=2.0, zonal_degree=2)
    assert (model.cd, model.zonal_degree, model.atmosphere) == (2.0, 2, Exponential())
    assert model.earth_angle_rad(t0_tt_s) == pytest.approx(float(np.ravel(gmst82_rad(t0_tt_s))[0]), abs=1e-12)
    assert make_force_model(t0_tt_s, Exponential(), drag=False).atmosphere is None
    with pytest.raises(ValueError, match="t_start_tt_s"):
        make_force_model(float("nan"), Exponential())
    with pytest.raises(ValueError, match="drag needs an atmosphere"):
        make_force_model(t0_tt_s, None)
