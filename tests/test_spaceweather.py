"""Space-weather look-ups: the table's values and NRLMSIS's index convention."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debriscope import spaceweather
from debriscope.errors import DataCoverageError
from debriscope.timescale import utc_to_tt_s


def test_table_values_24_oct_1962():
    """CelesTrak SW-All row 1962-10-24: F10.7 observed 89.8, adjusted 88.8, daily Ap 27."""
    row = spaceweather.daily(utc_to_tt_s("1962-10-24T19:00:00Z"))
    assert row["f107_obs_sfu"][0] == pytest.approx(89.8, abs=1e-9)
    assert row["f107_adj_sfu"][0] == pytest.approx(88.8, abs=1e-9)
    assert row["ap_daily"][0] == pytest.approx(27.0, abs=1e-9)


def test_msis_convention_24_oct_1962():
    """NRLMSIS (Picone et al. 2002; pymsis docs): previous day's observed F10.7 (23 Oct: 84.8),
    81-day centred observed mean of the day (86.0), daily Ap (27) and 3-hourly ap at 19:00 UT
    (SW-All 24 Oct: ap 18-21h 39, 15-18h 48, 12-15h 27, 9-12h 15)."""
    idx = spaceweather.indices(utc_to_tt_s("1962-10-24T19:00:00Z"))
    assert idx.f107_sfu[0] == pytest.approx(84.8)
    assert idx.f107a_sfu[0] == pytest.approx(86.0)
    np.testing.assert_allclose(idx.ap[0, :5], [27, 39, 48, 27, 15])
    # 12-33 h before 19:00 on the 24th: 3-h slots 6-9h, 3-6h, 0-3h on the 24th (12, 22, 15) and
    # 21-24h, 18-21h, 15-18h, 12-15h, 9-12h on the 23rd (18, 15, 22, 18, 22)
    expected_5 = np.mean([12, 22, 15, 18, 15, 22, 18, 22])
    assert idx.ap[0, 5] == pytest.approx(expected_5)


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=20000), st.floats(min_value=0.01, max_value=0.99))
def test_f107_is_previous_days_observed(day, fraction):
    """Property: indices().f107 on day D equals the table's observed F10.7 on day D-1."""
    t = utc_to_tt_s("1962-01-01T00:00:00Z") + (day + fraction) * 86400.0
    idx = spaceweather.indices(t)
    assert idx.f107_sfu[0] == spaceweather.daily(t - 86400.0)["f107_obs_sfu"][0]
    assert idx.f107a_sfu[0] == spaceweather.daily(t)["f107_81ctr_obs_sfu"][0]


def test_outside_coverage_raises():
    first, last = spaceweather.coverage()
    assert first < 37596 < last  # 1962-01-01 is inside
    with pytest.raises(DataCoverageError):
        spaceweather.indices(utc_to_tt_s("1960-01-01T00:00:00Z") - 3 * 365 * 86400.0)
    with pytest.raises(DataCoverageError, match="covers"):
        spaceweather.indices(utc_to_tt_s("2090-01-01T00:00:00Z"))
