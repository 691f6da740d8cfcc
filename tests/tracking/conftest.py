"""Shared fixtures of the tracking tests: sites, an epoch, orbits and noisy radar measurements."""

from __future__ import annotations

import numpy as np
import pytest

from debriscope.elements import apsides_to_a_e, elements_to_rv
from debriscope.timescale import utc_to_tt_s
from debriscope.tracking.dynamics import propagate_j2
from debriscope.tracking.measurements import Site, predict_measurements, site_geometry
from debriscope.tracking.od import RadarArc

CLEAR = Site("clear", 64.2906, -149.1869, 170.0)
THULE = Site("thule", 76.570, -68.299, 250.0)
T0 = float(utc_to_tt_s("1962-10-24T19:00:00Z"))
TRACKER_SIGMA_DEG = np.array([50.0, 0.05, 0.05, 10.0])
"""FPS-49 estimates of debriscope.sensors.sites: range m, az deg, el deg, range rate m/s."""


def to_si(sigma_deg: np.ndarray) -> np.ndarray:
    return sigma_deg * np.array([1.0, np.pi / 180, np.pi / 180, 1.0])


def flagship_states(n: int, rng: np.random.Generator, spread_mps: float = 20.0) -> np.ndarray:
    """n states (6, n) near the 180 x 485 km, 64.9 deg parking orbit, placed to pass over Clear at T0."""
    a, e = apsides_to_a_e(180e3, 485e3)
    nu = np.linspace(0.0, 0.02, n)
    r, v = elements_to_rv(a, e, np.radians(64.9), 0.349, 0.3, nu)
    return np.concatenate([r, v + rng.normal(0.0, spread_mps, (3, n))])


def visible_times(site: Site, state: np.ndarray, t0: float, span_s: float, step_s: float,
                  min_el_deg: float = 3.0) -> tuple[np.ndarray, np.ndarray]:
    """Times (within span) at which the state is above min_el, and the noise-free measurements there."""
    times = t0 + np.arange(0.0, span_s, step_s)
    x = propagate_j2(state, t0, times)
    m = predict_measurements(x.T, site_geometry(site, times))
    vis = m[2] > np.radians(min_el_deg)
    return times[vis], m[:, vis]


def noisy_arc(site: Site, times: np.ndarray, clean: np.ndarray, sigma_deg: np.ndarray,
              rng: np.random.Generator) -> RadarArc:
    """A radar arc of clean measurements (SI rows) plus Gaussian noise of sigma (deg units)."""
    z = clean + to_si(sigma_deg)[:, None] * rng.standard_normal(clean.shape)
    return RadarArc.from_columns(site, times, z[0], np.degrees(z[1]), np.degrees(z[2]), z[3], *sigma_deg)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261024)
