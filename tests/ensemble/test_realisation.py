"""A realisation in memory is the pipeline's breakup and decay prediction, to the last bit."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from debriscope.ensemble import ensemble, resolve_stages
from debriscope.ensemble.realisation import IN_MEMORY_STAGES, run_in_memory, runs_in_memory
from debriscope.errors import InvalidInputError
from debriscope.pipeline import run as run_pipeline
from debriscope.runfolder import DECAY_FILE, FRAGMENTS_FILE, SUMMARY_FILE, read_table
from debriscope.scenario.uncertainty import draw_realisation


def test_in_memory_realisation_equals_the_pipeline_without_snapshot_windows(tmp_path, small_scenario):
    scenario, _ = draw_realisation(small_scenario, 3)
    # without element snapshots the propagation stage predicts decay from the event epoch, as
    # the in-memory realisation does
    scenario = dataclasses.replace(scenario, propagation=dataclasses.replace(scenario.propagation, snapshot_days=()))
    summary, table = run_in_memory(scenario, IN_MEMORY_STAGES)
    run_dir = run_pipeline(scenario, tmp_path / "run", stages=IN_MEMORY_STAGES)
    frags, decay = read_table(run_dir, FRAGMENTS_FILE), read_table(run_dir, DECAY_FILE)
    for key in ("fragment_id", "lc_m", "am_m2_kg", "mass_kg"):
        np.testing.assert_array_equal(table[key], np.asarray(frags[key]))
    np.testing.assert_array_equal(table["parent"], np.asarray(frags["parent"]).astype(str))
    decayed = np.asarray(decay["status"]).astype(str) == "decayed"
    assert 0 < decayed.sum() < decayed.size  # both outcomes are compared
    np.testing.assert_array_equal(table["lifetime_days"],
                                  np.where(decayed, np.asarray(decay["lifetime_days"], dtype=float), np.nan))
    expected = json.loads((run_dir / SUMMARY_FILE).read_text())
    for key in ("n_fragments", "n_decayed", "n_in_orbit", "median_lifetime_days"):
        assert summary["propagation"][key] == expected["propagation"][key]
    for key in ("n_fragments", "mass_in_fragments_kg"):
        assert summary["breakup"][key] == expected["breakup"][key]


def test_breakup_only_realisation_has_no_lifetimes(small_scenario):
    scenario, _ = draw_realisation(small_scenario, 0)
    summary, table = run_in_memory(scenario, ("scenario", "breakup"))
    assert "propagation" not in summary and "lifetime_days" not in table
    assert table["fragment_id"].size == summary["breakup"]["n_fragments"]
    assert np.all(table["mass_kg"] > 0)


def test_which_stages_run_in_memory(tmp_path, small_scenario):
    assert runs_in_memory(resolve_stages(None)) and runs_in_memory(resolve_stages(["breakup"]))
    assert not runs_in_memory(resolve_stages(["breakup", "propagation", "sensors"]))
    with pytest.raises(InvalidInputError, match="through breakup at least"):
        resolve_stages(["scenario"])
    with pytest.raises(InvalidInputError, match="--keep-runs"):
        ensemble(small_scenario, 2, tmp_path / "k", backend="serial", keep_runs=True)
    assert not (tmp_path / "k").exists()
