"""The "model vs record" table: what the run produced beside what the public record says."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .inputs import RunData, utc_datetime64, utc_text
from .record import HistoricalRecord

NOT_AVAILABLE = "n/a"


@dataclass(frozen=True)
class ComparisonRow:
    """One line of the table; ``record`` and ``source`` are empty where the record is silent."""

    quantity: str
    model: str
    record: str = ""
    source: str = ""


def _day(t: np.datetime64 | None) -> str:
    return NOT_AVAILABLE if t is None else str(t.astype("datetime64[D]"))


def _span(times: np.ndarray) -> tuple[np.datetime64 | None, np.datetime64 | None]:
    times = times[~np.isnat(times)]
    return (times.min(), times.max()) if times.size else (None, None)


def _versus(t: np.datetime64 | None, recorded: str | None) -> str:
    """A date, and by how many days it differs from the recorded one."""
    if t is None or recorded is None:
        return _day(t)
    days = int((t.astype("datetime64[D]") - np.datetime64(recorded, "D")).astype(int))
    return f"{_day(t)} ({days:+d} d vs record)"


def _catalog_decays(run: RunData, column: str) -> np.ndarray | None:
    """Decay times of the catalog's debris from one column of its objects table (None if absent)."""
    objects = run.catalog_objects
    if objects is None or column not in objects or "object_type" not in objects:
        return None
    debris = np.char.upper(np.asarray(objects["object_type"]).astype(str)) == "DEB"
    return utc_datetime64(np.asarray(objects[column])[debris])


def model_vs_record(run: RunData, record: HistoricalRecord | None) -> list[ComparisonRow]:
    """Rows comparing the run with the record (the record columns empty when ``record`` is None);
    where the model differs from the record, the model column says by how much."""
    rows: list[ComparisonRow] = []
    n_frag = None if run.fragments is None else len(run.fragments.get("fragment_id", []))
    rows.append(ComparisonRow("fragments generated (model truth)", NOT_AVAILABLE if n_frag is None else str(n_frag)))
    n_cat = run.n_catalogued()
    rec = record
    rec_n = ""
    model_n = NOT_AVAILABLE if n_cat is None else str(n_cat)
    if rec is not None:
        note = rec.n_catalogued.note
        rec_n = f"{rec.n_catalogued.value}" + (f" ({note})" if note else "")
        if n_cat is not None:
            diff = n_cat - int(rec.n_catalogued.value)
            model_n += f" ({diff:+d}, {100.0 * diff / int(rec.n_catalogued.value):+.0f} % vs record)"
    rows.append(ComparisonRow("debris pieces catalogued", model_n, rec_n, "" if rec is None else rec.n_catalogued.source))
    ids = run.catalogued_fragment_ids()
    if ids is not None and n_cat is not None and ids.size != n_cat:
        rows.append(ComparisonRow("distinct fragments behind the catalogued pieces (model truth)", str(ids.size)))
    first_rec = None if rec is None else str(rec.first_decay_utc.value)
    last_rec = None if rec is None else str(rec.last_decay_utc.value)
    src = "" if rec is None else rec.first_decay_utc.source
    predicted = _catalog_decays(run, "decay_utc")
    if predicted is not None and "decay_true_utc" in (run.catalog_objects or {}):
        lo, hi = _span(predicted)
        rows.append(ComparisonRow("first decay of a catalogued object (catalog's prediction)", _versus(lo, first_rec),
                                  first_rec or "", src))
        rows.append(ComparisonRow("last decay of a catalogued object (catalog's prediction)", _versus(hi, last_rec),
                                  last_rec or "", src))
        section = (run.summary or {}).get("catalog", {})
        if section.get("n_decay_scored"):
            rows.append(ComparisonRow(
                "catalog's decay prediction minus truth (median, 16-84 %)",
                f"{section['decay_error_median_days']:+.1f} d ({section['decay_error_p16_days']:+.1f} to "
                f"{section['decay_error_p84_days']:+.1f} d, {section['n_decay_scored']} objects)"))
    times = None
    if run.decay is not None and "decay_utc" in run.decay:
        times = utc_datetime64(run.decay["decay_utc"])
    cat_times = _catalog_decays(run, "decay_true_utc")
    if cat_times is None and times is not None and ids is not None:  # a catalog without the truth's column
        cat_times = times[np.isin(run.decay["fragment_id"], ids)]
    if cat_times is not None and cat_times.size:
        cat_first, cat_last = _span(cat_times)
        rows.append(ComparisonRow("first decay of a catalogued fragment (truth)", _versus(cat_first, first_rec),
                                  first_rec or "", src))
        rows.append(ComparisonRow("last decay of a catalogued fragment (truth)", _versus(cat_last, last_rec),
                                  last_rec or "", src))
        if rec is not None:
            lo = np.datetime64(first_rec)
            hi = np.datetime64(last_rec) + np.timedelta64(1, "D")
            inside = int(np.sum((cat_times >= lo) & (cat_times < hi)))
            rows.append(ComparisonRow("catalogued fragments decaying inside the recorded window (truth)",
                                      f"{inside} of {cat_times.size}", "all", rec.last_decay_utc.source))
    if times is not None:
        first, last = _span(times)
        n_decayed = int(np.sum(~np.isnat(times)))
        rows.append(ComparisonRow("decays, all fragments (first to last)",
                                  f"{_day(first)} to {_day(last)} ({n_decayed} of {times.size} decayed)"))
    if run.event is not None and "event" in run.event:
        rows.append(ComparisonRow("breakup time (UTC)", utc_text(run.event["event"]["time_utc"]),
                                  "" if rec is None else rec.event_utc.value,
                                  "" if rec is None else rec.event_utc.source))
    return rows
