"""Baker-Nunn cameras: no detection in the Earth's shadow or in daylight (Sun from astropy/ERFA),
noise-free RA/Dec equal the geometry, the diffuse-sphere magnitude against a numerical integral,
pass peaks, bad values."""

from __future__ import annotations

import numpy as np
import pytest
from astropy import units as u
from astropy.coordinates import TEME, AltAz, CartesianRepresentation, EarthLocation, get_body
from astropy.time import Time
from sensors_helpers import cloud, kepler_chunk, kepler_states

from debriscope.errors import ScenarioError
from debriscope.sensors import simulate_detections
from debriscope.sensors.camera import Camera, diffuse_sphere_magnitude, pass_peaks, sun_direction_teme
from debriscope.sensors.geometry import site_teme
from debriscope.timescale import tt_s_to_utc_iso

N = 60
WINDOW_S = 2 * 86400.0


def make_camera(**overrides) -> Camera:
    base = dict(name="cam", latitude_deg=32.42, longitude_deg=-106.56, altitude_m=1650.0, min_elevation_deg=15.0,
                sun_depression_deg=12.0, limiting_magnitude=25.0, albedo=0.175, clear_sky_probability=1.0,
                sigma_angle_arcsec=0.0)
    base.update(overrides)
    return Camera(**base)


def _astropy_time(t_tt_s):
    return Time(np.asarray(tt_s_to_utc_iso(np.atleast_1d(t_tt_s), decimals=6), dtype=str).reshape(-1), scale="utc")


@pytest.fixture(scope="module")
def camera_run():
    from debriscope.timescale import utc_to_tt_s

    t0 = float(utc_to_tt_s("1962-10-24T18:56:00Z"))
    cams = [make_camera(), make_camera(name="cam_s", latitude_deg=-31.10, longitude_deg=136.78, altitude_m=150.0)]
    state0 = np.hstack([cloud(N // 2, seed=4, raan_deg=r) for r in (200.0, 300.0)])
    res = simulate_detections(cams, state0, t0, np.full(N, 1.0), kepler_chunk, np.random.default_rng(5),
                              t_end_tt_s=t0 + WINDOW_S, step_s=30.0, chunk_s=6 * 3600.0)
    return cams, state0, t0, res


def test_cameras_see_only_sunlit_objects_from_dark_stations(camera_run):
    cams, state0, t0, res = camera_run
    assert res.t_tt_s.size >= 5
    by_name = {c.name: c for c in cams}
    t = _astropy_time(res.t_tt_s)
    sun = get_body("sun", t)
    for k in range(res.t_tt_s.size):
        cam = by_name[res.radar[k]]
        loc = EarthLocation.from_geodetic(cam.longitude_deg * u.deg, cam.latitude_deg * u.deg, cam.altitude_m * u.m)
        alt = sun[k].transform_to(AltAz(obstime=t[k], location=loc)).alt.deg
        assert alt <= -cam.sun_depression_deg + 0.02  # station in darkness
        s = kepler_states(state0[:, res.fragment_index[k]:res.fragment_index[k] + 1], t0, np.array([res.t_tt_s[k]]))[0]
        obj = TEME(CartesianRepresentation(s[:3, 0] * u.m), obstime=t[k]).transform_to(sun[k].frame)
        r = obj.cartesian.xyz.to_value(u.m)
        sdir = sun[k].cartesian.xyz.to_value(u.m)
        sdir = sdir / np.linalg.norm(sdir)
        along = r @ sdir
        assert along >= 0 or np.linalg.norm(r - along * sdir) > 6378137.0 - 2e3  # sunlit (cylinder; 2 km: frames)


def test_noise_free_camera_angles_equal_the_geometry(camera_run):
    cams, state0, t0, res = camera_run
    by_name = {c.name: c for c in cams}
    for k in range(res.t_tt_s.size):
        cam = by_name[res.radar[k]]
        s = kepler_states(state0[:, res.fragment_index[k]:res.fragment_index[k] + 1], t0, np.array([res.t_tt_s[k]]))[0]
        rho = s[:3, 0] - site_teme(cam.latitude_deg, cam.longitude_deg, cam.altitude_m, [res.t_tt_s[k]]).r_teme_m[:, 0]
        assert res.ra_deg[k] == pytest.approx(np.degrees(np.arctan2(rho[1], rho[0])) % 360.0, abs=1e-9)
        assert res.dec_deg[k] == pytest.approx(np.degrees(np.arcsin(rho[2] / np.linalg.norm(rho))), abs=1e-9)
        assert np.isnan(res.range_m[k]) and np.isfinite(res.magnitude[k])


def test_sun_direction_agrees_with_erfa():
    t = np.linspace(-1.2e9, -1.1e9, 7)  # 1962 - 1965, TT s from J2000
    ours = sun_direction_teme(t)
    ref = get_body("sun", _astropy_time(t)).transform_to(TEME(obstime=_astropy_time(t)))
    ref = ref.cartesian.xyz.value
    ref = ref / np.linalg.norm(ref, axis=0)
    sep = np.degrees(np.arccos(np.clip(np.sum(ours * ref, axis=0), -1, 1)))
    assert np.all(sep < 0.02)  # Astronomical Almanac low-precision formula: about 0.01 deg


@pytest.mark.parametrize("phase_deg", [0.0, 45.0, 90.0, 135.0])
def test_diffuse_sphere_magnitude_against_a_numerical_integral(phase_deg):
    # Lambertian sphere: radiance (rho / pi) E cos(i) seen at cos(e); integrate over the surface
    d, rho, rng_m = 1.0, 0.2, 1.0e6
    phi = np.radians(phase_deg)
    th, ph = np.meshgrid(np.linspace(0, np.pi, 801), np.linspace(0, 2 * np.pi, 1601), indexing="ij")
    normal = np.stack([np.sin(th) * np.cos(ph), np.sin(th) * np.sin(ph), np.cos(th)])
    sun = np.array([1.0, 0.0, 0.0])
    obs = np.array([np.cos(phi), np.sin(phi), 0.0])
    ci = np.maximum(np.tensordot(sun, normal, 1), 0)
    ce = np.maximum(np.tensordot(obs, normal, 1), 0)
    da = (d / 2) ** 2 * np.sin(th) * (np.pi / 800) * (2 * np.pi / 1600)
    ratio = np.sum(rho / np.pi * ci * ce * da) / rng_m**2  # flux / solar flux
    expected = -26.74 - 2.5 * np.log10(ratio)
    assert float(diffuse_sphere_magnitude(d, rng_m, phi, rho)) == pytest.approx(expected, abs=0.01)


def test_pass_peaks_pick_the_highest_sample_of_each_run():
    mask = np.array([[1, 0], [1, 1], [0, 1], [1, 1], [1, 0]], dtype=bool)
    score = np.array([[1, 0], [2, 5], [0, 3], [7, 4], [6, 0]], dtype=float)
    k, col = pass_peaks(mask, score)
    assert list(zip(k.tolist(), col.tolist(), strict=True)) == [(1, 0), (3, 0), (1, 1)]


def test_cloudy_nights_and_bright_limits_remove_opportunities(camera_run):
    cams, state0, t0, res = camera_run
    cloudy = [make_camera(clear_sky_probability=0.0), make_camera(name="dim", limiting_magnitude=-5.0)]
    none = simulate_detections(cloudy, state0, t0, np.full(N, 1.0), kepler_chunk, np.random.default_rng(5),
                               t_end_tt_s=t0 + WINDOW_S, step_s=30.0, chunk_s=6 * 3600.0)
    assert none.t_tt_s.size == 0


@pytest.mark.parametrize(("override", "key"), [
    ({"clear_sky_probability": 1.5}, "cam.clear_sky_probability"),
    ({"sun_depression_deg": -3.0}, "cam.sun_depression_deg"),
    ({"albedo": 0.0}, "cam.albedo"),
    ({"latitude_deg": 91.0}, "cam.latitude_deg"),
])
def test_bad_camera_values_name_the_key(override, key):
    with pytest.raises(ScenarioError) as err:
        make_camera(**override)
    assert err.value.key == key


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(d=st.floats(0.01, 10.0), r=st.floats(1e5, 4e7), phi=st.floats(0.0, 3.1), dphi=st.floats(0.01, 0.5),
       k=st.floats(1.1, 10.0))
def test_diffuse_sphere_dims_with_phase_and_range_and_brightens_with_size(d, r, phi, dphi, k):
    m = float(diffuse_sphere_magnitude(d, r, phi, 0.2))
    assert float(diffuse_sphere_magnitude(d, r, min(phi + dphi, np.pi), 0.2)) > m
    assert float(diffuse_sphere_magnitude(d, r * k, phi, 0.2)) == pytest.approx(m + 5 * np.log10(k), abs=1e-9)
    assert float(diffuse_sphere_magnitude(d * k, r, phi, 0.2)) == pytest.approx(m - 5 * np.log10(k), abs=1e-9)
