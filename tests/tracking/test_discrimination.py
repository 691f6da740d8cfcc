"""Orbital or ballistic: a minimum-energy missile is ballistic and lands where it should; the
flagship debris is orbital; the probability models agree with each other."""

from __future__ import annotations

import numpy as np
import pytest

from debriscope.constants import WGS84_A_M, WGS84_B_M
from debriscope.elements import apsides_to_a_e, elements_to_rv
from debriscope.propagation.estimator_dynamics import PASS_MODEL, propagate_states
from debriscope.tracking.ballistic import ballistic_trajectory
from debriscope.tracking.discrimination import (
    classify,
    impact_point,
    p_ballistic_linear,
    p_ballistic_monte_carlo,
    perigee_altitude_m,
    perigee_sigma_m,
)
from debriscope.tracking.od import fit_orbit

BAIKONUR = (45.920, 63.342)  # Site 1/5, Wikipedia "Gagarin's Start"
WASHINGTON = (38.8977, -77.0365)  # the White House
IMPACT_TOL_KM = 60.0
"""Impact prediction from two minutes of FPS-49-like tracking at ~4000 km, ~20 min before impact:
velocity errors of a few m/s grow to tens of km (the covariance gives a 1-sigma of ~15 km)."""
P_TOL = 0.03
"""Monte Carlo (4000 samples, sd 0.006 at p = 0.16) against the linearised probability."""


def _great_circle_km(lat1, lon1, lat2, lon2):
    p1, p2, dl = np.radians(lat1), np.radians(lat2), np.radians(lon2 - lon1)
    c = np.sin(p1) * np.sin(p2) + np.cos(p1) * np.cos(p2) * np.cos(dl)
    return 6371.0 * np.arccos(np.clip(c, -1, 1))


def test_perigee_altitude_of_known_elements(sim):
    # equatorial perigee (argp = 0, i = 0): the ellipsoid radius there is the equatorial radius
    a, e = apsides_to_a_e(180e3, 485e3, radius_m=WGS84_A_M)
    r, v = elements_to_rv(a, e, 0.0, 0.0, 0.0, 1.0)
    assert perigee_altitude_m(np.concatenate([r, v]))[0] == pytest.approx(180e3, abs=1e-3)
    # polar perigee (i = 90 deg, argp = 90 deg): the polar radius
    r, v = elements_to_rv(7.0e6, 0.05, np.pi / 2, 0.0, np.pi / 2, 1.0)
    assert perigee_altitude_m(np.concatenate([r, v]))[0] == pytest.approx(7.0e6 * 0.95 - WGS84_B_M, abs=1e-3)


def test_missile_is_ballistic_with_impact_near_truth(rng, sim):
    bt = ballistic_trajectory(*BAIKONUR, *WASHINGTON, sim.T0)
    times, clean = sim.visible_times(sim.THULE, bt.state0_teme, sim.T0, bt.impact_tt_s - sim.T0, 1.0, min_el_deg=1.0)
    assert times.size > 120  # Thule sees the mid-course over the pole
    arc = sim.noisy_arc(sim.THULE, times[:120], clean[:, :120], sim.TRACKER_SIGMA_DEG, rng)
    fit = fit_orbit([arc])
    c = classify(fit.state, fit.covariance, fit.epoch_tt_s, rng)
    assert c.classification == "ballistic"
    assert c.p_ballistic > 0.999
    assert _great_circle_km(c.impact_lat_deg, c.impact_lon_deg, bt.impact_lat_deg, bt.impact_lon_deg) < IMPACT_TOL_KM
    assert abs(c.impact_tt_s - bt.impact_tt_s) < 60.0


def test_flagship_debris_is_orbital(rng, sim):
    x0 = sim.flagship_states(1, rng, spread_mps=0.0)[:, 0]
    times, clean = sim.visible_times(sim.CLEAR, x0, sim.T0, 6000.0, 1.0)
    arc = sim.noisy_arc(sim.CLEAR, times[:60], clean[:, :60], sim.TRACKER_SIGMA_DEG, rng)
    fit = fit_orbit([arc])
    c = classify(fit.state, fit.covariance, fit.epoch_tt_s, rng)
    assert c.classification == "orbital"
    assert c.p_ballistic < 0.01
    assert np.isnan(c.impact_lat_deg)
    assert c.perigee_km == pytest.approx(180.0, abs=25.0)  # 180 km above the SATCAT radius; ellipsoid differs


def test_monte_carlo_and_linearised_probabilities_agree(rng):
    # a state a quarter revolution past perigee, where velocity errors move the perigee most
    a, e = apsides_to_a_e(180e3, 485e3)
    r, v = elements_to_rv(a, e, np.radians(64.9), 0.3, 0.3, np.pi / 2)
    x = np.concatenate([r, v])[:, 0]
    cov = np.diag([1e3**2] * 3 + [10.0**2] * 3)
    h_crit = perigee_altitude_m(x)[0] - perigee_sigma_m(x, cov)  # threshold one sigma below
    lin = p_ballistic_linear(x, cov, h_crit_m=h_crit)
    mc = p_ballistic_monte_carlo(x, cov, rng, 4000, h_crit_m=h_crit)
    assert lin == pytest.approx(0.1587, abs=1e-3)  # Phi(-1)
    assert mc == pytest.approx(lin, abs=P_TOL)


def test_impact_point_of_a_vertical_drop(sim):
    # straight down over (lat 40, lon 10): the impact is below the start (Earth rotation shifts it
    # east by omega R cos(lat) t ~ 2 km in 70 s of fall)
    from debriscope.frames import geodetic_to_ecef, itrf_to_teme

    r_itrf = geodetic_to_ecef(np.radians(40.0), np.radians(10.0), 100e3).reshape(3)
    r_teme, v_teme = itrf_to_teme(r_itrf, -1500.0 * r_itrf / np.linalg.norm(r_itrf), sim.T0)
    imp = impact_point(np.concatenate([r_teme.reshape(3), v_teme.reshape(3)]), sim.T0)
    assert imp.lat_deg[0] == pytest.approx(40.0, abs=0.05)
    assert imp.lon_deg[0] == pytest.approx(10.0, abs=0.05)
    assert 0 < imp.t_tt_s[0] - sim.T0 < 70.0


def test_ballistic_trajectory_two_body_lands_on_target(sim):
    # Independent of J2: the two-body arc of the minimum-energy solution meets the target point.
    bt = ballistic_trajectory(*BAIKONUR, *WASHINGTON, sim.T0)
    from debriscope.propagation.estimator_dynamics import gravity_model, propagate_to_height

    t_hit, x_hit = propagate_to_height(bt.state0_teme, sim.T0, 0.0, 7200.0, gravity_model(0), step_s=5.0)
    from debriscope.frames import ecef_to_geodetic, teme_to_itrf

    lat, lon, _ = ecef_to_geodetic(teme_to_itrf(x_hit[:3], None, t_hit)[0].reshape(3, 1))
    assert _great_circle_km(np.degrees(lat[0]), np.degrees(lon[0]), *WASHINGTON) < 2.0
    assert abs(t_hit[0] - sim.T0 - bt.time_of_flight_s) < 10.0  # ellipsoid vs sphere-free geometry
    # and with J2 it lands within tens of km (the returned "true" impact)
    assert _great_circle_km(bt.impact_lat_deg, bt.impact_lon_deg, *WASHINGTON) < 50.0
    assert propagate_states(bt.state0_teme, sim.T0, [sim.T0 + 1.0], 0.0, PASS_MODEL).shape == (1, 6)
