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


def model_vs_record(run: RunData, record: HistoricalRecord | None) -> list[ComparisonRow]:
    """Rows comparing the run with the record (the record columns empty when ``record`` is None)."""
    rows: list[ComparisonRow] = []
    n_frag = None if run.fragments is None else len(run.fragments.get("fragment_id", []))
    rows.append(ComparisonRow("fragments generated (model truth)", NOT_AVAILABLE if n_frag is None else str(n_frag)))
    n_cat = run.n_catalogued()
    rec = record
    rec_n = ""
    if rec is not None:
        note = rec.n_catalogued.note
        rec_n = f"{rec.n_catalogued.value}" + (f" ({note})" if note else "")
    rows.append(ComparisonRow("debris pieces catalogued", NOT_AVAILABLE if n_cat is None else str(n_cat), rec_n,
                              "" if rec is None else rec.n_catalogued.source))
    ids = run.catalogued_fragment_ids()
    if ids is not None and n_cat is not None and ids.size != n_cat:
        rows.append(ComparisonRow("distinct fragments behind the catalogued pieces (model truth)", str(ids.size)))
    times = None
    if run.decay is not None and "decay_utc" in run.decay:
        times = utc_datetime64(run.decay["decay_utc"])
    cat_first = cat_last = None
    n_inside = None
    if times is not None and ids is not None and ids.size:
        cat_times = times[np.isin(run.decay["fragment_id"], ids)]
        cat_first, cat_last = _span(cat_times)
        if rec is not None:
            lo = np.datetime64(rec.first_decay_utc.value)
            hi = np.datetime64(rec.last_decay_utc.value) + np.timedelta64(1, "D")
            n_inside = int(np.sum((cat_times >= lo) & (cat_times < hi)))
    rows.append(ComparisonRow("first decay of a catalogued fragment", _day(cat_first),
                              "" if rec is None else rec.first_decay_utc.value,
                              "" if rec is None else rec.first_decay_utc.source))
    rows.append(ComparisonRow("last decay of a catalogued fragment", _day(cat_last),
                              "" if rec is None else rec.last_decay_utc.value,
                              "" if rec is None else rec.last_decay_utc.source))
    if n_inside is not None:
        rows.append(ComparisonRow("catalogued fragments decaying inside the recorded window",
                                  f"{n_inside} of {ids.size}", "all", "" if rec is None else rec.last_decay_utc.source))
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
