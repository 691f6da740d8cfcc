"""The flagship's planned departure against the independently computed cross-check values (JPL DE440
and a Lambert solver, outside debriscope): 24 Oct 1962 19:00 UTC -> 17 Jun 1963, C3 15.93 km^2/s^2,
v_inf 3.99 km/s, DLA +52.4 deg; impulsive TMI from the 180 x 485 km orbit at apogee 3.96 km/s."""

from __future__ import annotations

import numpy as np
import pytest

from debriscope.constants import MU_EARTH_M3_S2, R_EARTH_SATCAT_M
from debriscope.elements import elements_to_rv
from debriscope.mission.departure import asymptote, departure
from debriscope.mission.transfer import solve_transfer
from debriscope.timescale import utc_to_tt_s

REL_TOL = 0.01  # the criterion: within 1 % of the cross-check values


def test_c3_and_asymptote_of_the_cross_check_case():
    t = solve_transfer("mars", utc_to_tt_s("1962-10-24T19:00:00Z"), utc_to_tt_s("1963-06-17T00:00:00Z"))
    c3, _, dla = asymptote(t.v_inf_dep_icrf_mps)
    assert c3 == pytest.approx(15.93, rel=REL_TOL)
    assert dla == pytest.approx(52.4, abs=0.5)
    assert t.v_inf_arr_mps / 1e3 == pytest.approx(4.06, rel=REL_TOL)
    o = t.orbit
    assert (o.perihelion_au, o.aphelion_au) == (pytest.approx(0.995, abs=0.002), pytest.approx(1.656, abs=0.002))
    assert o.inclination_deg == pytest.approx(3.61, abs=0.05)
    assert o.period_days == pytest.approx(557, abs=1.5)


def test_flagship_departure_within_one_percent(flagship_plan):
    d = flagship_plan.departure
    assert d.c3_km2_s2 == pytest.approx(15.93, rel=REL_TOL)
    assert d.delta_v_mps / 1e3 == pytest.approx(3.96, rel=REL_TOL)  # ignition near apogee (485 km)
    assert d.reachable and d.inclination_deg == pytest.approx(64.9, abs=0.2)


def test_impulsive_delta_v_from_circular_orbit():
    # independent: v_p = sqrt(C3 + 2 mu / r) - sqrt(mu / r) for a circular 180 km orbit; cross-check 3.93 km/s
    r = R_EARTH_SATCAT_M + 180e3
    rv = elements_to_rv(r, 0.0, np.radians(64.9), 0.0, 0.0, 0.0)
    state = np.concatenate([rv[0][:, 0], rv[1][:, 0]])
    v_inf = np.array([0.0, 0.0, 1.0]) * np.sqrt(15.93e6)
    d = departure(v_inf, state, 0.0)
    expected = np.sqrt(15.93e6 + 2 * MU_EARTH_M3_S2 / r) - np.sqrt(MU_EARTH_M3_S2 / r)
    assert d.delta_v_mps == pytest.approx(expected, rel=1e-4)
    assert d.delta_v_mps / 1e3 == pytest.approx(3.93, rel=REL_TOL)


def test_unreachable_asymptote_is_reported(flagship_plan):
    # the flagship's asymptote (DLA +52 deg) from a 30 deg orbit: no plane of that inclination contains it
    r = R_EARTH_SATCAT_M + 300e3
    rv = elements_to_rv(r, 0.0, np.radians(30.0), 0.0, 0.0, 0.0)
    state = np.concatenate([rv[0][:, 0], rv[1][:, 0]])
    d = departure(flagship_plan.transfer.v_inf_dep_icrf_mps, state, flagship_plan.t_dep_tt_s)
    assert not d.reachable
    assert abs(d.out_of_plane_deg) > 52.4 - 30.0 - 1.0


def test_asymptote_angles():
    c3, rla, dla = asymptote([0.0, -3e3, 3e3])
    assert c3 == pytest.approx(18.0)
    assert rla == pytest.approx(270.0)
    assert dla == pytest.approx(45.0)
