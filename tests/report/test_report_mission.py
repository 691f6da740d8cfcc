"""The report's section "What the probe was to do": drawn when the scenario has a [mission] table."""

from __future__ import annotations

import shutil

from debriscope.mission import mission_plan
from debriscope.report import build_report
from debriscope.scenario import load
from debriscope.scenario.options import ReportOptions

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_mission_section(synthetic_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(synthetic_run, run)
    plan = mission_plan(load("sputnik22"))
    summary = build_report(run, ReportOptions(dpi=50), title="t", mission=plan)
    assert {"mission_window.png", "mission_arcs.png"} <= set(summary["figures"])
    for name in ("mission_window.png", "mission_arcs.png"):
        assert (run / "report" / name).read_bytes().startswith(PNG_MAGIC)
    html = (run / "report" / "report.html").read_text(encoding="utf-8")
    assert "What the probe was to do" in html and "Mars 1 beside it" in html
    assert html.count('src="data:image/png;base64,') == len(summary["figures"])


def test_no_mission_no_section(synthetic_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(synthetic_run, run)
    summary = build_report(run, ReportOptions(dpi=50), title="t")
    assert not any(name.startswith("mission") for name in summary["figures"])
    assert "What the probe was to do" not in (run / "report" / "report.html").read_text(encoding="utf-8")


def _with_burn_lifetimes(run):
    """Add what the propagation stage writes for a partial burn: the table and the summary section."""
    import json

    import numpy as np

    from debriscope.tables import write_csv

    life_parking = np.array([0.01, 0.5, 3.0, 20.0, np.nan])
    life_burn = np.array([5.0, 150.0, np.nan, np.nan, np.nan])
    write_csv(run / "lifetimes_burn_vs_parking.csv", {
        "fragment_id": np.arange(1, 6),
        "lifetime_days_parking_orbit": life_parking,
        "status_parking_orbit": np.where(np.isnan(life_parking), "in_orbit", "decayed"),
        "lifetime_days_after_burn": life_burn,
        "status_after_burn": np.where(np.isnan(life_burn), "in_orbit", "decayed"),
    })
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    propagation = summary.setdefault("propagation", {})
    propagation["max_days"] = 400.0
    propagation["n_fragments"] = 5
    propagation["burn_comparison"] = {
        "applied": "parking_orbit",
        "parking_orbit": {"event_perigee_km": 164.0, "event_apogee_km": 499.0, "n_decayed": 4,
                          "fraction_decayed": 0.8, "lifetime_days_p50": 3.0, "lifetime_days_p90": None,
                          "last_decay_utc": "1962-11-13T00:00:00Z"},
        "after_burn": {"event_perigee_km": 473.0, "event_apogee_km": 936.0, "n_decayed": 2,
                       "fraction_decayed": 0.4, "lifetime_days_p50": None, "lifetime_days_p90": None,
                       "last_decay_utc": "1963-03-23T00:00:00Z"},
    }
    (run / "summary.json").write_text(json.dumps(summary), encoding="utf-8")


def test_mission_lifetimes_drawn_from_the_propagation_outputs(synthetic_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(synthetic_run, run)
    _with_burn_lifetimes(run)
    summary = build_report(run, ReportOptions(dpi=50, record="sputnik22"), title="t",
                           mission=mission_plan(load("sputnik22")))
    assert "mission_lifetimes.png" in summary["figures"] and "mission_lifetimes" not in summary["missing"]
    assert (run / "report" / "mission_lifetimes.png").read_bytes().startswith(PNG_MAGIC)
    html = (run / "report" / "report.html").read_text(encoding="utf-8")
    assert "breakup on the parking orbit (this run)" in html and "breakup after the partial burn" in html
    assert "4 of 5 (80.0 %)" in html and "3.0 / &gt; 400" in html and "&gt; 400 / &gt; 400" in html
    assert "1485 x 180" in html  # the record's debris orbit beside the model


def test_mission_lifetimes_missing_without_the_table(synthetic_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(synthetic_run, run)
    summary = build_report(run, ReportOptions(dpi=50), title="t", mission=mission_plan(load("sputnik22")))
    assert "mission_lifetimes.png" not in summary["figures"]
    assert "lifetimes_burn_vs_parking.csv" in summary["missing"]["mission_lifetimes"]
