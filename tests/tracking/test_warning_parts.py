"""The early-warning parts: built from ``[tracking]`` in SI, each doing its one job on a small case."""

from __future__ import annotations

import numpy as np

from debriscope.scenario.options import TrackingOptions
from debriscope.tracking.maintenance.parts import Classifier
from debriscope.tracking.od import fit_orbit
from debriscope.tracking.stage import early_warning_parts
from debriscope.tracking.warning_parts import AlertRule, DwellStudy, EarlyWarningParts


def test_parts_from_default_options_are_the_parts_defaults():
    """The adapter converts units once; the parts' own defaults say the same as ``[tracking]``'s."""
    assert early_warning_parts(TrackingOptions()) == EarlyWarningParts()


def test_adapter_converts_units():
    parts = early_warning_parts(TrackingOptions(heading_tolerance_deg=30.0, link_gate_along_km=50.0,
                                                revlink_max_gap_h=12.0, study_tracker_sigma_angle_deg=0.1))
    assert np.isclose(parts.alert.heading_tolerance_rad, np.radians(30.0))
    assert parts.linker.along_m == 50e3
    assert parts.pairing.max_gap_s == 12 * 3600.0
    assert np.isclose(parts.study.tracker_sigma[1], np.radians(0.1))


def test_alert_rule_fires_only_toward_its_defended_point(rng, sim):
    from debriscope.tracking.ballistic import ballistic_trajectory

    bt = ballistic_trajectory(45.920, 63.342, 38.8977, -77.0365, sim.T0)
    times, clean = sim.visible_times(sim.THULE, bt.state0_teme, sim.T0, bt.impact_tt_s - sim.T0, 5.0, 1.0)
    late = times > sim.T0 + 0.6 * bt.time_of_flight_s
    arc = sim.noisy_arc(sim.THULE, times[late][:20], clean[:, late][:, :20], sim.TRACKER_SIGMA_DEG, rng)
    assert AlertRule().first_alert(arc) >= 1
    behind = AlertRule(np.radians(45.920), np.radians(63.342), np.radians(60.0))
    assert behind.first_alert(arc) == -1


def test_classifier_assesses_an_orbit_and_a_missile(rng, sim):
    x0 = sim.flagship_states(1, rng, spread_mps=0.0)[:, 0]
    times, clean = sim.visible_times(sim.CLEAR, x0, sim.T0, 6000.0, 2.0)
    arc = sim.noisy_arc(sim.CLEAR, times[:40], clean[:, :40], sim.TRACKER_SIGMA_DEG, rng)
    fit = fit_orbit([arc])
    c = Classifier(120.0, samples=500).assess(fit.state, fit.covariance, fit.epoch_tt_s, rng)
    assert c.classification == "orbital" and c.p_ballistic < 0.01
    # the same estimate judged against a threshold above its perigee is ballistic, linearised (samples 0)
    high = Classifier(c.perigee_km + 200.0, samples=0).assess(fit.state, fit.covariance, fit.epoch_tt_s, rng)
    assert high.classification == "ballistic" and high.p_ballistic > 0.99


def test_study_part_defaults_match_the_documented_tracker():
    assert DwellStudy().tracker_sigma[0] == 50.0 and DwellStudy().dwell_s[0] == 0.0
