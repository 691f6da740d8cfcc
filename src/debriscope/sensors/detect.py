"""Detection simulation: which sensor sees which fragment, when, and what it measures.

Radars (below), the radio fence (:mod:`debriscope.sensors.fence`), cameras
(:mod:`debriscope.sensors.camera`) and tasked trackers (one observation opportunity per pass, at
its highest sampled elevation) share the chunked, sampled ephemeris.

The window is walked in chunks of time (bounded memory). In each chunk the fragments still in
orbit are propagated to a regular grid (``step_s``); for every site the range and elevation of all
fragments at all grid times are computed at once, the azimuth only where the elevation reaches the
site's lowest look (:func:`debriscope.sensors.geometry.look_grid`); between samples the site is
carried by a turn about TEME's z axis (:func:`debriscope.sensors.geometry.turned`).

Fan radars (AN/FPS-50 principle)
    A crossing of a fan is a sign change of ``elevation - fan elevation`` between two samples;
    its time is refined by regula falsi (Illinois variant) on the Hermite-interpolated
    ephemeris. A crossing counts if it lies inside the radar's sector and range. While the
    target is inside the fan (``thickness / |d el/dt|``) the azimuth sweep passes it once every
    ``scan_period_s`` (random phase); each pass is one look with a fresh Swerling RCS draw, an
    SNR from the radar equation (the SEM RCS at the crossing range) and a detection draw with the
    single-look P_d. The first successful look is reported, with Gaussian noise of the radar's
    sigmas on range, azimuth, elevation (and range rate if measured).
Tracking radars (AN/FPS-49 principle)
    Cued by the fan detections of their site, in time order; a tracker is busy for
    ``cue_delay_s + dwell_s`` per accepted cue and does not re-take a fragment it followed within
    the same pass (``SAME_PASS_S``). It measures every ``scan_period_s`` while the target is
    above ``min_elevation_deg``, inside the sector and range, and detected (Swerling draw, P_d).

Every random draw comes from the Generator passed in, in a fixed order (chunk, site, radar); the
cameras' weather from streams spawned from one draw of it (:func:`clear_nights`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ..tables import Table
from ..timescale import tt_s_to_utc_iso, utc_to_tt_s
from . import crossings
from .camera import Camera, camera_looks, pass_peaks, sun_direction_teme, sunlit
from .ephemeris import SampledStates
from .fence import Fence, fence_looks
from .geometry import look_grid, subsatellite_point_deg, topocentric
from .radar import Radar
from .radar_equation import detect_draw, ratio_to_db
from .sem import rcs_from_size_m2

Sensor = Radar | Fence | Camera
"""Any sensor the stage simulates."""

PropagateChunk = Callable[[NDArray, float, NDArray, NDArray], NDArray]
"""``f(state0_teme (6, n), t0_tt_s, times_tt_s (T,), rows (n,)) -> states (T, 6, n)`` (NaN after
decay); ``rows`` are the fragments' rows in the full table (to pick their A/m)."""

MAX_LOOKS = 64
"""Cap on the sweeps counted during one fan crossing (a target hovering in a fan)."""
SAME_PASS_S = 1800.0
"""A tracker does not re-take a fragment it followed less than this long ago (one pass), s."""
MAX_GRID_CELLS = 1_500_000
"""Largest (times x fragments) grid held at once; chunks shrink to respect it."""
_ROOT_TOL_RAD = 1e-9
_ROOT_ITERATIONS = 12
_RATE_DT_S = 0.5

DETECTION_COLUMNS = (
    "time_utc", "site", "sensor", "sensor_kind", "measurement", "needs_prediction", "beam",
    "range_m", "azimuth_deg", "elevation_deg", "range_rate_mps", "dcos_east", "dcos_north", "dcos_east_rate_per_s",
    "dcos_north_rate_per_s", "ra_deg", "dec_deg", "snr_db", "magnitude", "fragment_id", "sigma_range_m",
    "sigma_azimuth_deg", "sigma_elevation_deg", "sigma_range_rate_mps", "sigma_dcos", "sigma_dcos_rate_per_s",
    "sigma_radec_deg",
)
"""Columns of ``detections.csv``; a column a row's measurement does not carry is empty (NaN)."""

SENSOR_KINDS = ("radar_fan", "radar_cued", "radar_tasked", "fence", "camera")
"""``sensor_kind`` values: fixed-fan radar, tracker cued by its site's fans, tracker tasked from a
prediction, bistatic fence receiver, optical camera."""
_RADAR_KIND = {"fan": "radar_fan", "tracker": "radar_cued", "tasked": "radar_tasked"}
_FLOAT_KEYS = ("range_m", "azimuth_deg", "elevation_deg", "range_rate_mps", "dcos_east", "dcos_north",
               "dcos_east_rate_per_s", "dcos_north_rate_per_s", "ra_deg", "dec_deg", "snr_db", "magnitude")
TRUTH_COLUMNS = ("fragment_id", "x_teme_m", "y_teme_m", "z_teme_m", "vx_teme_mps", "vy_teme_mps", "vz_teme_mps")
"""Columns of ``truth_states.csv``: the true state behind each detection row, at its time (scoring only)."""


@dataclass
class FanVisibility:
    """The first geometric crossing of one fan (inside sector and range) at one site, and who crossed."""

    t_tt_s: float = np.inf
    fragment_index: int = -1
    rising: bool = True
    range_m: float = np.nan
    azimuth_deg: float = np.nan
    subsatellite_lat_deg: float = np.nan
    subsatellite_lon_deg: float = np.nan
    fragments: set[int] = field(default_factory=set)


@dataclass
class DetectionResult:
    """Detections (time-ordered columns) and, per site and fan, the first geometric crossing.

    ``radar`` holds the sensor's name (radar, fence or camera); measurement columns a row does not
    carry are NaN.
    """

    t_tt_s: NDArray
    radar: NDArray
    beam: NDArray
    fragment_index: NDArray
    range_m: NDArray
    azimuth_deg: NDArray
    elevation_deg: NDArray
    range_rate_mps: NDArray
    dcos_east: NDArray
    dcos_north: NDArray
    dcos_east_rate_per_s: NDArray
    dcos_north_rate_per_s: NDArray
    ra_deg: NDArray
    dec_deg: NDArray
    snr_db: NDArray
    magnitude: NDArray
    visibility: dict[tuple[str, str], FanVisibility]
    truth_teme: NDArray = field(default_factory=lambda: np.empty((6, 0)))
    """(6, n) true TEME state of the detected fragment at each row's time (scoring only)."""

    def table(self, sensors: Sequence[Sensor], fragment_id: NDArray) -> Table:
        """The ``detections.csv`` table (columns :data:`DETECTION_COLUMNS`)."""
        by_name = {s.name: s for s in sensors}
        names, row = np.unique(self.radar.astype(str), return_inverse=True)  # per sensor, then per row
        sen = [by_name[str(name)] for name in names]
        kind = np.array([sensor_kind(s) for s in sen], dtype=str)[row].reshape(-1)
        no_rr = np.array([not (isinstance(s, Radar) and s.sigma_range_rate_mps is not None) for s in sen], dtype=bool)[row]

        def sig(attr: str) -> NDArray:
            return np.array([float(getattr(s, attr)) if getattr(s, attr, None) is not None else np.nan for s in sen],
                            dtype=float)[row]

        return {
            "time_utc": np.asarray(tt_s_to_utc_iso(self.t_tt_s, decimals=6), dtype=str).reshape(-1),
            "site": np.array([s.site for s in sen], dtype=str)[row].reshape(-1),
            "sensor": self.radar.astype(str),
            "sensor_kind": kind,
            "measurement": np.select(
                [kind == "fence", kind == "camera", no_rr], ["crossing_dcos", "ra_dec", "range_az_el"], "range_az_el_rr"
            ).astype(str),
            "needs_prediction": np.isin(kind, ("radar_tasked", "camera")),
            "beam": self.beam.astype(str),
            "range_m": self.range_m,
            "azimuth_deg": self.azimuth_deg,
            "elevation_deg": self.elevation_deg,
            "range_rate_mps": np.where(no_rr, np.nan, self.range_rate_mps),
            "dcos_east": self.dcos_east,
            "dcos_north": self.dcos_north,
            "dcos_east_rate_per_s": self.dcos_east_rate_per_s,
            "dcos_north_rate_per_s": self.dcos_north_rate_per_s,
            "ra_deg": self.ra_deg,
            "dec_deg": self.dec_deg,
            "snr_db": self.snr_db,
            "magnitude": self.magnitude,
            "fragment_id": np.asarray(fragment_id)[self.fragment_index].astype(np.int64),
            "sigma_range_m": sig("sigma_range_m"),
            "sigma_azimuth_deg": sig("sigma_azimuth_deg"),
            "sigma_elevation_deg": sig("sigma_elevation_deg"),
            "sigma_range_rate_mps": sig("sigma_range_rate_mps"),
            "sigma_dcos": sig("sigma_direction_cosine"),
            "sigma_dcos_rate_per_s": np.where(np.isfinite(self.dcos_east_rate_per_s),
                                              sig("sigma_direction_cosine_rate_per_s"), np.nan),
            "sigma_radec_deg": sig("sigma_angle_arcsec") / 3600.0,
        }


    def truth_table(self, fragment_id: NDArray) -> Table:
        """The ``truth_states.csv`` table (columns :data:`TRUTH_COLUMNS`), row for row with :meth:`table`."""
        return {"fragment_id": np.asarray(fragment_id)[self.fragment_index].astype(np.int64),
                **{k: self.truth_teme[j] for j, k in enumerate(TRUTH_COLUMNS[1:])}}


def sensor_kind(sensor: Sensor) -> str:
    """The ``sensor_kind`` of a radar, fence or camera (:data:`SENSOR_KINDS`)."""
    if isinstance(sensor, Fence):
        return "fence"
    if isinstance(sensor, Camera):
        return "camera"
    return _RADAR_KIND[sensor.mode]


@dataclass
class _Rows:
    """Detections accumulated across chunks, each with the true state at its time (from ``sampled``,
    the current chunk's ephemeris, the same interpolation the measurements were made from)."""

    parts: list[dict[str, NDArray]] = field(default_factory=list)
    sampled: SampledStates | None = None

    def add(self, radar: Radar, beam: str, t: NDArray, index: NDArray, meas: tuple[NDArray, ...], snr: NDArray,
            state: tuple[NDArray, NDArray]) -> None:
        rng_m, az, el, rr = meas
        self.add_columns(radar.name, beam, t, index, {
            "range_m": rng_m, "azimuth_deg": az, "elevation_deg": el, "range_rate_mps": rr, "snr_db": ratio_to_db(snr)},
            state)

    def add_columns(self, name: str, beam: NDArray | str, t: NDArray, index: NDArray, columns: dict[str, NDArray],
                    state: tuple[NDArray, NDArray] | None = None) -> None:
        """Rows of sensor ``name``: the measurement ``columns`` it carries (others NaN); ``state``: the
        true (r, v) at ``t`` where the caller has interpolated it already."""
        if t.size == 0:
            return
        part = {"t_tt_s": t, "radar": np.full(t.size, name, dtype=object),
                "beam": np.broadcast_to(np.asarray(beam, dtype=object), t.shape).copy(), "fragment_index": index}
        for key in _FLOAT_KEYS:
            part[key] = np.asarray(columns[key], dtype=float) if key in columns else np.full(t.size, np.nan)
        r, v = state if state is not None else self.sampled.interpolate(t, np.searchsorted(self.sampled.index, index))
        part["truth_teme"] = np.concatenate([r, v])
        self.parts.append(part)


def _site_key(radar: Radar) -> tuple[float, float, float]:
    return (radar.latitude_deg, radar.longitude_deg, radar.altitude_m)


def _look(radar: Radar, sampled: SampledStates, t: NDArray, col: NDArray) -> tuple[NDArray, ...]:
    """Exact (noise-free) range, az (rad), el (rad), range rate at (t, col) pairs, and the TEME position and velocity."""
    r, v = sampled.interpolate(t, col)
    site = sampled.site(radar.latitude_deg, radar.longitude_deg, radar.altitude_m, t)
    return (*topocentric(site, r, v), r, v)


def measure(radar: Radar, truth: tuple[NDArray, ...], rng: np.random.Generator) -> tuple[NDArray, ...]:
    """Add the radar's Gaussian noise to true (range m, az rad, el rad, range rate m/s); returns degrees for angles."""
    rng_m, az, el, rr = truth
    noise = rng.standard_normal((4, rng_m.size))
    sig_rr = 0.0 if radar.sigma_range_rate_mps is None else radar.sigma_range_rate_mps
    return (
        rng_m + radar.sigma_range_m * noise[0],
        np.mod(np.degrees(az) + radar.sigma_azimuth_deg * noise[1], 360.0),
        np.degrees(el) + radar.sigma_elevation_deg * noise[2],
        rr + sig_rr * noise[3],
    )


def _detect_draw(radar: Radar, snr_mean: NDArray, shape: tuple[int, ...], rng: np.random.Generator) -> tuple[NDArray, NDArray]:
    """Swerling RCS draw and detection draw per look; returns (detected, realised SNR)."""
    return detect_draw(radar.swerling, radar.pfa, snr_mean, shape, rng)


@dataclass(frozen=True)
class _Crossings:
    t: NDArray
    col: NDArray
    rising: NDArray
    range_m: NDArray
    az: NDArray
    el_rate: NDArray
    r_teme: NDArray


def _fan_crossings(
    radar: Radar, sampled: SampledStates, el: NDArray, range_m: NDArray, fan_rad: float, max_range_m: float
) -> _Crossings:
    """Refined crossings of elevation ``fan_rad`` by all fragments in the chunk (:func:`crossings.refine`)."""
    f = el - fan_rad
    below = f < 0
    cand = (below[:-1] != below[1:]) & np.isfinite(f[:-1]) & np.isfinite(f[1:])
    cand &= np.minimum(range_m[:-1], range_m[1:]) <= 1.05 * max_range_m
    k, col = np.nonzero(cand)
    site = sampled.site_grid(*_site_key(radar))
    t = crossings.refine(sampled, site.r_teme_m, site.up, k, col, f[k, col], f[k + 1, col], fan_rad, angle=True,
                         tol=_ROOT_TOL_RAD, iterations=_ROOT_ITERATIONS)
    rng_m, az, _, _, r, _ = _look(radar, sampled, t, col)
    el_pm = crossings.evaluate(sampled, site.r_teme_m, site.up, np.concatenate([t + _RATE_DT_S, t - _RATE_DT_S]),
                               np.concatenate([col, col]), angle=True)
    rate = (el_pm[:t.size] - el_pm[t.size:]) / (2 * _RATE_DT_S)
    return _Crossings(t, col, rate > 0, rng_m, az, rate, r)


def _fan_looks(
    radar: Radar, cross: _Crossings, rcs_m2: NDArray, rng: np.random.Generator
) -> tuple[NDArray, NDArray, NDArray]:
    """For crossings inside the radar's coverage: detected mask, look time and SNR of the first successful look."""
    thickness = np.radians(radar.fan_thickness_deg)
    dwell = thickness / np.maximum(np.abs(cross.el_rate), 1e-12)
    phase = rng.random(cross.t.size) * radar.scan_period_s
    n_looks = np.where(phase <= dwell, np.floor((dwell - phase) / radar.scan_period_s) + 1, 0)
    n_looks = np.minimum(n_looks, MAX_LOOKS).astype(int)
    width = int(n_looks.max(initial=0))
    snr_mean = radar.snr(cross.range_m, rcs_m2)
    hit, snr = _detect_draw(radar, snr_mean, (cross.t.size, width), rng)
    hit &= np.arange(width)[None, :] < n_looks[:, None]
    detected = hit.any(axis=1)
    first = np.argmax(hit, axis=1) if width else np.zeros(cross.t.size, dtype=int)
    t_look = cross.t - dwell / 2 + phase + first * radar.scan_period_s
    snr_first = snr[np.arange(cross.t.size), first] if width else np.zeros(cross.t.size)
    return detected, t_look, snr_first


@dataclass
class _Tracker:
    radar: Radar
    busy_until: float = -np.inf
    last_taken: dict[int, float] = field(default_factory=dict)
    pending_t: NDArray = field(default_factory=lambda: np.empty(0))
    pending_index: NDArray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    def schedule(self, cue_t: NDArray, cue_index: NDArray) -> None:
        """Accept cues in time order when free; queue the measurement times they imply."""
        new_t, new_i = [], []
        n_meas = int(np.floor(self.radar.dwell_s / self.radar.scan_period_s)) + 1
        offsets = self.radar.cue_delay_s + self.radar.scan_period_s * np.arange(n_meas)
        for t, i in zip(cue_t, cue_index, strict=True):
            if t < self.busy_until or t - self.last_taken.get(int(i), -np.inf) < SAME_PASS_S:
                continue
            self.busy_until = t + self.radar.cue_delay_s + self.radar.dwell_s
            self.last_taken[int(i)] = t
            new_t.append(t + offsets)
            new_i.append(np.full(n_meas, i, dtype=np.int64))
        if new_t:
            self.pending_t = np.concatenate([self.pending_t, *new_t])
            self.pending_index = np.concatenate([self.pending_index, *new_i])

    def take_due(self, t_end: float) -> tuple[NDArray, NDArray]:
        """Pop the queued measurement times up to ``t_end``."""
        due = self.pending_t <= t_end
        t, i = self.pending_t[due], self.pending_index[due]
        self.pending_t, self.pending_index = self.pending_t[~due], self.pending_index[~due]
        return t, i


CHUNK_CELLS = 300_000
"""Chunks grow while fragments decay, up to this many (times x fragments) samples (or one day)."""


def next_chunk(t_start: float, t_end: float, step_s: float, chunk_s: float, n: int) -> NDArray:
    """Sample times of the chunk starting at ``t_start``: at least ``chunk_s`` long (unless the window
    ends), longer while few fragments remain (about :data:`CHUNK_CELLS` samples, at most a day), and
    never more than :data:`MAX_GRID_CELLS` samples (memory)."""
    n = max(n, 1)
    steps = max(round(chunk_s / step_s), CHUNK_CELLS // n)
    steps = max(2, min(steps, round(86400.0 / step_s), MAX_GRID_CELLS // n))
    steps = min(steps, int(np.ceil((t_end - t_start) / step_s - 1e-9)))
    times = t_start + step_s * np.arange(steps + 1)
    times[-1] = min(times[-1], t_end)
    return times


def simulate_detections(
    radars: Sequence[Sensor],
    state0_teme: NDArray,
    t0_tt_s: float,
    lc_m: NDArray,
    propagate_chunk: PropagateChunk,
    rng: np.random.Generator,
    *,
    t_end_tt_s: float,
    step_s: float = 60.0,
    chunk_s: float = 10800.0,
    on_chunk: Callable[[float], None] | None = None,
    decay_tt_s: NDArray | None = None,
) -> DetectionResult:
    """Simulate the sensors' detections of fragments from ``t0_tt_s`` to ``t_end_tt_s``.

    Parameters
    ----------
    radars : the sensors: radars (fan, cued tracker, tasked tracker), fences and cameras; cued
        trackers are cued by the fans of the same ``site``.
    state0_teme : (6, N) TEME states at ``t0_tt_s``, SI.
    lc_m : (N,) characteristic lengths (SEM RCS at each radar's wavelength; camera sphere diameter).
    propagate_chunk : ``f(states (6, n), t0, times (T,), rows (n,)) -> (T, 6, n)``, NaN after decay.
    rng : the generator of every draw.
    step_s, chunk_s : sampling step and chunk length, s.
    on_chunk : called with each chunk's length in seconds (progress).
    decay_tt_s : (N,) predicted decay epochs (NaN: none within the prediction); a fragment is
        dropped at the first chunk that starts after its decay.
    """
    state = np.asarray(state0_teme, dtype=float)
    index = np.arange(state.shape[1])
    decay = np.full(index.size, np.inf) if decay_tt_s is None else np.where(np.isfinite(decay_tt_s), decay_tt_s, np.inf)
    radar_list = [r for r in radars if isinstance(r, Radar)]
    fences = [r for r in radars if isinstance(r, Fence)]
    cameras = [r for r in radars if isinstance(r, Camera)]
    rcs = {r.name: rcs_from_size_m2(lc_m, r.wavelength_m) for r in (*radar_list, *fences)}
    trackers = [_Tracker(r) for r in radar_list if r.mode == "tracker"]
    groups: dict[tuple[float, float, float], list[Radar]] = {}
    for r in radar_list:
        if r.mode != "tracker":
            groups.setdefault(_site_key(r), []).append(r)
    n_nights = int(np.ceil((t_end_tt_s - t0_tt_s) / 86400.0)) + 2
    clear = clear_nights(cameras, n_nights, rng)
    visibility: dict[tuple[str, str], FanVisibility] = {}
    rows = _Rows()
    t_prev = t0_tt_s
    while t_prev < t_end_tt_s - 1e-6:
        keep = decay[index] > t_prev
        state, index = state[:, keep], index[keep]
        times = next_chunk(t_prev, t_end_tt_s, step_s, chunk_s, index.size)
        if index.size == 0:
            if on_chunk is not None:
                on_chunk(t_end_tt_s - t_prev)
            break
        states = propagate_chunk(state, t_prev, times, index)
        sampled = SampledStates(times, states, index)
        rows.sampled = sampled
        cues = _radar_chunk(groups, sampled, rcs, rng, rows, visibility)
        _run_trackers(trackers, cues, sampled, rcs, rng, rows)
        for fence in fences:
            for part in fence_looks(fence, sampled, rcs[fence.name][index], rng):
                rows.add_columns(fence.name, part["beam"], part["t_tt_s"], index[part["col"]], {
                    "dcos_east": part["dcos_east"], "dcos_north": part["dcos_north"],
                    "dcos_east_rate_per_s": part["dcos_east_rate_per_s"],
                    "dcos_north_rate_per_s": part["dcos_north_rate_per_s"], "snr_db": ratio_to_db(part["snr"])})
        if cameras:
            sun = sun_direction_teme(times)
            lit = sunlit(np.moveaxis(states[:, :3, :], 1, 0), sun[:, :, None])
            for cam in cameras:
                got = camera_looks(cam, sampled, lc_m[index], sun, lit, clear[cam.name], t0_tt_s, rng)
                rows.add_columns(cam.name, "camera", got["t_tt_s"], index[got["col"]], {
                    "ra_deg": got["ra_deg"], "dec_deg": got["dec_deg"], "magnitude": got["magnitude"]})
        alive = np.all(np.isfinite(states[-1]), axis=0)
        state, index = states[-1][:, alive], index[alive]
        if on_chunk is not None:
            on_chunk(float(times[-1]) - t_prev)
        t_prev = float(times[-1])
    return _assemble(rows, visibility)


def clear_nights(cameras: Sequence[Camera], n_nights: int, rng: np.random.Generator) -> dict[str, NDArray]:
    """Per camera, whether each local night is clear (one draw per night with ``clear_sky_probability``).

    Each camera draws from its own stream (spawned from one draw of ``rng``), so night ``k``'s weather
    and every later draw of ``rng`` are the same whatever the window's length: the first days of a
    long window are those of a short one.
    """
    seeds = np.random.SeedSequence(int(rng.integers(2**63))).spawn(len(cameras))
    return {c.name: np.random.default_rng(seed).random(n_nights) < c.clear_sky_probability
            for c, seed in zip(cameras, seeds, strict=True)}


def _radar_chunk(
    groups: dict[tuple[float, float, float], list[Radar]], sampled: SampledStates, rcs: dict[str, NDArray],
    rng: np.random.Generator, rows: _Rows, visibility: dict[tuple[str, str], FanVisibility],
) -> list[tuple[str, NDArray, NDArray]]:
    """Fan crossings and tasked passes of one chunk, site by site (one look-angle grid per site); returns the cues."""
    states, index = sampled.states, sampled.index
    cues: list[tuple[str, NDArray, NDArray]] = []
    for members in groups.values():
        site = sampled.site_grid(*_site_key(members[0]))
        rng_grid, az_grid, el_grid = look_grid(site, states, np.radians(_lowest_look_deg(members)))
        fan_members = [r for r in members if r.mode == "fan"]
        for fan_deg in sorted({e for r in fan_members for e in r.fan_elevations_deg}):
            users = [r for r in fan_members if fan_deg in r.fan_elevations_deg]
            cross = _fan_crossings(
                users[0], sampled, el_grid, rng_grid, np.radians(fan_deg), max(r.max_range_m for r in users)
            )
            for radar in users:
                beam = radar.fan_names[radar.fan_elevations_deg.index(fan_deg)]
                inside = radar.in_sector(np.degrees(cross.az)) & (cross.range_m <= radar.max_range_m)
                sel = _Crossings(*(a[..., inside] for a in (cross.t, cross.col, cross.rising, cross.range_m, cross.az, cross.el_rate, cross.r_teme)))
                _note_visibility(visibility, radar, beam, sel, index)
                detected, t_look, snr = _fan_looks(radar, sel, rcs[radar.name][index[sel.col]], rng)
                t_det, col_det = t_look[detected], sel.col[detected]
                look = _look(radar, sampled, t_det, col_det)
                rows.add(radar, beam, t_det, index[col_det], measure(radar, look[:4], rng), snr[detected], look[4:])
                cues.append((radar.site, t_det, index[col_det]))
        for radar in (r for r in members if r.mode == "tasked"):
            _tasked_looks(radar, sampled, rng_grid, az_grid, el_grid, rcs[radar.name][index], rng, rows)
    return cues


def _lowest_look_deg(members: list[Radar]) -> float:
    """The lowest elevation any of a site's radars looks at (fans, tasked minimum elevation), deg."""
    return min(min(r.fan_elevations_deg) if r.mode == "fan" else r.min_elevation_deg for r in members)


def _tasked_looks(
    radar: Radar, sampled: SampledStates, rng_grid: NDArray, az_grid: NDArray, el_grid: NDArray,
    rcs_m2: NDArray, rng: np.random.Generator, rows: _Rows,
) -> None:
    """One observation opportunity per pass (above ``min_elevation_deg``, in sector and range): at the highest sample."""
    with np.errstate(invalid="ignore"):
        visible = (el_grid >= np.radians(radar.min_elevation_deg)) & (rng_grid <= radar.max_range_m)
    cells = np.nonzero(visible)
    visible[cells] = radar.in_sector(np.degrees(az_grid[cells]))
    k, col = pass_peaks(visible, np.where(visible, el_grid, -np.inf))
    if k.size == 0:
        return
    t = sampled.times_tt_s[k]
    look = _look(radar, sampled, t, col)
    hit, snr = _detect_draw(radar, radar.snr(look[0], rcs_m2[col]), (t.size,), rng)
    meas = measure(radar, tuple(a[hit] for a in look[:4]), rng)
    rows.add(radar, "tasked", t[hit], sampled.index[col[hit]], meas, snr[hit], (look[4][:, hit], look[5][:, hit]))


def _note_visibility(
    visibility: dict[tuple[str, str], FanVisibility], radar: Radar, beam: str, sel: _Crossings, index: NDArray
) -> None:
    entry = visibility.setdefault((radar.site, beam), FanVisibility())
    entry.fragments.update(int(i) for i in index[sel.col])
    rising = np.flatnonzero(sel.rising)
    if rising.size == 0:
        return
    k = rising[np.argmin(sel.t[rising])]
    if sel.t[k] < entry.t_tt_s:
        lat, lon = subsatellite_point_deg(sel.r_teme[:, k:k + 1], sel.t[k:k + 1])
        entry.t_tt_s, entry.fragment_index, entry.rising = float(sel.t[k]), int(index[sel.col[k]]), True
        entry.range_m, entry.azimuth_deg = float(sel.range_m[k]), float(np.degrees(sel.az[k]))
        entry.subsatellite_lat_deg, entry.subsatellite_lon_deg = float(lat[0]), float(lon[0])


def _run_trackers(
    trackers: list[_Tracker], cues: list[tuple[str, NDArray, NDArray]], sampled: SampledStates,
    rcs: dict[str, NDArray], rng: np.random.Generator, rows: _Rows,
) -> None:
    col_of = np.full(int(sampled.index.max(initial=-1)) + 1, -1, dtype=np.int64)
    col_of[sampled.index] = np.arange(sampled.index.size)
    for tracker in trackers:
        radar = tracker.radar
        site_cues = [(t, i) for site, t, i in cues if site == radar.site]
        if site_cues:
            cue_t = np.concatenate([c[0] for c in site_cues])
            cue_i = np.concatenate([c[1] for c in site_cues])
            order = np.lexsort((cue_i, cue_t))
            tracker.schedule(cue_t[order], cue_i[order])
        t, i = tracker.take_due(float(sampled.times_tt_s[-1]))
        known = (i < col_of.size) & (t >= sampled.times_tt_s[0])
        t, i = t[known], i[known]
        col = col_of[i]
        t, i, col = t[col >= 0], i[col >= 0], col[col >= 0]
        rng_m, az, el, rr, r, v = _look(radar, sampled, t, col)
        ok = (
            np.isfinite(rng_m) & radar.in_sector(np.degrees(az)) & (rng_m <= radar.max_range_m)
            & (el >= np.radians(radar.min_elevation_deg))
        )
        t, i, col = t[ok], i[ok], col[ok]
        truth = (rng_m[ok], az[ok], el[ok], rr[ok])
        hit, snr = _detect_draw(radar, radar.snr(truth[0], rcs[radar.name][i]), (t.size,), rng)
        meas = measure(radar, tuple(a[hit] for a in truth), rng)
        rows.add(radar, "tracker", t[hit], i[hit], meas, snr[hit], (r[:, ok][:, hit], v[:, ok][:, hit]))


def _assemble(rows: _Rows, visibility: dict[tuple[str, str], FanVisibility]) -> DetectionResult:
    keys = ("t_tt_s", "radar", "beam", "fragment_index", *_FLOAT_KEYS)
    if rows.parts:
        cols = {k: np.concatenate([p[k] for p in rows.parts]) for k in keys}
        truth = np.concatenate([p["truth_teme"] for p in rows.parts], axis=1)
    else:
        cols = {k: np.empty(0, dtype=object if k in ("radar", "beam") else (np.int64 if k == "fragment_index" else float)) for k in keys}
        truth = np.empty((6, 0))
    order = np.lexsort((cols["fragment_index"], cols["radar"].astype(str), cols["t_tt_s"]))
    cols = {k: v[order] for k, v in cols.items()}
    return DetectionResult(**cols, visibility=visibility, truth_teme=truth[:, order])


EARLY_WARNING_KINDS = ("radar_fan", "radar_cued")
"""The rows the early-warning tracker reads: fan crossings and the trackers they cue."""


def early_warning_rows(table: Table, window_days: float, event_tt_s: float | None = None) -> Table:
    """Rows of a detections table the early-warning tracker reads: fan and cued-tracker rows within
    ``window_days`` of the event (default: of the first detection); a table without ``sensor_kind``
    keeps every kind."""
    rows = np.arange(len(table["time_utc"]))
    if "sensor_kind" in table:  # the kinds first: only their times are parsed
        rows = rows[np.isin(np.asarray(table["sensor_kind"], dtype=str), EARLY_WARNING_KINDS)]
    utc = np.asarray(table["time_utc"], dtype=str)[rows]
    t = np.atleast_1d(utc_to_tt_s(utc)) if utc.size else np.empty(0)
    if event_tt_s is None:  # the first detection of any kind
        every = np.asarray(table["time_utc"], dtype=str)
        event_tt_s = float(np.min(utc_to_tt_s(every), initial=np.inf)) if every.size else np.inf
    rows = rows[t <= event_tt_s + window_days * 86400.0]
    return {k: np.asarray(v)[rows] for k, v in table.items()}


def event_epoch_tt_s(fragments: Table | None) -> float | None:
    """The event epoch (TT s) of a fragments table (its common ``epoch_utc``), None without one."""
    if fragments is None or not len(fragments["epoch_utc"]):
        return None
    return float(utc_to_tt_s(str(np.asarray(fragments["epoch_utc"], dtype=str)[0])))
