"""The ``sensors`` stage: detections of the fragment cloud by the 1962 network -> ``detections.csv``.

Reads ``fragments.csv`` (post-event TEME states, A/m, characteristic length), ``decay.csv``
(predicted decay epochs) and ``models.json`` (the truth's force model, the one the propagation
stage used); propagates the fragments over the window (default: the cloud's life, until the last
fragment that some sensor could see has decayed, or the prediction's horizon for one that does not
decay; capped by ``max_window_days``), simulates the shipped sites (``sites``) and user-defined
radars, fences and cameras, and writes ``detections.csv`` (optionally ``detections.tdm``),
``radars.json`` (every sensor simulated, radars, fences and cameras, with its parameters as in the
scenario: what later stages know of the sensors, :mod:`debriscope.sensors.parameters`) and
``truth_states.csv`` (the true TEME state behind each detection row, same order: for scoring
only). Its summary answers, per site: could the sensors see the cloud at all, and when; and per
sensor: objects seen, smallest size seen, first and last detection, detections per day, size
threshold.
"""

from __future__ import annotations

import logging
import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..constants import SECONDS_PER_DAY
from ..errors import RunFolderError
from ..propagation import force_model_from_parameters, limited_threads, propagate
from ..runfolder import (
    DECAY_FILE,
    DETECTIONS_FILE,
    FRAGMENTS_FILE,
    MODELS_FILE,
    RADARS_FILE,
    TDM_FILE,
    TRUTH_STATES_FILE,
    RunContext,
    write_json,
)
from ..tables import Table, write_csv
from ..timescale import tt_s_to_utc_iso, utc_to_tt_s
from .camera import Camera
from .detect import DetectionResult, Sensor, sensor_kind, simulate_detections
from .fence import Fence, FenceStation
from .network import NETWORKS, network_sites, shipped_network
from .parameters import sensor_parameters
from .radar import Radar
from .tdm import write_tdm
from .thresholds import size_threshold_m

log = logging.getLogger(__name__)


LOWEST_ALTITUDE_M = 150e3
"""The lowest altitude at which a fragment is still observed (below it, it decays within hours)."""
SEARCH_KINDS = ("radar_fan", "fence")
"""Sensors that need no prediction to observe: only they can discover a fragment (cued trackers
follow their fans; tasked trackers and cameras point from the catalog's predictions)."""


def closest_range_m(sensor: Sensor) -> float:
    """Shortest range at which the sensor can see an object at :data:`LOWEST_ALTITUDE_M` or above.

    A fan radar looks along its lowest fan: ``R = sqrt((R_e sin e)^2 + 2 R_e h + h^2) - R_e sin e``
    (spherical Earth, R_e 6371 km); any other sensor can look straight up: ``R = h``.
    """
    h = LOWEST_ALTITUDE_M
    if isinstance(sensor, Radar) and sensor.mode == "fan":
        re_sin = 6371e3 * np.sin(np.radians(min(sensor.fan_elevations_deg)))
        return float(np.sqrt(re_sin**2 + 2 * 6371e3 * h + h * h) - re_sin)
    return h


def discoverable(sensors: list[Sensor], lc_m: NDArray) -> NDArray:
    """Fragments that some search sensor could detect at its closest range (:data:`SEARCH_KINDS`).

    Only these can ever enter a catalog, so only their observation opportunities could ever be
    taken; the others are not simulated (bounded work).
    """
    search = [s for s in sensors if sensor_kind(s) in SEARCH_KINDS]
    if not search:
        return np.ones(lc_m.size, dtype=bool)
    smallest = min(size_threshold_m(s, closest_range_m(s)) for s in search)
    return lc_m >= smallest


def radar_from_spec(spec: Any) -> Radar:
    """A radar from a scenario ``RadarSpec`` (same field names and units)."""
    return Radar(**{k: getattr(spec, k) for k in spec.__dataclass_fields__}, source="user-defined in the scenario")


def sensors_from_options(options: Any) -> list[Sensor]:
    """The sensors a ``[sensors]`` section asks for: shipped sites (networks expanded) first, then user-defined ones."""
    shipped = shipped_network()
    names: list[str] = []
    for name in options.sites:
        names += list(network_sites(name)) if name in NETWORKS else [name]
    sensors: list[Sensor] = [s for name in dict.fromkeys(names) for s in shipped[name]]
    sensors += [radar_from_spec(spec) for spec in options.radars]
    for spec in getattr(options, "fences", ()):
        stations = tuple(FenceStation(**{k: getattr(st, k) for k in (
            "name", "latitude_deg", "longitude_deg", "altitude_m", "gain_dbi", "power_w")}) for st in spec.stations)
        fields = {k: getattr(spec, k) for k in spec.__dataclass_fields__ if k != "stations"}
        sensors.append(Fence(**fields, stations=stations, source="user-defined in the scenario"))
    sensors += [Camera(**{k: getattr(spec, k) for k in spec.__dataclass_fields__}, source="user-defined in the scenario")
                for spec in getattr(options, "cameras", ())]
    return sensors


def radars_from_options(options: Any) -> list[Radar]:
    """The radars among the sensors of a ``[sensors]`` section (the tracking stage reads their sites)."""
    return [s for s in sensors_from_options(options) if isinstance(s, Radar)]


def window_end_tt_s(options: Any, t0_tt_s: float, decay_tt_s: NDArray | None, seeable: NDArray,
                    horizon_days: float) -> float:
    """End of the observation window: ``window_days`` after the event, or the last decay of a seeable fragment.

    With ``'life'``: the latest predicted decay among the ``seeable`` fragments; a fragment that does
    not decay within the prediction (NaN), or a missing decay.csv, ends it at the prediction's horizon
    (``horizon_days``, ``[propagation] max_days``). Either way at most ``max_window_days``.
    """
    cap = t0_tt_s + options.max_window_days * SECONDS_PER_DAY
    if options.window_days != "life":
        return min(t0_tt_s + float(options.window_days) * SECONDS_PER_DAY, cap)
    horizon = min(cap, t0_tt_s + horizon_days * SECONDS_PER_DAY)
    if decay_tt_s is None:
        return horizon
    if not seeable.any():
        return min(cap, t0_tt_s + SECONDS_PER_DAY)
    last = decay_tt_s[seeable]
    if not np.all(np.isfinite(last)):
        return horizon
    return float(min(max(float(last.max()), t0_tt_s + 3600.0), cap))


def _decay_epochs(ctx: RunContext, fragment_id: NDArray) -> NDArray | None:
    """Predicted decay epoch (TT s; NaN: none within the prediction) per fragment, from decay.csv; None if absent."""
    if not ctx.path(DECAY_FILE).exists():
        return None
    dec = ctx.read_table(DECAY_FILE)
    utc = np.asarray(dec["decay_utc"], dtype=str)
    t = np.full(utc.size, np.nan)
    has = (utc != "") & (utc != "nan")
    if has.any():
        t[has] = utc_to_tt_s(utc[has])
    by_id = dict(zip(np.asarray(dec["fragment_id"], dtype=np.int64).tolist(), t.tolist(), strict=True))
    return np.array([by_id.get(int(i), np.nan) for i in fragment_id])


def sensor_summary(sensors: list[Sensor], table: Any, lc_by_id: dict[int, float], window_days: float,
                   t0_tt_s: float) -> dict[str, Any]:
    """Per sensor: kind, objects seen, smallest size seen, first/last detection, detections per day, size threshold."""
    out: dict[str, Any] = {}
    names = np.asarray(table["sensor"], dtype=str)
    ids = np.asarray(table["fragment_id"], dtype=np.int64)
    times = np.asarray(table["time_utc"], dtype=str)
    for s in sensors:
        m = names == s.name
        seen = np.unique(ids[m])
        sizes = [lc_by_id[int(i)] for i in seen]
        tt = utc_to_tt_s(times[m]) if m.any() else np.empty(0)
        out[s.name] = {
            "site": s.site,
            "kind": sensor_kind(s),
            "n_detections": int(m.sum()),
            "n_objects_seen": int(seen.size),
            "smallest_lc_seen_m": float(min(sizes)) if sizes else None,
            "first_detection_utc": str(min(times[m])) if m.any() else None,
            "last_detection_utc": str(max(times[m])) if m.any() else None,
            "last_detection_days_after_event": float((np.max(tt) - t0_tt_s) / SECONDS_PER_DAY) if m.any() else None,
            "detections_per_day": float(m.sum() / window_days) if window_days > 0 else None,
            "size_threshold_500km_m": _none_if_nan(size_threshold_m(s, 500e3)),
        }
    return out


def _none_if_nan(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def site_summary(
    radars: list[Sensor], result: DetectionResult, fragment_id: NDArray, t0_tt_s: float
) -> dict[str, Any]:
    """Per-site summary: detections, fragments seen, first detection, and each fan's first crossing."""
    out: dict[str, Any] = {}
    radar_site = {r.name: r.site for r in radars}
    det_site = np.array([radar_site[n] for n in result.radar], dtype=str).reshape(-1)
    for site in dict.fromkeys(r.site for r in radars):
        mask = det_site == site
        t = result.t_tt_s[mask]
        beams = result.beam[mask].astype(str)
        fans: dict[str, Any] = {}
        for (vsite, beam), vis in result.visibility.items():
            if vsite != site:
                continue
            seen = math.isfinite(vis.t_tt_s)
            fans[beam] = {
                "n_fragments_in_coverage": len(vis.fragments),
                "first_rising_crossing_utc": tt_s_to_utc_iso(vis.t_tt_s, 1) if seen else None,
                "first_rising_crossing_hours_after_event": _none_if_nan((vis.t_tt_s - t0_tt_s) / 3600.0) if seen else None,
                "fragment_id": int(fragment_id[vis.fragment_index]) if seen else None,
                "subsatellite_lat_deg": _none_if_nan(vis.subsatellite_lat_deg),
                "subsatellite_lon_deg": _none_if_nan(vis.subsatellite_lon_deg),
                "range_km": _none_if_nan(vis.range_m / 1000.0),
                "azimuth_deg": _none_if_nan(vis.azimuth_deg),
            }
        first = float(t.min()) if t.size else math.nan
        out[site] = {
            "radars": [r.name for r in radars if r.site == site],
            "could_see_cloud": bool(any(f["n_fragments_in_coverage"] for f in fans.values()) or mask.any()),
            "first_detection_utc": tt_s_to_utc_iso(first, 1) if t.size else None,
            "first_detection_hours_after_event": _none_if_nan((first - t0_tt_s) / 3600.0),
            "n_fragments_seen": int(np.unique(result.fragment_index[mask]).size),
            "n_detections": int(mask.sum()),
            "n_detections_by_beam": {b: int((beams == b).sum()) for b in sorted(set(beams))},
            "fans": fans,
        }
    return out


def run_stage(ctx: RunContext) -> dict[str, Any]:
    """Simulate the sensors over the window after the event; write ``detections.csv``."""
    options = ctx.scenario.sensors
    sensors = sensors_from_options(options)
    frags = ctx.read_table(FRAGMENTS_FILE)
    fragment_id = np.asarray(frags["fragment_id"])
    state0 = np.stack([np.asarray(frags[k], dtype=float) for k in (
        "x_teme_m", "y_teme_m", "z_teme_m", "vx_teme_mps", "vy_teme_mps", "vz_teme_mps")])
    epochs = np.unique(np.asarray(frags["epoch_utc"], dtype=str))
    if epochs.size != 1:
        raise RunFolderError(f"{FRAGMENTS_FILE}: expected one epoch_utc for all fragments, found {epochs.size}")
    t0 = float(utc_to_tt_s(str(epochs[0])))
    lc = np.asarray(frags["lc_m"], dtype=float)
    seeable = discoverable(sensors, lc)
    decay = _decay_epochs(ctx, fragment_id)
    if decay is None and options.window_days == "life":
        log.warning("sensors: %s absent; the window ends at the prediction horizon", DECAY_FILE)
    t_end = window_end_tt_s(options, t0, decay, seeable, ctx.scenario.propagation.max_days)
    am = np.asarray(frags["am_m2_kg"], dtype=float)
    model = force_model_from_parameters(ctx.read_json(MODELS_FILE)["truth"], t0)
    rows = np.flatnonzero(seeable)

    def propagate_chunk(state: NDArray, t_start: float, times: NDArray, cols: NDArray) -> NDArray:
        # one thread: a parallel launch per sample costs more than the work (flagship's 50 longest-lived
        # fragments over a day at 60 s: 21.8 s on 2 threads of a loaded machine, 0.8 s on 1)
        with limited_threads(1):
            return propagate(state, t_start, times, am[rows[cols]], model).states

    chunk_s = options.chunk_hours * 3600.0
    window_days = (t_end - t0) / SECONDS_PER_DAY
    log.info("sensors: %d sensors, %d of %d fragments discoverable, %.1f days",
             len(sensors), rows.size, lc.size, window_days)
    with ctx.progress(math.ceil(window_days * 24.0), "sensors (hours)") as progress:
        def advance(seconds: float) -> None:
            progress(seconds / 3600.0)

        result = simulate_detections(
            sensors, state0[:, rows], t0, lc[rows], propagate_chunk, ctx.rng,
            t_end_tt_s=t_end, step_s=options.step_s, chunk_s=chunk_s, on_chunk=advance,
            decay_tt_s=None if decay is None else decay[rows],
        )
    table: Table = result.table(sensors, fragment_id[rows])
    write_csv(ctx.path(DETECTIONS_FILE), table)
    write_csv(ctx.path(TRUTH_STATES_FILE), result.truth_table(fragment_id[rows]))  # scoring only
    write_json(ctx.path(RADARS_FILE), sensor_parameters(sensors))  # what later stages know of the sensors
    files = [DETECTIONS_FILE, TRUTH_STATES_FILE, RADARS_FILE]
    if options.tdm:
        write_tdm(ctx.path(TDM_FILE), table, sensors)
        files.append(TDM_FILE)
    kinds = np.asarray(table["sensor_kind"], dtype=str)
    sites_seen = {str(x) for x in np.asarray(table["site"], dtype=str)}
    last = float(result.t_tt_s.max()) if result.t_tt_s.size else math.nan
    return {
        "window_days": window_days,
        "window_end_utc": tt_s_to_utc_iso(t_end, 1),
        "n_sensors": len(sensors),
        "n_radars": sum(isinstance(s, Radar) for s in sensors),
        "n_fragments_simulated": int(rows.size),
        "n_detections": int(result.t_tt_s.size),
        "n_detections_by_kind": {k: int((kinds == k).sum()) for k in sorted(set(kinds))},
        "n_opportunities": int(np.asarray(table["needs_prediction"], dtype=bool).sum()),
        "n_fragments_seen": int(np.unique(result.fragment_index).size),
        "n_sites_with_detections": len(sites_seen),
        "last_detection_days_after_event": _none_if_nan((last - t0) / SECONDS_PER_DAY),
        "sites": site_summary(sensors, result, fragment_id[rows], t0),
        "sensors": sensor_summary(sensors, table, dict(zip(fragment_id.tolist(), lc.tolist(), strict=True)),
                                  window_days, t0),
        "files": files,
    }
