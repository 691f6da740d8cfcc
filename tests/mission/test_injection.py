"""The ideal injection point towards a departure asymptote (Curtis 2020, eq. 8.43)."""

from __future__ import annotations

import numpy as np
import pytest

from debriscope.constants import MU_EARTH_M3_S2
from debriscope.frames import gcrf_to_teme, teme_to_gcrf
from debriscope.mission.departure import departure
from debriscope.mission.injection import ideal_injection
from debriscope.scenario.launch import j2_coast
from debriscope.timescale import utc_to_tt_s

T0 = float(utc_to_tt_s("1962-10-24T18:00:00Z"))
R_M = 6578137.0  # a 200 km circular orbit
C3_M2_S2 = 15.93e6


def _circular_coast(state_teme, t0, t1):
    """Two-body coast of a circular orbit: a rotation of r and v about h by n (t1 - t0)."""
    s = np.asarray(state_teme, float).reshape(6, -1)
    r, v = s[:3, 0], s[3:, 0]
    n = np.sqrt(MU_EARTH_M3_S2 / np.linalg.norm(r) ** 3)
    c, k = np.cos(n * (t1 - t0)), np.sin(n * (t1 - t0))
    w = np.linalg.norm(r) * v / np.linalg.norm(v)  # r rotated by +90 deg in the plane
    out = np.concatenate([c * r + k * w, (c * v - k * np.linalg.norm(v) * r / np.linalg.norm(r))])
    return out.reshape(6, 1)


def _start_state():
    """Circular 200 km orbit in the GCRF x-y plane at T0, at +x moving +y; as TEME."""
    r, v = gcrf_to_teme(np.array([R_M, 0.0, 0.0]), np.array([0.0, np.sqrt(MU_EARTH_M3_S2 / R_M), 0.0]), T0)
    return np.concatenate([np.ravel(r), np.ravel(v)])


@pytest.mark.parametrize("asymptote_deg", [200.0, 300.0, 100.0])
def test_ideal_point_of_a_circular_orbit_by_hand(asymptote_deg):
    """The asymptote in the plane at angle A from the start: the burn point lies nu_inf = acos(-1/e) behind
    it, e = 1 + r C3 / mu, reached after (A - nu_inf) / n (mod one revolution)."""
    a = np.radians(asymptote_deg)
    # the asymptote in GCRF axes ~ ICRF (frame bias, under 0.1 arcsec, is far below the tolerance)
    v_inf = np.sqrt(C3_M2_S2) * np.array([np.cos(a), np.sin(a), 0.0])
    e = 1.0 + R_M * C3_M2_S2 / MU_EARTH_M3_S2
    nu_inf = np.arccos(-1.0 / e)
    n = np.sqrt(MU_EARTH_M3_S2 / R_M**3)
    expected_s = ((a - nu_inf) % (2 * np.pi)) / n
    point = ideal_injection(v_inf, _start_state(), T0, coast=_circular_coast)
    assert point.after_departure_s == pytest.approx(expected_s, abs=0.5)  # 0.5 s = 0.03 deg of arc
    assert point.altitude_km == pytest.approx((R_M - 6378135.0) / 1e3, abs=1e-3)


def test_the_point_found_meets_curtis_8_43(flagship_plan):
    """At the flagship's point the asymptote lies nu_inf ahead, with the real J2 coast."""
    p = flagship_plan.injection_point
    from debriscope.scenario import load
    from debriscope.scenario.launch import ignition_state

    ign = ignition_state(load("sputnik22"))
    state = j2_coast(ign.state_teme.reshape(6, 1), ign.t_tt_s, p.t_tt_s)[:, 0]
    d = departure(flagship_plan.transfer.v_inf_dep_icrf_mps, state, p.t_tt_s)
    assert d.asymptote_ahead_of_ignition_deg == pytest.approx(d.ideal_asymptote_ahead_deg, abs=0.01)
    r, _ = teme_to_gcrf(state[:3], state[3:], p.t_tt_s)
    assert np.linalg.norm(r) / 1e3 - 6378.135 == pytest.approx(p.altitude_km, abs=1e-6)


def test_flagship_ideal_point_is_after_the_sourced_ignition(flagship_plan):
    """docs/mission.md: the point lies ~18 min (~69 deg) after the T+60 min 50 s ignition, 87 deg before the
    parking orbit's perigee; the 17 s burn centred there leaves about 316 x 1,136 km."""
    p = flagship_plan.injection_point
    assert 16.0 < p.after_departure_s / 60.0 < 20.0
    assert 260.0 < p.true_anomaly_deg < 285.0
    assert 280.0 < p.burn_perigee_km < 350.0 and 1050.0 < p.burn_apogee_km < 1250.0
