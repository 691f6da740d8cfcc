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
ARCSEC_RAD = np.pi / (180.0 * 3600.0)


@contextlib.contextmanager
def _quiet_erfa() -> Iterator[None]:
    """Silence ERFA's "dubious year" for dates past its leap-second table's horizon (the
    pre-1960 case is refused explicitly in :func:`utc_to_tt_s`)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", erfa.ErfaWarning)
        yield


_LEAP_SECOND = re.compile(r"^(.*T23:59:)60(\.\d*)?$")
"""An ISO clock time inside a leap second (``23:59:60.x``), which ``datetime64`` cannot hold."""


def _has_leap_second(year: int, month: int, day: int) -> bool:
    """Whether the UTC day ends with a leap second (TAI - UTC up by a whole second at its end;
    ERFA ``dat``)."""
    nxt = (np.datetime64(f"{year:04d}-{month:02d}-{day:02d}") + np.timedelta64(1, "D")).astype(object)
    with _quiet_erfa():
        step = erfa.dat(nxt.year, nxt.month, nxt.day, 0.0) - erfa.dat(year, month, day, 0.0)
    return bool(step > 0.5)


def _parse_utc(utc: ArrayLike) -> tuple[NDArray, ...]:
    """Split UTC inputs (ISO strings, datetimes, datetime64) into calendar fields; a string may
    name a time inside a leap second (``2016-12-31T23:59:60.5Z``, as :func:`tt_s_to_utc_iso`
    writes it), on a day that has one."""
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
            inside = _LEAP_SECOND.match(text)
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
        if not _has_leap_second(int(year[k]), int(month[k]), int(day[k])):
            raise ValueError(f"{np.ravel(np.asarray(utc, dtype=object))[k]!r}: second 60 exists only on a "
                             "day that ends with a leap second (ERFA dat: e.g. 2016-12-31)")
    return year, month, day, hour, minute, second


def _scalar_or_array(x: NDArray, like: ArrayLike) -> NDArray | float:
    if np.ndim(like) == 0 and not isinstance(like, (list, tuple)):
        return x.reshape(-1)[0]
    return x


def utc_to_tt_s(utc: ArrayLike) -> NDArray | float:
    """UTC (ISO 8601 string, datetime or datetime64; scalar or array) to TT seconds since J2000.

    Pre-1972 UTC is handled as it ran then (ERFA ``utctai``), so 1962 epochs are exact.
    """
    year, month, day, hour, minute, second = _parse_utc(utc)
    if np.any(year < 1960):
        raise DataCoverageError(
            f"UTC begins in 1960 (ERFA dat); {int(year[year < 1960][0])} is before it"
        )
    with _quiet_erfa():
        utc1, utc2 = erfa.dtf2d("UTC", year, month, day, hour, minute, second)
        tai1, tai2 = erfa.utctai(utc1, utc2)
    tt1, tt2 = erfa.taitt(tai1, tai2)
    t = ((tt1 - J2000_JD) + tt2) * SECONDS_PER_DAY
    return _scalar_or_array(np.asarray(t, dtype=float), utc)


def _tt_pair(t_tt_s: ArrayLike) -> tuple[NDArray, NDArray]:
    t = np.asarray(t_tt_s, dtype=float)
    return np.full_like(t, J2000_JD), t / SECONDS_PER_DAY


def tt_jd(t_tt_s: ArrayLike) -> tuple[NDArray, NDArray]:
    """TT as a two-part Julian date ``(J2000_JD, days since J2000)``."""
    return _tt_pair(t_tt_s)


def _utc_pair(t_tt_s: ArrayLike) -> tuple[NDArray, NDArray]:
    tt1, tt2 = _tt_pair(t_tt_s)
    tai1, tai2 = erfa.tttai(tt1, tt2)
    with _quiet_erfa():
        return erfa.taiutc(tai1, tai2)


def _clock_fraction(utc1: NDArray, utc2: NDArray) -> tuple[NDArray, NDArray]:
    """The UTC quasi-JD with the day fraction rescaled to clock time on the day before a
    fractional pre-1972 step of TAI - UTC, for ``erfa.d2dtf``.

    ERFA's quasi-JD spreads a step over the day before it: ``dtf2d`` (and so ``utctai``) counts
    that day as 86400 + step seconds, whatever the step. ``d2dtf`` undoes the scaling only for
    steps over 0.5 s (leap seconds); the steps of 1961-1968 were 0.05-0.1 s (ERFA ``dat``), and
    without this their day read up to 0.1 s early (0.05 s at noon).
    """
    iy, im, iday, fd = erfa.jd2cal(utc1, utc2)
    dat0 = erfa.dat(iy, im, iday, 0.0)
    dat12 = erfa.dat(iy, im, iday, 0.5)
    ny, nm, nd, _ = erfa.jd2cal(utc1, utc2 + 1.0)
    step = erfa.dat(ny, nm, nd, 0.0) - (2.0 * dat12 - dat0)  # as dtf2d and d2dtf compute it
    return utc1, utc2 + np.where(np.abs(step) <= 0.5, fd * step / SECONDS_PER_DAY, 0.0)


def tt_s_to_utc_iso(t_tt_s: ArrayLike, decimals: int = 3) -> NDArray | str:
    """TT seconds since J2000 to ISO 8601 UTC strings ``YYYY-MM-DDTHH:MM:SS.sssZ``."""
    utc1, utc2 = _utc_pair(t_tt_s)
    with _quiet_erfa():
        utc1, utc2 = _clock_fraction(utc1, utc2)
        iy, im, iday, ihmsf = erfa.d2dtf("UTC", decimals, utc1, utc2)
    iy, im, iday, ihmsf = (np.atleast_1d(a) for a in (iy, im, iday, ihmsf))
    out = []
    for y, m, d, hmsf in zip(iy, im, iday, ihmsf, strict=True):
        h, mi, s, f = (int(v) for v in hmsf)
        frac = f".{f:0{decimals}d}" if decimals > 0 else ""
        out.append(f"{y:04d}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{frac}Z")
    result = np.array(out)
    return str(result[0]) if np.ndim(t_tt_s) == 0 else result


def tt_s_to_mjd_utc(t_tt_s: ArrayLike) -> NDArray | float:
    """TT seconds since J2000 to the UTC modified Julian date (quasi-JD, as ERFA defines it)."""
    utc1, utc2 = _utc_pair(t_tt_s)
    mjd = (utc1 - MJD_JD_OFFSET) + utc2
    return _scalar_or_array(np.asarray(mjd, dtype=float), t_tt_s)


def tt_s_to_datetime64(t_tt_s: ArrayLike) -> NDArray:
    """TT seconds since J2000 to UTC ``datetime64[us]`` (for calendar look-ups and plots); an
    instant inside a leap second, which ``datetime64`` cannot hold, reads 23:59:59.999999."""
    iso = np.atleast_1d(tt_s_to_utc_iso(t_tt_s, decimals=6))
    return np.array([_LEAP_SECOND.sub(r"\g<1>59.999999", s[:-1]) for s in iso], dtype="datetime64[us]")


def tai_minus_utc_s(t_tt_s: ArrayLike) -> NDArray | float:
    """TAI - UTC in seconds at the given instants (ERFA ``dat``, pre-1972 drift included)."""
    utc1, utc2 = _utc_pair(t_tt_s)
    with _quiet_erfa():
        iy, im, iday, fd = erfa.jd2cal(utc1, utc2)
        dat = erfa.dat(iy, im, iday, fd)
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
    table = eop_table()
    mjd = np.atleast_1d(_mjd_tai(t_tt_s))
    lo, hi = table.mjd_tai[0], table.mjd_tai[-1]
    if np.any((mjd < lo) | (mjd > hi)):
        bad = mjd[(mjd < lo) | (mjd > hi)][0]
        raise DataCoverageError(
            f"Earth orientation (IERS C04 in astropy-iers-data) covers MJD {lo:.1f} to {hi:.1f}; "
            f"MJD {bad:.3f} is outside it"
        )
    return np.interp(mjd, table.mjd_tai, getattr(table, column))


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
