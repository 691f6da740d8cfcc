"""Thermospheric density: NRLMSIS (through ``pymsis``), its gridded form, and an exponential model.

- :class:`Nrlmsis` calls NRLMSISE-00 (Picone, Hedin, Drob & Aikin 2002, JGR 107(A12) 1468) or
  NRLMSIS 2.0/2.1 (Emmert et al. 2021, Earth Space Sci. 8, e2020EA001321; 2.1: Emmert et al.
  2022) through ``pymsis.calculate`` with the indices given explicitly (never the package's own
  download), from an :class:`IndexSource`.
- :class:`DensityGrid` tabulates ln(rho) from the same model on geodetic altitude x geodetic
  latitude x local solar time every 12 hours (UT), with the indices of that instant, and
  interpolates trilinearly in space and linearly in time. It keeps the latitude, local-time and
  day-to-day structure that a global-mean profile loses. NRLMSIS's local solar time is the *mean*
  one, ``lst = UT + lon/15`` (hours; Picone et al. 2002, model inputs), so no solar ephemeris is
  needed for it. Slices are built lazily, once per process (memoised; NRLMSIS ones two at a
  time in worker processes), over the latitude band the objects' inclinations reach
  (:func:`latitude_band_deg`, :meth:`DensityGrid.banded`) rather than pole to pole.
- :class:`Exponential` is the piecewise exponential static model of Vallado (2013), table 8-4,
  named as such and offered for quick looks only.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import NamedTuple, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .. import spaceweather
from ..constants import MU_EARTH_M3_S2, SECONDS_PER_DAY, WGS84_B_M
from ..timescale import tt_s_to_mjd_utc, utc_to_tt_s
from . import slice_cache

MSIS_VERSIONS = ("00", "2.0", "2.1")
_PYMSIS_VERSION = {"00": 0, "2.0": 2.0, "2.1": 2.1}
_UNIX_EPOCH_MJD = 40587.0


class Atmosphere(Protocol):
    """A neutral-density model: ``density_kg_m3(t_tt_s, alt_km, lat_deg, lon_deg) -> rho``.

    Inputs are arrays of shape (N,) (geodetic on WGS-84); the output has shape (N,).
    """

    def density_kg_m3(
        self, t_tt_s: ArrayLike, alt_km: ArrayLike, lat_deg: ArrayLike, lon_deg: ArrayLike
    ) -> NDArray: ...

    def density_grid_kg_m3(
        self, t_tt_s: float, alt_km: NDArray, lat_deg: NDArray, lon_deg: NDArray
    ) -> NDArray:
        """Density on the grid ``alt x lat x lon`` at one instant, shape (nalt, nlat, nlon)."""
        ...


class IndexSource(Protocol):
    """Where NRLMSIS's F10.7/Ap come from: ``indices(t_tt_s) -> spaceweather.MsisIndices``."""

    key: tuple

    def indices(self, t_tt_s: ArrayLike) -> spaceweather.MsisIndices: ...


@dataclass(frozen=True)
class HistoricalIndices:
    """The observed indices of the actual dates (:func:`debriscope.spaceweather.indices`)."""

    key: tuple = ("historical",)

    def indices(self, t_tt_s: ArrayLike) -> spaceweather.MsisIndices:
        return spaceweather.indices(t_tt_s)


@dataclass(frozen=True)
class ConstantIndices:
    """Constant indices, an explicit assumption: F10.7 = F10.7a = ``f107_sfu``, all ap = ``ap``."""

    f107_sfu: float
    ap: float
    f107a_sfu: float | None = None
    key: tuple = field(init=False)

    def __post_init__(self) -> None:
        if not (0 < self.f107_sfu < 1000) or not (0 <= self.ap <= 400):
            raise ValueError(f"constant indices need 0 < F10.7 < 1000 sfu and 0 <= Ap <= 400, got "
                             f"{self.f107_sfu}, {self.ap}")
        f107a = self.f107_sfu if self.f107a_sfu is None else self.f107a_sfu
        object.__setattr__(self, "key", ("constant", self.f107_sfu, f107a, self.ap))

    def indices(self, t_tt_s: ArrayLike) -> spaceweather.MsisIndices:
        n = np.atleast_1d(np.asarray(t_tt_s, dtype=float)).size
        f107a = self.f107_sfu if self.f107a_sfu is None else self.f107a_sfu
        return spaceweather.MsisIndices(
            np.full(n, self.f107_sfu), np.full(n, f107a), np.full((n, 7), float(self.ap))
        )


def _utc_datetime64(t_tt_s: ArrayLike) -> NDArray:
    """TT seconds -> UTC ``datetime64[us]`` through the UTC MJD (vectorised, no strings)."""
    mjd = np.atleast_1d(np.asarray(tt_s_to_mjd_utc(np.asarray(t_tt_s, dtype=float)), dtype=float))
    us = np.rint((mjd - _UNIX_EPOCH_MJD) * SECONDS_PER_DAY * 1e6).astype(np.int64)
    return us.astype("datetime64[us]")


@dataclass(frozen=True)
class Nrlmsis:
    """NRLMSIS evaluated point by point through ``pymsis`` with explicit indices.

    Parameters
    ----------
    version : {"00", "2.0", "2.1"}
        NRLMSISE-00 (Picone et al. 2002) or NRLMSIS 2.0/2.1 (Emmert et al. 2021, 2022).
    source : IndexSource
        Historical (default) or constant indices.
    storm_time : bool
        Use the 3-hourly ap history (MSIS switch 9 = -1) instead of the daily Ap (switch 9 = 1).
    """

    version: str = "2.1"
    source: IndexSource = field(default_factory=HistoricalIndices)
    storm_time: bool = False

    def __post_init__(self) -> None:
        if self.version not in MSIS_VERSIONS:
            raise ValueError(f"NRLMSIS version {self.version!r}: allowed {MSIS_VERSIONS}")

    def density_kg_m3(
        self, t_tt_s: ArrayLike, alt_km: ArrayLike, lat_deg: ArrayLike, lon_deg: ArrayLike
    ) -> NDArray:
        """Total mass density (kg/m^3) at geodetic points, fly-through mode."""
        from pymsis import msis

        t, alt, lat, lon = np.broadcast_arrays(
            *(np.atleast_1d(np.asarray(x, dtype=float)) for x in (t_tt_s, alt_km, lat_deg, lon_deg))
        )
        idx = self.source.indices(t)
        out = msis.calculate(
            _utc_datetime64(t), lon, lat, alt, idx.f107_sfu, idx.f107a_sfu, idx.ap,
            version=_PYMSIS_VERSION[self.version],
            geomagnetic_activity=-1 if self.storm_time else 1,
        )
        return np.asarray(out[..., 0], dtype=float).reshape(t.shape)

    def density_grid_kg_m3(
        self, t_tt_s: float, alt_km: NDArray, lat_deg: NDArray, lon_deg: NDArray
    ) -> NDArray:
        """Density on ``alt x lat x lon`` at one instant (pymsis grid mode), (nalt, nlat, nlon)."""
        from pymsis import msis

        idx = self.source.indices(float(t_tt_s))
        out = msis.calculate(
            _utc_datetime64(float(t_tt_s)), lon_deg, lat_deg, alt_km, idx.f107_sfu, idx.f107a_sfu,
            idx.ap, version=_PYMSIS_VERSION[self.version],
            geomagnetic_activity=-1 if self.storm_time else 1,
        )
        return np.asarray(out[0, :, :, :, 0], dtype=float).transpose(2, 1, 0)


class GridAxes(NamedTuple):
    """Axes of a density grid: altitude nodes (km, increasing), latitude and local time."""

    alt_km: NDArray
    lat0_deg: float
    dlat_deg: float
    nlat: int
    dlst_h: float
    nlst: int


def default_axes() -> GridAxes:
    """Altitude 80-1000 km (3 km to 200 km, 10 km to 400 km, 50 km above), latitude 7.5 deg,
    local time 1 h (with 12-hour slices). The local-time spacing is the one that matters: with 2 h, linear interpolation
    of ln(rho) across the diurnal bulge shortened a 6.7-day lifetime by 0.8 % (vs 0.4 % with 1 h);
    finer altitude or latitude spacing changed it by < 0.05 % (benchmarks/fast_vs_reference.py)."""
    alt = np.concatenate([np.arange(80.0, 200.0, 3.0), np.arange(200.0, 400.0, 10.0),
                          np.arange(400.0, 1000.1, 50.0)])
    return GridAxes(alt, -90.0, 7.5, 25, 1.0, 24)


LAT_BAND_MARGIN_DEG = 1.0
"""Margin added to the cloud's largest inclination when the grid's latitude band is chosen. An
orbit of inclination i reaches geocentric latitude i (geocentric = argument of latitude on the
unit sphere); the geodetic latitude exceeds the geocentric one by at most e^2/2 sin 2phi rad =
0.19 deg on WGS-84 (less above the surface); the J2 short-periodic inclination oscillates by
of order (3/8) J2 (R/p)^2 sin 2i < 0.03 deg (first-order J2 terms, Kozai 1959, AJ 64, 367) and the rotating atmosphere's drag
lowers i by hundredths of a degree over a decay. 1 deg covers all three."""


def latitude_band_deg(state_teme: NDArray) -> float:
    """Largest |geodetic latitude| (deg) the orbits of the (6, N) states can reach, with margin.

    ``min(i, 180 - i)`` of the osculating inclination from h = r x v (cos i = h_z/|h|, Vallado
    2013 algorithm 9), maximised over the objects, plus :data:`LAT_BAND_MARGIN_DEG`; 90 (the
    globe) when any angular momentum is zero or not finite.
    """
    r, v = np.asarray(state_teme[:3], dtype=float), np.asarray(state_teme[3:6], dtype=float)
    h = np.cross(r, v, axis=0)
    hn = np.linalg.norm(h, axis=0)
    if hn.size == 0 or not np.all(np.isfinite(hn) & (hn > 0)):
        return 90.0
    incl = np.degrees(np.arccos(np.clip(h[2] / hn, -1.0, 1.0)))  # Vallado 2013 algorithm 9
    return float(min(90.0, np.max(np.minimum(incl, 180.0 - incl)) + LAT_BAND_MARGIN_DEG))


ALT_BAND_MARGIN_KM = 50.0
"""Margin added to the cloud's highest apogee height when the grid's altitude band is chosen: the
osculating apogee of a state moves by the J2 short-periodic terms (of order J2 R^2/a, ~10 km in
LEO) and the J3 long-period ones (e by ~1e-3: ~7 km) and never grows by drag; the height above
WGS-84 of a point at radius r is at most r - b (b the polar radius), metres more where the normal
and the radius differ."""


def altitude_top_km(state_teme: NDArray) -> float:
    """Highest geodetic height (km) the orbits of the (6, N) states can reach, with margin.

    The osculating apogee radius a (1 + e) (Vallado 2013 algorithm 9) less the WGS-84 polar radius,
    maximised over the objects, plus :data:`ALT_BAND_MARGIN_KM`; infinite when an orbit is not a
    finite ellipse (then no band is drawn).
    """
    r, v = np.asarray(state_teme[:3], dtype=float), np.asarray(state_teme[3:6], dtype=float)
    if r.shape[1] == 0:
        return np.inf
    rn = np.linalg.norm(r, axis=0)
    energy = 0.5 * np.sum(v * v, axis=0) - MU_EARTH_M3_S2 / rn
    h2 = np.sum(np.cross(r, v, axis=0) ** 2, axis=0)
    if not np.all(np.isfinite(energy) & (energy < 0.0) & np.isfinite(h2)):
        return np.inf
    a = -MU_EARTH_M3_S2 / (2.0 * energy)
    e = np.sqrt(np.maximum(0.0, 1.0 - h2 / (MU_EARTH_M3_S2 * a)))
    return float(np.max(a * (1.0 + e) - WGS84_B_M) * 1e-3 + ALT_BAND_MARGIN_KM)


def banded_axes(axes: GridAxes, max_abs_lat_deg: float, max_alt_km: float = np.inf) -> GridAxes:
    """The nodes of ``axes`` covering latitudes [-max_abs_lat_deg, max_abs_lat_deg] and altitudes
    up to ``max_alt_km``, and no more.

    The band keeps the original nodes (the first at or below -max, the last at or above +max; the
    altitudes from the first up to the first at or above ``max_alt_km``), so inside it the banded
    grid's cells, values and interpolation are those of the full grid; the kernels clamp
    latitudes and heights outside the band to its edge, which therefore must lie beyond every
    latitude and height reached (:func:`latitude_band_deg`, :func:`altitude_top_km`). A band
    reaching the poles and the top node returns ``axes``.
    """
    top = np.flatnonzero(axes.alt_km >= max_alt_km)
    n_alt = max(int(top[0]) + 1, 2) if top.size else axes.alt_km.size
    if n_alt < axes.alt_km.size:
        axes = axes._replace(alt_km=axes.alt_km[:n_alt])
    lat = axes.lat0_deg + axes.dlat_deg * np.arange(axes.nlat)
    lim = float(max_abs_lat_deg)
    below = np.flatnonzero(lat <= -lim + 1e-9)
    above = np.flatnonzero(lat >= lim - 1e-9)
    i0 = int(below[-1]) if below.size else 0
    i1 = int(above[0]) if above.size else axes.nlat - 1
    i1 = max(i1, i0 + 1)  # two nodes at least (one interpolation cell)
    if i0 == 0 and i1 == axes.nlat - 1:
        return axes
    return axes._replace(lat0_deg=float(lat[i0]), nlat=i1 - i0 + 1)


def _build_slice(model: Atmosphere, t_mid_tt_s: float, axes_key: tuple) -> NDArray:
    """One slice ln(rho)[alt, lat, lst] at one instant (pure: also run in worker processes)."""
    alt = np.asarray(axes_key[0])
    _, lat0, dlat, nlat, dlst, nlst = axes_key
    lat = lat0 + dlat * np.arange(nlat)
    lst = dlst * np.arange(nlst)
    date = _utc_datetime64(t_mid_tt_s)
    ut_h = float((date[0] - date[0].astype("datetime64[D]")) / np.timedelta64(1, "h"))
    lon = np.mod(15.0 * (lst - ut_h), 360.0)  # NRLMSIS: lst = UT + lon/15 (Picone et al. 2002)
    rho = model.density_grid_kg_m3(t_mid_tt_s, alt, lat, lon)
    return np.ascontiguousarray(np.log(np.maximum(rho, 1e-300)))


_SLICES: OrderedDict = OrderedDict()
_MAX_SLICES = 1024
"""Memoised slices (most recently used last; float32, ~0.18 MB each)."""
_POOL: list = []


PARENT_POLL_S = 0.5
"""How often a slice worker checks that the process that started it is still alive, s."""


def _die_with_parent(parent_pid: int) -> None:
    """Worker initializer: end this worker when its parent dies, even by SIGKILL (which runs no
    clean-up in the parent): a daemon thread watches the parent's pid (an orphan is re-parented,
    so ``getppid()`` changes) and exits within :data:`PARENT_POLL_S`. Not ``prctl(PR_SET_PDEATHSIG)``:
    it fires when the *thread* that forked the worker ends, which need not be the main thread."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_POLL_S)
        os._exit(1)

    if os.getppid() != parent_pid:
        os._exit(1)
    threading.Thread(target=watch, daemon=True, name="debriscope-parent-watch").start()


def _pool() -> ProcessPoolExecutor | None:
    """Two forked worker processes for NRLMSIS slices (``pymsis`` holds the GIL, so threads do not
    help); None on a single-core machine. Fork, not spawn: spawn re-imports the caller's main
    module in each worker (unsafe for scripts without a main guard, impossible from stdin); the
    workers only call pymsis, never Numba's threaded code. They die with this process
    (:func:`_die_with_parent`). None too in a daemonic process, which may have no children."""
    if (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    if multiprocessing.current_process().daemon:  # e.g. a Dask worker: no children allowed
        return None
    if not _POOL:
        _POOL.append(ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork"),
                                         initializer=_die_with_parent, initargs=(os.getpid(),)))
    return _POOL[0]


def clear_slice_cache() -> None:
    """Forget the slices memoised in this process (benchmarks); the on-disk cache stays."""
    _SLICES.clear()


def _disk_keys(model: Atmosphere, t_mids: list[float], axes_key: tuple) -> list[str] | None:
    """:mod:`slice_cache` keys of NRLMSIS slices at ``t_mids`` (None for other models, whose
    slices are cheap)."""
    if not isinstance(model, Nrlmsis):
        return None
    from pymsis import __version__ as pymsis_version

    idx = model.source.indices(np.asarray(t_mids, dtype=float))
    utc = _utc_datetime64(np.asarray(t_mids, dtype=float)).astype(str)
    model_key = ("nrlmsis", model.version, model.storm_time, pymsis_version)
    fed = [(float(idx.f107_sfu[j]), float(idx.f107a_sfu[j]), tuple(float(x) for x in idx.ap[j]))
           for j in range(len(t_mids))]
    return slice_cache.slice_keys(model_key, [str(u) for u in utc], fed, axes_key)


def _slices_for(model: Atmosphere, t_mids: list[float], axes_key: tuple) -> list[NDArray]:
    """Memoised slices at ``t_mids``: from this process's memo, else from the on-disk cache
    (:mod:`slice_cache`), else built (NRLMSIS ones two at a time in worker processes: halves the
    build on two idle cores) and stored there. Every slice is rounded to float32 ln(rho)."""
    missing = [t for t in dict.fromkeys(t_mids) if (model, t, axes_key) not in _SLICES]
    store = slice_cache.SliceStore(slice_cache.cache_dir())
    keys = _disk_keys(model, missing, axes_key) if store.folder is not None and missing else None
    if keys is not None:
        shape = (len(axes_key[0]), axes_key[3], axes_key[5])
        still_missing, still_keys = [], []
        for t, key in zip(missing, keys, strict=True):
            logrho = store.load(key, shape)
            if logrho is None:
                still_missing.append(t)
                still_keys.append(key)
            else:
                logrho.setflags(write=False)
                _SLICES[(model, t, axes_key)] = logrho
        missing, keys = still_missing, still_keys
    pool = _pool() if isinstance(model, Nrlmsis) and len(missing) >= 2 else None
    n = len(missing)
    built = None
    if pool is not None:
        try:
            built = list(pool.map(_build_slice, [model] * n, missing, [axes_key] * n))
        except BrokenProcessPool:  # e.g. a worker killed: build here from now on
            _POOL.clear()
            _POOL.append(None)
    if built is None:
        built = [_build_slice(model, t, axes_key) for t in missing]
    for j, (t, logrho) in enumerate(zip(missing, built, strict=True)):
        logrho = slice_cache.to_stored_precision(logrho)
        logrho.setflags(write=False)
        _SLICES[(model, t, axes_key)] = logrho
        if keys is not None:
            store.store(keys[j], logrho)
    if keys:
        store.prune()
    out = []
    for t in t_mids:
        _SLICES.move_to_end((model, t, axes_key))
        out.append(_SLICES[(model, t, axes_key)])
    while len(_SLICES) > _MAX_SLICES:
        _SLICES.popitem(last=False)
    return out


@dataclass(frozen=True)
class DensityGrid:
    """An atmosphere (NRLMSIS) tabulated every ``slice_s`` (12 h) for the actual indices.

    Slice ``k`` is evaluated at ``t_origin + (k + 1/2) slice_s`` (``t_origin`` the UTC midnight
    starting the span: 06:00 and 18:00 UT) with that instant's indices (daily
    F10.7/Ap change at midnight, between slices; in storm-time mode the 3-hourly ap are sampled). ln(rho) is trilinear in (geodetic altitude,
    geodetic latitude, mean local solar time) within a slice and linear in time between slice
    centres. Sampling UT twice a day keeps NRLMSIS's UT/longitude terms (magnetic-pole offset), which
    reach 10-20 % rms above 400 km and 4 % at 120-200 km at a fixed local time: with one slice a
    day lifetimes came out 0.8 % long, with two, three or four a day within 0.4 % of the reference.
    """

    model: Atmosphere
    t_origin_tt_s: float
    axes: GridAxes = field(default_factory=default_axes)

    slice_s: float = 43200.0

    @classmethod
    def starting(cls, model: Atmosphere, t_tt_s: float, axes: GridAxes | None = None) -> DensityGrid:
        """A grid whose slices start at the UTC midnight on or before ``t_tt_s`` (12-hour slices;
        3-hour ones in storm-time mode, to follow the 3-hourly ap)."""
        day = np.floor(float(tt_s_to_mjd_utc(float(t_tt_s))))
        origin = utc_to_tt_s(str(np.datetime64(int(day - _UNIX_EPOCH_MJD), "D")) + "T00:00:00Z")
        slice_s = 10800.0 if getattr(model, "storm_time", False) else 43200.0  # 3-hourly ap: 3 h
        return cls(model, float(origin), axes if axes is not None else default_axes(), slice_s)

    def banded(self, max_abs_lat_deg: float, max_alt_km: float = np.inf) -> DensityGrid:
        """The same grid restricted to the latitude band ``|lat| <= max_abs_lat_deg`` and the
        altitudes up to ``max_alt_km`` (see :func:`banded_axes`; fewer NRLMSIS points per slice,
        identical values inside the band)."""
        axes = banded_axes(self.axes, max_abs_lat_deg, max_alt_km)
        return self if axes is self.axes else replace(self, axes=axes)


    def slice_index(self, t_tt_s: ArrayLike) -> NDArray:
        """Index of the slice whose centre is at or before ``t_tt_s`` (interpolation pairs k, k+1)."""
        u = (np.asarray(t_tt_s, dtype=float) - self.t_origin_tt_s) / self.slice_s - 0.5
        return np.floor(u).astype(int)

    def slices(self, k0: int, k1: int, out: NDArray | None = None) -> NDArray:
        """ln(rho) slices ``k0..k1`` inclusive, shape (k1-k0+1, nalt, nlat, nlst); written into
        ``out`` when it is a float64 array of that shape (a loop over time chunks reuses one
        buffer: a fresh one per chunk costs its page faults, ~0.7 ms per MB measured here)."""
        ax = self.axes
        key = (tuple(ax.alt_km.tolist()), ax.lat0_deg, ax.dlat_deg, ax.nlat, ax.dlst_h, ax.nlst)
        t_mids = [self.t_origin_tt_s + (k + 0.5) * self.slice_s for k in range(k0, k1 + 1)]
        shape = (k1 - k0 + 1, ax.alt_km.size, ax.nlat, ax.nlst)
        parts = _slices_for(self.model, t_mids, key)
        if out is None or out.shape != shape or out.dtype != np.float64 or not out.flags.c_contiguous:
            return np.stack(parts, dtype=np.float64)
        return np.stack(parts, out=out)

    def density_kg_m3(
        self, t_tt_s: ArrayLike, alt_km: ArrayLike, lat_deg: ArrayLike, lon_deg: ArrayLike
    ) -> NDArray:
        """Interpolated density at geodetic points (the same lookup the kernels use)."""
        from .kernels import grid_log_density

        t, alt, lat, lon = np.broadcast_arrays(
            *(np.atleast_1d(np.asarray(x, dtype=float)) for x in (t_tt_s, alt_km, lat_deg, lon_deg))
        )
        k = self.slice_index(t)
        k0, k1 = int(k.min()), int(k.max()) + 1
        grid = self.slices(k0, k1)
        ft = (t - self.t_origin_tt_s) / self.slice_s - 0.5 - k
        ut_h = np.mod((t - self.t_origin_tt_s) / 3600.0, 24.0)
        lst_h = np.mod(ut_h + lon / 15.0, 24.0)
        out = np.empty(t.shape)
        ax = self.axes
        for j in range(t.size):
            kj = k.flat[j] - k0
            lr = [grid_log_density(grid, kj + d, ax.alt_km, ax.lat0_deg, ax.dlat_deg, ax.dlst_h,
                                   alt.flat[j], lat.flat[j], lst_h.flat[j]) for d in (0, 1)]
            out.flat[j] = (1.0 - ft.flat[j]) * lr[0] + ft.flat[j] * lr[1]
        return np.exp(out)


# Vallado (2013) table 8-4: base altitude (km), nominal density (kg/m^3), scale height (km).
_EXPONENTIAL_TABLE = np.array([
    (0, 1.225, 7.249), (25, 3.899e-2, 6.349), (30, 1.774e-2, 6.682), (40, 3.972e-3, 7.554),
    (50, 1.057e-3, 8.382), (60, 3.206e-4, 7.714), (70, 8.770e-5, 6.549), (80, 1.905e-5, 5.799),
    (90, 3.396e-6, 5.382), (100, 5.297e-7, 5.877), (110, 9.661e-8, 7.263), (120, 2.438e-8, 9.473),
    (130, 8.484e-9, 12.636), (140, 3.845e-9, 16.149), (150, 2.070e-9, 22.523),
    (180, 5.464e-10, 29.740), (200, 2.789e-10, 37.105), (250, 7.248e-11, 45.546),
    (300, 2.418e-11, 53.628), (350, 9.518e-12, 53.298), (400, 3.725e-12, 58.515),
    (450, 1.585e-12, 60.828), (500, 6.967e-13, 63.822), (600, 1.454e-13, 71.835),
    (700, 3.614e-14, 88.667), (800, 1.170e-14, 124.64), (900, 5.245e-15, 181.05),
    (1000, 3.019e-15, 268.00),
])


@dataclass(frozen=True)
class Exponential:
    """Static piecewise-exponential atmosphere (Vallado 2013, table 8-4; CIRA-72 based).

    rho = rho0 exp(-(h - h0)/H) in the band containing h (Vallado 2013 eq. 8-33). No solar or
    geomagnetic dependence: a quick-look model, not for lifetimes.
    """

    def density_kg_m3(
        self, t_tt_s: ArrayLike, alt_km: ArrayLike, lat_deg: ArrayLike, lon_deg: ArrayLike
    ) -> NDArray:
        h = np.atleast_1d(np.asarray(alt_km, dtype=float))
        band = np.clip(np.searchsorted(_EXPONENTIAL_TABLE[:, 0], h, side="right") - 1, 0, None)
        h0, rho0, scale = _EXPONENTIAL_TABLE[band].T
        return rho0 * np.exp(-(h - h0) / scale)  # Vallado 2013 eq. 8-33

    def density_grid_kg_m3(
        self, t_tt_s: float, alt_km: NDArray, lat_deg: NDArray, lon_deg: NDArray
    ) -> NDArray:
        rho = self.density_kg_m3(t_tt_s, alt_km, 0.0, 0.0)
        return np.broadcast_to(rho[:, None, None], (len(alt_km), len(lat_deg), len(lon_deg))).copy()
