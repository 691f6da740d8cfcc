"""The maintained catalog as tables (``objects.csv``, ``associations.csv``) and its score.

Truth (``fragment_id`` of the detections) enters only here, for scoring: an object's majority
fragment and the fraction of its detections from it (purity, Blackman & Popoli 1999, sec. 13.6).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from ...tables import Table
from ...timescale import tt_s_to_utc_iso
from .loop import MaintenanceResult
from .observations import Observations
from .parts import STATUS_NAMES, Admission, Classifier


def _utc(t: NDArray) -> NDArray:
    out = np.full(t.size, "", dtype=object)
    ok = np.isfinite(t)
    if ok.any():
        out[ok] = np.atleast_1d(tt_s_to_utc_iso(t[ok], decimals=3))
    return out.astype(str)


def object_truth(result: MaintenanceResult, fragment_id: NDArray | None) -> tuple[NDArray, NDArray]:
    """Majority fragment (-1 unknown) and purity (NaN) of each object, from the rows' truth ids
    (``fragment_id`` in detections.csv row order)."""
    n = result.objects.size
    major, purity = np.full(n, -1, dtype=np.int64), np.full(n, np.nan)
    if fragment_id is None:
        return major, purity
    obj = result.object_of_row
    sel = obj >= 0
    if sel.any():
        pairs, counts = np.unique(np.stack([obj[sel], fragment_id[sel]]), axis=1, return_counts=True)
        total = np.bincount(obj[sel], minlength=n)
        order = np.lexsort((-counts, pairs[0]))
        pairs, counts = pairs[:, order], counts[order]
        first = np.unique(pairs[0], return_index=True)[1]
        major[pairs[0, first]] = pairs[1, first]
        purity[pairs[0, first]] = counts[first] / total[pairs[0, first]]
    return major, purity


def objects_table(result: MaintenanceResult, obs: Observations, sensor_of_row: NDArray, classifier: Classifier,
                  fragment_id: NDArray | None) -> Table:
    """``objects.csv``: one row per object the loop held (states at ``epoch_utc``)."""
    s = result.objects
    major, purity = object_truth(result, fragment_id)
    x = s.x
    sensors = np.full(s.size, "", dtype=object)
    obj = result.object_of_row
    for o in range(s.size):
        sensors[o] = "+".join(sorted(set(sensor_of_row[obj == o].tolist())))
    states = np.where(np.isfinite(x), x, np.nan)
    cls = classifier.classify(states) if s.size else np.empty(0, dtype=str)
    cov = s.cov
    return {
        "object_id": np.arange(1, s.size + 1),
        "status": np.array([STATUS_NAMES[k] for k in s.status], dtype=str),
        "created_utc": _utc(s.created_tt_s),
        "admitted_utc": _utc(s.admitted_tt_s),
        "last_observed_utc": _utc(s.last_obs_tt_s),
        "epoch_utc": _utc(s.epoch_tt_s),
        "decay_utc": _utc(s.decay_tt_s),
        "x_teme_m": x[0], "y_teme_m": x[1], "z_teme_m": x[2],
        "vx_teme_mps": x[3], "vy_teme_mps": x[4], "vz_teme_mps": x[5],
        "ballistic_coefficient_m2_kg": np.exp(s.ln_b),
        "sigma_ln_ballistic_coefficient": np.sqrt(cov[:, 6, 6]) if s.size else np.empty(0),
        "sigma_pos_m": s.sigma_pos_m() if s.size else np.empty(0),
        "sigma_vel_mps": np.sqrt(np.trace(cov[:, 3:6, 3:6], axis1=1, axis2=2)) if s.size else np.empty(0),
        "n_passes": s.n_passes,
        "n_detections": s.n_detections,
        "merged_into_object_id": np.where(s.merged_into >= 0, s.merged_into + 1, -1),
        "sensors": sensors.astype(str),
        "classification": np.asarray(cls, dtype=str),
        "truth_fragment_id": major,
        "truth_purity": purity,
    }


def associations_table(result: MaintenanceResult, obs: Observations) -> Table:
    """``associations.csv``: per row of detections.csv (file order), its object and pass."""
    n = result.object_of_row.size
    pass_of_row = np.full(n, -1, dtype=np.int64)
    pass_of_row[obs.row] = obs.pass_id
    obj = result.object_of_row
    return {"detection_index": np.arange(n), "object_id": np.where(obj >= 0, obj + 1, -1), "pass_id": pass_of_row}


def admissible_fragments(fragment_id: NDArray, searchable: NDArray, obs: Observations, admission: Admission) -> NDArray:
    """Fragments (scoring only) that the search sensors' rows alone saw on enough passes over a long
    enough span for :class:`.parts.Admission` to number them (their uncertainty aside)."""
    pass_of_row = np.full(fragment_id.size, -1, dtype=np.int64)
    pass_of_row[obs.row] = obs.pass_id
    t_row = np.full(fragment_id.size, np.nan)
    t_row[obs.row] = obs.t_tt_s
    keep = searchable & (fragment_id >= 0) & (pass_of_row >= 0)
    pairs = np.unique(np.stack([fragment_id[keep], pass_of_row[keep]]), axis=1)
    frag, n_pass = np.unique(pairs[0], return_counts=True)
    f, t = fragment_id[keep], t_row[keep]
    order = np.argsort(f, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(f[order]) != 0])
    span = np.maximum.reduceat(t[order], starts) - np.minimum.reduceat(t[order], starts)
    ok = (n_pass >= admission.min_passes) & (span >= admission.min_span_days * 86400.0)
    return frag[ok]


def score(result: MaintenanceResult, fragment_id: NDArray | None, searchable: NDArray,
          admissible: NDArray | None = None) -> dict[str, Any]:
    """Association purity and completeness against the truth (scoring only).

    ``searchable``: rows that need no prediction (fans, cued trackers, the fence); completeness is
    over the fragments those rows saw: the fraction that is the majority fragment of a catalogued
    object. ``admissible`` (:func:`admissible_fragments`): completeness is also given over those.
    """
    s = result.objects
    out: dict[str, Any] = {"n_objects": s.size}
    for k, name in enumerate(STATUS_NAMES):
        out[f"n_{name}"] = int((s.status == k).sum())
    catalogued = np.isfinite(s.admitted_tt_s)  # admitted, whatever became of it since
    out["n_admitted"] = int(catalogued.sum())
    if fragment_id is None:
        return out
    major, purity = object_truth(result, fragment_id)
    obj = result.object_of_row
    assoc = obj >= 0
    same = assoc.copy()
    same[assoc] = major[obj[assoc]] == fragment_id[assoc]
    out["association_purity"] = float(same[assoc].mean()) if assoc.any() else None
    cat_rows = assoc.copy()
    cat_rows[assoc] = catalogued[obj[assoc]]
    out["association_purity_catalogued"] = float(same[cat_rows].mean()) if cat_rows.any() else None
    seen = np.unique(fragment_id[searchable])
    found = np.unique(major[catalogued & (major >= 0)])
    out["n_fragments_seen_by_search_sensors"] = int(seen.size)
    out["n_distinct_fragments_catalogued"] = int(found.size)
    out["completeness"] = float(np.isin(seen, found).mean()) if seen.size else None
    if admissible is not None:
        out["n_fragments_admissible"] = int(admissible.size)
        out["completeness_admissible"] = float(np.isin(admissible, found).mean()) if admissible.size else None
    out["n_rows_associated"] = int(assoc.sum())
    return out
