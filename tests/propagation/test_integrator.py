"""The fast mode's integrator: Runge-Kutta-Nystrom steps through drag, the final plunge, the
averaged phase's pre-screen."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from debriscope.propagation import Status, force_model_from_parameters, kernels, predict_decay
from debriscope.propagation.fast import _grid_for, on_threads
from debriscope.scenario.models import truth_parameters
from debriscope.scenario.options import PropagationOptions

from .conftest import common_case_state

MU = 3.986004418e14


def semi_major_axis(y: np.ndarray) -> float:
    r = np.linalg.norm(y[:3])
    return 1.0 / (2.0 / r - float(y[3:] @ y[3:]) / MU)


@pytest.fixture
def exponential_field(t0_tt_s):
    """The kernels' inputs for the exponential atmosphere (smooth in height), drag on."""
    model = force_model_from_parameters(truth_parameters(PropagationOptions(atmosphere="exponential")), t0_tt_s)
    grid, alt, lut, gax, k0 = _grid_for(model, t0_tt_s, t0_tt_s + 86400.0)
    return model, (model.kernel_params(k0), grid, alt, lut, gax)


def test_nystrom_step_follows_the_drag_of_a_perigee_pass(t0_tt_s, exponential_field):
    """Half a revolution from perigee (180 x 485 km, A/m 0.13, exponential atmosphere): the fast
    kernel at its 60 s step ends within 2 m in a of DOP853 (rtol 1e-12) on the same right-hand
    side (measured 0.7 m), while drag lowers a by 4.0 km. Classical RK4 at 60 s, whose stage
    positions miss the path by kilometres, is 39 m off on the same arc (checked below, so that
    this test can tell the two apart)."""
    model, field = exponential_field
    prm = field[0]
    cd_am = model.cd * 0.13
    y0 = common_case_state()[:, 0]
    span = 1800.0

    def rhs(t, y):
        dy = np.empty(6)
        kernels._deriv(t, y, dy, cd_am, prm, *field[1:])
        return dy

    exact = solve_ivp(rhs, (t0_tt_s, t0_tt_s + span), y0, method="DOP853", rtol=1e-12, atol=1e-6).y[:, -1]
    states = np.array([y0])
    status, decay = np.zeros(1, dtype=np.int64), np.full(1, np.nan)
    on_threads(kernels.numerical_advance, t0_tt_s, t0_tt_s + span, states, np.ones(1, dtype=np.bool_),
               np.array([cd_am]), *field, 60.0, 100e3, status, decay, 0, 0.0, 0.0)
    assert status[0] == Status.OK
    assert abs(semi_major_axis(states[0]) - semi_major_axis(exact)) < 2.0

    y, t, h = y0.copy(), t0_tt_s, 60.0  # classical RK4, the control
    while t < t0_tt_s + span - 1e-6:
        k1 = rhs(t, y)
        k2 = rhs(t + h / 2, y + h / 2 * k1)
        k3 = rhs(t + h / 2, y + h / 2 * k2)
        k4 = rhs(t + h, y + h * k3)
        y, t = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4), t + h
    assert abs(semi_major_axis(y) - semi_major_axis(exact)) > 10.0


def steep_descent_state() -> np.ndarray:
    """A fragment thrown downwards at 180 km: radial -1.2 km/s, 7.4 km/s across, 64.9 deg plane."""
    r = 6378137.0 + 180e3
    inc = np.radians(64.9)
    return np.array([r, 0.0, 0.0, -1200.0, 7400.0 * np.cos(inc), 7400.0 * np.sin(inc)])[:, None]


def test_steep_descent_decays_at_the_default_step(t0_tt_s):
    """A 60 s step from 180 km at -1.2 km/s would put the step's later stages tens of km deep,
    where drag on A/m 1.7 m^2/kg acts on a time scale of seconds (without the plunge limit the
    state blew up and the object was never declared decayed). With it, the decay epoch agrees
    with a 1 s step to within 1 s."""
    epochs = {}
    for step in (60.0, 1.0):
        model = force_model_from_parameters(truth_parameters(PropagationOptions(decay_step_s=step)), t0_tt_s)
        res = predict_decay(steep_descent_state(), t0_tt_s, [1.7], model, max_days=1)
        assert res.status[0] == Status.DECAYED
        epochs[step] = res.decay_tt_s[0] - t0_tt_s
    assert 10.0 < epochs[1.0] < 300.0
    assert epochs[60.0] == pytest.approx(epochs[1.0], abs=1.0)


def test_plunge_step_limits_only_where_a_step_can_reach_the_dense_atmosphere(t0_tt_s, exponential_field):
    model, field = exponential_field
    prm, rest = field[0], field[1:]
    high = common_case_state(400.0, 500.0)[:, 0]  # 400 km perigee: untouched
    assert kernels.plunge_step(t0_tt_s, high, 400e3, 60.0, 2.2, prm, *rest) == 60.0
    steep = steep_descent_state()[:, 0]  # 10 km of descent at 1.2 km/s: 8.3 s
    assert kernels.plunge_step(t0_tt_s, steep, 180e3, 60.0, 2.2, prm, *rest) == pytest.approx(10e3 / 1200.0)
    low = common_case_state(110.0, 120.0)[:, 0]  # drag time scale at 110 km, A/m 1: ~1e3 s
    rho = model.grid.density_kg_m3(t0_tt_s, 110.0, 0.0, 0.0)[0]
    v_rel = np.linalg.norm(low[3:] - np.cross([0, 0, prm[kernels.P_OMEGA]], low[:3]))
    expected = min(60.0, kernels.PLUNGE_STEP_FRACTION * 2.0 / (2.2 * rho * v_rel))
    assert kernels.plunge_step(t0_tt_s, low, 110e3, 60.0, 2.2, prm, *rest) == pytest.approx(expected, rel=0.01)


def test_fast_decaying_objects_skip_the_averaged_phase(t0_tt_s):
    """The pre-screen sends an object whose perigee falls by kilometres per revolution (A/m 1 at
    180 x 485 km: 3.8 km) straight to the numerical kernel, without computing mean elements, at
    twice the step (its a falls by more than ``COARSE_DA_M`` per revolution: kernels, point 4),
    and keeps a slowly decaying one (A/m 0.005: 16 m) in the averaged phase. The pre-screened
    object's decay epoch is the one with the averaged phase off at that step, to the bit."""
    model = force_model_from_parameters(truth_parameters(PropagationOptions(decay_step_s=30.0)), t0_tt_s)
    grid, alt, lut, gax, k0 = _grid_for(model, t0_tt_s, t0_tt_s + 2 * 86400.0)
    prm = model.kernel_params(k0)
    state = common_case_state(n=2)
    aux = np.zeros((2, kernels.AUX_SIZE))
    aux[:, kernels.AUX_T] = t0_tt_s
    status, decay = np.zeros(2, dtype=np.int64), np.full(2, np.nan)
    on_threads(kernels.averaged_advance, t0_tt_s + 600.0, np.ascontiguousarray(state.T), aux,
               np.ones(2, dtype=np.bool_), model.cd * np.array([1.0, 0.005]), prm, grid, alt, lut, gax, 30.0, 100e3,
               status, decay)
    assert aux[0, kernels.AUX_MODE] == kernels.MODE_FINAL and np.all(aux[0, kernels.AUX_MEAN:kernels.AUX_MEAN + kernels.N_MEAN] == 0.0)  # no mean elements
    assert aux[0, kernels.AUX_STEP_FACTOR] == kernels.COARSE_STEP_FACTOR == 2.0
    assert aux[1, kernels.AUX_MODE] == kernels.MODE_AVERAGED and aux[1, kernels.AUX_MEAN] == pytest.approx(6.71e6, rel=0.01)
    averaged = predict_decay(state[:, :1], t0_tt_s, [1.0], model, max_days=2)
    numerical = predict_decay(state[:, :1], t0_tt_s, [1.0], force_model_from_parameters(truth_parameters(PropagationOptions(averaged=False, step_s=60.0)), t0_tt_s), max_days=2)
    assert averaged.status[0] == Status.DECAYED
    assert averaged.decay_tt_s[0] == numerical.decay_tt_s[0]
