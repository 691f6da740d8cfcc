"""Object characterisation: the sensors' forward models, then the inversion recovers the size.

Reference values: the forward models (monostatic and bistatic radar equation, diffuse-sphere
magnitude, NASA SEM) are evaluated independently here (the bistatic equation written out from
Skolnik 2001 eq. 10.1), with a known orbit (two-body + J2) standing for the estimate.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from debriscope.constants import BOLTZMANN_J_K
from debriscope.elements import apsides_to_a_e, elements_to_rv
from debriscope.frames import geodetic_to_ecef
from debriscope.propagation.estimator_dynamics import PASS_MODEL, propagate_states
from debriscope.sensors.camera import (
    Camera,
    diameter_from_magnitude_m,
    diffuse_sphere_magnitude,
    sun_direction_teme,
)
from debriscope.sensors.fence import Fence, FenceStation
from debriscope.sensors.geometry import itrf_to_teme_matrices, site_teme
from debriscope.sensors.radar import Radar
from debriscope.sensors.radar_equation import db_to_ratio, ratio_to_db, rcs_from_snr, snr_single_pulse
from debriscope.sensors.sem import rcs_from_size_m2
from debriscope.timescale import tt_s_to_utc_iso, utc_to_tt_s
from debriscope.tracking.characterise import UNKNOWN, characterise

T0 = float(utc_to_tt_s("1962-10-25T03:00:00Z"))
RADAR = Radar(name="uhf", latitude_deg=64.29, longitude_deg=-149.19, max_range_m=5e6, peak_power_w=5e6,
              gain_dbi=38.0, frequency_hz=425e6, pulse_width_s=2e-3, noise_temperature_k=500.0, losses_db=4.0,
              sigma_range_m=100.0, sigma_azimuth_deg=0.1, sigma_elevation_deg=0.1, scan_period_s=5.0)


def orbit_positions(k: int, span_s: float = 600.0) -> tuple[np.ndarray, np.ndarray]:
    """Times (k,) and states (6, k) of a 200 x 450 km, 65 deg orbit (the estimate in these tests)."""
    a, e = apsides_to_a_e(200e3, 450e3)
    r, v = elements_to_rv(a, e, np.radians(65.0), 0.4, 0.3, 0.9)
    times = T0 + np.linspace(0.0, span_s, k)
    return times, propagate_states(np.concatenate([r, v]), T0, times, 0.0, PASS_MODEL)[:, :, 0].T


def table(sensor: str, times: np.ndarray, snr: np.ndarray | None = None, magnitude: np.ndarray | None = None,
          beam: str = "fan_low") -> dict:
    nan = np.full(times.size, np.nan)
    return {
        "time_utc": np.asarray(tt_s_to_utc_iso(times, decimals=6), dtype=str),
        "sensor": np.full(times.size, sensor),
        "beam": np.full(times.size, beam),
        "snr_db": nan if snr is None else ratio_to_db(snr),
        "magnitude": nan if magnitude is None else magnitude,
    }


@given(st.floats(1e-2, 1e3), st.floats(2e5, 5e6))
def test_rcs_from_snr_inverts_the_range_equation(rcs_m2, range_m):
    params = dict(peak_power_w=5e6, gain=db_to_ratio(38.0), wavelength_m=0.7, pulse_width_s=2e-3,
                  noise_temperature_k=500.0, losses=2.5)
    snr = snr_single_pulse(range_m, rcs_m2, **params)
    assert np.isclose(rcs_from_snr(snr, range_m, **params), rcs_m2, rtol=1e-12)


@given(st.floats(0.01, 30.0), st.floats(2e5, 4e6), st.floats(0.0, 3.0))
def test_diameter_from_magnitude_inverts_the_diffuse_sphere(diameter_m, range_m, phase_rad):
    mag = diffuse_sphere_magnitude(diameter_m, range_m, phase_rad, 0.175)
    assert np.isclose(diameter_from_magnitude_m(mag, range_m, phase_rad, 0.175), diameter_m, rtol=1e-9)


def test_radar_size_within_the_swerling_standard_error():
    """Swerling I looks of a 20 cm fragment: the size comes back within its stated error, and the
    stated error covers the truth about as often as a standard error should."""
    lc = 0.2
    times, state = orbit_positions(25)
    site = site_teme(RADAR.latitude_deg, RADAR.longitude_deg, RADAR.altitude_m, times)
    range_m = np.linalg.norm(state[:3] - site.r_teme_m, axis=0)
    mean_snr = RADAR.snr(range_m, rcs_from_size_m2(lc, RADAR.wavelength_m))
    rng = np.random.default_rng(5)
    inside = []
    for _ in range(200):
        snr = mean_snr * rng.exponential(1.0, times.size)
        got = characterise(table("uhf", times, snr), np.arange(times.size), {"uhf": RADAR}, state[:3])
        inside.append(abs(np.log(got.size_m / lc)) <= 2.0 * got.sigma_ln_size)
        assert got.rcs_wavelength_m == RADAR.wavelength_m and got.per_sensor[0].n_rows == times.size
    assert 0.88 <= np.mean(inside) <= 1.0  # 2 sigma: 95 % for a Gaussian in ln size


def test_radar_steady_target_is_recovered_exactly():
    times, state = orbit_positions(3)
    site = site_teme(RADAR.latitude_deg, RADAR.longitude_deg, RADAR.altitude_m, times)
    rcs = 0.37
    snr = RADAR.snr(np.linalg.norm(state[:3] - site.r_teme_m, axis=0), rcs)
    got = characterise(table("uhf", times, snr), np.arange(3), {"uhf": RADAR}, state)
    assert np.isclose(got.rcs_m2, rcs, rtol=1e-9)  # the row mean of a steady target is its RCS
    assert np.isclose(rcs_from_size_m2(got.size_m, RADAR.wavelength_m), rcs, rtol=1e-9)


def test_fence_bistatic_equation_written_out():
    """A fence row's RCS from the bistatic equation (Skolnik 2001 eq. 10.1), ranges by hand."""
    tx = FenceStation(name="tx", latitude_deg=33.0, longitude_deg=-98.0, gain_dbi=20.0, power_w=7.7e5)
    rx = FenceStation(name="rx", latitude_deg=32.0, longitude_deg=-110.0, gain_dbi=30.0)
    fence = Fence(name="fence", stations=(tx, rx), frequency_hz=108e6, beam_thickness_deg=0.1, bandwidth_hz=50.0,
                  noise_temperature_k=1000.0, losses_db=3.0, sigma_direction_cosine=1e-3)
    t = np.array([T0, T0 + 1.0])
    above = np.stack([geodetic_to_ecef(np.radians(33.0), np.radians(-99.0), h).reshape(3) for h in (600e3, 900e3)])
    r = np.einsum("tij,tj->it", itrf_to_teme_matrices(t), above)
    rcs = np.array([0.5, 2.0])
    ranges = [np.linalg.norm(r - site_teme(s.latitude_deg, s.longitude_deg, 0.0, t).r_teme_m, axis=0) for s in (tx, rx)]
    lam = 299792458.0 / 108e6
    snr = (7.7e5 * 100.0 * 1000.0 * lam**2 * rcs / ((4 * np.pi) ** 3 * ranges[0] ** 2 * ranges[1] ** 2 * db_to_ratio(3.0))
           / 50.0 / (BOLTZMANN_J_K * 1000.0))  # integration 1/B: no velocity given
    got = characterise(table("fence", t, snr, beam="rx"), np.arange(2), {"fence": fence}, r)
    assert np.isclose(got.rcs_m2, rcs.mean(), rtol=1e-9)
    assert got.rcs_wavelength_m == fence.wavelength_m


def test_camera_diameter_and_sensor_weighting():
    """Camera rows give the diameter; with a radar too the size is the row-weighted geometric mean."""
    cam = Camera(name="cam", latitude_deg=32.4, longitude_deg=-106.6, clear_sky_probability=1.0)
    times, state = orbit_positions(4)
    site = site_teme(cam.latitude_deg, cam.longitude_deg, cam.altitude_m, times)
    rho = state[:3] - site.r_teme_m
    rng_m = np.linalg.norm(rho, axis=0)
    phase = np.arccos(-np.einsum("im,im->m", rho / rng_m, sun_direction_teme(times)))
    mag = diffuse_sphere_magnitude(0.8, rng_m, phase, cam.albedo)
    det = table("cam", times, magnitude=mag)
    got = characterise(det, np.arange(4), {"cam": cam}, state[:3])
    assert np.isclose(got.size_m, 0.8, rtol=1e-9) and np.isnan(got.rcs_m2)
    radar_rows = table("uhf", times[:2], RADAR.snr(np.linalg.norm(state[:3, :2] - site_teme(
        RADAR.latitude_deg, RADAR.longitude_deg, 0.0, times[:2]).r_teme_m, axis=0), rcs_from_size_m2(0.4, RADAR.wavelength_m)))
    both = {k: np.concatenate([det[k], radar_rows[k]]) for k in det}
    est = np.concatenate([state[:3], state[:3, :2]], axis=1)
    got = characterise(both, np.arange(6), {"cam": cam, "uhf": RADAR}, est)
    assert np.isclose(got.size_m, np.exp((4 * np.log(0.8) + 2 * np.log(0.4)) / 6), rtol=1e-9)
    assert got.sigma_ln_size > 0.3  # the sensors disagree: the spread says so


def test_unknown_without_usable_rows():
    times, state = orbit_positions(2)
    det = table("elsewhere", times, np.ones(2))
    assert characterise(det, np.arange(2), {"uhf": RADAR}, state[:3]) == UNKNOWN
    assert characterise(det, np.empty(0, dtype=int), {"uhf": RADAR}, np.empty((3, 0))) == UNKNOWN
    nan_est = np.full((3, 2), np.nan)
    assert np.isnan(characterise(table("uhf", times, np.ones(2)), np.arange(2), {"uhf": RADAR}, nan_est).size_m)


def test_radar_rows_use_the_range_they_measured():
    """A radar row's measured range comes before the estimate (here absent): the monostatic
    equation inverted at that range."""
    times, _ = orbit_positions(2)
    det = table("uhf", times, np.array([20.0, 40.0]))
    det["range_m"] = np.array([900e3, 1100e3])
    got = characterise(det, np.arange(2), {"uhf": RADAR}, np.full((3, 2), np.nan))
    want = np.mean([RADAR.snr(r, 1.0) ** -1 * s for r, s in zip(det["range_m"], (20.0, 40.0), strict=True)])
    assert np.isclose(got.rcs_m2, want, rtol=1e-9)
