"""The single-crossing orbit (triangulated position, velocity from the phase rates) against the truth."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from debriscope.constants import MU_EARTH_M3_S2
from debriscope.sensors.fence import direction_cosine_rates, direction_cosines
from debriscope.sensors.geometry import site_teme
from debriscope.timescale import utc_to_tt_s
from debriscope.tracking.maintenance.crossing import crossing_orbit, has_rates
from debriscope.tracking.maintenance.observations import FENCE, Observations

T0 = float(utc_to_tt_s("1962-10-26T03:00:00Z"))
RECEIVERS = ((32.58, -116.97), (33.44, -106.99), (33.14, -91.02))


def _state_over(lat_deg: float, lon_deg: float, t: float) -> np.ndarray:
    """A state 400 km above the given place at ``t``, on a 64.9 deg orbit, 30 m/s radial velocity."""
    up = site_teme(lat_deg, lon_deg, 0.0, [t]).up[:, 0]
    r = (6378137.0 + 400e3) * up
    z = np.array([0.0, 0.0, 1.0])
    e1 = z - (z @ up) * up
    e1 /= np.linalg.norm(e1)
    cos_t = np.cos(np.radians(64.9)) / (e1 @ z)
    h = cos_t * e1 + np.sqrt(1.0 - cos_t**2) * np.cross(up, e1)
    v = np.sqrt(MU_EARTH_M3_S2 / np.linalg.norm(r)) * np.cross(h, up) + 30.0 * up
    return np.concatenate([r, v])


def _crossing(x: np.ndarray, sigma: float, sigma_rate: float, rng: np.random.Generator) -> Observations:
    n = len(RECEIVERS)
    t = np.full(n, T0)
    geo = [site_teme(lat, lon, 100.0, [T0]) for lat, lon in RECEIVERS]
    z = np.empty((4, n))
    for i, g in enumerate(geo):
        _, _, l_, m_ = direction_cosines(g, x[:3, None])
        ld, md = direction_cosine_rates(g, x[:3, None], x[3:, None])
        z[:, i] = [l_[0], m_[0], ld[0], md[0]]
    z[:2] += sigma * rng.standard_normal((2, n))
    z[2:] += sigma_rate * rng.standard_normal((2, n))
    sig = np.array([[sigma] * n, [sigma] * n, [sigma_rate] * n, [sigma_rate] * n])
    stack = [np.column_stack([getattr(g, k)[:, 0] for g in geo]) for k in ("r_teme_m", "v_teme_mps", "east", "north", "up")]
    return Observations(np.arange(n), t, np.full(n, "fence"), np.full(n, FENCE, dtype=np.int8), np.zeros(n, bool),
                        z, sig, *stack, np.zeros(n, dtype=np.int64), np.full(n, np.nan), np.zeros(n))


X_TRUE = _state_over(33.0, -104.0, T0)


@settings(max_examples=10, deadline=None, derandomize=True)  # a statistical bound: the same draws each run
@given(seed=st.integers(0, 2**31))
def test_single_crossing_orbit_recovers_the_state_within_its_covariance(seed):
    obs = _crossing(X_TRUE, 3e-4, 3e-6, np.random.default_rng(seed))
    rows = np.arange(len(RECEIVERS))
    assert has_rates(obs, rows)
    state, epoch, cov, rms = crossing_orbit(obs, rows)
    assert epoch == T0
    err = state - X_TRUE
    assert np.linalg.norm(err[:3]) < 5e3 and np.linalg.norm(err[3:]) < 100.0
    assert float(err @ np.linalg.solve(cov, err)) < 30.0  # chi-square, 6 dof: far inside P = 0.9999's 27.9 rarely out
    assert rms < 3.0


def test_noise_free_crossing_gives_the_state_exactly():
    obs = _crossing(X_TRUE, 1e-12, 1e-15, np.random.default_rng(0))
    state, _, _, _ = crossing_orbit(obs, np.arange(len(RECEIVERS)))
    assert np.allclose(state[:3], X_TRUE[:3], atol=1.0) and np.allclose(state[3:], X_TRUE[3:], atol=1e-3)


def test_a_crossing_without_rates_gives_no_single_crossing_orbit():
    obs = _crossing(X_TRUE, 3e-4, 3e-6, np.random.default_rng(1))
    obs.z[2:] = np.nan
    assert not has_rates(obs, np.arange(len(RECEIVERS)))
