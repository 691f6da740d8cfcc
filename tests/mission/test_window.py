"""The 1962 launch window and Mars 1 beside the plan, against the cross-check values and the record.

Cross-checks (DE440 + Lambert, computed outside debriscope): Type-I optimum 29 Oct -> 17 Jun 1963, C3
15.11; Type-II minimum 19 Oct -> 4 Sep 1963, C3 9.92; Mars 1, 1 Nov 17:20 -> 19 Jun 12:00, C3 15.29.
Record: Mars 1 was 106 million km from Earth at its last contact, 21 Mar 1963 (NASA NSSDC 1962-061A).
"""

from __future__ import annotations

import numpy as np
import pytest

from debriscope.mission.porkchop import porkchop
from debriscope.mission.transfer import solve_transfer
from debriscope.timescale import tt_s_to_utc_iso, utc_to_tt_s

DAY = 86400.0


def test_grid_point_equals_a_single_transfer(flagship_plan):
    w = flagship_plan.window
    i, j = 37, 61
    t = solve_transfer("mars", w.t_dep_tt_s[i], w.t_arr_tt_s[j])
    assert w.c3_km2_s2[i, j] == pytest.approx(t.c3_km2_s2, rel=1e-9)
    assert w.v_inf_arr_km_s[i, j] == pytest.approx(t.v_inf_arr_mps / 1e3, rel=1e-9)


def test_window_minima(flagship_plan):
    w = flagship_plan.window
    t_dep, t_arr, c3 = w.minimum(1)
    assert c3 == pytest.approx(15.11, rel=0.01)
    assert abs(t_dep - utc_to_tt_s("1962-10-29T12:00:00Z")) < 2 * DAY
    assert abs(t_arr - utc_to_tt_s("1963-06-17T00:00:00Z")) < 3 * DAY
    t_dep, t_arr, c3 = w.minimum(2)
    assert c3 == pytest.approx(9.92, rel=0.01)
    assert str(tt_s_to_utc_iso(t_arr))[:7] == "1963-09"


def test_the_three_launches_fall_inside_the_type_one_window(flagship_plan):
    # Type-I transfers with C3 < 16.5 leave between 22 Oct and 12 Nov 1962 (cross-check)
    w = flagship_plan.window
    for utc in ("1962-10-24T18:56:00Z", "1962-11-01T17:20:00Z", "1962-11-04T16:41:00Z"):
        i = np.argmin(np.abs(w.t_dep_tt_s - utc_to_tt_s(utc)))
        assert np.nanmin(np.where(w.type_one[i], w.c3_km2_s2[i], np.nan)) < 16.5
    outside = np.argmin(np.abs(w.t_dep_tt_s - utc_to_tt_s("1962-11-25T00:00:00Z")))
    assert np.nanmin(np.where(w.type_one[outside], w.c3_km2_s2[outside], np.nan)) > 16.5


def test_porkchop_marks_impossible_pairs_nan():
    t = utc_to_tt_s("1962-10-24T00:00:00Z")
    p = porkchop("mars", np.array([t]), np.array([t - DAY, t + 200 * DAY]))
    assert np.isnan(p.c3_km2_s2[0, 0]) and np.isfinite(p.c3_km2_s2[0, 1])


def test_mars1_beside_the_plan(flagship_plan):
    mars1 = flagship_plan.others[0]
    assert mars1.name == "Mars 1"
    assert mars1.c3_km2_s2 == pytest.approx(15.29, rel=0.01)
    assert mars1.distance_last_contact_m / 1e9 == pytest.approx(106.0, rel=0.03)  # the criterion
    # the NSSDC-derived aphelion (1.604 AU) lies inside Mars's distance at the flyby: that set is contradicted
    assert mars1.target_sun_distance_at_arrival_au > 1.604
    o = mars1.transfer.orbit
    assert o.perihelion_au == pytest.approx(0.990, abs=0.003) and o.aphelion_au == pytest.approx(1.650, abs=0.003)


def test_sections_flag_the_contradictions(flagship_plan):
    from debriscope.mission import plan_sections

    text = "\n".join(" | ".join(row) for _, rows in plan_sections(flagship_plan) for row in rows)
    assert "contradicted" in text
    assert "193000 km" in text and "197000 km" in text
    assert "a plan, not a fact" in text
