"""Time scales: the internal scale and the conversions at its edges.

debriscope keeps one internal time scale: **TT, as seconds since J2000.0 TT** (``t_tt_s``,
float64). UTC appears only at the edges, as ISO 8601 strings ending in ``Z``.

Sources
-------
- TAI-UTC, including the pre-1972 "rubber second" UTC (offsets plus a drift in MJD), comes from
  ERFA ``dat`` (SOFA/ERFA after the USNO/IERS table; 2.1524916 s at 1962-10-01T00:00Z).
- UT1-UTC and polar motion come from the IERS EOP 20 C04 series (``eopc04.1962-now``), as shipped
  by the PyPI package ``astropy-iers-data``; it starts on 1962-01-01. Interpolation is linear in
  UT1-TAI (which is smooth) rather than in UT1-UTC (which steps whenever UTC stepped).
- TT - TAI = 32.184 s exactly.
- Before 1960 there was no UTC (ERFA ``dat`` starts on 1960-01-01; the time signals of the first
  years of the space age followed UT2): a time before 1960 is read as UT1 and carried to TT with
  Delta T = TT - UT1 from the polynomial of Espenak & Meeus (2006, "Five Millennium Canon of
  Solar Eclipses", NASA/TP-2006-214141, sec. 2.6, interval 1941-1961). It gives 32.25 s at
  1958.0, where TAI was set to UT2 (so TT - UT1 was 32.18 s), and 33.10 s at 1960.0 against
  ERFA's TT - UTC of 33.13 s: times read before 1960 are good to about 0.1 s, and the change of
  convention at 1960-01-01T00:00 leaves a step of 0.024 s. Years before 1941 are refused.
- UT1 - UTC before the IERS C04 series (1962-01-01): 1960-1961 UTC was steered to UT2 (within
  about 0.1 s), so C04's first value is held back to 1960; before 1960, UT1 - UTC = 0 by the
  convention above. Polar motion before 1962 holds C04's first value (about 0.1 arcsec).
Nothing here downloads.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import re
import warnings
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import erfa
import numpy as np
from numpy.typing import ArrayLike, NDArray

from .constants import J2000_JD, SECONDS_PER_DAY
from .errors import DataCoverageError

MJD_JD_OFFSET = 2400000.5
TT_MINUS_TAI_S = 32.184
ARCSEC_RAD = np.pi / (180.0 * 3600.0)


@contextlib.contextmanager
def _quiet_erfa() -> Iterator[None]:
    """Silence ERFA's "dubious year" for dates past its leap-second table's horizon (the
    pre-1960 case is read as UT1 explicitly, :func:`utc_to_tt_s`)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", erfa.ErfaWarning)
        yield


_SECOND_60 = re.compile(r"^(.*T23:59:)60(\.\d*)?$")
"""An ISO clock time inside second 60 (``23:59:60.x``), which ``datetime64`` cannot hold."""


def _day_end_step_s(year: ArrayLike, month: ArrayLike, day: ArrayLike) -> NDArray:
    """The step of TAI - UTC at the end of each UTC day (s; ERFA ``dat``, the day's own drift
    excluded, as ``dtf2d`` and ``d2dtf`` compute it): 1 before a leap second, 0.05-0.1 s (and one
    -0.1 s) for the steps of 1961-1968, 0 otherwise. ERFA counts such a day as 86400 + step
    seconds, a positive step read as ``23:59:60.x``."""
    with _quiet_erfa():
        djm0, djm = erfa.cal2jd(year, month, day)
        ny, nm, nd, _ = erfa.jd2cal(djm0, djm + 1.0)
        dat0 = erfa.dat(year, month, day, 0.0)
        dat12 = erfa.dat(year, month, day, 0.5)
        step = erfa.dat(ny, nm, nd, 0.0) - (2.0 * dat12 - dat0)
    return np.where(np.asarray(year) < UTC_FIRST_YEAR, 0.0, step)  # UT1 days before 1960


def _parse_utc(utc: ArrayLike) -> tuple[NDArray, ...]:
    """Split UTC inputs (ISO strings, datetimes, datetime64) into calendar fields; a string may
    name a time inside second 60 (``2016-12-31T23:59:60.5Z``, as :func:`tt_s_to_utc_iso` writes
    it) on a day that ends with a step of TAI - UTC longer than that (:func:`_day_end_step_s`)."""
    if isinstance(utc, (str, _dt.datetime, np.datetime64)):
        utc = [utc]
    items, leap = [], []
    for item in np.asarray(utc, dtype=object).ravel():
        leap.append(False)
        if isinstance(item, _dt.datetime):
            if item.tzinfo is not None:
                item = item.astimezone(_dt.UTC).replace(tzinfo=None)
            items.append(np.datetime64(item, "us"))
        elif isinstance(item, str):
            text = item.strip()
            if text.endswith(("Z", "z")):
                text = text[:-1]
            elif text.endswith("+00:00"):
                text = text[:-6]
            inside = _SECOND_60.match(text)
            if inside:
                text, leap[-1] = f"{inside[1]}59{inside[2] or ''}", True
            try:
                items.append(np.datetime64(text, "us"))
            except ValueError as exc:
                raise ValueError(
                    f"{item!r} is not an ISO 8601 UTC time such as '1962-10-24T17:55:04Z'"
                ) from exc
        else:
            items.append(np.datetime64(item, "us"))
    stamps = np.array(items, dtype="datetime64[us]")
    days = stamps.astype("datetime64[D]")
    ymd = days.astype(object)
    year = np.array([d.year for d in ymd], dtype=np.int32)
    month = np.array([d.month for d in ymd], dtype=np.int32)
    day = np.array([d.day for d in ymd], dtype=np.int32)
    us = (stamps - days).astype(np.int64)
    hour = (us // 3_600_000_000).astype(np.int32)
    minute = ((us // 60_000_000) % 60).astype(np.int32)
    second = (us % 60_000_000) / 1e6 + np.array(leap, dtype=float)
    for k in np.flatnonzero(leap):
        if not second[k] - 60.0 < _day_end_step_s(year[k], month[k], day[k]):
            raise ValueError(f"{np.ravel(np.asarray(utc, dtype=object))[k]!r}: second 60 exists only on a "
                             "day that ends with a leap second (ERFA dat: e.g. 2016-12-31), and before "
                             "1972 for the length of the day's step (0.05-0.1 s)")
    return year, month, day, hour, minute, second


def _scalar_or_array(x: NDArray, like: ArrayLike) -> NDArray | float:
    if np.ndim(like) == 0 and not isinstance(like, (list, tuple)):
        return x.reshape(-1)[0]
    return x


UTC_FIRST_YEAR = 1960
"""First year of UTC (ERFA ``dat``); earlier times are read as UT1 (module notes)."""
DELTA_T_FIRST_YEAR = 1941
"""First year of the Espenak & Meeus (2006) Delta T polynomial used before 1960."""


def delta_t_s(year: ArrayLike) -> NDArray:
    """Delta T = TT - UT1 (s) at decimal years 1941-1961: Espenak & Meeus (2006),
    NASA/TP-2006-214141 sec. 2.6, ``29.07 + 0.407 t - t^2/233 + t^3/2547``, ``t = year - 1950``."""
    t = np.asarray(year, dtype=float) - 1950.0
    return 29.07 + 0.407 * t - t**2 / 233.0 + t**3 / 2547.0


def utc_to_tt_s(utc: ArrayLike) -> NDArray | float:
    """UTC (ISO 8601 string, datetime or datetime64; scalar or array) to TT seconds since J2000.

    Pre-1972 UTC is handled as it ran then (ERFA ``utctai``), so 1962 epochs are exact; a time
    before 1960, when UTC did not exist, is read as UT1 (module notes).
    """
    year, month, day, hour, minute, second = _parse_utc(utc)
    if np.any(year < DELTA_T_FIRST_YEAR):
        raise DataCoverageError(
            f"times before {UTC_FIRST_YEAR} are read as UT1 with Delta T from Espenak & Meeus (2006), "
            f"defined from {DELTA_T_FIRST_YEAR}; {int(year[year < DELTA_T_FIRST_YEAR][0])} is before it"
        )
    early = year < UTC_FIRST_YEAR
    with _quiet_erfa():
        utc1, utc2 = erfa.dtf2d("UTC", year, month, day, hour, minute, second)
        tai1, tai2 = erfa.utctai(utc1, utc2)
        ut1, ut2 = erfa.dtf2d("UT1", year, month, day, hour, minute, second)  # days of 86400 s
    tt1, tt2 = erfa.taitt(tai1, tai2)
    t = ((tt1 - J2000_JD) + tt2) * SECONDS_PER_DAY
    if np.any(early):
        t_ut1 = ((ut1 - J2000_JD) + ut2) * SECONDS_PER_DAY
        t = np.where(early, t_ut1 + delta_t_s(_decimal_year(t_ut1)), t)
    return _scalar_or_array(np.asarray(t, dtype=float), utc)


def _decimal_year(t_s: ArrayLike) -> NDArray:
    """Decimal year of seconds since J2000 (on any scale: for Delta T, whose rate is < 1 s/yr)."""
    return 2000.0 + np.asarray(t_s, dtype=float) / (365.25 * SECONDS_PER_DAY)


@lru_cache(maxsize=1)
def _utc_start_tt_s() -> float:
    """TT of 1960-01-01T00:00 UTC: earlier instants are written as UT1."""
    return float(utc_to_tt_s("1960-01-01T00:00:00Z"))


def _tt_pair(t_tt_s: ArrayLike) -> tuple[NDArray, NDArray]:
    t = np.asarray(t_tt_s, dtype=float)
    return np.full_like(t, J2000_JD), t / SECONDS_PER_DAY


def tt_jd(t_tt_s: ArrayLike) -> tuple[NDArray, NDArray]:
    """TT as a two-part Julian date ``(J2000_JD, days since J2000)``."""
    return _tt_pair(t_tt_s)


def _utc_pair(t_tt_s: ArrayLike) -> tuple[NDArray, NDArray]:
    """UTC as ERFA's two-part quasi-JD; before 1960, UT1 (TT - Delta T, module notes)."""
    tt1, tt2 = _tt_pair(t_tt_s)
    tai1, tai2 = erfa.tttai(tt1, tt2)
    with _quiet_erfa():
        utc1, utc2 = erfa.taiutc(tai1, tai2)
    early = np.asarray(t_tt_s, dtype=float) < _utc_start_tt_s()
    if np.any(early):
        t = np.asarray(t_tt_s, dtype=float)
        ut = t - delta_t_s(_decimal_year(t))
        ut = ut - (delta_t_s(_decimal_year(ut)) - delta_t_s(_decimal_year(t)))  # Delta T at UT1, not TT
        utc1 = np.where(early, J2000_JD, utc1)
        utc2 = np.where(early, ut / SECONDS_PER_DAY, utc2)
    return utc1, utc2


def _clock_fraction(utc1: NDArray, utc2: NDArray, decimals: int) -> tuple[NDArray, ...]:
    """For ``erfa.d2dtf``: the UTC quasi-JD with the day fraction rescaled to clock time on the
    day before a fractional pre-1972 step of TAI - UTC; and, for instants in that day's second 60
    (after 23:59:60, to ``decimals``), their calendar day and the seconds into second 60 (NaN for
    the others).

    ERFA's quasi-JD spreads a step over the day before it: ``dtf2d`` (and so ``utctai``) counts
    that day as 86400 + step seconds, whatever the step. ``d2dtf`` undoes the scaling only for
    steps over 0.5 s (leap seconds); the steps of 1961-1968 were 0.05-0.1 s (ERFA ``dat``), and
    without this their day read up to 0.1 s early (0.05 s at noon). The day's last ``step``
    seconds read 23:59:60.x, as ``dtf2d`` takes them; an instant that rounds to the end of the day
    (``taiutc`` returns the next midnight as a fraction of -2e-14 of the next day) reads as the
    next day's 00:00:00, also after the one negative step (1968-02-01, -0.1 s).
    """
    iy, im, iday, fd = erfa.jd2cal(utc1, utc2)
    step = _day_end_step_s(iy, im, iday)
    small = np.abs(step) <= 0.5
    clock_s = np.round(fd * (SECONDS_PER_DAY + step), decimals)
    at_end = small & (clock_s >= np.round(SECONDS_PER_DAY + step, decimals))
    into_60 = clock_s - SECONDS_PER_DAY
    in_60 = small & (into_60 >= 0.0)
    day0, day_jd = erfa.cal2jd(iy, im, iday)
    utc1 = np.where(at_end, day0, utc1)
    utc2 = np.where(at_end, day_jd + 1.0, utc2 + np.where(small, fd * step / SECONDS_PER_DAY, 0.0))
    return utc1, utc2, iy, im, iday, np.where(in_60 & ~at_end, into_60, np.nan)


def tt_s_to_utc_iso(t_tt_s: ArrayLike, decimals: int = 3) -> NDArray | str:
    """TT seconds since J2000 to ISO 8601 UTC strings ``YYYY-MM-DDTHH:MM:SS.sssZ`` (``23:59:60.x``
    inside a leap second or a pre-1972 step of TAI - UTC)."""
    utc1, utc2 = _utc_pair(t_tt_s)
    with _quiet_erfa():
        utc1, utc2, cy, cm, cd, into_60 = (np.atleast_1d(a) for a in _clock_fraction(utc1, utc2, decimals))
        iy, im, iday, ihmsf = (np.atleast_1d(a) for a in erfa.d2dtf("UTC", decimals, utc1, utc2))
        early = np.atleast_1d(np.asarray(t_tt_s, dtype=float) < _utc_start_tt_s())
        if np.any(early):  # UT1 before 1960: days of 86400 s
            uy, um, ud, uhmsf = (np.atleast_1d(a) for a in erfa.d2dtf("UT1", decimals, utc1, utc2))
            iy, im, iday, ihmsf = (i.copy() for i in (iy, im, iday, ihmsf))
            for u, i in ((uy, iy), (um, im), (ud, iday), (uhmsf, ihmsf)):
                i[early] = u[early]
    fields = [ihmsf[name] for name in ihmsf.dtype.names] if ihmsf.dtype.names else list(np.asarray(ihmsf).T)
    fields = [np.asarray(f, dtype=np.int64).reshape(-1) for f in (iy, im, iday, *fields)]
    widths = (4, 2, 2, 2, 2, 2, decimals)
    plain = np.logical_and.reduce([(f >= 0) & (f < 10**w) for f, w in zip(fields, widths, strict=True)])
    result = _iso_text(*(f[plain] for f in fields), decimals) if plain.size else np.array([])  # (empty: as before)
    if not plain.all():  # years outside 0..9999 (or a time ERFA cannot date): the text one at a time
        result = result.astype(f"U{max(result.dtype.itemsize // 4, 40)}")
        whole = np.empty(plain.size, dtype=object)
        whole[plain] = result
        for k in np.flatnonzero(~plain):
            y, mo, d, h, mi, sec, f = (int(a[k]) for a in fields)
            whole[k] = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{sec:02d}" + (f".{f:0{decimals}d}" if decimals > 0 else "") + "Z"
        result = np.array(whole.tolist())
    for k in np.flatnonzero(np.isfinite(into_60)):  # second 60 of a pre-1972 step (d2dtf reads leap seconds itself)
        width = 3 + decimals if decimals > 0 else 2
        result[k] = f"{cy[k]:04d}-{cm[k]:02d}-{cd[k]:02d}T23:59:{60.0 + into_60[k]:0{width}.{decimals}f}Z"
    return str(result[0]) if np.ndim(t_tt_s) == 0 else result


def _iso_text(year: NDArray, month: NDArray, day: NDArray, hour: NDArray, minute: NDArray, second: NDArray,
              fraction: NDArray, decimals: int) -> NDArray:
    """``YYYY-MM-DDTHH:MM:SS[.f]Z`` for integer fields in range (``fraction`` in units of 10^-decimals
    s), written as ASCII digits for all at once: the text of ``f"{year:04d}-..."``."""
    n = np.size(year)
    parts = [(year, 4), b"-", (month, 2), b"-", (day, 2), b"T", (hour, 2), b":", (minute, 2), b":", (second, 2)]
    if decimals > 0:
        parts += [b".", (fraction, decimals)]
    parts.append(b"Z")
    columns = []
    for part in parts:
        if isinstance(part, bytes):
            columns.append(np.full((n, 1), part[0], dtype=np.uint8))
            continue
        values, width = part
        powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
        columns.append((48 + values[:, None] // powers % 10).astype(np.uint8))
    text = np.ascontiguousarray(np.concatenate(columns, axis=1))
    return text.view(f"S{text.shape[1]}").reshape(n).astype(str)


def tt_s_to_mjd_utc(t_tt_s: ArrayLike) -> NDArray | float:
    """TT seconds since J2000 to the UTC modified Julian date (quasi-JD, as ERFA defines it)."""
    utc1, utc2 = _utc_pair(t_tt_s)
    mjd = (utc1 - MJD_JD_OFFSET) + utc2
    return _scalar_or_array(np.asarray(mjd, dtype=float), t_tt_s)


def datetime64_text(utc_iso: str) -> str:
    """An ISO 8601 UTC string as ``numpy.datetime64`` reads it: the ``Z`` dropped and a time
    inside second 60 (a leap second, or a pre-1972 step), which it cannot hold, at 23:59:59.999999."""
    text = utc_iso.strip()
    return _SECOND_60.sub(r"\g<1>59.999999", text[:-1] if text.endswith(("Z", "z")) else text)


def tt_s_to_datetime64(t_tt_s: ArrayLike) -> NDArray:
    """TT seconds since J2000 to UTC ``datetime64[us]`` (for calendar look-ups and plots; second
    60 held at 23:59:59.999999, :func:`datetime64_text`)."""
    iso = np.atleast_1d(tt_s_to_utc_iso(t_tt_s, decimals=6))
    return np.array([datetime64_text(s) for s in iso], dtype="datetime64[us]")


def tai_minus_utc_s(t_tt_s: ArrayLike) -> NDArray | float:
    """TAI - UTC in seconds at the given instants (ERFA ``dat``, pre-1972 drift included); before
    1960, TAI - UT1 (Delta T - 32.184 s, module notes)."""
    utc1, utc2 = _utc_pair(t_tt_s)
    with _quiet_erfa():
        iy, im, iday, fd = erfa.jd2cal(utc1, utc2)
        dat = erfa.dat(iy, im, iday, fd)
    t = np.asarray(t_tt_s, dtype=float)
    early = t < _utc_start_tt_s()
    if np.any(early):
        t_ut1 = (np.asarray(utc1) - J2000_JD + np.asarray(utc2)) * SECONDS_PER_DAY
        dat = np.where(early, t - t_ut1 - TT_MINUS_TAI_S, dat)
    return _scalar_or_array(np.asarray(dat, dtype=float), t_tt_s)


class EopTable(NamedTuple):
    """IERS C04 Earth orientation, sampled daily at 0h UTC."""

    mjd_tai: NDArray
    ut1_minus_tai_s: NDArray
    xp_rad: NDArray
    yp_rad: NDArray


@lru_cache(maxsize=1)
def eop_table() -> EopTable:
    """Read the IERS EOP 20 C04 series shipped by ``astropy-iers-data`` (no download)."""
    path = resources.files("astropy_iers_data") / "data" / "eopc04.1962-now"
    with resources.as_file(path) as p:
        data = np.loadtxt(p, comments="#", usecols=(0, 1, 2, 4, 5, 6, 7))
    year, month, day = (data[:, k].astype(np.int32) for k in range(3))
    mjd_utc = data[:, 3]
    tai_utc = erfa.dat(year, month, day, 0.0)
    ut1_utc = data[:, 6]
    return EopTable(
        mjd_tai=mjd_utc + tai_utc / SECONDS_PER_DAY,
        ut1_minus_tai_s=ut1_utc - tai_utc,
        xp_rad=data[:, 4] * ARCSEC_RAD,
        yp_rad=data[:, 5] * ARCSEC_RAD,
    )


def _mjd_tai(t_tt_s: ArrayLike) -> NDArray:
    tt1, tt2 = _tt_pair(t_tt_s)
    tai1, tai2 = erfa.tttai(tt1, tt2)
    return (tai1 - MJD_JD_OFFSET) + tai2


def _eop_interp(t_tt_s: ArrayLike, column: str) -> NDArray:
    """A C04 column at TT instants; before the series (1962), the module notes' convention."""
    table = eop_table()
    mjd = np.atleast_1d(_mjd_tai(t_tt_s))
    lo, hi = table.mjd_tai[0], table.mjd_tai[-1]
    if np.any(mjd > hi):
        def day(mjd_tai: float) -> str:  # the calendar date, for the message (TAI and UTC differ by seconds)
            return (_dt.date(1858, 11, 17) + _dt.timedelta(days=int(np.floor(mjd_tai)))).isoformat()

        raise DataCoverageError(
            f"Earth orientation (IERS C04 in astropy-iers-data) ends on {day(hi)}; "
            f"{day(mjd[mjd > hi][0])} is after it"
        )
    values = np.interp(mjd, table.mjd_tai, getattr(table, column))  # held at the first value before
    before = mjd < lo
    if column == "ut1_minus_tai_s" and np.any(before):
        t = np.atleast_1d(np.asarray(t_tt_s, dtype=float))
        first_ut1_utc = table.ut1_minus_tai_s[0] + float(erfa.dat(1962, 1, 1, 0.0))
        ut1_utc = np.where(t < _utc_start_tt_s(), 0.0, first_ut1_utc)
        values = np.where(before, ut1_utc - np.atleast_1d(tai_minus_utc_s(t)), values)
    return values


def ut1_minus_tai_s(t_tt_s: ArrayLike) -> NDArray | float:
    """UT1 - TAI in seconds, interpolated linearly in the IERS C04 series."""
    return _scalar_or_array(_eop_interp(t_tt_s, "ut1_minus_tai_s"), t_tt_s)


def ut1_minus_utc_s(t_tt_s: ArrayLike) -> NDArray | float:
    """UT1 - UTC in seconds from IERS C04 (interpolated in UT1-TAI, then TAI-UTC added)."""
    dut = np.atleast_1d(ut1_minus_tai_s(t_tt_s)) + np.atleast_1d(tai_minus_utc_s(t_tt_s))
    return _scalar_or_array(dut, t_tt_s)


def polar_motion_rad(t_tt_s: ArrayLike) -> tuple[NDArray, NDArray]:
    """Pole coordinates ``(xp, yp)`` in radians from IERS C04."""
    return _eop_interp(t_tt_s, "xp_rad"), _eop_interp(t_tt_s, "yp_rad")


def ut1_jd(t_tt_s: ArrayLike, ut1_minus_utc: ArrayLike | None = None) -> tuple[NDArray, NDArray]:
    """UT1 as a two-part Julian date; UT1-UTC from IERS C04 unless given (seconds)."""
    tt1, tt2 = _tt_pair(t_tt_s)
    tai1, tai2 = erfa.tttai(tt1, tt2)
    if ut1_minus_utc is None:
        dta = np.atleast_1d(_eop_interp(t_tt_s, "ut1_minus_tai_s"))
    else:
        dta = np.asarray(ut1_minus_utc, dtype=float) - np.atleast_1d(tai_minus_utc_s(t_tt_s))
    return erfa.taiut1(tai1, tai2, dta.reshape(np.shape(tai1)) if np.ndim(tai1) else dta[0])
