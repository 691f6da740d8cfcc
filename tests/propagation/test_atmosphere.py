"""Density: NRLMSIS through pymsis with explicit indices, and its per-day grid."""

from __future__ import annotations

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
    """Trilinear ln(rho) on 2-25 km x 5 deg x 1 h nodes at mid-day: within 3 % of direct calls at
    random points and times of day (the grid holds the noon slice; NRLMSIS's residual UT and
    longitude terms are small), and unbiased to 1 % on average."""
    rng = np.random.default_rng(7)
    msis_model = Nrlmsis("2.1", HistoricalIndices())
    t0 = utc_to_tt_s("1962-10-24T00:00:00Z")
    grid = DensityGrid.starting(msis_model, t0)
    n = 300
    t = t0 + rng.uniform(0, 86400.0, n)
    alt = rng.uniform(120.0, 600.0, n)
    lat = rng.uniform(-80.0, 80.0, n)
    lon = rng.uniform(0.0, 360.0, n)
    ratio = grid.density_kg_m3(t, alt, lat, lon) / msis_model.density_kg_m3(t, alt, lat, lon)
    assert np.max(np.abs(np.log(ratio))) < 0.03 * 3
    assert abs(np.mean(np.log(ratio))) < 0.01


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
