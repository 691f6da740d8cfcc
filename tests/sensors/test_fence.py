"""Radio fence: plane crossings against an independent root-finder, the bistatic radar equation,
noise-free interferometer directions equal the geometry, triangulation, and bad tables."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq
from sensors_helpers import cloud, kepler_chunk, kepler_states

from debriscope.errors import ScenarioError
from debriscope.frames import teme_to_itrf
from debriscope.sensors import simulate_detections
from debriscope.sensors.ephemeris import SampledStates
from debriscope.sensors.fence import Fence, FenceStation, bistatic_snr, plane_crossings, triangulate
from debriscope.sensors.geometry import site_teme, topocentric

N = 12
WINDOW_S = 6 * 3600.0


def make_fence(**overrides) -> Fence:
    stations = (
        FenceStation(name="tx", latitude_deg=33.55, longitude_deg=-98.76, gain_dbi=34.0, power_w=1e12),
        FenceStation(name="rx_w", latitude_deg=32.58, longitude_deg=-116.97, gain_dbi=25.0),
        FenceStation(name="rx_e", latitude_deg=32.04, longitude_deg=-81.93, gain_dbi=25.0),
        FenceStation(name="rx_c", latitude_deg=33.44, longitude_deg=-106.99, gain_dbi=25.0),
    )
    base = dict(name="fence", stations=stations, frequency_hz=108.5e6, beam_thickness_deg=1.0, min_elevation_deg=5.0,
                bandwidth_hz=20.0, noise_temperature_k=1100.0, losses_db=6.0, sigma_direction_cosine=0.0)
    base.update(overrides)
    return Fence(**base)


def test_bistatic_snr_worked_example():
    # P 560 kW, Gt 34 dB, Gr 25 dB, 108.5 MHz, sigma 1e-3 m^2, Rt = 700 km, Rr = 500 km, 20 Hz, 1100 K, 6 dB
    lam = 299792458.0 / 108.5e6
    pr = 560e3 * 10**3.4 * 10**2.5 * lam**2 * 1e-3 / ((4 * np.pi) ** 3 * 700e3**2 * 500e3**2 * 10**0.6)
    expected = pr / (1.380649e-23 * 1100.0 * 20.0)
    # by hand: Pt Gt Gr lambda^2 sigma = 3.396e9; (4 pi)^3 Rt^2 Rr^2 L = 9.678e26; Pr = 3.509e-18 W;
    # kTB = 3.037e-19 W; SNR = 11.55 (10.6 dB)
    assert expected == pytest.approx(11.55, rel=1e-3)
    got = bistatic_snr(700e3, 500e3, 1e-3, power_w=560e3, gain_tx=10**3.4, gain_rx=10**2.5, wavelength_m=lam,
                       integration_s=1 / 20.0, noise_temperature_k=1100.0, losses=10**0.6)
    assert float(got) == pytest.approx(expected, rel=1e-12)


def test_bistatic_equals_monostatic_when_colocated():
    from debriscope.sensors.radar_equation import snr_single_pulse

    args = dict(wavelength_m=0.7, noise_temperature_k=500.0, losses=3.0)
    mono = snr_single_pulse(1e6, 0.5, peak_power_w=1e6, gain=1e4, pulse_width_s=1e-3, **args)
    bi = bistatic_snr(1e6, 1e6, 0.5, power_w=1e6, gain_tx=1e4, gain_rx=1e4, integration_s=1e-3, **args)
    assert float(bi) == pytest.approx(float(mono), rel=1e-12)


@pytest.fixture
def sampled(t_event):
    state0 = cloud(N, raan_deg=300.0)
    times = t_event + np.arange(0.0, WINDOW_S + 1, 60.0)
    return state0, SampledStates(times, kepler_states(state0, t_event, times), np.arange(N))


def test_plane_crossings_match_an_independent_root_finder(sampled, t_event):
    state0, s = sampled
    pole = make_fence().pole_itrf()

    def d(t, i):
        r = kepler_states(state0[:, i:i + 1], t_event, np.array([t]))[0][:3]
        return float(pole @ teme_to_itrf(r, None, t)[0][:, 0])

    cross = plane_crossings(pole, s)
    assert cross.t_tt_s.size >= 2 * N  # several revolutions each, two crossings per revolution
    expected = []
    fine = np.arange(s.times_tt_s[0], s.times_tt_s[-1], 10.0)
    states = kepler_states(state0, t_event, fine)  # (T, 6, N)
    for i in range(N):
        r_itrf = teme_to_itrf(states[:, :3, i].T, None, fine)[0]
        vals = pole @ r_itrf
        for k in np.flatnonzero(np.sign(vals[:-1]) != np.sign(vals[1:])):
            expected.append((i, brentq(d, fine[k], fine[k + 1], args=(i,), xtol=1e-6)))
    got = sorted(zip(cross.col.tolist(), cross.t_tt_s.tolist(), strict=True))
    assert len(got) == len(expected)
    for (ci, ct), (ei, et) in zip(got, sorted(expected), strict=True):
        assert ci == ei and abs(ct - et) < 1e-3  # Hermite interpolation of 60 s samples: ms level


def test_noise_free_fence_directions_equal_the_geometry_and_triangulate(t_event):
    fence = make_fence()
    state0 = cloud(N, raan_deg=300.0)
    res = simulate_detections([fence], state0, t_event, np.full(N, 1.0), kepler_chunk, np.random.default_rng(3),
                              t_end_tt_s=t_event + WINDOW_S, step_s=60.0, chunk_s=3600.0)
    tab = res.table([fence], np.arange(1, N + 1))
    assert res.t_tt_s.size > 0
    assert set(tab["sensor_kind"]) == {"fence"} and set(tab["measurement"]) == {"crossing_dcos"}
    assert np.all(np.isnan(tab["range_m"])) and not tab["needs_prediction"].any()
    stations = {s.name: s for s in fence.stations}
    for k in range(min(res.t_tt_s.size, 40)):
        st = stations[res.beam[k]]
        t = res.t_tt_s[k]
        truth = kepler_states(state0[:, res.fragment_index[k]:res.fragment_index[k] + 1], t_event, np.array([t]))[0]
        _, az, el, _ = topocentric(site_teme(st.latitude_deg, st.longitude_deg, st.altitude_m, [t]), truth[:3], truth[3:])
        assert res.dcos_east[k] == pytest.approx(np.cos(el[0]) * np.sin(az[0]), abs=2e-6)  # Hermite, 60 s samples (0.2 m at ~1000 km)
        assert res.dcos_north[k] == pytest.approx(np.cos(el[0]) * np.cos(az[0]), abs=2e-6)  # Hermite, 60 s samples (0.2 m at ~1000 km)
        assert el[0] >= np.radians(fence.min_elevation_deg) - 1e-9
    # two receivers hearing one crossing give its position
    pairs = {}
    for k in range(res.t_tt_s.size):
        pairs.setdefault((res.fragment_index[k], round(res.t_tt_s[k], 3)), []).append(k)
    both = [ks for ks in pairs.values() if len(ks) >= 2]
    assert both
    for ks in both[:5]:
        t = res.t_tt_s[ks[0]]
        pos = triangulate([stations[res.beam[k]] for k in ks], t, res.dcos_east[ks], res.dcos_north[ks])
        truth = kepler_states(state0[:, res.fragment_index[ks[0]]:res.fragment_index[ks[0]] + 1], t_event, np.array([t]))[0]
        assert np.linalg.norm(pos - truth[:3, 0]) < 5.0


def test_fence_rates_equal_the_time_derivative_of_the_noise_free_directions(t_event):
    """The reported rates (noise 1e-12/s) against central differences, +-0.5 s, of the direction
    cosines of the two-body truth seen from the rotating station (an independent computation)."""
    fence = make_fence(sigma_direction_cosine_rate_per_s=1e-12)
    state0 = cloud(N, raan_deg=300.0)
    res = simulate_detections([fence], state0, t_event, np.full(N, 1.0), kepler_chunk, np.random.default_rng(3),
                              t_end_tt_s=t_event + WINDOW_S, step_s=60.0, chunk_s=3600.0)
    tab = res.table([fence], np.arange(1, N + 1))
    assert np.allclose(tab["sigma_dcos_rate_per_s"], 1e-12)
    stations = {s.name: s for s in fence.stations}
    dt = 0.5
    for k in range(min(res.t_tt_s.size, 30)):
        st = stations[res.beam[k]]
        t = res.t_tt_s[k] + np.array([-dt, dt])
        x0 = state0[:, res.fragment_index[k]:res.fragment_index[k] + 1]
        dcos = []
        for tj in t:
            truth = kepler_states(x0, t_event, np.array([tj]))[0]
            _, az, el, _ = topocentric(site_teme(st.latitude_deg, st.longitude_deg, st.altitude_m, [tj]), truth[:3],
                                       truth[3:])
            dcos.append([np.cos(el[0]) * np.sin(az[0]), np.cos(el[0]) * np.cos(az[0])])
        rate = (np.array(dcos[1]) - np.array(dcos[0])) / (2 * dt)
        # the Hermite velocity of 60 s samples is good to ~0.5 m/s, 1e-4 of the speed: 5e-7/s at 1,000 km
        assert res.dcos_east_rate_per_s[k] == pytest.approx(rate[0], rel=1e-4, abs=1e-6)
        assert res.dcos_north_rate_per_s[k] == pytest.approx(rate[1], rel=1e-4, abs=1e-6)
    quiet = simulate_detections([make_fence()], state0, t_event, np.full(N, 1.0), kepler_chunk,
                                np.random.default_rng(3), t_end_tt_s=t_event + WINDOW_S, step_s=60.0, chunk_s=3600.0)
    assert np.all(np.isnan(quiet.dcos_east_rate_per_s))  # no rate sigma: no rates reported


def test_fence_does_not_see_small_rayleigh_objects(t_event):
    # 1962 fence parameters (560 kW): a 5 cm fragment (RCS ~1e-7 m^2 at 2.8 m) stays below the threshold
    fence = make_fence(stations=(
        FenceStation(name="tx", latitude_deg=33.55, longitude_deg=-98.76, gain_dbi=34.0, power_w=560e3),
        FenceStation(name="rx_w", latitude_deg=32.58, longitude_deg=-116.97, gain_dbi=25.0)))
    state0 = cloud(N, raan_deg=300.0)
    res = simulate_detections([fence], state0, t_event, np.full(N, 0.05), kepler_chunk, np.random.default_rng(3),
                              t_end_tt_s=t_event + WINDOW_S, step_s=60.0, chunk_s=3600.0)
    assert res.t_tt_s.size == 0


@pytest.mark.parametrize(("override", "key"), [
    ({"frequency_hz": -1.0}, "fence.frequency_hz"),
    ({"beam_thickness_deg": 0.0}, "fence.beam_thickness_deg"),
    ({"pfa": 0.9}, "fence.pfa"),
    ({"stations": (FenceStation(name="rx", latitude_deg=30.0, longitude_deg=-100.0, gain_dbi=20.0),)}, "fence.stations"),
    ({"stations": (FenceStation(name="tx", latitude_deg=95.0, longitude_deg=-100.0, gain_dbi=20.0, power_w=1.0),
                   FenceStation(name="rx", latitude_deg=30.0, longitude_deg=-90.0, gain_dbi=20.0))}, "fence.stations[0].latitude_deg"),
])
def test_bad_fence_values_name_the_key(override, key):
    with pytest.raises(ScenarioError) as err:
        make_fence(**override)
    assert err.value.key == key


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(rt=st.floats(1e5, 5e6), rr=st.floats(1e5, 5e6), k=st.floats(1.1, 10.0))
def test_bistatic_snr_falls_as_the_product_of_squared_ranges(rt, rr, k):
    kw = dict(power_w=1e5, gain_tx=100.0, gain_rx=50.0, wavelength_m=2.76, integration_s=0.05, noise_temperature_k=1e3)
    base = float(bistatic_snr(rt, rr, 1e-2, **kw))
    assert float(bistatic_snr(rr, rt, 1e-2, **kw)) == pytest.approx(base, rel=1e-12)  # symmetric in the ranges
    assert float(bistatic_snr(rt * k, rr, 1e-2, **kw)) == pytest.approx(base / k**2, rel=1e-12)
