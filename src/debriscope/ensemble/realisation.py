"""One realisation of an ensemble: draw its inputs, run a prefix of the pipeline, keep its figures.

A realisation writes three files into ``<ensemble>/realisations/``, each atomically, the JSON last
(its presence is what marks the realisation done, so an interrupted ensemble never counts a
half-written one):

``rNNNNN.toml``
    the realisation's resolved scenario (drawn inputs filled in, its own seed): it can be run
    alone with ``debriscope run``.
``rNNNNN.parquet``
    one row per fragment: ``fragment_id, parent, lc_m, am_m2_kg, mass_kg`` and the orbit right
    after the event (``period_min, apogee_km, perigee_km``), plus ``lifetime_days`` (NaN if the
    fragment outlived ``[propagation] max_days``) when propagation ran.
``rNNNNN.json``
    ``index``, ``seed``, the drawn ``inputs`` and the key ``figures`` (:data:`FIGURES`).
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..constants import SECONDS_PER_DAY
from ..elements import apsis_altitudes_m, period_s, rv_to_elements
from ..pipeline import run as run_pipeline
from ..runfolder import DECAY_FILE, FRAGMENTS_FILE, SUMMARY_FILE, read_table, write_json
from ..scenario import parse, to_toml
from ..scenario.uncertainty import draw_realisation
from ..tables import atomic_write
from ..timescale import utc_to_tt_s

FIGURES: dict[str, tuple[str, str]] = {
    "n_fragments": ("breakup", "n_fragments"),
    "mass_in_fragments_kg": ("breakup", "mass_in_fragments_kg"),
    "n_decayed": ("propagation", "n_decayed"),
    "n_in_orbit": ("propagation", "n_in_orbit"),
    "median_lifetime_days": ("propagation", "median_lifetime_days"),
    "n_detections": ("sensors", "n_detections"),
    "n_fragments_seen": ("sensors", "n_fragments_seen"),
    "n_catalogued": ("catalog", "n_catalogued"),
}
"""Figure name -> (summary.json section, key) of the per-realisation figures; with the catalog
stage also ``catalogued_first_decay_days`` and ``catalogued_last_decay_days``."""
CATALOG_FIGURES = ("catalogued_first_decay_days", "catalogued_last_decay_days")


@dataclass(frozen=True)
class EnsembleSpec:
    """What a worker needs to run any realisation (plain data: it travels to processes and Dask
    workers). ``scenario_toml`` is the ensemble's scenario with its ``[[uncertainty]]`` tables."""

    scenario_toml: str
    stages: tuple[str, ...]
    out_dir: str
    keep_runs: bool = False
    numba_threads: int = 0
    """Numba threads per realisation (0: leave as is)."""


def realisation_name(index: int) -> str:
    return f"r{index:05d}"


def done_path(out_dir: Path, index: int) -> Path:
    """The JSON whose presence marks realisation ``index`` done."""
    return Path(out_dir) / "realisations" / f"{realisation_name(index)}.json"


def _event_orbits(fragments: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    r = np.stack([np.asarray(fragments[k], dtype=float) for k in ("x_teme_m", "y_teme_m", "z_teme_m")])
    v = np.stack([np.asarray(fragments[k], dtype=float) for k in ("vx_teme_mps", "vy_teme_mps", "vz_teme_mps")])
    with np.errstate(invalid="ignore", divide="ignore"):  # unbound fragments: NaN orbits
        el = rv_to_elements(r, v)
    bound = (el.e < 1.0) & (el.a_m > 0.0)
    a = np.where(bound, el.a_m, np.nan)
    e = np.where(bound, el.e, np.nan)
    apo, per = apsis_altitudes_m(a, e)  # above the SATCAT radius, as elements.csv
    return {"period_min": period_s(a) / 60.0, "apogee_km": apo / 1000.0, "perigee_km": per / 1000.0}


def _fragment_table(run_dir: Path, propagated: bool) -> dict[str, np.ndarray]:
    frags = read_table(run_dir, FRAGMENTS_FILE)
    table = {k: np.asarray(frags[k]) for k in ("fragment_id", "parent", "lc_m", "am_m2_kg", "mass_kg")}
    table["parent"] = table["parent"].astype(str)
    table.update(_event_orbits(frags))
    if propagated:
        decay = read_table(run_dir, DECAY_FILE)
        order = {int(f): j for j, f in enumerate(decay["fragment_id"])}
        rows = np.array([order[int(f)] for f in table["fragment_id"]])
        life = np.asarray(decay["lifetime_days"], dtype=float)[rows]
        decayed = np.asarray(decay["status"]).astype(str)[rows] == "decayed"
        table["lifetime_days"] = np.where(decayed, life, np.nan)
    return table


def _days_after_event(summary: dict[str, Any], utc: str | None) -> float | None:
    if not utc:
        return None
    return (float(utc_to_tt_s(utc)) - float(utc_to_tt_s(summary["scenario"]["event_utc"]))) / SECONDS_PER_DAY


def _figures(summary: dict[str, Any]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for name, (section, key) in FIGURES.items():
        if section in summary:
            value = summary[section].get(key)
            out[name] = None if value is None or (isinstance(value, float) and not math.isfinite(value)) else value
    if "catalog" in summary:  # decays of the catalogued debris, days after the event
        out["catalogued_first_decay_days"] = _days_after_event(summary, summary["catalog"].get("first_decay_utc"))
        out["catalogued_last_decay_days"] = _days_after_event(summary, summary["catalog"].get("last_decay_utc"))
    return out


def _write_parquet(path: Path, table: dict[str, np.ndarray]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    with atomic_write(path, "wb") as handle:
        pq.write_table(pa.table(table), handle, compression="zstd")


def run_realisation(spec: EnsembleSpec, index: int) -> dict[str, Any]:
    """Run realisation ``index`` of ``spec`` and write its files; returns its JSON record.

    The same ``(spec, index)`` gives the same bytes in any process (the draws depend on the
    scenario seed and ``index`` only; see :mod:`debriscope.scenario.uncertainty`).
    """
    if spec.numba_threads:
        import numba

        numba.set_num_threads(min(spec.numba_threads, numba.config.NUMBA_NUM_THREADS))
    out_dir = Path(spec.out_dir)
    name = realisation_name(index)
    folder = out_dir / "realisations"
    folder.mkdir(parents=True, exist_ok=True)
    scenario, drawn = draw_realisation(parse(spec.scenario_toml, "ensemble scenario"), index)
    with atomic_write(folder / f"{name}.toml", "w", encoding="utf-8") as handle:
        handle.write(to_toml(scenario))
    work = Path(tempfile.mkdtemp(prefix=f"{name}.", dir=out_dir / ".work"))
    try:
        run_dir = run_pipeline(scenario, work / "run", stages=spec.stages)
        summary = json.loads((run_dir / SUMMARY_FILE).read_text(encoding="utf-8"))
        _write_parquet(folder / f"{name}.parquet", _fragment_table(run_dir, "propagation" in spec.stages))
        if spec.keep_runs:
            kept = out_dir / "runs" / name
            shutil.rmtree(kept, ignore_errors=True)
            kept.parent.mkdir(exist_ok=True)
            run_dir.rename(kept)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    record = {"index": index, "name": name, "seed": scenario.seed, "inputs": drawn, "figures": _figures(summary)}
    write_json(done_path(out_dir, index), record)
    return record
