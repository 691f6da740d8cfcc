"""A breakup refuses, before sampling, more expected fragments than ``max_fragments`` (issue 20,
defect 5: ``debriscope breakup --lc-min-m 1e-4`` grew to ~10 GB before ``MemoryError``)."""

from __future__ import annotations

import json
import math
import tracemalloc
from types import SimpleNamespace

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from debriscope.breakup import Parent, collision, explosion
from debriscope.breakup.cloud import DEFAULT_MAX_FRAGMENTS
from debriscope.breakup.size import collision_reference_mass, lc_from_mass_m
from debriscope.breakup.stage import run_stage
from debriscope.cli import cli
from debriscope.errors import FragmentCountError, ScenarioError
from debriscope.runfolder import RunContext
from debriscope.scenario.fields import build
from debriscope.scenario.options import BreakupOptions


def expected_explosion(mass_kg: float, lc_min_m: float) -> float:
    """Johnson et al. 2001 eq. 2, N(>Lc) = 6 S Lc^-1.6 (S = 1), between lc_min and the parent's size (eq. 1)."""
    return 6.0 * (lc_min_m**-1.6 - float(lc_from_mass_m(mass_kg)) ** -1.6)


def test_the_count_is_refused_before_any_memory_is_spent():
    parent = Parent(name="stage", object_class="rocket_body", mass_kg=900.0)
    tracemalloc.start()
    with pytest.raises(FragmentCountError) as info:
        explosion([parent], np.random.default_rng(1), lc_min_m=1e-4)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 1e6  # bytes: nothing was sampled (the 1.5e7 fragments would take ~20 GB)
    assert info.value.expected == pytest.approx(expected_explosion(900.0, 1e-4), rel=1e-12)
    assert info.value.expected == pytest.approx(1.51e7, rel=0.01)  # 6 * (1e-4)^-1.6 = 1.507e7
    assert "max_fragments" in str(info.value) and "lc_min_m" in str(info.value)


@settings(max_examples=40, deadline=None)
@given(st.floats(min_value=10.0, max_value=5000.0), st.floats(min_value=0.002, max_value=0.2))
def test_the_limit_separates_accepted_from_refused(mass_kg, lc_min_m):
    parent = Parent(name="p", object_class="spacecraft", mass_kg=mass_kg)
    if lc_min_m >= float(lc_from_mass_m(mass_kg)):
        return
    n = expected_explosion(mass_kg, lc_min_m)
    with pytest.raises(FragmentCountError):
        explosion([parent], np.random.default_rng(0), lc_min_m=lc_min_m, max_fragments=math.floor(n * 0.999))
    cloud = explosion([parent], np.random.default_rng(0), lc_min_m=lc_min_m, max_fragments=math.ceil(n * 1.001) + 1)
    assert cloud.summary()["n_fragments"] >= 1


def test_collision_counts_both_bodies():
    """Catastrophic (40 J/g): 0.1 M^0.75 Lc^-1.71 with M = 1010 kg (eq. 4) is 1.6e8 at 0.1 mm."""
    target = Parent(name="t", object_class="spacecraft", mass_kg=1000.0)
    impactor = Parent(name="i", object_class="spacecraft", mass_kg=10.0)
    m_ref, catastrophic, _ = collision_reference_mass(1000.0, 10.0, 10_000.0)
    assert catastrophic and m_ref == 1010.0
    with pytest.raises(FragmentCountError) as info:
        collision(target, impactor, 10_000.0, np.random.default_rng(1), lc_min_m=1e-4)
    assert info.value.expected == pytest.approx(0.1 * 1010.0**0.75 * 1e-4**-1.71, rel=0.01)


def test_the_default_admits_the_flagship_at_the_schema_bound():
    """Both ~900 kg parents at lc_min_m = 1 mm (the schema's minimum) expect 7.6e5 < the default."""
    n = expected_explosion(900.0, 1e-3) + expected_explosion(893.5, 1e-3)
    assert 7.5e5 < n < DEFAULT_MAX_FRAGMENTS


def test_cli_names_the_option_and_writes_nothing(tmp_path):
    out = tmp_path / "f.csv"
    args = ["breakup", "--object-class", "rocket_body", "--mass-kg", "900", "--lc-min-m", "0.001",
            "--max-fragments", "1000", "-o", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "--max-fragments 1000" in result.output and "--lc-min-m 0.001" in result.output
    assert "3.79e+05" in result.output and not out.exists()
    result = CliRunner().invoke(cli, [*args[:-4], "--lc-min-m", "0.2", "-o", str(out)])
    assert result.exit_code == 0, result.output


def test_stage_names_the_scenario_keys(tmp_path):
    r, v = [6_600_000.0, 0.0, 0.0], [0.0, 7_000.0, 3_000.0]
    event = {"event": {"time_utc": "1962-10-24T18:56:11Z", "kind": "explosion"},
             "parents": [{"name": "p", "object_class": "rocket_body", "mass_kg": 900.0, "r_teme_m": r, "v_teme_mps": v}]}
    (tmp_path / "event.json").write_text(json.dumps(event), encoding="utf-8")
    scenario = SimpleNamespace(breakup=build(BreakupOptions, {"lc_min_m": 0.01, "max_fragments": 100}, "breakup"))
    ctx = RunContext(run_dir=tmp_path, scenario=scenario, rng=np.random.default_rng(1))
    with pytest.raises(ScenarioError, match=r"breakup\.lc_min_m = 0\.01: .*breakup\.max_fragments = 100"):
        run_stage(ctx)
    assert not (tmp_path / "fragments.csv").exists()
    with pytest.raises(ScenarioError, match="max_fragments"):
        build(BreakupOptions, {"max_fragments": 0}, "breakup")
