"""`debriscope run` with no argument: the flagship scenario end to end, as the README promises.

One full run (about a minute or two on 2 cores) into a temporary working directory; the checks
read its run folder.
"""

from __future__ import annotations

import json
import os
import sqlite3

import pytest

from debriscope.cli import main


@pytest.fixture(scope="module")
def flagship_run(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("flagship")
    old = os.getcwd()
    os.chdir(cwd)
    try:
        assert main(["-q", "run"]) == 0
    finally:
        os.chdir(old)
    return cwd / "runs" / "sputnik22-seed1962"


def test_run_folder_complete(flagship_run):
    names = {p.name for p in flagship_run.iterdir()}
    expected = {
        "scenario.toml", "event.json", "models.json", "groundtrack.csv", "fragments.csv", "decay.csv", "elements.csv", "detections.csv",
        "truth_states.csv", "radars.json", "objects.csv", "associations.csv",
        "tracks.csv", "orbits.csv", "alerts.csv", "catalog.sqlite", "exports", "report", "summary.json", "run.log",
    }
    assert expected <= names
    assert not [n for n in names if n.endswith((".tmp", ".partial"))]


def test_summary_has_every_stage(flagship_run):
    summary = json.loads((flagship_run / "summary.json").read_text())
    for stage in ("scenario", "breakup", "propagation", "sensors", "tracking", "catalog", "report"):
        assert stage in summary, stage
    assert summary["scenario"]["event_utc"].startswith("1962-10-24T18:56")
    assert summary["breakup"]["mass_accounted_kg"] <= summary["scenario"]["parents_mass_kg"] + 1e-6


def test_summary_per_site_surveillance(flagship_run):
    # issue 5: per site, first detection, fragments seen, tracks, and the alert timeline
    summary = json.loads((flagship_run / "summary.json").read_text())
    for site in ("clear", "thule"):
        sensors = summary["sensors"]["sites"][site]
        tracking = summary["tracking"]["sites"][site]
        assert "first_detection_utc" in sensors and "n_fragments_seen" in sensors
        assert "n_tracks" in tracking and "first_naive_alert_utc" in tracking


def test_network_sees_the_cloud_for_weeks(flagship_run):
    # issue 15: the 1962 network, fence and cameras included, watching for weeks after the event
    summary = json.loads((flagship_run / "summary.json").read_text())["sensors"]
    assert summary["n_sites_with_detections"] >= 8
    assert summary["n_detections_by_kind"].get("fence", 0) > 0 and summary["n_detections_by_kind"].get("camera", 0) > 0
    assert summary["last_detection_days_after_event"] >= 14.0


def test_catalog_exports_and_report(flagship_run):
    with sqlite3.connect(flagship_run / "catalog.sqlite") as con:
        n = con.execute("SELECT count(*) FROM objects").fetchone()[0]
    assert n >= 2  # at least the two parents as context objects
    exports = {p.name for p in (flagship_run / "exports").iterdir()}
    assert any(name.endswith(".tle") or name.endswith(".3le") for name in exports)
    html = (flagship_run / "report" / "report.html").read_text()
    assert "<img" in html and "http://" not in html and "https://" not in html


def _documented_keys():
    """(section, dotted key) pairs from the tables of docs/summary.md."""
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "summary.md").read_text()
    section = None
    for line in doc.splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        elif line.startswith("| `") and section:
            for key in re.findall(r"`([^`]+)`", line.split("|")[1]):
                yield section, key


def test_summary_matches_its_documentation(flagship_run):
    summary = json.loads((flagship_run / "summary.json").read_text())
    for section, key in _documented_keys():
        node = summary if section == "top level" else summary[section]
        sites = ("clear", "thule")
        paths = [key.replace("<site>", s) for s in sites] if "<site>" in key else [key]
        for path in paths:
            cursor = node
            for part in path.split("."):
                if part == "<fan>":
                    part = "fan_low"
                assert part in cursor, f"{section}: {path}"
                cursor = cursor[part]


def test_same_seed_same_bytes(flagship_run, tmp_path):
    # re-running a stage on a copy of the run folder draws the same numbers and writes the same bytes
    import shutil

    from debriscope.pipeline import rerun_stage

    copy = tmp_path / "copy"
    shutil.copytree(flagship_run, copy)
    for stage, files in (("propagation", ("decay.csv", "elements.csv")), ("sensors", ("detections.csv", "truth_states.csv"))):
        rerun_stage(copy, stage)
        for name in files:
            assert (copy / name).read_bytes() == (flagship_run / name).read_bytes(), name


def test_catalog_maintenance_is_pure(flagship_run):
    """The maintained catalog over the whole life: association purity >= 0.95 against the truth
    (issue "A catalog maintained as SPADATS did it"), admitted objects, completeness reported."""
    m = json.loads((flagship_run / "summary.json").read_text())["tracking"]["maintenance"]
    assert m["association_purity"] >= 0.95 and m["association_purity_catalogued"] >= 0.95
    assert m["n_admitted"] >= 5
    assert 0.0 < m["completeness"] <= 1.0
    assert m["n_detections"] == json.loads((flagship_run / "summary.json").read_text())["sensors"]["n_detections"]
