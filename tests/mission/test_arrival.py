"""The planned flyby: turn angle and periapsis speed against an independent evaluation of the conic
(cross-check: v_inf 4.06 km/s at 11,000 km altitude gives a 17.6 deg turn and 4.74 km/s), and the
B-plane's invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debriscope.constants import GM_MARS_M3_S2, R_MARS_M
from debriscope.mission.arrival import flyby


def test_cross_check_values():
    f = flyby([4060.0, 0.0, 0.0], GM_MARS_M3_S2, R_MARS_M + 11_000e3)
    assert f.turn_angle_deg == pytest.approx(17.6, abs=0.1)
    assert f.periapsis_speed_mps / 1e3 == pytest.approx(4.74, abs=0.01)
    g = flyby([4060.0, 0.0, 0.0], GM_MARS_M3_S2, R_MARS_M + 193_000e3)
    assert g.turn_angle_deg == pytest.approx(1.5, abs=0.05)


@settings(max_examples=30, deadline=None)
@given(st.floats(1e3, 1e4), st.floats(1e6, 1e9), st.floats(-180, 180), st.floats(-1, 1), st.floats(-1, 1))
def test_b_plane_invariants(v_inf, rp, theta, uy, uz):
    v = v_inf * np.array([1.0, uy, uz]) / np.linalg.norm([1.0, uy, uz])
    f = flyby(v, GM_MARS_M3_S2, rp, theta)
    # angular momentum: |B| v_inf = r_p v_p; B lies in the B-plane (normal to v_inf)
    assert f.b_magnitude_m * v_inf == pytest.approx(rp * f.periapsis_speed_mps, rel=1e-12)
    assert abs(f.b_icrf_m @ v) < 1e-9 * f.b_magnitude_m * v_inf
    assert np.hypot(f.b_dot_t_m, f.b_dot_r_m) == pytest.approx(f.b_magnitude_m, rel=1e-12)
