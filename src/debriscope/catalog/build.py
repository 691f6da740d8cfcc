"""Assemble the catalog's rows from what catalog maintenance admitted (``objects.csv``), never from the truth.

Admission is tracking's: an object of ``objects.csv`` enters the catalog when the maintenance loop
admitted it (a non-empty ``admitted_utc``; status ``catalogued``, ``decayed``, or ``lost`` after its
admission: a catalogued object that later went unobserved stays catalogued, as in SPADATS).
Catalog numbers and piece letters are given in the order of admission (``admitted_utc``, then
``object_id``), after the launch's own objects (the event's parents: spacecraft first, piece A, as
COSPAR reserves A for the principal payload).

Everything the catalog states of an object comes from its own estimate: its last element set
(``epoch_utc``, TEME state and ballistic coefficient B = Cd A/m as estimated) is propagated with the
estimator's force model (an :data:`EphemerisFunction`) to give the ephemeris the SGP4 element sets are
fitted to (:mod:`debriscope.catalog.tle_fit`): one set at that epoch and one at each of
``element_set_epochs_days`` after the event that falls between the admission and that epoch (a
reconstruction from the final estimate); the OEM covers ``oem_span_h`` from that epoch. The decay
date is predicted from the same state with the run's own decay model (a :data:`DecayFunction`,
``A/m = B / Cd``). Size and RCS are estimated from the object's detections
(:func:`debriscope.tracking.characterise.characterise`) at its estimated positions. The parent is left
unknown: no rule that 1962 could apply from orbits alone separates the two parents' debris.

The truth enters only in scoring-only columns: ``truth_fragment_id`` (the majority fragment of the
object's detections, from tracking) and ``decay_true_utc`` (that fragment's decay, from ``decay.csv``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sgp4.exporter import export_tle

from ..constants import R_EARTH_SATCAT_M
from ..elements import period_s, rv_to_elements
from ..errors import RunFolderError
from ..scenario.options import ANALYST_FIRST_NUMBER, CatalogOptions
from ..tables import Table
from ..timescale import tt_s_to_utc_iso, utc_to_tt_s
from ..tracking.characterise import UNKNOWN, Characterisation, Sensor, characterise
from .db import CatalogRows
from .designations import cospar_id, greek_piece_name, tle_intldesg
from .schema import SCHEMA_VERSION
from .scoring import catalog_scores
from .tle_fit import MU_WGS72_KM3_S2, SgpFit, fit_sgp4, satrec_elements

log = logging.getLogger(__name__)

EphemerisFunction = Callable[[NDArray, float, NDArray, NDArray], NDArray]
"""``(state0_teme (6, N), t0_tt_s, times_tt_s (T,), b_m2_kg (N,)) -> states (T, 6, N)``: the
estimator's force model, times on either side of ``t0_tt_s``; NaN after decay."""
DecayFunction = Callable[[NDArray, NDArray, NDArray], NDArray]
"""``(state0_teme (6, N), t0_tt_s (N,), am_m2_kg (N,)) -> decay_tt_s (N,)``, NaN: no decay predicted."""

MIN_FIT_ORBITS = 0.5
"""Shortest ephemeris span (periods) an element set is fitted to; shorter windows are skipped."""
OBJECT_COLUMNS = (
    "object_id", "status", "created_utc", "admitted_utc", "last_observed_utc", "epoch_utc",
    "x_teme_m", "y_teme_m", "z_teme_m", "vx_teme_mps", "vy_teme_mps", "vz_teme_mps",
    "ballistic_coefficient_m2_kg", "n_passes", "n_detections", "classification", "truth_fragment_id",
)  # fmt: skip
"""Columns of ``objects.csv`` the catalog reads (tracking writes more)."""
STATE_COLUMNS = OBJECT_COLUMNS[6:12]
ADMITTED_STATUSES = ("catalogued", "decayed", "lost")
"""Statuses an object with an ``admitted_utc`` may have (``tentative`` ones were never admitted)."""


@dataclass(frozen=True)
class CatalogInputs:
    """What the catalog is built from: the run's files, already read.

    ``objects`` is ``objects.csv``; ``detections``, ``associations`` and ``sensors`` (by name, from
    ``radars.json``) feed the size and RCS estimates (None/empty: sizes unknown); ``decay`` is the
    truth's ``decay.csv`` and ``truth_lc_m`` the fragments' sizes (both scoring only); ``cd`` the run's
    drag coefficient (A/m = B / Cd).
    """

    event: Mapping[str, Any]
    objects: Table
    decay: Table
    scenario_name: str
    seed: int
    scenario_sha256: str
    package_version: str
    cd: float
    detections: Table | None = None
    associations: Table | None = None
    sensors: Mapping[str, Sensor] = field(default_factory=dict)
    truth_lc_m: Mapping[int, float] = field(default_factory=dict)
    """True characteristic length by fragment id (``fragments.csv``): scoring only."""


@dataclass
class CatalogResult:
    """The rows to write and the figures for ``summary.json``."""

    rows: CatalogRows
    summary: dict[str, Any] = field(default_factory=dict)


def _utc(t_tt_s: float) -> str:
    return str(tt_s_to_utc_iso(float(t_tt_s), decimals=3))


def _missing(value: Any) -> bool:
    return (
        value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() in ("", "nan")
    )


def _tt(utc: NDArray) -> NDArray:
    """Internal times of ISO UTC strings; NaN for empty ones."""
    text = np.asarray(utc).astype(str)
    out = np.full(text.size, np.nan)
    has = np.array([not _missing(u) for u in text], dtype=bool)
    if has.any():
        out[has] = np.atleast_1d(utc_to_tt_s(text[has]))
    return out


def check_objects(objects: Table) -> None:
    """Raise :class:`RunFolderError` naming ``objects.csv``'s missing columns or bad statuses (exit 2)."""
    missing = [c for c in OBJECT_COLUMNS if c not in objects]
    if missing:
        raise RunFolderError(f"objects.csv: columns {missing} missing; re-run the tracking stage")
    status = np.asarray(objects["status"]).astype(str)
    admitted = ~np.array([_missing(u) for u in np.asarray(objects["admitted_utc"]).astype(str)], dtype=bool)
    bad = admitted & ~np.isin(status, ADMITTED_STATUSES)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise RunFolderError(f"objects.csv: object {int(objects['object_id'][k])} has admitted_utc but status "
                             f"{str(status[k])!r}; an admitted object is one of {', '.join(ADMITTED_STATUSES)}")


def admitted_objects(objects: Table) -> tuple[NDArray, dict[str, int]]:
    """Row indices of ``objects`` that enter the catalog, in order of admission; and the counts by status."""
    check_objects(objects)
    status = np.asarray(objects["status"]).astype(str)
    t_admit = _tt(objects["admitted_utc"])
    ids = np.asarray(objects["object_id"], dtype=np.int64)
    keep = np.flatnonzero(np.isfinite(t_admit))
    keep = keep[np.lexsort((ids[keep], t_admit[keep]))]
    counts = {
        "n_objects": int(ids.size),
        "n_tentative": int(np.sum(status == "tentative")),
        "n_never_admitted": int(ids.size - keep.size),
        "n_admitted_then_lost": int(np.sum(status[keep] == "lost")),
    }
    return keep, counts


def _mean_orbit(sat_elements: Mapping[str, float]) -> dict[str, float]:
    """Period and apsis altitudes of SGP4 mean elements (WGS-72 GM, SATCAT radius)."""
    n_rad_s = sat_elements["mean_motion_rev_day"] * 2 * np.pi / 86400.0
    a_m = (MU_WGS72_KM3_S2 * 1e9 / n_rad_s**2) ** (1.0 / 3.0)
    e = sat_elements["eccentricity"]
    return {
        "period_min": 1440.0 / sat_elements["mean_motion_rev_day"],
        "apogee_km": (a_m * (1 + e) - R_EARTH_SATCAT_M) / 1000.0,
        "perigee_km": (a_m * (1 - e) - R_EARTH_SATCAT_M) / 1000.0,
    }


def _osculating_set(number: int, state: NDArray, t_tt_s: float, rev: int) -> dict[str, Any]:
    """An ``event-state`` element set: osculating elements of a parent at the event."""
    el = rv_to_elements(state[:3], state[3:])
    p = float(period_s(el.a_m)[0])
    a, e = float(el.a_m[0]), float(el.e[0])
    return {
        "catalog_number": number,
        "epoch_utc": _utc(t_tt_s),
        "epoch_tt_s": float(t_tt_s),
        "source": "event-state",
        "kind": "osculating",
        "element_set_number": 1,
        "mean_motion_rev_day": 86400.0 / p,
        "eccentricity": e,
        "inclination_deg": float(np.degrees(el.i_rad[0])),
        "raan_deg": float(np.degrees(el.raan_rad[0])),
        "arg_perigee_deg": float(np.degrees(el.argp_rad[0])),
        "mean_anomaly_deg": float(np.degrees(el.mean_anomaly_rad[0])),
        "rev_at_epoch": rev,
        "period_min": p / 60.0,
        "apogee_km": (a * (1 + e) - R_EARTH_SATCAT_M) / 1000.0,
        "perigee_km": (a * (1 - e) - R_EARTH_SATCAT_M) / 1000.0,
    }


def _fitted_set(number: int, fit: SgpFit, elnum: int) -> dict[str, Any]:
    line1, line2 = export_tle(fit.satrec)
    elements = satrec_elements(fit.satrec)
    return {
        "catalog_number": number,
        "epoch_utc": _utc(fit.epoch_tt_s),
        "epoch_tt_s": fit.epoch_tt_s,
        "source": "sgp4-fit",
        "kind": "mean",
        "element_set_number": elnum,
        **elements,
        "rev_at_epoch": int(fit.satrec.revnum),
        **_mean_orbit(elements),
        "fit_rms_m": fit.rms_m,
        "fit_max_m": fit.max_m,
        "fit_span_s": fit.span_s,
        "fit_points": fit.n_points,
        "tle_line1": line1,
        "tle_line2": line2,
    }


def object_name_prefix(options: CatalogOptions, scenario_name: str) -> str:
    """``catalog.name_prefix``, or the scenario's name in capitals (``my_event`` -> ``MY EVENT``)."""
    if options.name_prefix is not None:
        return options.name_prefix
    return scenario_name.replace("_", " ").replace("-", " ").upper()


def first_catalog_number(options: CatalogOptions) -> int:
    """``catalog.first_catalog_number``, or the first analyst number (:data:`ANALYST_FIRST_NUMBER`)."""
    return ANALYST_FIRST_NUMBER if options.first_catalog_number is None else options.first_catalog_number


def utc_epochs_after(start_utc: str, days: tuple[float, ...]) -> NDArray:
    """Internal times of ``start_utc`` plus whole UTC days (element-set epochs read as calendar times)."""
    start = np.datetime64(start_utc.removesuffix("Z"), "us")
    offsets = np.round(np.asarray(days, dtype=float) * 86400e6).astype("timedelta64[us]")
    return np.atleast_1d(utc_to_tt_s([str(t) + "Z" for t in start + offsets]))


def _window(t0: float, period: float, options: CatalogOptions) -> NDArray:
    step = period / options.tle_fit_points_per_orbit
    return t0 + step * np.arange(
        int(round(options.tle_fit_span_orbits * options.tle_fit_points_per_orbit)) + 1
    )


def characterise_objects(inputs: CatalogInputs, rows: NDArray, ephemeris: EphemerisFunction,
                         states: NDArray, epochs: NDArray, b: NDArray) -> list[Characterisation]:
    """Size and RCS of the objects at ``rows`` of objects.csv, from their associated detections at
    their estimated states (each object's own state propagated to its detection times)."""
    det, assoc = inputs.detections, inputs.associations
    if det is None or assoc is None or not inputs.sensors:
        return [UNKNOWN] * rows.size
    owner = np.asarray(assoc["object_id"], dtype=np.int64)
    if owner.size != len(det["time_utc"]):
        raise RunFolderError(f"associations.csv has {owner.size} rows, detections.csv {len(det['time_utc'])}: "
                             "re-run the tracking stage")
    times = _tt(det["time_utc"]) if owner.size else np.zeros(0)
    ids = np.asarray(inputs.objects["object_id"], dtype=np.int64)[rows]
    out = []
    for j, oid in enumerate(ids):
        mine = np.flatnonzero(owner == oid)
        if mine.size == 0:
            out.append(UNKNOWN)
            continue
        grid, back = np.unique(times[mine], return_inverse=True)
        est = ephemeris(states[:, j : j + 1], float(epochs[j]), grid, b[j : j + 1])[back, :, 0].T
        out.append(characterise(det, mine, inputs.sensors, est))
    return out


def _runs_row(inputs: CatalogInputs, options: CatalogOptions, launch_utc: str, event_utc: str) -> dict[str, Any]:
    return {
        "run_id": 1,
        "schema_version": SCHEMA_VERSION,
        "scenario_name": inputs.scenario_name,
        "scenario_sha256": inputs.scenario_sha256,
        "seed": int(inputs.seed),
        "package_version": inputs.package_version,
        "launch_utc": launch_utc,
        "event_utc": event_utc,
        "min_detections": options.min_detections,
        "min_passes": options.min_passes,
    }


def assemble_catalog(
    inputs: CatalogInputs, options: CatalogOptions, ephemeris: EphemerisFunction, decay_fn: DecayFunction
) -> CatalogResult:
    """Build every row of the catalog (see the module notes); no file is touched."""
    event, objs = inputs.event, inputs.objects
    t_event = float(event["event"]["t_tt_s"])
    launch = event.get("launch")  # absent when the scenario starts from a state, TLE or OMM
    launch_utc = str(launch["time_utc"]) if launch else ""
    t_rev0 = float(launch["t_tt_s"]) if launch else t_event  # revolutions counted from launch, else the event
    event_utc = _utc(t_event)
    designator = options.international_designator
    prefix = object_name_prefix(options, inputs.scenario_name)
    first_number = first_catalog_number(options)

    admitted, counts = admitted_objects(objs)
    runs = [_runs_row(inputs, options, launch_utc, event_utc)]
    base = {"owner": options.owner, "launch_site": options.launch_site, "launch_date": launch_utc[:10], "run_id": 1}

    # --- the launch's own objects, as context: spacecraft first (piece A), then stages -------------
    parents = sorted(event["parents"], key=lambda p: p["object_class"] != "spacecraft")
    objects, element_sets = [], []
    for piece, parent in enumerate(parents, start=1):
        number = first_number + piece - 1
        kind = "PAY" if parent["object_class"] == "spacecraft" else "R/B"
        label = prefix if kind == "PAY" else f"{prefix} R/B"
        objects.append(
            {
                **base,
                "catalog_number": number,
                "cospar_id": cospar_id(designator, piece),
                "greek_designation": greek_piece_name(designator, piece),
                "object_name": f"{label} ({parent['name'].upper()})",
                "object_type": kind,
                "decay_utc": event_utc,
                "decay_date": event_utc[:10],
                "fate": "fragmented",
            }
        )
        state = np.array(parent["r_teme_m"] + parent["v_teme_mps"], dtype=float)
        p = float(period_s(rv_to_elements(state[:3], state[3:]).a_m)[0])
        element_sets.append(_osculating_set(number, state, t_event, int((t_event - t_rev0) / p)))

    # --- catalogued debris: each from its own last element set -------------------------------------
    pick = {k: np.asarray(v)[admitted] for k, v in objs.items()}
    states = np.array([np.asarray(pick[c], dtype=float) for c in STATE_COLUMNS]).reshape(6, -1)
    b = np.asarray(pick["ballistic_coefficient_m2_kg"], dtype=float)
    epochs, t_admit = _tt(pick["epoch_utc"]), _tt(pick["admitted_utc"])
    bad = ~(np.all(np.isfinite(states), axis=0) & np.isfinite(epochs) & np.isfinite(b) & (b >= 0))
    if bad.any():
        raise RunFolderError(f"objects.csv: admitted object {int(pick['object_id'][np.flatnonzero(bad)[0]])} has no "
                             "finite state, epoch_utc and ballistic_coefficient_m2_kg >= 0")
    am = b / inputs.cd
    chars = characterise_objects(inputs, admitted, ephemeris, states, epochs, b)
    decay_pred = np.asarray(decay_fn(states, epochs, am), dtype=float) if admitted.size else np.zeros(0)
    decay_true = {int(f): None if _missing(d) else str(d) for f, d in zip(
        np.asarray(inputs.decay["fragment_id"]), np.asarray(inputs.decay["decay_utc"], dtype=object), strict=True)}

    first_debris_piece = len(parents) + 1
    numbers = first_number + first_debris_piece - 1 + np.arange(admitted.size)
    for j in range(admitted.size):
        piece = first_debris_piece + j
        predicted = _utc(decay_pred[j]) if np.isfinite(decay_pred[j]) else None
        truth_id = int(pick["truth_fragment_id"][j])
        c = chars[j]
        objects.append(
            {
                **base,
                "catalog_number": int(numbers[j]),
                "cospar_id": cospar_id(designator, piece),
                "greek_designation": greek_piece_name(designator, piece),
                "object_name": f"{prefix} DEB",
                "object_type": "DEB",
                "decay_utc": predicted,
                "decay_date": predicted[:10] if predicted else None,
                "fate": "decayed" if predicted else "in orbit",
                "size_m": c.size_m,
                "sigma_ln_size": c.sigma_ln_size,
                "rcs_m2": c.rcs_m2,
                "rcs_wavelength_m": c.rcs_wavelength_m,
                "ballistic_coefficient_m2_kg": float(b[j]),
                "tracking_object_id": int(pick["object_id"][j]),
                "n_passes": int(pick["n_passes"][j]),
                "n_detections": int(pick["n_detections"][j]),
                "first_seen_utc": str(pick["created_utc"][j]),
                "admitted_utc": _utc(t_admit[j]),
                "truth_fragment_id": truth_id if truth_id >= 0 else None,
                "decay_true_utc": decay_true.get(truth_id),
            }
        )

    # --- ephemeris of each object's own estimate: fit windows and OEM -------------------------------
    periods = period_s(rv_to_elements(states[:3], states[3:]).a_m) if admitted.size else np.zeros(0)
    set_epochs = utc_epochs_after(event_utc, options.element_set_epochs_days)
    oem_numbers = (
        set(options.oem_catalog_numbers) if options.oem_catalog_numbers else {int(n) for n in numbers}
    )
    oem_offsets = np.arange(0.0, options.oem_span_h * 3600.0 + 1e-6, options.oem_step_s)
    fits: list[SgpFit] = []
    ephemeris_rows: list[dict[str, Any]] = []
    for j in range(admitted.size):
        number, p, t_last = int(numbers[j]), float(periods[j]), float(epochs[j])
        set_times = [float(t) for t in set_epochs if t_admit[j] <= t < t_last] + [t_last]
        windows = [(t, _window(t, p, options)) for t in set_times]
        oem_times = t_last + oem_offsets if number in oem_numbers else np.zeros(0)
        grid = np.unique(np.concatenate([oem_times] + [w for _, w in windows]))
        eph = ephemeris(states[:, j : j + 1], t_last, grid, b[j : j + 1])[:, :, 0]  # (T, 6)
        elnum = 0
        for epoch, window in windows:
            sample = eph[np.searchsorted(grid, window)].T
            finite = np.all(np.isfinite(sample), axis=0)
            if np.count_nonzero(finite) < MIN_FIT_ORBITS * options.tle_fit_points_per_orbit:
                continue
            elnum += 1
            fit = fit_sgp4(
                window[finite], sample[:, finite], epoch, am_m2_kg=float(am[j]), satnum=number,
                intldesg=tle_intldesg(cospar_id(designator, first_debris_piece + j)), elnum=elnum,
                revnum=int((epoch - t_rev0) / p),
            )
            if not fit.ok:
                log.warning("SGP4 fit for %d at %s failed (rms %.0f m)", number, _utc(epoch), fit.rms_m)
            fits.append(fit)
            element_sets.append(_fitted_set(number, fit, elnum))
        for t, s in zip(oem_times, eph[np.searchsorted(grid, oem_times)], strict=True):
            if np.all(np.isfinite(s)):
                ephemeris_rows.append({"catalog_number": number, "epoch_utc": _utc(t), "t_tt_s": float(t),
                                       **dict(zip(STATE_COLUMNS, s, strict=True))})

    rows = CatalogRows(runs=runs, objects=objects, element_sets=element_sets, ephemeris=ephemeris_rows)
    debris = [o for o in objects if o["object_type"] == "DEB"]
    decays = sorted(o["decay_utc"] for o in debris if o["decay_utc"])
    rms = np.array([f.rms_m for f in fits])
    rms = rms[np.isfinite(rms)]  # a failed fit may have no residual
    summary = {
        **counts,
        "n_catalogued": len(debris),
        "n_context_objects": len(parents),
        "first_catalog_number": int(objects[0]["catalog_number"]) if objects else None,
        "last_catalog_number": int(objects[-1]["catalog_number"]) if objects else None,
        "first_decay_utc": decays[0] if decays else None,
        "last_decay_utc": decays[-1] if decays else None,
        "n_in_orbit_at_end": sum(o["fate"] == "in orbit" for o in debris),
        "n_size_estimated": int(sum(np.isfinite(o["size_m"]) for o in debris)),
        "n_element_sets_fitted": len(fits),
        "n_fits_failed": sum(not f.ok for f in fits),
        "tle_fit_rms_median_m": float(np.median(rms)) if rms.size else None,
        "tle_fit_rms_max_m": float(np.max(rms)) if rms.size else None,
        "n_oem_objects": len({r["catalog_number"] for r in ephemeris_rows}),
        **catalog_scores(debris, event_utc, inputs.detections, inputs.associations, inputs.truth_lc_m),
    }
    return CatalogResult(rows=rows, summary=summary)
