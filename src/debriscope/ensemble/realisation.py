"""One realisation of an ensemble: draw its inputs, run a prefix of the pipeline, keep its figures.

Two ways to run it, chosen by the stages (:func:`runs_in_memory`):

- **in memory** (stages up to ``propagation``, the default): the scenario stage's event record,
  the breakup stage's cloud (:func:`~debriscope.breakup.stage.cloud_from_event`, with the
  pipeline's breakup generator) and one :func:`~debriscope.propagation.predict_decay` call from
  the event epoch to ``[propagation] max_days``. No run folder, no CSV. What it leaves out is the
  propagation stage's numerical integration through the element-snapshot windows (the data of
  ``elements.csv``, which an ensemble does not use): the same realisation run with ``debriscope
  run`` integrates the first ``max(snapshot_days)`` days numerically, then predicts decay the
  same way; the two agree exactly when ``snapshot_days`` is empty (tested); otherwise, on the
  flagship, the in-memory lifetimes are 0.2-0.3 % shorter per fragment in the median
  (docs/ensemble.md; ``benchmarks/ensemble.py --compare``).
- **through the pipeline** (stages beyond ``propagation``: sensors, tracking, catalog...):
  :func:`debriscope.pipeline.run` into a temporary run folder, whatever the pipeline's stages
  are; the figures are read from its ``summary.json``.

Either way a realisation writes three files into ``<ensemble>/realisations/``, each atomically,
the JSON last (its presence is what marks the realisation done, so an interrupted ensemble never
counts a half-written one):

``rNNNNN.toml``
    the realisation's resolved scenario (drawn inputs filled in, its own seed): it can be run
    alone with ``debriscope run``.
``rNNNNN.parquet``
    one row per fragment: ``fragment_id, parent, lc_m, am_m2_kg, mass_kg`` and the orbit right
    after the event (``period_min, apogee_km, perigee_km``), plus ``lifetime_days`` (NaN if the
    fragment outlived ``[propagation] max_days``) when propagation ran.
``rNNNNN.json``
    ``index``, ``seed``, the drawn ``inputs`` and the key ``figures`` (:data:`FIGURES`).

Work shared between the realisations a worker process runs stays shared: the ensemble scenario
is parsed once per process (:func:`_ensemble_scenario`), the compiled kernels stay loaded and the
NRLMSIS density slices stay memoised (:mod:`debriscope.propagation.atmosphere`).
"""

from __future__ import annotations

import functools
import json
import math
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..breakup.stage import cloud_from_event
from ..constants import SECONDS_PER_DAY
from ..elements import apsis_altitudes_m, period_s, rv_to_elements
from ..pipeline import run as run_pipeline
from ..pipeline import stage_generator
from ..propagation import Status, force_model_from_parameters, predict_decay
from ..runfolder import DECAY_FILE, FRAGMENTS_FILE, SUMMARY_FILE, read_table, write_json
from ..scenario import Scenario, parse, to_toml
from ..scenario.models import truth_parameters
from ..scenario.stage import event_record
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
"""Figure name -> (summary section, key) of the per-realisation figures; with the catalog
stage also ``catalogued_first_decay_days`` and ``catalogued_last_decay_days``."""
CATALOG_FIGURES = ("catalogued_first_decay_days", "catalogued_last_decay_days")
IN_MEMORY_STAGES = ("scenario", "breakup", "propagation")
"""The pipeline prefix a realisation runs in memory (:func:`run_in_memory`)."""
_STATE_COLUMNS = ("x_teme_m", "y_teme_m", "z_teme_m", "vx_teme_mps", "vy_teme_mps", "vz_teme_mps")


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


def runs_in_memory(stages: Sequence[str]) -> bool:
    """Whether a realisation of these stages runs in memory (no stage after ``propagation``)."""
    return set(stages) <= set(IN_MEMORY_STAGES)


@functools.lru_cache(maxsize=4)
def _ensemble_scenario(scenario_toml: str) -> Scenario:
    """The ensemble scenario, parsed and validated once per process."""
    return parse(scenario_toml, "ensemble scenario")


def _event_orbits(fragments: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    r = np.stack([np.asarray(fragments[k], dtype=float) for k in _STATE_COLUMNS[:3]])
    v = np.stack([np.asarray(fragments[k], dtype=float) for k in _STATE_COLUMNS[3:]])
    with np.errstate(invalid="ignore", divide="ignore"):  # unbound fragments: NaN orbits
        el = rv_to_elements(r, v)
    bound = (el.e < 1.0) & (el.a_m > 0.0)
    a = np.where(bound, el.a_m, np.nan)
    e = np.where(bound, el.e, np.nan)
    apo, per = apsis_altitudes_m(a, e)  # above the SATCAT radius, as elements.csv
    return {"period_min": period_s(a) / 60.0, "apogee_km": apo / 1000.0, "perigee_km": per / 1000.0}


def _base_table(fragments: dict[str, Any]) -> dict[str, np.ndarray]:
    table = {k: np.asarray(fragments[k]) for k in ("fragment_id", "parent", "lc_m", "am_m2_kg", "mass_kg")}
    table["fragment_id"] = table["fragment_id"].astype(np.int64)
    table["parent"] = table["parent"].astype(str)
    table.update(_event_orbits(fragments))
    return table


def run_in_memory(scenario: Scenario, stages: Sequence[str]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Breakup (and propagation to decay, if in ``stages``) of a resolved scenario, in memory.

    Returns the summary sections the figures come from (``breakup``; ``propagation`` with
    ``n_fragments, n_decayed, n_in_orbit, median_lifetime_days`` as the propagation stage defines
    them) and the fragment table of ``rNNNNN.parquet``. The breakup draws from the pipeline's
    breakup generator (:func:`debriscope.pipeline.stage_generator`), so the fragments are those
    of ``debriscope run`` on the same scenario.
    """
    cloud = cloud_from_event(event_record(scenario), scenario.breakup, stage_generator(scenario, "breakup"))
    frags = cloud.table
    summary: dict[str, Any] = {"breakup": cloud.summary()}
    table = _base_table(frags)
    if "propagation" not in stages:
        return summary, table
    opts = scenario.propagation
    t0 = float(utc_to_tt_s(str(frags["epoch_utc"][0])))  # the fragments' epoch, as the stage reads it
    state0 = np.vstack([np.asarray(frags[c], dtype=float) for c in _STATE_COLUMNS])
    t_end = t0 + opts.max_days * SECONDS_PER_DAY
    model = force_model_from_parameters(truth_parameters(opts), t0)  # the force model of models.json
    span_days = (t_end - t0) / SECONDS_PER_DAY  # the stage's span, to the last bit
    result = predict_decay(state0, t0, np.asarray(frags["am_m2_kg"], dtype=float), model, span_days)
    decayed = result.status == int(Status.DECAYED)
    lifetime = np.where(decayed, (result.decay_tt_s - t0) / SECONDS_PER_DAY, np.nan)
    summary["propagation"] = {
        "n_fragments": int(lifetime.size),
        "n_decayed": int(decayed.sum()),
        "n_in_orbit": int((result.status == int(Status.OK)).sum()),
        "median_lifetime_days": float(np.median(lifetime[decayed])) if decayed.any() else None,
    }
    table["lifetime_days"] = lifetime
    return summary, table


def _pipeline_table(run_dir: Path, propagated: bool) -> dict[str, np.ndarray]:
    table = _base_table(read_table(run_dir, FRAGMENTS_FILE))
    if propagated:
        decay = read_table(run_dir, DECAY_FILE)
        order = {int(f): j for j, f in enumerate(decay["fragment_id"])}
        rows = np.array([order[int(f)] for f in table["fragment_id"]])
        life = np.asarray(decay["lifetime_days"], dtype=float)[rows]
        decayed = np.asarray(decay["status"]).astype(str)[rows] == "decayed"
        table["lifetime_days"] = np.where(decayed, life, np.nan)
    return table


def run_through_pipeline(scenario: Scenario, stages: Sequence[str], work_dir: Path,
                         keep: Path | None = None) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Run ``stages`` of the pipeline on a resolved scenario in a run folder under ``work_dir``;
    returns its ``summary.json`` and the fragment table. The run folder is moved to ``keep`` if
    given, else removed."""
    work = Path(tempfile.mkdtemp(prefix=f"{scenario.name}.", dir=work_dir))
    try:
        run_dir = run_pipeline(scenario, work / "run", stages=stages)
        summary = json.loads((run_dir / SUMMARY_FILE).read_text(encoding="utf-8"))
        table = _pipeline_table(run_dir, "propagation" in stages)
        if keep is not None:
            shutil.rmtree(keep, ignore_errors=True)
            keep.parent.mkdir(exist_ok=True)
            run_dir.rename(keep)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return summary, table


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
    scenario, drawn = draw_realisation(_ensemble_scenario(spec.scenario_toml), index)
    if scenario.mission is not None:  # the burn-vs-parking lifetime comparison is per run, not per realisation
        scenario = replace(scenario, mission=replace(scenario.mission, compare_lifetimes=False))
    with atomic_write(folder / f"{name}.toml", "w", encoding="utf-8") as handle:
        handle.write(to_toml(scenario))
    if runs_in_memory(spec.stages):
        summary, table = run_in_memory(scenario, spec.stages)
    else:
        keep = out_dir / "runs" / name if spec.keep_runs else None
        summary, table = run_through_pipeline(scenario, spec.stages, out_dir / ".work", keep)
    _write_parquet(folder / f"{name}.parquet", table)
    record = {"index": index, "name": name, "seed": scenario.seed, "inputs": drawn, "figures": _figures(summary)}
    write_json(done_path(out_dir, index), record)
    return record
