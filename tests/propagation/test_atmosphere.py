"""Density: NRLMSIS through pymsis with explicit indices, and its per-day grid."""

from __future__ import annotations

import os

import numpy as np
import pytest
from pymsis import msis

from debriscope import spaceweather
from debriscope.propagation import ConstantIndices, DensityGrid, Exponential, HistoricalIndices, Nrlmsis
from debriscope.propagation.atmosphere import _utc_datetime64
from debriscope.timescale import utc_to_tt_s

POINTS = [  # (UTC, alt km, lat deg, lon deg)
    ("1962-10-24T19:00:00Z", 180.0, 10.0, 30.0),
    ("1962-10-26T03:30:00Z", 250.0, -55.0, 200.0),
    ("1962-11-15T12:00:00Z", 400.0, 64.0, 300.0),
]


@pytest.mark.parametrize("version,pym", [("00", 0), ("2.1", 2.1)])
@pytest.mark.parametrize("utc,alt,lat,lon", POINTS)
def test_nrlmsis_equals_pymsis_with_same_indices(version, pym, utc, alt, lat, lon):
    """Our wrapper gives pymsis's own number for the table's indices (exact, same code path)."""
    t = utc_to_tt_s(utc)
    idx = spaceweather.indices(t)
    direct = msis.calculate(np.array([np.datetime64(utc[:-1])]), [lon], [lat], [alt], idx.f107_sfu,
                            idx.f107a_sfu, idx.ap, version=pym)[0, 0]
    ours = Nrlmsis(version, HistoricalIndices()).density_kg_m3(t, alt, lat, lon)[0]
    assert ours == pytest.approx(direct, rel=1e-9)


def test_utc_conversion_is_exact_to_a_microsecond():
    t = utc_to_tt_s("1962-10-24T19:00:00.25Z")
    assert _utc_datetime64(t)[0] == np.datetime64("1962-10-24T19:00:00.250000")


def test_grid_matches_nrlmsis_within_interpolation_error():
    """The default grid (3-50 km x 7.5 deg x 1 h, 12-hour slices) against direct NRLMSIS 2.1 calls
    at 400 random points and times over one day. Measured: below 250 km (where lifetimes are
    decided) ln(rho) rms 1.4 %, mean -0.01 %; over 120-600 km rms 4.4 %, mean 0.8 % (NRLMSIS's
    UT/longitude terms between the slices). Tolerances: 2 % and 0.5 % below 250 km, 6 % and 1.5 %
    overall. The lifetime consequence (< 0.4 %) is checked against the reference in test_decay."""
    rng = np.random.default_rng(7)
    msis_model = Nrlmsis("2.1", HistoricalIndices())
    t0 = utc_to_tt_s("1962-10-24T00:00:00Z")
    grid = DensityGrid.starting(msis_model, t0)
    n = 400
    t = t0 + rng.uniform(0, 86400.0, n)
    alt = rng.uniform(120.0, 600.0, n)
    lat = rng.uniform(-80.0, 80.0, n)
    lon = rng.uniform(0.0, 360.0, n)
    err = np.log(grid.density_kg_m3(t, alt, lat, lon) / msis_model.density_kg_m3(t, alt, lat, lon))
    low = alt < 250.0
    assert np.std(err[low]) < 0.02 and abs(np.mean(err[low])) < 0.005
    assert np.std(err) < 0.06 and abs(np.mean(err)) < 0.015


def test_grid_is_exact_at_nodes():
    """At a slice's centre time and a grid node the grid returns NRLMSIS's value (to rounding)."""
    msis_model = Nrlmsis("2.1", ConstantIndices(85.0, 15.0))
    t0 = utc_to_tt_s("1962-10-24T00:00:00Z")
    grid = DensityGrid.starting(msis_model, t0)
    t_mid = grid.t_origin_tt_s + 1.5 * grid.slice_s  # centre of slice 1
    ut_h = 1.5 * grid.slice_s / 3600.0
    lon = 15.0 * (14.0 - ut_h)  # local solar time 14 h
    ax = grid.axes
    alt, lat = ax.alt_km[30], ax.lat0_deg + 10 * ax.dlat_deg
    got = grid.density_kg_m3(t_mid, alt, lat, lon)[0]
    assert got == pytest.approx(msis_model.density_kg_m3(t_mid, alt, lat, lon)[0], rel=1e-6)


def test_constant_indices_are_used_and_validated():
    src = ConstantIndices(85.0, 15.0)
    idx = src.indices(np.zeros(2))
    assert idx.f107_sfu.tolist() == [85.0, 85.0] and np.all(idx.ap == 15.0)
    with pytest.raises(ValueError, match="F10.7"):
        ConstantIndices(-1.0, 15.0)


def test_exponential_model_table_values():
    """Vallado (2013) table 8-4: 1.905e-5 kg/m^3 at 80 km (band base), 2.789e-10 at 200 km."""
    rho = Exponential().density_kg_m3(0.0, [80.0, 200.0], 0.0, 0.0)
    np.testing.assert_allclose(rho, [1.905e-5, 2.789e-10], rtol=1e-12)


def test_storm_time_mode_uses_3_hourly_ap():
    """ap_mode 'storm_time' = MSIS switch 9 = -1 with the 7-element ap history (pymsis docs);
    its grid is sliced every 3 h to follow the 3-hourly ap."""
    utc, alt, lat, lon = POINTS[0]
    t = utc_to_tt_s(utc)
    idx = spaceweather.indices(t)
    direct = msis.calculate(np.array([np.datetime64(utc[:-1])]), [lon], [lat], [alt], idx.f107_sfu,
                            idx.f107a_sfu, idx.ap, version=2.1, geomagnetic_activity=-1)[0, 0]
    storm = Nrlmsis("2.1", HistoricalIndices(), storm_time=True)
    assert storm.density_kg_m3(t, alt, lat, lon)[0] == pytest.approx(direct, rel=1e-9)
    assert DensityGrid.starting(storm, t).slice_s == 10800.0


def test_slices_built_in_worker_processes_equal_serial_ones(monkeypatch):
    """NRLMSIS slices missing from the memo (disk cache off) are built two at a time in worker
    processes; they are bit-for-bit the slices built in this process (same pure function of model,
    time and axes), rounded to the float32 the cache stores."""
    from debriscope.propagation import atmosphere as atm
    from debriscope.propagation.slice_cache import to_stored_precision

    monkeypatch.setenv("DEBRISCOPE_CACHE_DIR", "off")
    t0 = float(utc_to_tt_s("1962-11-03T00:00:00Z"))
    grid = atm.DensityGrid.starting(atm.Nrlmsis(source=atm.ConstantIndices(101.0, 9.0)), t0)
    ax = grid.axes
    key = (tuple(ax.alt_km.tolist()), ax.lat0_deg, ax.dlat_deg, ax.nlat, ax.dlst_h, ax.nlst)
    stacked = grid.slices(0, 3)
    if (os.cpu_count() or 1) >= 2:
        assert atm._POOL and atm._POOL[0] is not None  # the workers were used
    for k in range(4):
        serial = atm._build_slice(grid.model, grid.t_origin_tt_s + (k + 0.5) * grid.slice_s, key)
        np.testing.assert_array_equal(stacked[k], to_stored_precision(serial))


def test_banded_grid_equals_global_grid_inside_the_band():
    """The latitude band keeps the global grid's nodes, so its slices are the global slices' rows
    bit for bit (same pymsis points) and interpolated densities inside it equal the global grid's
    to 1e-12 relative (measured 7e-15: the latitude cell fraction rounds differently from another
    lat0); lookups at and beyond the band's edge stay in bounds (clamped to the edge node). The
    band of a cloud whose largest inclination is 64.9 deg (+1 deg margin) is -67.5..67.5 deg: 19
    of 25 nodes; an orbit at 130 deg counts as 50 deg."""
    from debriscope.elements import elements_to_rv
    from debriscope.propagation import atmosphere as atm

    r, v = elements_to_rv(6.7e6, 0.02, np.radians([64.9, 180.0 - 50.0]), 0.3, 1.0, 2.0)
    band = atm.latitude_band_deg(np.vstack([r, v]))
    assert band == pytest.approx(64.9 + atm.LAT_BAND_MARGIN_DEG, abs=1e-9)
    t0 = float(utc_to_tt_s("1962-10-25T00:00:00Z"))
    full = DensityGrid.starting(Nrlmsis("2.1", ConstantIndices(95.0, 12.0)), t0)
    banded = full.banded(band)
    assert (banded.axes.lat0_deg, banded.axes.nlat) == (-67.5, 19)
    lat_nodes = banded.axes.lat0_deg + banded.axes.dlat_deg * np.arange(banded.axes.nlat)
    i0 = int(round((banded.axes.lat0_deg - full.axes.lat0_deg) / full.axes.dlat_deg))
    np.testing.assert_array_equal(banded.slices(0, 2), full.slices(0, 2)[:, :, i0:i0 + 19, :])
    rng = np.random.default_rng(3)
    n = 200
    t = t0 + rng.uniform(0.0, 86400.0, n)
    alt = rng.uniform(100.0, 900.0, n)
    lat = np.concatenate([rng.uniform(-band, band, n - 4), [lat_nodes[0], lat_nodes[-1], -band, band]])
    lon = rng.uniform(0.0, 360.0, n)
    np.testing.assert_allclose(banded.density_kg_m3(t, alt, lat, lon),
                               full.density_kg_m3(t, alt, lat, lon), rtol=1e-12, atol=0.0)
    beyond = banded.density_kg_m3(t[:2], alt[:2], [89.0, -89.0], lon[:2])  # clamped, finite
    edge = banded.density_kg_m3(t[:2], alt[:2], [lat_nodes[-1], lat_nodes[0]], lon[:2])
    np.testing.assert_array_equal(beyond, edge)
    assert full.banded(89.5).axes is full.axes  # a band reaching the poles is the globe
    assert atm.latitude_band_deg(np.vstack([r, np.zeros_like(v)])) == 90.0


def test_altitude_band_keeps_the_grid_below_the_highest_apogee():
    """The altitude band ends at the first node at or above the highest apogee height (above the
    polar radius) plus the margin: 180 x 485 km (heights above the equatorial radius) reaches
    485 + 21.4 (a - b of WGS-84) + 50 km, so the nodes end at 600 km (8 of 73 nodes dropped); its
    slices are the full slices' first rows bit for bit and densities inside it are the full grid's.
    No band for an orbit that is not an ellipse."""
    from debriscope.elements import apsides_to_a_e, elements_to_rv
    from debriscope.propagation import atmosphere as atm

    a, e = apsides_to_a_e(180e3, 485e3)
    r, v = elements_to_rv(a, e, np.radians(64.9), 0.0, 0.0, 0.0)
    top = atm.altitude_top_km(np.vstack([r, v]))
    assert top == pytest.approx(485.0 + 21.385 + atm.ALT_BAND_MARGIN_KM, abs=0.01)
    t0 = float(utc_to_tt_s("1962-10-25T00:00:00Z"))
    full = DensityGrid.starting(Nrlmsis("2.1", ConstantIndices(95.0, 12.0)), t0).banded(70.0)
    banded = full.banded(70.0, top)
    n_alt = banded.axes.alt_km.size
    assert banded.axes.alt_km[-1] == 600.0 and n_alt == full.axes.alt_km.size - 8
    np.testing.assert_array_equal(banded.axes.alt_km, full.axes.alt_km[:n_alt])
    np.testing.assert_array_equal(banded.slices(0, 1), full.slices(0, 1)[:, :n_alt])
    rng = np.random.default_rng(5)
    t, alt = t0 + rng.uniform(0.0, 43200.0, 50), rng.uniform(100.0, 600.0, 50)
    lat, lon = rng.uniform(-60.0, 60.0, 50), rng.uniform(0.0, 360.0, 50)
    np.testing.assert_array_equal(banded.density_kg_m3(t, alt, lat, lon), full.density_kg_m3(t, alt, lat, lon))
    assert full.banded(70.0, 2000.0) is full  # above the top node: the whole grid
    assert atm.altitude_top_km(np.vstack([r, 2.0 * v])) == np.inf  # hyperbolic


def test_fast_mode_bands_the_grid_to_the_cloud():
    """The fast driver draws both bands from the objects' states: a 64.9 deg, 180 x 485 km cloud gets
    latitudes -67.5..67.5 deg and altitudes up to 600 km; a cloud with an escaping object none."""
    from debriscope.elements import apsides_to_a_e, elements_to_rv
    from debriscope.propagation import ForceModel, fast

    a, e = apsides_to_a_e(180e3, 485e3)
    r, v = elements_to_rv(a, e, np.radians(64.9), 0.0, 0.0, 0.0)
    t0 = float(utc_to_tt_s("1962-10-25T00:00:00Z"))
    model = ForceModel(atmosphere=Nrlmsis("2.1", ConstantIndices(95.0, 12.0)), t_ref_tt_s=t0)
    axes = fast._banded(model, np.vstack([r, v]).T).grid.axes
    assert (axes.lat0_deg, axes.nlat, axes.alt_km[-1]) == (-67.5, 19, 600.0)
    both = np.vstack([np.hstack([r, r]), np.hstack([v, 2.0 * v])]).T
    assert fast._banded(model, both).grid.axes.alt_km[-1] == model.grid.axes.alt_km[-1]
