"""The ensemble's tables and statistics from its realisation files: ``realisations.parquet``,
``ensemble.json`` and ``report.html`` (written atomically, in realisation order, so the same
realisations give the same bytes whatever backend ran them)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from ..runfolder import write_json
from ..scenario import Scenario
from ..tables import atomic_write
from . import statistics as st
from .figures import render_report
from .realisation import CATALOG_FIGURES, FIGURES, done_path, realisation_name

REALISATIONS_FILE = "realisations.parquet"
STATISTICS_FILE = "ensemble.json"
REPORT_FILE = "report.html"
OUTCOMES = ("n_fragments", "n_catalogued", "first_decay_days", "last_decay_days", "median_lifetime_days",
            "n_in_orbit", "n_fragments_seen")
"""Outcomes whose sensitivity to the inputs is reported (those a run produced)."""


def _records(out: Path, n: int) -> list[dict[str, Any]]:
    return [json.loads(done_path(out, i).read_text(encoding="utf-8")) for i in range(n)]


def _fragments(out: Path, index: int) -> dict[str, np.ndarray]:
    import pyarrow.parquet as pq

    table = pq.read_table(out / "realisations" / f"{realisation_name(index)}.parquet")
    return {name: table.column(name).to_numpy() for name in table.column_names}


def _alternatives(scenario: Scenario) -> dict[str, tuple]:
    return {u.key: u.values for u in scenario.uncertainty if u.distribution == "choice"}


def aggregate(out: Path, scenario: Scenario, n: int, stages: tuple[str, ...]) -> dict[str, Any]:
    """Write the ensemble's table, statistics and report; returns the statistics."""
    records = _records(out, n)
    propagated = "propagation" in stages
    keys = [u.key for u in scenario.uncertainty]
    alternatives = _alternatives(scenario)
    table: dict[str, Any] = {
        "realisation": np.arange(n, dtype=np.int64),
        "seed": np.array([r["seed"] for r in records], dtype=np.int64),
    }
    for key in keys:
        values = [r["inputs"][key] for r in records]
        table[key] = np.array(values, dtype=object if key in alternatives else float)
    for name in (*FIGURES, *CATALOG_FIGURES):
        if any(name in r["figures"] for r in records):
            table[name] = np.array([np.nan if r["figures"].get(name) is None else r["figures"][name]
                                    for r in records], dtype=float)
    bins = np.arange(80.0, 140.0 + st.PERIOD_BIN_MIN, st.PERIOD_BIN_MIN)
    tops, bottoms, by_size = [], [], []
    first, last = np.full(n, np.nan), np.full(n, np.nan)
    for i in range(n):
        frags = _fragments(out, i)
        top, bottom = st.gabbard_envelope(frags["period_min"], frags["apogee_km"], frags["perigee_km"], bins)
        tops.append(top)
        bottoms.append(bottom)
        if propagated:
            life = np.asarray(frags["lifetime_days"], dtype=float)
            if np.isfinite(life).any():
                first[i] = np.nanmin(life)
                last[i] = np.nanmax(life)
            by_size.append(st.lifetimes_by_size(frags["lc_m"], life))
    if propagated:
        table["first_decay_days"] = first
        table["last_decay_days"] = last
    _write_table(out / REALISATIONS_FILE, table, alternatives)

    inputs = {key: st.encode_input(list(table[key]), alternatives.get(key, ())) for key in keys}
    summary: dict[str, Any] = {
        "n_realisations": n,
        "seed": scenario.seed,
        "stages": list(stages),
        "inputs": {key: _input_stats(scenario, key, table[key], alternatives) for key in keys},
        "figures": {name: st.describe(table[name]) for name in table if name not in ("realisation", "seed", *keys)},
    }
    if propagated:
        labels = st.size_bin_labels()
        summary["decay_by_size"] = {
            label: {field: st.describe([row[field][b] for row in by_size])
                    for field in ("count", "median_lifetime_days", "last_decay_days")}
            for b, label in enumerate(labels)
        }
    summary["gabbard"] = {
        "period_bin_edges_min": bins.tolist(),
        "apogee_km_max": _bands(np.array(tops)),
        "perigee_km_min": _bands(np.array(bottoms)),
    }
    summary["sensitivity"] = {
        outcome: st.spearman(table[outcome], inputs) for outcome in OUTCOMES if outcome in table and inputs
    }
    write_json(out / STATISTICS_FILE, _json_safe(summary))
    html = render_report(scenario, summary, table, inputs)
    with atomic_write(out / REPORT_FILE, "w", encoding="utf-8") as handle:
        handle.write(html)
    return summary


def _input_stats(scenario: Scenario, key: str, values: np.ndarray, alternatives: dict[str, tuple]) -> dict[str, Any]:
    item = next(u for u in scenario.uncertainty if u.key == key)
    if key in alternatives:
        counts = {str(v): int(sum(1 for x in values if x == v)) for v in alternatives[key]}
        return {"distribution": item.distribution, "counts": counts, "source": item.source}
    return {"distribution": item.distribution, "source": item.source, **st.describe(values)}


def _bands(rows: np.ndarray) -> dict[str, list[float | None]]:
    bands = st.percentile_bands(rows)
    return {f"p{round(q * 100):02d}": [None if not math.isfinite(v) else float(v) for v in bands[k]]
            for k, q in enumerate(st.QUANTILES)}


def _json_safe(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _json_safe(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_json_safe(v) for v in node]
    if isinstance(node, float) and not math.isfinite(node):
        return None
    return node


def _write_table(path: Path, table: dict[str, Any], alternatives: dict[str, tuple]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = {name: (pa.array([str(v) for v in col]) if name in alternatives else pa.array(col))
               for name, col in table.items()}
    with atomic_write(path, "wb") as handle:
        pq.write_table(pa.table(columns), handle, compression="zstd")
