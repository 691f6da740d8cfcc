"""Time scales: UTC <-> TT, TAI-UTC and UT1-UTC in 1962.

References: ERFA ``dat`` after USNO tai-utc.dat (TAI-UTC = 1.8458580 s + (MJD - 37665) x 0.0011232 s
from 1962-01-01 to 1963-11-01; 2.1524916 s at 1962-10-01T00:00Z); IERS EOP 20 C04 (``eopc04.1962-now``) rows for
1962-10-24 and 1962-10-25 (read from the shipped file in the test).
"""

from __future__ import annotations

import datetime

import erfa
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from debriscope import timescale as ts
from debriscope.errors import DataCoverageError

TOL_S = 1e-6  # round-trip tolerance, s (float64 TT seconds hold ~0.3 us at 1962)


def test_tai_minus_utc_1962_rubber_seconds():
    t = ts.utc_to_tt_s("1962-10-01T00:00:00Z")
    assert ts.tai_minus_utc_s(t) == pytest.approx(2.1524916, abs=1e-7)
    # the 1962 drift formula: 1.8458580 + (MJD - 37665) * 0.0011232 s (USNO tai-utc.dat)
    t2 = ts.utc_to_tt_s("1962-10-24T17:55:04Z")
    mjd = 37961 + (17 * 3600 + 55 * 60 + 4) / 86400
    assert ts.tai_minus_utc_s(t2) == pytest.approx(1.8458580 + (mjd - 37665) * 0.0011232, abs=1e-7)


def test_utc_to_tt_offset_1962():
    t = ts.utc_to_tt_s("1962-10-24T17:55:04Z")
    t0 = ts.utc_to_tt_s("1962-10-24T00:00:00Z")
    # TT - UTC = 32.184 + TAI-UTC; TAI-UTC grows 0.0011232 s/day, so the elapsed TT exceeds UTC
    assert t - t0 == pytest.approx(64504.0 + 0.0011232 * 64504 / 86400, abs=1e-6)


def test_ut1_minus_utc_1962_from_c04():
    from importlib import resources

    path = resources.files("astropy_iers_data") / "data" / "eopc04.1962-now"
    rows = {}
    with resources.as_file(path) as p, open(p) as handle:
        for line in handle:
            parts = line.split()
            if line.startswith("1962  10  2") and len(parts) > 7:
                rows[int(parts[2])] = float(parts[7])
    t = ts.utc_to_tt_s("1962-10-24T00:00:00Z")
    assert ts.ut1_minus_utc_s(t) == pytest.approx(rows[24], abs=1e-7)
    t_noon = ts.utc_to_tt_s("1962-10-24T12:00:00Z")
    assert ts.ut1_minus_utc_s(t_noon) == pytest.approx(0.5 * (rows[24] + rows[25]), abs=2e-5)


def test_eop_after_coverage_is_an_error():
    with pytest.raises(DataCoverageError, match="IERS C04"):
        ts.ut1_minus_utc_s(ts.utc_to_tt_s("2090-06-01T00:00:00Z"))


def test_eop_before_c04_holds_its_first_values():
    """1960-1961: UT1 - UTC held at C04's first value (UTC then steered to UT2); polar motion too."""
    first = ts.utc_to_tt_s("1962-01-01T00:00:00Z")
    t = ts.utc_to_tt_s("1961-06-01T00:00:00Z")
    assert ts.ut1_minus_utc_s(t) == pytest.approx(ts.ut1_minus_utc_s(first), abs=1e-9)
    assert abs(ts.ut1_minus_utc_s(t)) < 0.1
    assert ts.polar_motion_rad(t)[0][0] == ts.polar_motion_rad(first)[0][0]


@given(
    st.datetimes(
        min_value=datetime.datetime(1962, 1, 1),
        max_value=datetime.datetime(2026, 1, 1),
    )
)
@example(datetime.datetime(1964, 3, 31, 0, 1))  # the day before a 0.1 s step (CI, 2026-11-28)
@example(datetime.datetime(1965, 1, 1))  # the midnight after a 0.1 s step (a local run, 2026-11-28)
def test_utc_tt_round_trip(dt):
    iso = dt.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"
    t = ts.utc_to_tt_s(iso)
    back = ts.tt_s_to_utc_iso(t, decimals=6)
    t2 = ts.utc_to_tt_s(back)
    assert abs(t2 - t) < TOL_S


@pytest.mark.parametrize("day", ["1961-07-31", "1961-12-31", "1963-10-31", "1964-03-31", "1964-08-31",
                                 "1964-12-31", "1965-02-28", "1965-06-30", "1965-08-31", "1965-12-31",
                                 "1968-01-31"])
def test_day_before_a_pre_1972_step_reads_clock_time(day):
    """ERFA dat's steps of TAI - UTC (0.05-0.1 s, -0.1 s on 1968-02-01, and rate changes) at 0h of
    the next day: the UTC clock of the day before runs as on any other day, and the step falls at
    midnight (the last sample stays inside the day shortened by the negative step)."""
    isos = [f"{day}T00:00:01.000000Z", f"{day}T12:00:00.000000Z", f"{day}T23:59:59.850000Z"]
    t = ts.utc_to_tt_s(isos)
    assert list(ts.tt_s_to_utc_iso(t, decimals=6)) == isos
    # TAI = UTC + (TAI - UTC) of that instant, with the drift of the day's own rate: no step yet
    y, m, d = (int(v) for v in day.split("-"))
    dat = erfa.dat(y, m, d, np.array([43200.0, 86399.85]) / 86400.0)
    assert abs((t[2] - t[1]) - (43199.85 + dat[1] - dat[0])) < TOL_S


@given(st.floats(min_value=-3.0, max_value=2.0))
@example(-0.5)
def test_leap_second_round_trip(dt_s):
    """Instants around the leap second that ended 2016 (TAI - UTC 36 -> 37 s): the ISO string reads
    23:59:60.x inside it, parses back to the same TT, and datetime64 (which has no second 60)
    holds 23:59:59.999999 there."""
    midnight = ts.utc_to_tt_s("2017-01-01T00:00:00Z")
    assert midnight - ts.utc_to_tt_s("2016-12-31T23:59:59Z") == pytest.approx(2.0, abs=TOL_S)
    t = midnight + dt_s
    iso = ts.tt_s_to_utc_iso(t, decimals=6)
    assert abs(ts.utc_to_tt_s(iso) - t) < TOL_S
    if min(abs(dt_s), abs(dt_s + 1.0)) < 1e-5:
        return  # at an edge of the leap second the microsecond rounding may go either way
    inside = -1.0 < dt_s < 0.0
    assert iso.startswith("2016-12-31T23:59:60.") == inside
    if inside:
        assert ts.tt_s_to_datetime64(t)[0] == np.datetime64("2016-12-31T23:59:59.999999")


def test_second_60_only_on_a_leap_second_day():
    with pytest.raises(ValueError, match="leap second"):
        ts.utc_to_tt_s("2016-12-30T23:59:60.5Z")
    with pytest.raises(ValueError, match="leap second"):
        ts.utc_to_tt_s("1964-12-31T23:59:60.15Z")  # that day's step was 0.1 s


@pytest.mark.parametrize("day,step_s", [("1964-12-31", 0.1), ("1968-01-31", -0.1), ("2016-12-31", 1.0)])
def test_step_days_read_as_erfa_counts_them(day, step_s):
    """ERFA counts the day before a step of TAI - UTC as 86400 + step seconds (dtf2d): a positive
    step's last seconds read 23:59:60.x and the instant after them is the next day's midnight
    (taiutc returns it as the old day's end, a fraction of -2e-14 of the new one: CI's property
    test, 1965-01-01T00:00Z, read 0.1 s late until this was handled)."""
    y, m, d = (int(v) for v in day.split("-"))
    assert ts._day_end_step_s(y, m, d) == pytest.approx(step_s, abs=1e-6)
    nxt = str(np.datetime64(day) + np.timedelta64(1, "D"))
    midnight = ts.utc_to_tt_s(f"{nxt}T00:00:00Z")
    assert ts.tt_s_to_utc_iso(midnight, decimals=6) == f"{nxt}T00:00:00.000000Z"
    assert midnight - ts.utc_to_tt_s(f"{day}T23:59:59Z") == pytest.approx(1.0 + step_s, abs=1e-5)
    if step_s > 0:
        inside = f"{day}T23:59:{60 + step_s / 2:09.6f}Z"
        assert ts.tt_s_to_utc_iso(ts.utc_to_tt_s(inside), decimals=6) == inside


def test_vectorised_and_scalar_agree():
    isos = ["1962-10-24T17:55:04Z", "1962-10-25T00:00:00Z", "1963-02-26T12:00:00Z"]
    vec = ts.utc_to_tt_s(isos)
    assert vec.shape == (3,)
    assert np.allclose(vec, [ts.utc_to_tt_s(s) for s in isos], rtol=0, atol=0)
    assert list(ts.tt_s_to_utc_iso(vec, decimals=0)) == [s.replace(".000", "") for s in isos]


def test_bad_iso_string():
    with pytest.raises(ValueError, match="ISO 8601"):
        ts.utc_to_tt_s("24 Oct 1962")


def test_before_utc_existed_is_read_as_ut1():
    """Before 1960 a time is UT1 and TT - UT1 is Espenak & Meeus's Delta T (2006, sec. 2.6)."""
    t = ts.utc_to_tt_s("1957-10-04T19:28:34Z")  # Sputnik 1's launch, as the record gives it
    ut1_s = (erfa.cal2jd(1957, 10, 4)[1] - 51544.5) * 86400.0 + (19 * 3600 + 28 * 60 + 34)
    # Delta T at 1957.76 by the polynomial (t = 7.76): 29.07 + 0.407 t - t^2/233 + t^3/2547
    dt = 29.07 + 0.407 * 7.76 - 7.76**2 / 233 + 7.76**3 / 2547
    assert t - ut1_s == pytest.approx(dt, abs=0.01)
    assert ts.tt_s_to_utc_iso(t) == "1957-10-04T19:28:34.000Z"
    assert ts.ut1_minus_utc_s(t) == 0.0
    assert ts.tai_minus_utc_s(t) == pytest.approx(dt - 32.184, abs=0.01)
    # TAI was set to agree with UT2 at 1958 January 1, 0h (BIPM, the origin of TAI): TT - UT1 = 32.184 s then,
    # within the polynomial's 0.1 s
    t58 = ts.utc_to_tt_s("1958-01-01T00:00:00Z")
    assert ts.tai_minus_utc_s(t58) == pytest.approx(0.0, abs=0.1)


@given(st.floats(0.0, 86399.999))
def test_pre_1960_round_trip(seconds):
    iso = str(np.datetime64("1959-06-30T00:00:00", "ms") + np.timedelta64(int(seconds * 1000), "ms")) + "Z"
    assert ts.tt_s_to_utc_iso(ts.utc_to_tt_s(iso)) == iso


def test_change_of_convention_at_1960_is_small():
    """Delta T at 1960.0 by the polynomial (33.10 s) against ERFA's TT - UTC (33.13 s)."""
    before = ts.utc_to_tt_s("1959-12-31T23:59:59Z")
    after = ts.utc_to_tt_s("1960-01-01T00:00:00Z")
    assert after - before == pytest.approx(1.0, abs=0.03)


def test_before_the_delta_t_polynomial():
    with pytest.raises(DataCoverageError, match="1941"):
        ts.utc_to_tt_s("1930-01-01T00:00:00Z")


def test_utc_text_is_the_formatted_erfa_fields():
    """The text written for all times at once is that of ``f"{year:04d}-..."`` on ERFA's calendar fields."""
    t = np.sort(np.random.default_rng(4).uniform(-1.2e9, 3e9, 500))  # 1962 .. 2095
    for decimals in (0, 1, 3, 6):
        utc1, utc2 = ts._utc_pair(t)
        iy, im, iday, hmsf = erfa.d2dtf("UTC", decimals, utc1, utc2)
        want = [f"{y:04d}-{m:02d}-{d:02d}T{f['h']:02d}:{f['m']:02d}:{f['s']:02d}" + (f".{f['f']:0{decimals}d}" if decimals else "") + "Z"
                for y, m, d, f in zip(iy, im, iday, hmsf, strict=True)]
        assert list(ts.tt_s_to_utc_iso(t, decimals=decimals)) == want
