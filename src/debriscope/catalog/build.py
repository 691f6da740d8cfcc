"""Assemble the catalog's rows from what tracking saw.

Admission follows tracking, not the truth: an object of ``orbits.csv`` enters the catalog when
tracking classified it ``orbital`` and saw it in at least ``min_detections`` detections over at
least ``min_passes`` passes. Catalog numbers and piece letters are given in the order tracking
first determined the orbits (``epoch_utc``), after the launch's own objects (the event's parents:
spacecraft first, piece A, as COSPAR reserves A for the principal payload).

Each admitted object is linked through ``truth_fragment_id`` to its fragment, whose post-event
state is propagated with the run's force model to give the ephemeris the element sets are fitted
to (:mod:`debriscope.catalog.tle_fit`): one set at the epoch of tracking's orbit and one at each
of ``element_set_epochs_days`` after the event while the object is still in orbit.
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
from ..scenario.options import CatalogOptions
from ..tables import Table
from ..timescale import tt_s_to_utc_iso, utc_to_tt_s
from .db import CatalogRows
from .designations import cospar_id, greek_piece_name, tle_intldesg
from .schema import SCHEMA_VERSION
from .tle_fit import MU_WGS72_KM3_S2, SgpFit, fit_sgp4, satrec_elements

log = logging.getLogger(__name__)

EphemerisFunction = Callable[[NDArray, float, NDArray, NDArray], NDArray]
"""``(state0_teme (6, N), t0_tt_s, times_tt_s (T,), am_m2_kg (N,)) -> states (T, 6, N)``, NaN after decay."""
RcsFunction = Callable[[NDArray], NDArray]
"""``lc_m (N,) -> rcs_m2 (N,)``."""

MIN_FIT_ORBITS = 0.5
"""Shortest ephemeris span (periods) an element set is fitted to; shorter windows are skipped."""


@dataclass(frozen=True)
class CatalogInputs:
    """What the catalog is built from: the run's files, already read."""

    event: Mapping[str, Any]
    orbits: Table
    fragments: Table
    decay: Table
    scenario_name: str
    seed: int
    scenario_sha256: str
    package_version: str


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


def admitted_objects(
    orbits: Table, options: CatalogOptions, fragment_ids: NDArray
) -> tuple[NDArray, dict[str, int]]:
    """Row indices of ``orbits`` that enter the catalog, in order of orbit epoch; and rejection counts."""
    n = len(orbits["n_detections"])
    orbital = np.asarray(orbits["classification"]).astype(str) == "orbital"
    enough = (np.asarray(orbits["n_detections"]) >= options.min_detections) & (
        np.asarray(orbits["n_passes"]) >= options.min_passes
    )
    truth = np.asarray(orbits["truth_fragment_id"], dtype=float)
    linked = np.isin(truth, np.asarray(fragment_ids, dtype=float))
    keep = np.flatnonzero(orbital & enough & linked)
    epochs = np.asarray(utc_to_tt_s(np.asarray(orbits["epoch_utc"]).astype(str))) if n else np.zeros(0)
    ids = np.asarray(orbits["object_id"] if "object_id" in orbits else orbits["track_id"])
    keep = keep[np.lexsort((ids[keep], epochs[keep]))]
    counts = {
        "n_orbits": n,
        "n_rejected_ballistic": int(np.sum(~orbital)),
        "n_rejected_too_few_observations": int(np.sum(orbital & ~enough)),
        "n_rejected_no_truth_link": int(np.sum(orbital & enough & ~linked)),
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


def assemble_catalog(
    inputs: CatalogInputs, options: CatalogOptions, ephemeris: EphemerisFunction, rcs_m2: RcsFunction
) -> CatalogResult:
    """Build every row of the catalog (see the module notes); no file is touched."""
    event, frag, orbits = inputs.event, inputs.fragments, inputs.orbits
    t_event = float(event["event"]["t_tt_s"])
    # a scenario given by an orbit state has no launch: its state epoch (insertion) stands for it
    launch = event.get("launch") or event["insertion"]
    t_launch = float(launch["t_tt_s"])
    launch_date = str(launch["time_utc"])[:10]
    event_utc = _utc(t_event)
    designator = options.international_designator

    frag_ids = np.asarray(frag["fragment_id"])
    admitted, counts = admitted_objects(orbits, options, frag_ids)
    run_id = 1
    runs = [
        {
            "run_id": run_id,
            "schema_version": SCHEMA_VERSION,
            "scenario_name": inputs.scenario_name,
            "scenario_sha256": inputs.scenario_sha256,
            "seed": int(inputs.seed),
            "package_version": inputs.package_version,
            "launch_utc": str(launch["time_utc"]),
            "event_utc": event_utc,
            "min_detections": options.min_detections,
            "min_passes": options.min_passes,
        }
    ]
    base = {
        "owner": options.owner,
        "launch_site": options.launch_site,
        "launch_date": launch_date,
        "run_id": run_id,
    }

    # --- the launch's own objects, as context: spacecraft first (piece A), then stages -------------
    parents = sorted(event["parents"], key=lambda p: p["object_class"] != "spacecraft")
    objects, element_sets = [], []
    parent_numbers: dict[str, int] = {}
    for piece, parent in enumerate(parents, start=1):
        number = options.first_catalog_number + piece - 1
        parent_numbers[parent["name"]] = number
        kind = "PAY" if parent["object_class"] == "spacecraft" else "R/B"
        label = options.name_prefix if kind == "PAY" else f"{options.name_prefix} R/B"
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
        element_sets.append(_osculating_set(number, state, t_event, int((t_event - t_launch) / p)))

    # --- catalogued debris -----------------------------------------------------------------------
    row_of = {int(f): k for k, f in enumerate(frag_ids)}
    truth = np.asarray(orbits["truth_fragment_id"], dtype=float)[admitted].astype(np.int64)
    frows = np.array([row_of[int(f)] for f in truth], dtype=np.int64)
    ids = np.asarray(orbits["object_id"] if "object_id" in orbits else orbits["track_id"])[admitted]
    od_epochs = (
        np.atleast_1d(utc_to_tt_s(np.asarray(orbits["epoch_utc"]).astype(str)[admitted]))
        if admitted.size
        else np.zeros(0)
    )
    decay_of = {}
    for fid, dec in zip(
        np.asarray(inputs.decay["fragment_id"]),
        np.asarray(inputs.decay["decay_utc"], dtype=object),
        strict=True,
    ):
        decay_of[int(fid)] = None if _missing(dec) else str(dec)
    lc = np.asarray(frag["lc_m"], dtype=float)[frows]
    rcs = np.asarray(rcs_m2(lc), dtype=float) if frows.size else np.zeros(0)

    first_debris_piece = len(parents) + 1
    numbers = options.first_catalog_number + first_debris_piece - 1 + np.arange(admitted.size)
    for j, k in enumerate(admitted):
        piece = first_debris_piece + j
        fid = int(truth[j])
        decay_utc = decay_of.get(fid)
        objects.append(
            {
                **base,
                "catalog_number": int(numbers[j]),
                "cospar_id": cospar_id(designator, piece),
                "greek_designation": greek_piece_name(designator, piece),
                "object_name": f"{options.name_prefix} DEB",
                "object_type": "DEB",
                "parent_name": str(frag["parent"][frows[j]]),
                "parent_catalog_number": parent_numbers.get(str(frag["parent"][frows[j]])),
                "decay_utc": decay_utc,
                "decay_date": decay_utc[:10] if decay_utc else None,
                "fate": "decayed" if decay_utc else "in orbit",
                "size_m": float(lc[j]),
                "rcs_m2": float(rcs[j]),
                "tracking_object_id": int(ids[j]),
                "n_passes": int(orbits["n_passes"][k]),
                "n_detections": int(orbits["n_detections"][k]),
                "first_seen_utc": _utc(od_epochs[j]),
                "truth_fragment_id": fid,
            }
        )

    # --- ephemeris of the linked fragments, one propagation for all --------------------------------
    unique_rows, inverse = np.unique(frows, return_inverse=True)
    cols = ("x_teme_m", "y_teme_m", "z_teme_m", "vx_teme_mps", "vy_teme_mps", "vz_teme_mps")
    state0 = np.array([np.asarray(frag[c], dtype=float)[unique_rows] for c in cols]).reshape(6, -1)
    am = np.asarray(frag["am_m2_kg"], dtype=float)[unique_rows]
    epochs0 = np.asarray(frag["epoch_utc"]).astype(str)[unique_rows]
    if len(set(epochs0)) > 1:
        raise ValueError(f"fragments.csv: the linked fragments have {len(set(epochs0))} epochs; expected one")
    t0 = float(utc_to_tt_s(epochs0[0])) if epochs0.size else t_event
    periods = period_s(rv_to_elements(state0[:3], state0[3:]).a_m) if unique_rows.size else np.zeros(0)
    set_epochs = utc_epochs_after(event_utc, options.element_set_epochs_days)

    windows: list[list[tuple[float, NDArray]]] = []
    for j in range(admitted.size):
        p = float(periods[inverse[j]])
        epochs_j = [max(float(od_epochs[j]), t0)] + [float(t) for t in set_epochs if t > od_epochs[j]]
        windows.append([(t, _window(t, p, options)) for t in epochs_j])
    oem_numbers = (
        set(options.oem_catalog_numbers) if options.oem_catalog_numbers else {int(n) for n in numbers}
    )
    oem_times = t_event + np.arange(0.0, options.oem_span_h * 3600.0 + 1e-6, options.oem_step_s)
    oem_times = oem_times[oem_times >= t0]
    grid = np.unique(np.concatenate([oem_times] + [w for ws in windows for _, w in ws]))

    fits: list[SgpFit] = []
    ephemeris_rows: list[dict[str, Any]] = []
    if unique_rows.size:
        states = ephemeris(state0, t0, grid, am)  # (T, 6, M)
        for j in range(admitted.size):
            m = inverse[j]
            number = int(numbers[j])
            elnum = 0
            for epoch, window in windows[j]:
                idx = np.searchsorted(grid, window)
                sample = states[idx, :, m].T
                finite = np.all(np.isfinite(sample), axis=0)
                if np.count_nonzero(finite) < MIN_FIT_ORBITS * options.tle_fit_points_per_orbit:
                    continue
                elnum += 1
                rev = int((epoch - t_launch) / float(periods[m]))
                fit = fit_sgp4(
                    window[finite],
                    sample[:, finite],
                    epoch,
                    am_m2_kg=float(am[m]),
                    satnum=number,
                    intldesg=tle_intldesg(cospar_id(designator, first_debris_piece + j)),
                    elnum=elnum,
                    revnum=rev,
                )
                if not fit.ok:
                    log.warning("SGP4 fit for %d at %s failed (rms %.0f m)", number, _utc(epoch), fit.rms_m)
                fits.append(fit)
                element_sets.append(_fitted_set(number, fit, elnum))
            if number in oem_numbers:
                idx = np.searchsorted(grid, oem_times)
                sample = states[idx, :, m]
                for t, s in zip(oem_times, sample, strict=True):
                    if np.all(np.isfinite(s)):
                        ephemeris_rows.append(
                            {
                                "catalog_number": number,
                                "epoch_utc": _utc(t),
                                "t_tt_s": float(t),
                                **dict(zip(cols, s, strict=True)),
                            }
                        )

    rows = CatalogRows(runs=runs, objects=objects, element_sets=element_sets, ephemeris=ephemeris_rows)
    debris = [o for o in objects if o["object_type"] == "DEB"]
    decays = sorted(o["decay_utc"] for o in debris if o["decay_utc"])
    rms = np.array([f.rms_m for f in fits])
    summary = {
        **counts,
        "n_catalogued": len(debris),
        "n_context_objects": len(parents),
        "first_catalog_number": int(objects[0]["catalog_number"]) if objects else None,
        "last_catalog_number": int(objects[-1]["catalog_number"]) if objects else None,
        "first_decay_utc": decays[0] if decays else None,
        "last_decay_utc": decays[-1] if decays else None,
        "n_in_orbit_at_end": sum(o["fate"] == "in orbit" for o in debris),
        "n_element_sets_fitted": len(fits),
        "n_fits_failed": sum(not f.ok for f in fits),
        "tle_fit_rms_median_m": float(np.median(rms)) if rms.size else None,
        "tle_fit_rms_max_m": float(np.max(rms)) if rms.size else None,
        "n_oem_objects": len({r["catalog_number"] for r in ephemeris_rows}),
    }
    return CatalogResult(rows=rows, summary=summary)
