"""Shared fixtures of the tracking tests: sites, an epoch, orbits and noisy radar measurements."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from debriscope.elements import apsides_to_a_e, elements_to_rv
from debriscope.propagation.estimator_dynamics import PASS_MODEL, propagate_states
from debriscope.timescale import tt_s_to_utc_iso, utc_to_tt_s
from debriscope.tracking.measurements import Site, predict_measurements, site_geometry
from debriscope.tracking.od import RadarArc

CLEAR = Site("clear", 64.2906, -149.1869, 170.0)
THULE = Site("thule", 76.570, -68.299, 250.0)
T0 = float(utc_to_tt_s("1962-10-24T19:00:00Z"))
TRACKER_SIGMA_DEG = np.array([50.0, 0.05, 0.05, 10.0])
"""FPS-49 estimates of debriscope.sensors.sites: range m, az deg, el deg, range rate m/s."""


def to_si(sigma_deg: np.ndarray) -> np.ndarray:
    """Sigma rows (range m, az deg, el deg, rr m/s) in SI (radians); works on (4,) and (4, M)."""
    scale = np.array([1.0, np.pi / 180, np.pi / 180, 1.0])
    return np.asarray(sigma_deg) * (scale if np.ndim(sigma_deg) == 1 else scale[:, None])


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
    x = propagate_states(state, t0, times, 0.0, PASS_MODEL)
    m = predict_measurements(x.T, site_geometry(site, times))
    vis = m[2] > np.radians(min_el_deg)
    return times[vis], m[:, vis]


def noisy_arc(site: Site, times: np.ndarray, clean: np.ndarray, sigma_deg: np.ndarray,
              rng: np.random.Generator) -> RadarArc:
    """A radar arc of clean measurements (SI rows) plus Gaussian noise of sigma (deg units)."""
    z = clean + to_si(sigma_deg)[:, None] * rng.standard_normal(clean.shape)
    return RadarArc.from_columns(site, times, z[0], np.degrees(z[1]), np.degrees(z[2]), z[3], *sigma_deg)


FAN_SIGMA = (43271.3, 0.2259, 0.2738, np.nan)
"""FPS-50 estimates of debriscope.sensors.sites (range m, az deg, el deg; no range rate)."""


def detection_table(site: Site, states: np.ndarray, t0: float, span_s: float, rng: np.random.Generator,
                    tracker_s: float = 30.0) -> dict[str, np.ndarray]:
    """A detections.csv-like table: each object's rising low-fan (3.5 deg) and high-fan (7 deg)
    crossings, and tracker measurements each second for ``tracker_s`` from 10 s after the low fan."""
    times = t0 + np.arange(0.0, span_s, 1.0)
    x = propagate_states(states, t0, times, 0.0, PASS_MODEL)  # (T, 6, N)
    m = predict_measurements(x, site_geometry(site, times))  # (4, T, N)
    rows = []
    for j in range(states.shape[1]):
        el = np.degrees(m[2, :, j])
        for beam, fan in (("fan_low", 3.5), ("fan_high", 7.0)):
            up = np.flatnonzero((el[:-1] < fan) & (el[1:] >= fan))
            if up.size:
                rows.append((up[0] + 1, j, beam, FAN_SIGMA))
        low = np.flatnonzero((el[:-1] < 3.5) & (el[1:] >= 3.5))
        if low.size and tracker_s > 0:
            for k in range(low[0] + 11, min(low[0] + 11 + int(tracker_s), times.size)):
                rows.append((k, j, "tracker", tuple(TRACKER_SIGMA_DEG)))
    ti = np.array([r[0] for r in rows])
    oj = np.array([r[1] for r in rows])
    sig = np.array([r[3] for r in rows]).T
    clean = m[:, ti, oj]
    noise = to_si(np.nan_to_num(sig)) * rng.standard_normal(clean.shape)
    z = clean + noise
    return {
        "time_utc": np.asarray(tt_s_to_utc_iso(times[ti], decimals=6)),
        "site": np.full(ti.size, site.name),
        "beam": np.array([r[2] for r in rows]),
        "range_m": z[0], "azimuth_deg": np.mod(np.degrees(z[1]), 360.0), "elevation_deg": np.degrees(z[2]),
        "range_rate_mps": np.where(np.isnan(sig[3]), np.nan, z[3]),
        "snr_db": np.full(ti.size, 20.0),
        "fragment_id": oj + 1,
        "sigma_range_m": sig[0], "sigma_azimuth_deg": sig[1], "sigma_elevation_deg": sig[2],
        "sigma_range_rate_mps": sig[3],
    }


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261024)


@pytest.fixture
def sim() -> SimpleNamespace:
    """The helpers above, for test modules (imported as a fixture under --import-mode=importlib)."""
    return SimpleNamespace(
        CLEAR=CLEAR, THULE=THULE, T0=T0, TRACKER_SIGMA_DEG=TRACKER_SIGMA_DEG, to_si=to_si,
        flagship_states=flagship_states, visible_times=visible_times, noisy_arc=noisy_arc, detection_table=detection_table,
    )


@pytest.fixture
def write_radars():
    """Writes ``radars.json`` into a run folder as the sensors stage does, for shipped sites."""
    import dataclasses
    import json

    from debriscope.sensors.sites import shipped_sites

    def write(run_dir, sites=("clear",)):
        radars = [dataclasses.asdict(r) for name in sites for r in shipped_sites()[name]]
        (run_dir / "radars.json").write_text(json.dumps({"radars": radars}), encoding="utf-8")

    return write
