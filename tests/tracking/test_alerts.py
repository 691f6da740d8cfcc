"""Naive alert rule, orbit-based clearance, the two-fan fit and the dwell study."""

from __future__ import annotations

import numpy as np

from debriscope.propagation.estimator_dynamics import PASS_MODEL, propagate_states
from debriscope.tracking.alerts import (
    _normalised_jacobian,
    clearance_index,
    fan_indices,
    misclassification_vs_dwell,
    naive_alert_index,
    prefix_lengths,
    two_fan_classification,
)
from debriscope.tracking.ballistic import ballistic_trajectory
from debriscope.tracking.od import fit_orbit
from debriscope.tracking.tracker import measurements_from_table, track_arc
from debriscope.tracking.warning_parts import EarlyWarningParts

US_CENTRE = (39.83, -98.58)
FPS50_SIGMA_DEG = np.array([43271.3, 0.2259, 0.2738, np.nan])


def test_naive_rule_flags_a_descending_missile_toward_the_us(rng, sim):
    bt = ballistic_trajectory(45.920, 63.342, 38.8977, -77.0365, sim.T0)
    times, clean = sim.visible_times(sim.THULE, bt.state0_teme, sim.T0, bt.impact_tt_s - sim.T0, 5.0, 1.0)
    late = times > sim.T0 + 0.6 * bt.time_of_flight_s  # past apogee: descending
    arc = sim.noisy_arc(sim.THULE, times[late][:20], clean[:, late][:, :20], sim.TRACKER_SIGMA_DEG, rng)
    assert naive_alert_index(arc, *US_CENTRE, 60.0) >= 1
    # the same rule with the defended point behind the missile stays silent
    assert naive_alert_index(arc, 45.920, 63.342, 60.0) == -1


def test_orbiting_debris_is_cleared_by_tracking(rng, sim):
    x0 = sim.flagship_states(1, rng, spread_mps=0.0)[:, 0]
    times, clean = sim.visible_times(sim.CLEAR, x0, sim.T0, 6000.0, 2.0)
    arc = sim.noisy_arc(sim.CLEAR, times[:40], clean[:, :40], sim.TRACKER_SIGMA_DEG, rng)
    parts = EarlyWarningParts()
    k = clearance_index(arc, parts.clearance, parts.classifier, rng)
    assert 1 <= k < 40


def test_prefix_lengths_are_bounded():
    assert list(prefix_lengths(4)) == [2, 3, 4]
    p = prefix_lengths(500, 10)
    assert p[0] == 2 and p[-1] == 500 and p.size <= 10


def test_two_fan_fit_needs_both_crossings(rng, sim):
    states = sim.flagship_states(1, rng, spread_mps=0.0)
    table = sim.detection_table(sim.CLEAR, states, sim.T0 - 600.0, 3000.0, rng)
    parts = EarlyWarningParts()
    meas = measurements_from_table(table, parts.sigmas)
    idx = np.arange(meas.t_tt_s.size)
    arc = track_arc(meas, idx, sim.CLEAR)
    beams = meas.beam[np.argsort(meas.t_tt_s, kind="stable")]
    res = two_fan_classification(arc, beams, parts.classifier, rng)
    assert res is not None and res.classification in ("orbital", "ballistic")
    assert fan_indices(np.array(["fan_high", "fan_low"])) is None  # high before low: no rising pair
    assert two_fan_classification(arc, np.full(beams.size, "tracker"), parts.classifier, rng) is None


def _fan_arc(sim, x0, sigma_deg, rng):
    times, clean = sim.visible_times(sim.CLEAR, x0, sim.T0, 6000.0, 1.0, 0.0)
    el = np.degrees(clean[2])
    k = [int(np.flatnonzero(el >= f)[0]) for f in (3.5, 7.0)]
    return sim.noisy_arc(sim.CLEAR, times[k], clean[:, k], sigma_deg, rng)


def test_study_covariance_equals_the_fit_covariance(rng, sim):
    # Two code paths: the study's Jacobian and the batch least-squares covariance, both at the
    # fitted state, must agree (same measurement times, same weights).
    x0 = sim.flagship_states(1, rng, spread_mps=0.0)[:, 0]
    arc = _fan_arc(sim, x0, np.array([50.0, 0.05, 0.05, 10.0]), np.random.default_rng(0))
    fit = fit_orbit([arc])
    res = misclassification_vs_dwell(fit.state[:, None], [fit.epoch_tt_s], [arc], [0.0], 1.0,
                                     sim.to_si(sim.TRACKER_SIGMA_DEG), rng, n_samples=10)
    assert res.per_object.shape == (1, 1)
    h = _normalised_jacobian(fit.state, fit.epoch_tt_s, sim.CLEAR, arc.t_tt_s, arc.sigma)
    h = h[np.all(np.isfinite(h), axis=1)]
    p_study = np.linalg.inv(h.T @ h)
    np.testing.assert_allclose(np.sqrt(np.diag(p_study)), np.sqrt(np.diag(fit.covariance)), rtol=0.02)


def test_tracking_dwell_settles_the_two_fan_ambiguity(rng, sim):
    x0 = sim.flagship_states(3, rng, spread_mps=5.0)
    arcs = [_fan_arc(sim, x0[:, j], FPS50_SIGMA_DEG, rng) for j in range(3)]
    epochs = np.array([a.t_tt_s[-1] for a in arcs])
    states = np.stack([propagate_states(x0[:, j], sim.T0, [epochs[j]], 0.0, PASS_MODEL)[0] for j in range(3)], axis=1)
    res = misclassification_vs_dwell(states, epochs, arcs, [0.0, 10.0, 60.0], 1.0,
                                     sim.to_si(sim.TRACKER_SIGMA_DEG), rng, n_samples=2000)
    f = res.fraction_ballistic
    assert f[0] > 0.05  # the coarse fans alone often make a 180 km perigee look sub-orbital
    assert f[0] > f[1] >= f[2]
    assert f[2] < 0.01  # a minute of tracking settles it
