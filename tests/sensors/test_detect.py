"""Detection simulation: exact noise-free geometry, coverage limits, trackers, determinism."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from sensors_helpers import cloud, kepler_chunk, kepler_states

from debriscope.sensors import Radar, simulate_detections
from debriscope.sensors.geometry import site_teme, subsatellite_point_deg, topocentric

N = 40
WINDOW_S = 3600.0
INTERP_TOL = {20.0: (0.05, 1e-6, 1e-3), 60.0: (1.0, 1e-4, 0.05)}
"""Cubic Hermite interpolation in low orbit (error ~ step^4; Montenbruck & Gill sec. 4.3): range (m),
angles (deg), range rate (m/s) for 20 s steps and for the default 60 s steps."""
INTERP_RANGE_TOL_M, INTERP_ANGLE_TOL_DEG, INTERP_RATE_TOL_MPS = INTERP_TOL[20.0]
FAN_EDGE_TOL_DEG = 0.01
"""The time in a fan is thickness / (elevation rate at the crossing); the rate's change over the few
seconds in the beam moves the edges by thousandths of a degree."""


@pytest.fixture
def setup(t_event):
    state0 = cloud(N)
    mid = kepler_states(state0[:, :1], t_event, np.array([t_event + 1500.0]))[0]
    lat, lon = subsatellite_point_deg(mid[:3], np.array([t_event + 1500.0]))
    lc = np.full(N, 1.0)
    return state0, t_event, lc, float(lat[0]), float(lon[0]) + 3.0


def make_radar(lat, lon, **overrides) -> Radar:
    base = dict(
        name="test_fan", site="test", latitude_deg=lat, longitude_deg=lon, altitude_m=0.0, mode="fan",
        fan_names=("fan_low", "fan_high"), fan_elevations_deg=(10.0, 30.0), fan_thickness_deg=1.0,
        max_range_m=5e6, peak_power_w=1e9, gain_dbi=50.0, frequency_hz=440e6, pulse_width_s=1e-3,
        noise_temperature_k=500.0, losses_db=0.0, pfa=1e-6, swerling=1, sigma_range_m=0.0,
        sigma_azimuth_deg=0.0, sigma_elevation_deg=0.0, sigma_range_rate_mps=0.0, scan_period_s=1.0,
    )
    base.update(overrides)
    return Radar(**base)


def run(radars, setup, seed=0, window_s=WINDOW_S, step_s=20.0):
    state0, t0, lc, _, _ = setup
    res = simulate_detections(radars, state0, t0, lc, kepler_chunk, np.random.default_rng(seed),
                              t_end_tt_s=t0 + window_s, step_s=step_s, chunk_s=1200.0)
    return res, res.table(radars, np.arange(1, N + 1))


def exact(radar, setup, res):
    """Geometry at the reported times from the two-body states themselves (no interpolation)."""
    state0, t0, *_ = setup
    out = []
    for t, i in zip(res.t_tt_s, res.fragment_index, strict=True):
        s = kepler_states(state0[:, i:i + 1], t0, np.array([t]))[0]
        out.append([a[0] for a in topocentric(site_teme(radar.latitude_deg, radar.longitude_deg, radar.altitude_m, [t]), s[:3], s[3:])])
    return np.array(out).T


@pytest.mark.parametrize("step_s", sorted(INTERP_TOL))
def test_noise_free_fan_measurements_equal_the_exact_geometry(setup, step_s):
    radar = make_radar(*setup[3:])
    res, tab = run([radar], setup, step_s=step_s)
    assert res.t_tt_s.size > 20  # every fragment passes near the site
    rng_m, az, el, rate = exact(radar, setup, res)
    tol_range, tol_angle, tol_rate = INTERP_TOL[step_s]
    assert np.allclose(res.range_m, rng_m, rtol=0, atol=tol_range)
    assert np.allclose(res.azimuth_deg, np.degrees(az), rtol=0, atol=tol_angle)
    assert np.allclose(res.elevation_deg, np.degrees(el), rtol=0, atol=tol_angle)
    assert np.allclose(res.range_rate_mps, rate, rtol=0, atol=tol_rate)
    # reported while inside the fan that saw it
    fan = np.where(tab["beam"] == "fan_low", 10.0, 30.0)
    assert np.all(np.abs(res.elevation_deg - fan) <= radar.fan_thickness_deg / 2 + FAN_EDGE_TOL_DEG)
    assert set(tab["beam"]) == {"fan_low", "fan_high"}


def test_noise_free_tracker_measurements_equal_the_exact_geometry(setup):
    fan = make_radar(*setup[3:])
    tracker = make_radar(*setup[3:], name="test_trk", mode="tracker", min_elevation_deg=5.0, dwell_s=30.0,
                         cue_delay_s=5.0, scan_period_s=2.0)
    res, tab = run([fan, tracker], setup)
    sel = tab["beam"] == "tracker"
    assert sel.sum() > 10
    trk = dataclasses.replace(res, **{k: getattr(res, k)[sel] for k in (
        "t_tt_s", "radar", "beam", "fragment_index", "range_m", "azimuth_deg", "elevation_deg", "range_rate_mps", "snr_db")})
    rng_m, az, el, rate = exact(tracker, setup, trk)
    assert np.allclose(trk.range_m, rng_m, rtol=0, atol=INTERP_RANGE_TOL_M)
    assert np.allclose(trk.elevation_deg, np.degrees(el), rtol=0, atol=INTERP_ANGLE_TOL_DEG)
    assert np.all(trk.elevation_deg >= 5.0)
    # measurements of a cue are 2 s apart; one tracker follows one target at a time
    spans = []
    for i in np.unique(trk.fragment_index):
        t = trk.t_tt_s[trk.fragment_index == i]
        steps = np.diff(t) / 2.0
        assert np.allclose(steps, np.round(steps), atol=1e-6)
        assert t[-1] - t[0] <= 30.0 + 1e-6
        spans.append((t[0], t[-1]))
    spans.sort()
    assert all(b[0] > a[1] for a, b in zip(spans, spans[1:], strict=False))


def test_outside_the_sector_is_never_detected(setup):
    lat, lon = setup[3:]
    east = make_radar(lat, lon, name="east", azimuth_min_deg=45.0, azimuth_max_deg=135.0)
    rest = make_radar(lat, lon, name="rest", azimuth_min_deg=135.0, azimuth_max_deg=45.0)
    res, tab = run([east, rest], setup)
    az_east = res.azimuth_deg[tab["sensor"] == "east"]
    az_rest = res.azimuth_deg[tab["sensor"] == "rest"]
    assert az_east.size > 0 and az_rest.size > 0
    assert np.all((az_east >= 45.0) & (az_east <= 135.0))
    assert not np.any((az_rest > 45.0) & (az_rest < 135.0))


def test_beyond_range_is_never_detected(setup):
    lat, lon = setup[3:]
    far, _ = run([make_radar(lat, lon)], setup)
    limit = float(np.median(far.range_m))
    near, _ = run([make_radar(lat, lon, max_range_m=limit)], setup)
    assert np.any(far.range_m > limit)
    assert near.range_m.size > 0 and np.all(near.range_m <= limit)


def test_below_the_horizon_is_never_detected(setup):
    # a 64.9 deg orbit below 500 km never rises above the horizon of the South Pole (>= 24 deg of arc
    # from the pole, horizon reach <= 22 deg)
    state0, t0, *_ = setup
    fan = make_radar(-89.9, 0.0, fan_elevations_deg=(0.0, 0.5))
    trk = make_radar(-89.9, 0.0, name="pole_trk", mode="tracker", min_elevation_deg=-5.0)
    res, _ = run([fan, trk], setup, window_s=6000.0)
    times = t0 + np.arange(0.0, 6000.0, 60.0)
    states = kepler_states(state0, t0, times)
    _, _, el, _ = topocentric(site_teme(-89.9, 0.0, 0.0, times), np.moveaxis(states[:, :3], 1, 0),
                              np.moveaxis(states[:, 3:], 1, 0))
    assert np.max(el) < 0
    assert res.t_tt_s.size == 0


def test_weak_targets_are_missed_and_snr_is_reported(setup):
    lat, lon = setup[3:]
    res, _ = run([make_radar(lat, lon, peak_power_w=1e-3)], setup)
    assert res.t_tt_s.size == 0
    strong, _ = run([make_radar(lat, lon)], setup)
    assert np.all(strong.snr_db > 10)


def test_same_seed_same_detections_and_noise_is_drawn(setup):
    lat, lon = setup[3:]
    radar = make_radar(lat, lon, sigma_range_m=100.0, sigma_azimuth_deg=0.1, sigma_elevation_deg=0.1,
                       sigma_range_rate_mps=5.0, peak_power_w=3e4)
    _, a = run([radar], setup, seed=3)
    _, b = run([radar], setup, seed=3)
    _, c = run([radar], setup, seed=4)
    for key in a:
        assert np.array_equal(a[key], b[key], equal_nan=a[key].dtype.kind == "f")
    assert a["range_m"].size != c["range_m"].size or not np.array_equal(a["range_m"], c["range_m"])
    assert a["range_m"].size > 0 and np.all(a["sigma_range_m"] == 100.0)


def test_range_rate_not_measured_is_blank(setup):
    lat, lon = setup[3:]
    _, tab = run([make_radar(lat, lon, sigma_range_rate_mps=None)], setup)
    assert tab["range_rate_mps"].size > 0
    assert np.all(np.isnan(tab["range_rate_mps"])) and np.all(np.isnan(tab["sigma_range_rate_mps"]))


def test_noise_free_tasked_opportunities_equal_the_geometry_one_per_pass(setup):
    tasked = make_radar(*setup[3:], name="test_tasked", mode="tasked", min_elevation_deg=5.0)
    res, tab = run([tasked], setup, step_s=20.0)
    assert res.t_tt_s.size > 0
    assert set(tab["sensor_kind"]) == {"radar_tasked"} and tab["needs_prediction"].all()
    rng_m, az, el, rate = exact(tasked, setup, res)
    assert np.allclose(res.range_m, rng_m, rtol=0, atol=INTERP_RANGE_TOL_M)
    assert np.allclose(res.elevation_deg, np.degrees(el), rtol=0, atol=INTERP_ANGLE_TOL_DEG)
    assert np.allclose(res.range_rate_mps, rate, rtol=0, atol=INTERP_RATE_TOL_MPS)
    assert np.all(res.elevation_deg >= 5.0)
    # one opportunity per pass: a fragment's opportunities are a pass apart (not consecutive samples)
    for i in np.unique(res.fragment_index):
        t = np.sort(res.t_tt_s[res.fragment_index == i])
        assert np.all(np.diff(t) > 600.0)


def test_the_azimuth_screen_drops_no_detection(setup, monkeypatch):
    """The look-angle grid skips the azimuth below a site's lowest look; with the screen off (every
    azimuth computed) the fans and tasked trackers give the same rows, bit for bit."""
    import debriscope.sensors.detect as detect
    from debriscope.sensors.geometry import look_grid

    lat, lon = setup[3:]
    radars = [make_radar(lat, lon, sigma_range_m=100.0, sigma_azimuth_deg=0.1, peak_power_w=3e4),
              make_radar(lat, lon, name="test_tasked", mode="tasked", min_elevation_deg=5.0)]
    _, screened = run(radars, setup, seed=5)
    monkeypatch.setattr(detect, "look_grid", lambda site, states, _min_el: look_grid(site, states, -np.inf))
    _, full = run(radars, setup, seed=5)
    assert set(screened["sensor_kind"]) == {"radar_fan", "radar_tasked"}
    for key in screened:
        assert np.array_equal(screened[key], full[key], equal_nan=screened[key].dtype.kind == "f")


def test_a_longer_window_keeps_the_first_days(setup):
    """Rows of the chunks a short window shares with a long one are the same: the cameras' weather is
    drawn per camera and night from its own stream, not a window-long run of the shared generator."""
    from debriscope.sensors import Camera

    state0, t0, lc, lat, lon = setup
    radars = [make_radar(lat, lon, sigma_range_m=100.0, peak_power_w=3e4),
              Camera(name="cam", latitude_deg=lat, longitude_deg=lon, clear_sky_probability=0.5)]
    tables = []
    for days in (1.0, 2.0):
        res = simulate_detections(radars, state0, t0, lc, kepler_chunk, np.random.default_rng(11),
                                  t_end_tt_s=t0 + days * 86400.0, step_s=60.0)
        tab = res.table(radars, np.arange(1, N + 1))
        first = res.t_tt_s <= t0 + 86400.0
        tables.append({k: v[first] for k, v in tab.items()})
    short, long = tables
    assert short["time_utc"].size > 0
    for key in short:
        assert np.array_equal(short[key], long[key], equal_nan=short[key].dtype.kind == "f")
