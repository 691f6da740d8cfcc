"""Fragments that leave Earth orbit get Status.ESCAPED, are not integrated, and never reach an
element conversion that assumes an ellipse (issue 20, defect 7)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debriscope.constants import MU_EARTH_M3_S2, R_SOI_EARTH_M
from debriscope.elements import leaves_earth_orbit, rv_to_elements, true_to_mean
from debriscope.propagation import Status, force_model_from_parameters, predict_decay, propagate
from debriscope.scenario.models import truth_parameters
from debriscope.scenario.options import PropagationOptions

R0 = 6_378_137.0 + 800e3  # 800 km, as the catastrophic collision
V_CIRC = np.sqrt(MU_EARTH_M3_S2 / R0)
V_ESC = np.sqrt(2.0 * MU_EARTH_M3_S2 / R0)


def _states(speeds_mps):
    n = len(speeds_mps)
    return np.vstack([np.full(n, R0), np.zeros(n), np.zeros(n), np.zeros(n), np.asarray(speeds_mps), np.zeros(n)])


@settings(max_examples=200)
@given(st.floats(min_value=0.5, max_value=2.0))
def test_escape_is_unbound_or_beyond_the_sphere_of_influence(ratio):
    """At perigee: v >= v_esc is unbound; below it the apogee is r0 / (2 mu / (r0 v^2) - 1) (vis-viva)."""
    v = ratio * V_CIRC
    escapes = bool(leaves_earth_orbit(np.array([R0, 0, 0]), np.array([0, v, 0]))[0])
    if v >= V_ESC * (1 + 1e-12):
        assert escapes
    elif v < V_ESC * (1 - 1e-9):
        apogee = R0 / (2.0 * MU_EARTH_M3_S2 / (R0 * v * v) - 1.0)
        assert escapes == (apogee > R_SOI_EARTH_M * (1 + 1e-9)) or abs(apogee / R_SOI_EARTH_M - 1) < 1e-6


@pytest.fixture
def kernels_seen(monkeypatch):
    """The fast-mode entry points replaced by recorders: which states reach the integrator."""
    from debriscope.propagation import batch

    seen = []

    def fake_decay(state, t0, am, model, max_days, progress=None):
        seen.append(state.copy())
        return np.full(state.shape[1], np.nan), np.full(state.shape[1], int(Status.OK))

    def fake_propagate(state, t0, times, am, model):
        seen.append(state.copy())
        states = np.repeat(state[None], times.size, axis=0)
        return states, np.full(state.shape[1], int(Status.OK)), np.full(state.shape[1], np.nan)

    monkeypatch.setattr(batch, "predict_decay_fast", fake_decay)
    monkeypatch.setattr(batch, "propagate_fast", fake_propagate)
    return seen


def test_escaped_objects_never_reach_the_integrator(kernels_seen):
    model = force_model_from_parameters(truth_parameters(PropagationOptions(atmosphere="exponential")), 0.0)
    speeds = [V_CIRC, 1.2 * V_ESC, V_CIRC * 1.001, 0.99999 * V_ESC]
    state = _states(speeds)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning anywhere on the way
        res = predict_decay(state, 0.0, np.full(4, 0.01), model, 2.0)
        ephem = propagate(state, 0.0, np.array([3600.0, 7200.0]), np.full(4, 0.01), model)
    assert [Status(s) for s in res.status] == [Status.OK, Status.ESCAPED, Status.OK, Status.ESCAPED]
    assert list(ephem.status) == list(res.status)
    for seen in kernels_seen:
        np.testing.assert_array_equal(seen, state[:, [0, 2]])
    assert np.all(np.isnan(res.decay_tt_s[[1, 3]]))
    assert np.all(np.isnan(ephem.states[:, :, [1, 3]])) and np.all(np.isfinite(ephem.states[:, :, [0, 2]]))


def test_all_escaped_means_no_integration(kernels_seen):
    model = force_model_from_parameters(truth_parameters(PropagationOptions(atmosphere="exponential")), 0.0)
    done = []
    res = predict_decay(_states([1.5 * V_ESC, 2.0 * V_ESC]), 0.0, np.full(2, 0.01), model, 1.0, done.append)
    assert kernels_seen == [] and done == [2]
    assert list(res.status) == [Status.ESCAPED, Status.ESCAPED]


def test_anomaly_conversions_give_nan_without_warning_for_hyperbolas():
    el = rv_to_elements(np.array([R0, 0, 0]), np.array([0, 1.3 * V_ESC, 0]))
    assert el.e[0] > 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(true_to_mean(np.array([0.3]), el.e)[0])
        assert np.isfinite(true_to_mean(np.array([0.3]), np.array([0.5]))[0])


@pytest.mark.parametrize("status, text", [(Status.ESCAPED, "escaped")])
def test_status_text(status, text):
    from debriscope.propagation import STATUS_TEXT

    assert STATUS_TEXT[status] == text
