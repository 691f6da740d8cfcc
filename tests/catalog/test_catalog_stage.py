"""The stage end to end on hand-made inputs: admission by tracking, numbering, element sets,
idempotent rebuilds, exports, and the CLI."""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import replace

import numpy as np
import pytest
from click.testing import CliRunner

from debriscope.catalog.build import CatalogInputs, assemble_catalog
from debriscope.catalog.db import open_catalog, read_rows
from debriscope.catalog.satcat import SATCAT_COLUMNS
from debriscope.cli.catalog import catalog
from debriscope.scenario.options import CatalogOptions

from .conftest import FLAGSHIP_CATALOG

FIT_RMS_SELF_TOL_M = 5.0
"""Fitting SGP4 to an SGP4 ephemeris from the same epoch: the fit should reproduce it (m)."""


def _rcs(lc):
    return np.pi * np.asarray(lc) ** 2 / 4  # optical disc area; the stage uses the NASA SEM


@pytest.fixture
def result(catalog_inputs, sgp4_ephem):
    d = catalog_inputs
    inputs = CatalogInputs(d["event"], d["orbits"], d["fragments"], d["decay"], "test", 1, "ab" * 32, "0.1.0")
    return assemble_catalog(inputs, FLAGSHIP_CATALOG, sgp4_ephem, _rcs)


def test_admission_follows_tracking(result):
    s = result.summary
    # 10 tracked objects: 1 ballistic, 2 with too few detections, 1 false track without a fragment
    assert (
        s["n_rejected_ballistic"],
        s["n_rejected_too_few_observations"],
        s["n_rejected_no_truth_link"],
    ) == (1, 2, 1)
    assert s["n_catalogued"] == 6
    debris = [o for o in result.rows.objects if o["object_type"] == "DEB"]
    assert [o["tracking_object_id"] for o in debris] == [
        10,
        8,
        7,
        3,
        2,
        1,
    ]  # by orbit epoch: 10 was seen first
    assert {o["truth_fragment_id"] for o in debris} == {2, 8, 7, 3, 1}  # object 10 duplicates fragment 2


def test_scenario_without_launch_has_no_launch_date(catalog_inputs, sgp4_ephem):
    """A scenario given by an orbit state has no launch in event.json: the catalog runs without
    a launch date (empty), revolutions counted from the event."""
    d = catalog_inputs
    event = {k: v for k, v in d["event"].items() if k != "launch"}
    event["insertion"] = {"time_utc": "1962-10-23T10:00:00.000Z", "t_tt_s": d["event"]["launch"]["t_tt_s"] - 86400.0}
    inputs = CatalogInputs(event, d["orbits"], d["fragments"], d["decay"], "test", 1, "ab" * 32, "0.1.0")
    out = assemble_catalog(inputs, CatalogOptions(), sgp4_ephem, _rcs)
    assert out.rows.runs[0]["launch_utc"] == ""
    assert out.summary["n_catalogued"] == 6


def test_numbers_and_designations(result):
    objects = result.rows.objects
    assert [o["catalog_number"] for o in objects] == list(range(443, 443 + 8))
    assert objects[0]["cospar_id"] == "1962-057A" and objects[0]["object_type"] == "PAY"
    assert objects[0]["greek_designation"] == "1962 Beta Iota 1"
    assert objects[1]["object_type"] == "R/B" and "BLOK L" in objects[1]["object_name"]
    assert objects[2]["cospar_id"] == "1962-057C" and objects[2]["object_name"] == "SPUTNIK 22 DEB"
    assert result.summary["first_catalog_number"] == 443 and result.summary["last_catalog_number"] == 450


def test_neutral_defaults_without_the_flagship_names(catalog_inputs, sgp4_ephem, tmp_path):
    """Without [catalog] names and numbers: '<NAME> DEB', analyst numbers from 80000, no
    designator (NULL in the catalog, blank in the TLE, UNKNOWN in OMM/OEM), no launch needed."""
    from debriscope.catalog.db import write_catalog
    from debriscope.catalog.exports import export_text

    d = catalog_inputs
    event = {k: v for k, v in d["event"].items() if k != "launch"}  # a scenario started from a TLE
    inputs = CatalogInputs(event, d["orbits"], d["fragments"], d["decay"], "my_event", 1, "ab" * 32, "0.1.0")
    rows = assemble_catalog(inputs, CatalogOptions(), sgp4_ephem, _rcs).rows
    assert [o["catalog_number"] for o in rows.objects] == list(range(80000, 80008))
    assert {o["cospar_id"] for o in rows.objects} == {None}
    assert {o["greek_designation"] for o in rows.objects} == {None}
    assert rows.objects[2]["object_name"] == "MY EVENT DEB"
    assert {o["owner"] for o in rows.objects} == {""} and rows.runs[0]["launch_utc"] == ""
    db = tmp_path / "catalog.sqlite"
    write_catalog(db, rows)
    with open_catalog(db) as con:
        texts = {fmt: export_text(con, fmt, oem_object=80002) for fmt in ("tle", "omm-kvn", "oem", "satcat", "sss")}
    line1 = texts["tle"].splitlines()[0]
    assert line1[9:17] == " " * 8  # no international designator
    assert "OBJECT_ID = UNKNOWN" in texts["omm-kvn"] and "OBJECT_ID = UNKNOWN" in texts["oem"]
    for text in texts.values():
        assert "SPUTNIK" not in text.upper() and "1962-057" not in text and "62057" not in text


def test_element_sets_fit_the_ephemeris(result):
    fitted = [e for e in result.rows.element_sets if e["source"] == "sgp4-fit"]
    assert len(fitted) == result.summary["n_element_sets_fitted"] == 6 * 4
    first = [e for e in fitted if e["element_set_number"] == 1]
    assert max(e["fit_rms_m"] for e in first) < FIT_RMS_SELF_TOL_M
    assert result.summary["n_fits_failed"] == 0
    assert result.summary["tle_fit_rms_median_m"] <= result.summary["tle_fit_rms_max_m"]


def test_decay_window(result):
    assert result.summary["first_decay_utc"] == "1962-10-29T03:00:00.000Z"
    assert result.summary["last_decay_utc"] == "1962-12-01T00:00:00.000Z"
    assert result.summary["n_in_orbit_at_end"] == 2  # fragment 2 (and its duplicate) never decays


def test_stage_writes_catalog_and_exports_idempotently(catalog_run, stage_patched):
    run_dir, context = catalog_run
    summary = stage_patched.run_stage(context())
    assert summary["n_catalogued"] == 6
    first = {
        t: read_rows(open_catalog(run_dir / "catalog.sqlite"), t)
        for t in ("runs", "objects", "element_sets", "ephemeris")
    }
    exports = {
        p.relative_to(run_dir): p.read_bytes() for p in (run_dir / "exports").rglob("*") if p.is_file()
    }
    assert len(exports) == 6 + 6  # six formats plus one OEM per debris object

    stage_patched.run_stage(context())
    again = {t: read_rows(open_catalog(run_dir / "catalog.sqlite"), t) for t in first}
    assert again == first
    assert {
        p.relative_to(run_dir): p.read_bytes() for p in (run_dir / "exports").rglob("*") if p.is_file()
    } == exports
    assert sorted(p.name for p in run_dir.iterdir()) == sorted(
        [
            "catalog.sqlite",
            "decay.csv",
            "event.json",
            "exports",
            "fragments.csv",
            "orbits.csv",
            "scenario.toml",
        ]
    )

    # SATCAT CSV: exactly CelesTrak's columns; decayed objects D / IMP
    rows = list(
        csv.DictReader(io.StringIO(exports[next(k for k in exports if k.name == "satcat.csv")].decode()))
    )
    assert tuple(rows[0]) == SATCAT_COLUMNS
    assert rows[0]["OBJECT_ID"] == "1962-057A" and rows[0]["NORAD_CAT_ID"] == "443"
    decayed = [r for r in rows if r["DECAY_DATE"]]
    assert all(r["OPS_STATUS_CODE"] == "D" and r["ORBIT_TYPE"] == "IMP" for r in decayed)
    sss = exports[next(k for k in exports if k.name == "situation_summary.txt")].decode()
    assert "1962 BETA IOTA 1" in sss and "(1962-057C)" in sss and "29 OCT 1962" in sss


def test_failed_stage_keeps_previous_catalog(catalog_run, stage_patched, monkeypatch):
    run_dir, context = catalog_run
    stage_patched.run_stage(context())
    before = (run_dir / "catalog.sqlite").read_bytes()
    tle_before = (run_dir / "exports" / "catalog.tle").read_bytes()

    from debriscope.catalog import exports

    def broken(*args, **kwargs):
        raise RuntimeError("disk full while writing the exports")

    monkeypatch.setattr(exports, "satcat_csv", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        stage_patched.run_stage(context(replace(FLAGSHIP_CATALOG, min_detections=1)))
    assert (run_dir / "catalog.sqlite").read_bytes() == before
    assert (run_dir / "exports" / "catalog.tle").read_bytes() == tle_before
    assert not [p for p in run_dir.iterdir() if p.name.startswith(".")]


def test_cli_list_show_export(tmp_path, catalog_run, stage_patched):
    run_dir, context = catalog_run
    stage_patched.run_stage(context())
    runner = CliRunner()
    listing = runner.invoke(catalog, ["list", str(run_dir)])
    assert listing.exit_code == 0 and listing.output.count("SPUTNIK 22 DEB") == 6
    for key in ("445", "1962-057C", "1962 beta iota 3"):
        shown = runner.invoke(catalog, ["show", str(run_dir), key])
        assert shown.exit_code == 0 and "1962-057C" in shown.output and "1 00445U 62057C" in shown.output
    assert runner.invoke(catalog, ["show", str(run_dir), "999"]).exit_code == 2
    out = tmp_path / "x.3le"
    assert runner.invoke(catalog, ["export", str(run_dir), "--format", "3le", "-o", str(out)]).exit_code == 0
    assert out.read_text().splitlines()[0] == "0 SPUTNIK 22 DEB"
    oem_run = runner.invoke(catalog, ["export", str(run_dir), "--format", "oem"])
    assert oem_run.exit_code == 2 and "--object" in oem_run.output
    oem_ok = runner.invoke(
        catalog, ["export", str(run_dir), "--format", "oem", "--object", "446", "--frame", "GCRF"]
    )
    assert oem_ok.exit_code == 0 and "REF_FRAME = GCRF" in oem_ok.output


def test_schema_types_hold_for_stage_rows(catalog_run, stage_patched):
    run_dir, context = catalog_run
    stage_patched.run_stage(context())
    con = sqlite3.connect(run_dir / "catalog.sqlite")
    types = dict(
        con.execute(
            "SELECT typeof(catalog_number), typeof(rcs_m2) FROM objects WHERE object_type='DEB'"
        ).fetchall()
    )
    assert types == {"integer": "real"}


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"international_designator": "62-57"}, "expected YYYY-NNN"),
        ({"element_set_epochs_days": [1.0, 0.5]}, "strictly increasing"),
        ({"min_passes": 0}, "must be >= 1"),
        ({"oem_frame": "ITRF"}, "allowed"),
    ],
)
def test_catalog_options_validation(table, message):
    from debriscope.errors import ScenarioError
    from debriscope.scenario.fields import build

    with pytest.raises(ScenarioError, match=message):
        build(CatalogOptions, table, "catalog")
