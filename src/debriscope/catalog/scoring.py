"""The catalog beside the truth (scoring only): what it held over time, who observed it, how well it
predicted decays and sizes.

Nothing here decides anything: every figure is computed after the catalog is built, from its
debris rows, the detections associated to them (``associations.csv``) and the scoring-only columns
(``truth_fragment_id``, ``decay_true_utc``, the fragments' true ``lc_m``). The report sets them
beside the public record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..constants import SECONDS_PER_DAY
from ..tables import Table
from ..timescale import utc_to_tt_s


def _day(utc: str) -> np.datetime64:
    return np.datetime64(utc[:10], "D")


def count_over_time(debris: Sequence[Mapping[str, Any]], event_utc: str) -> dict[str, list]:
    """Per UTC day from the event's: debris admitted by the end of the day, and of those not yet
    decayed by the catalog's own (predicted) decay date."""
    if not debris:
        return {"dates": [], "n_admitted": [], "n_in_catalog": []}
    admit = np.array([_day(o["admitted_utc"]) for o in debris])
    decay = np.array([_day(o["decay_utc"]) if o["decay_utc"] else np.datetime64("NaT") for o in debris])
    last = max(admit.max(), decay[~np.isnat(decay)].max() if (~np.isnat(decay)).any() else admit.max())
    days = np.arange(_day(event_utc), last + np.timedelta64(2, "D"), dtype="datetime64[D]")
    admitted = (admit[None, :] <= days[:, None])
    gone = ~np.isnat(decay)[None, :] & (decay[None, :] <= days[:, None])
    return {
        "dates": [str(d) for d in days],
        "n_admitted": admitted.sum(axis=1).astype(int).tolist(),
        "n_in_catalog": (admitted & ~gone).sum(axis=1).astype(int).tolist(),
    }


def detections_by_sensor(debris: Sequence[Mapping[str, Any]], detections: Table | None,
                         associations: Table | None) -> dict[str, int]:
    """Detections associated to catalogued objects, by sensor (all sensors that contributed)."""
    if detections is None or associations is None:
        return {}
    ids = [o["tracking_object_id"] for o in debris]
    mine = np.isin(np.asarray(associations["object_id"], dtype=np.int64), ids)
    names, n = np.unique(np.asarray(detections["sensor"], dtype=str)[mine], return_counts=True)
    return {str(k): int(v) for k, v in zip(names, n, strict=True)}


def _quantiles(x: np.ndarray, prefix: str, unit: str) -> dict[str, float | None]:
    if x.size == 0:
        return {f"{prefix}_median_{unit}": None, f"{prefix}_p16_{unit}": None, f"{prefix}_p84_{unit}": None}
    q = np.percentile(x, [50, 16, 84])
    return {f"{prefix}_median_{unit}": float(q[0]), f"{prefix}_p16_{unit}": float(q[1]),
            f"{prefix}_p84_{unit}": float(q[2])}


def decay_prediction_errors_days(debris: Sequence[Mapping[str, Any]]) -> np.ndarray:
    """Predicted minus true decay (days) of the catalogued objects that have both."""
    both = [o for o in debris if o["decay_utc"] and o.get("decay_true_utc")]
    if not both:
        return np.zeros(0)
    pred = np.atleast_1d(utc_to_tt_s([o["decay_utc"] for o in both]))
    true = np.atleast_1d(utc_to_tt_s([o["decay_true_utc"] for o in both]))
    return (pred - true) / SECONDS_PER_DAY


def size_ratios(debris: Sequence[Mapping[str, Any]], truth_lc_m: Mapping[int, float]) -> np.ndarray:
    """Estimated size over the true characteristic length of the majority fragment, where both are known."""
    pairs = [(o["size_m"], truth_lc_m.get(o["truth_fragment_id"])) for o in debris
             if o.get("truth_fragment_id") is not None and np.isfinite(o["size_m"])]
    return np.array([s / lc for s, lc in pairs if lc])


def catalog_scores(debris: Sequence[Mapping[str, Any]], event_utc: str, detections: Table | None,
                   associations: Table | None, truth_lc_m: Mapping[int, float] | None = None) -> dict[str, Any]:
    """The ``summary.json`` figures of the catalog beside the truth (JSON-serialisable, no NaN)."""
    true_decays = sorted(o["decay_true_utc"] for o in debris if o.get("decay_true_utc"))
    sizes = np.array([o["size_m"] for o in debris if np.isfinite(o["size_m"])])
    errors = decay_prediction_errors_days(debris)
    ratios = size_ratios(debris, truth_lc_m or {})
    over_time = count_over_time(debris, event_utc)
    return {
        "first_decay_true_utc": true_decays[0] if true_decays else None,
        "last_decay_true_utc": true_decays[-1] if true_decays else None,
        "n_decay_scored": int(errors.size),
        **_quantiles(errors, "decay_error", "days"),
        "decay_error_abs_max_days": float(np.max(np.abs(errors))) if errors.size else None,
        **_quantiles(sizes, "size", "m"),
        "size_min_m": float(sizes.min()) if sizes.size else None,
        **_quantiles(ratios, "size_over_true_lc", "ratio"),
        "max_in_catalog": max(over_time["n_in_catalog"], default=0),
        "count_over_time": over_time,
        "detections_by_sensor": detections_by_sensor(debris, detections, associations),
    }
