"""The stage end to end on hand-made inputs: admission by tracking, numbering, element sets,
idempotent rebuilds, exports, and the CLI."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from dataclasses import replace

import numpy as np
import pytest
from click.testing import CliRunner

from debriscope.catalog.build import STATE_COLUMNS, assemble_catalog
from debriscope.catalog.db import open_catalog, read_rows
from debriscope.catalog.satcat import SATCAT_COLUMNS
from debriscope.cli.catalog import catalog
from debriscope.scenario.options import CatalogOptions

from .conftest import FLAGSHIP_CATALOG, catalog_inputs_of, sgp4_ephemeris, stand_in_decay

FIT_RMS_SELF_TOL_M = 5.0
"""Fitting SGP4 to an SGP4 ephemeris from the same epoch: the fit should reproduce it (m)."""
N_DEBRIS = 8
"""Admitted objects of the hand-made objects.csv (conftest.STATUS, ADMIT_HOURS)."""


@pytest.fixture
def data(catalog_inputs):
    return catalog_inputs


@pytest.fixture
def result(data, sgp4_ephem):
    return assemble_catalog(catalog_inputs_of(data), FLAGSHIP_CATALOG, sgp4_ephem, stand_in_decay)


def _debris(result):
    return [o for o in result.rows.objects if o["object_type"] == "DEB"]


def test_admission_follows_tracking(result):
    s = result.summary
    json.dumps(s, allow_nan=False)  # summary.json refuses NaN
    assert (s["n_objects"], s["n_tentative"], s["n_never_admitted"], s["n_admitted_then_lost"]) == (11, 2, 3, 1)
    assert s["n_catalogued"] == N_DEBRIS
    debris = _debris(result)
    assert [o["tracking_object_id"] for o in debris] == [10, 8, 7, 2, 3, 1, 6, 9]  # by admission time
    assert [o["truth_fragment_id"] for o in debris] == [2, 8, 7, 2, 3, 1, 6, None]  # 9 has no fragment
    assert debris[0]["admitted_utc"] == "1962-10-24T19:26:00.000Z"
    assert all(o.get("parent_name") is None for o in debris)  # the parent is unknown


def test_admission_ties_go_by_object_id(data, sgp4_ephem):
    same = data["objects"]["admitted_utc"].copy()
    same[[0, 1]] = same[9]  # objects 1 and 2 admitted at the same instant as object 10
    data["objects"]["admitted_utc"] = same
    out = assemble_catalog(catalog_inputs_of(data), FLAGSHIP_CATALOG, sgp4_ephem, stand_in_decay)
    assert [o["tracking_object_id"] for o in _debris(out)][:3] == [1, 2, 10]


@pytest.mark.parametrize(("change", "message"), [
    (lambda o: o.pop("ballistic_coefficient_m2_kg"), r"columns \['ballistic_coefficient_m2_kg'\] missing"),
    (lambda o: o["status"].__setitem__(0, "tentative"), "object 1 has admitted_utc but status 'tentative'"),
    (lambda o: o["x_teme_m"].__setitem__(0, np.nan), "admitted object 1 has no finite state"),
])
def test_bad_objects_table_is_named(data, sgp4_ephem, change, message):
    from debriscope.errors import RunFolderError

    change(data["objects"])
    with pytest.raises(RunFolderError, match=message):  # the CLI exits 2 naming the file
        assemble_catalog(catalog_inputs_of(data), FLAGSHIP_CATALOG, sgp4_ephem, stand_in_decay)


def test_size_and_rcs_are_estimated_from_the_detections(result, data):
    """The hand-made SNRs are those of each fragment's SEM RCS at the estimated range (steady target):
    the characterisation recovers the fragment's size, never reading it."""
    lc = dict(zip(data["fragments"]["fragment_id"].tolist(), data["fragments"]["lc_m"].tolist(), strict=True))
    for o in _debris(result):
        want = lc[o["truth_fragment_id"] or 1]  # object 9 flies with fragment 1's SNRs
        assert np.isclose(o["size_m"], want, rtol=1e-6)
        assert o["rcs_m2"] > 0 and np.isclose(o["rcs_wavelength_m"], 299792458.0 / 425e6)
        assert o["sigma_ln_size"] > 0  # three Swerling I looks: a wide error
    assert result.summary["n_size_estimated"] == N_DEBRIS
    assert result.summary["size_over_true_lc_median_ratio"] == pytest.approx(1.0, rel=1e-6)


def test_without_associations_sizes_are_unknown(data, sgp4_ephem):
    inputs = replace(catalog_inputs_of(data), associations=None)
    out = assemble_catalog(inputs, FLAGSHIP_CATALOG, sgp4_ephem, stand_in_decay)
    assert all(np.isnan(o["size_m"]) for o in _debris(out))  # NULL in the database
    assert out.summary["n_size_estimated"] == 0 and out.summary["detections_by_sensor"] == {}


def test_scenario_without_launch_has_no_launch_date(data, sgp4_ephem):
    """A scenario given by an orbit state has no launch in event.json: the catalog runs without
    a launch date (empty), revolutions counted from the event."""
    event = {k: v for k, v in data["event"].items() if k != "launch"}
    event["insertion"] = {"time_utc": "1962-10-23T10:00:00.000Z", "t_tt_s": data["event"]["launch"]["t_tt_s"] - 86400.0}
    out = assemble_catalog(catalog_inputs_of(data, event=event), CatalogOptions(), sgp4_ephem, stand_in_decay)
    assert out.rows.runs[0]["launch_utc"] == ""
    assert out.summary["n_catalogued"] == N_DEBRIS


def test_numbers_and_designations(result):
    objects = result.rows.objects
    assert [o["catalog_number"] for o in objects] == list(range(443, 443 + 2 + N_DEBRIS))
    assert objects[0]["cospar_id"] == "1962-057A" and objects[0]["object_type"] == "PAY"
    assert objects[0]["greek_designation"] == "1962 Beta Iota 1"
    assert objects[1]["object_type"] == "R/B" and "BLOK L" in objects[1]["object_name"]
    assert objects[2]["cospar_id"] == "1962-057C" and objects[2]["object_name"] == "SPUTNIK 22 DEB"
    assert result.summary["first_catalog_number"] == 443 and result.summary["last_catalog_number"] == 452


def test_neutral_defaults_without_the_flagship_names(data, sgp4_ephem, tmp_path):
    """Without [catalog] names and numbers: '<NAME> DEB', analyst numbers from 80000, no
    designator (NULL in the catalog, blank in the TLE, UNKNOWN in OMM/OEM), no launch needed."""
    from debriscope.catalog.db import write_catalog
    from debriscope.catalog.exports import export_text

    event = {k: v for k, v in data["event"].items() if k != "launch"}  # a scenario started from a TLE
    rows = assemble_catalog(catalog_inputs_of(data, "my_event", event), CatalogOptions(), sgp4_ephem,
                            stand_in_decay).rows
    assert [o["catalog_number"] for o in rows.objects] == list(range(80000, 80002 + N_DEBRIS))
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


def test_element_sets_fit_the_objects_own_estimate(result, data):
    """Each object's last set is fitted at its epoch_utc to its own estimated state (not its
    fragment's: the false object 9 flies 1 % higher than fragment 1 and its set says so)."""
    from debriscope.catalog.exports import satrec_from_row
    from debriscope.timescale import utc_to_tt_s

    fitted = [e for e in result.rows.element_sets if e["source"] == "sgp4-fit"]
    assert len(fitted) == result.summary["n_element_sets_fitted"] >= N_DEBRIS
    assert result.summary["n_fits_failed"] == 0
    objs = data["objects"]
    for o in _debris(result):
        mine = [e for e in fitted if e["catalog_number"] == o["catalog_number"]]
        last = mine[-1]
        k = int(np.flatnonzero(objs["object_id"] == o["tracking_object_id"])[0])
        assert last["epoch_tt_s"] == pytest.approx(float(utc_to_tt_s(objs["epoch_utc"][k])), abs=1e-3)
        assert last["fit_rms_m"] < FIT_RMS_SELF_TOL_M
        err, r, _ = satrec_from_row(last, o["cospar_id"]).sgp4_tsince(0.0)
        own = np.array([[objs[c][k]] for c in STATE_COLUMNS])  # the stand-in ephemeris of its own state
        own_r = sgp4_ephemeris(own, last["epoch_tt_s"], np.array([last["epoch_tt_s"]]),
                               objs["ballistic_coefficient_m2_kg"][[k]])[0, :3, 0]
        assert err == 0 and np.linalg.norm(np.array(r) * 1000.0 - own_r) < 50.0
        admitted = float(utc_to_tt_s(o["admitted_utc"]))
        assert all(admitted - 1e-3 <= e["epoch_tt_s"] for e in mine)  # nothing before the admission
    assert result.summary["tle_fit_rms_median_m"] <= result.summary["tle_fit_rms_max_m"]


def test_decay_predicted_from_the_own_set_beside_the_truth(result, data):
    """The catalog's decay is the stand-in model's prediction from the object's own epoch and B;
    the truth's decay sits beside it (scoring only) and their difference is scored."""
    from debriscope.timescale import utc_to_tt_s

    objs = data["objects"]
    for o in _debris(result):
        k = int(np.flatnonzero(objs["object_id"] == o["tracking_object_id"])[0])
        want = stand_in_decay(None, float(utc_to_tt_s(objs["epoch_utc"][k])), objs["ballistic_coefficient_m2_kg"][k] / 2.2)
        if np.isnan(want):
            assert o["decay_utc"] is None and o["fate"] == "in orbit"
        else:
            assert float(utc_to_tt_s(o["decay_utc"])) == pytest.approx(float(want), abs=1e-3)
    truth = {o["truth_fragment_id"]: o["decay_true_utc"] for o in _debris(result)}
    assert truth[2] is None and truth[3] == "1962-11-15T10:00:00.000Z" and truth[None] is None
    s = result.summary
    assert s["first_decay_utc"] == min(o["decay_utc"] for o in _debris(result) if o["decay_utc"])
    assert s["first_decay_true_utc"] == "1962-10-29T03:00:00.000Z"
    scored = [o for o in _debris(result) if o["decay_utc"] and o["decay_true_utc"]]
    assert s["n_decay_scored"] == len(scored) > 0
    errors = [(utc_to_tt_s(o["decay_utc"]) - utc_to_tt_s(o["decay_true_utc"])) / 86400.0 for o in scored]
    assert s["decay_error_median_days"] == pytest.approx(float(np.median(errors)))


def test_count_over_time_and_sensors(result):
    s = result.summary
    over = s["count_over_time"]
    assert over["dates"][0] == "1962-10-24" and over["n_admitted"][0] == 6  # admitted by the end of 24 Oct (19:26 to 23:56)
    assert over["n_admitted"][-1] == N_DEBRIS and over["n_in_catalog"][-1] == s["n_in_orbit_at_end"]
    assert s["max_in_catalog"] == max(over["n_in_catalog"]) <= N_DEBRIS
    assert s["detections_by_sensor"] == {"uhf": 3 * N_DEBRIS}  # the unassociated row is not counted


def test_stage_writes_catalog_and_exports_idempotently(catalog_run, stage_patched):
    run_dir, context = catalog_run
    summary = stage_patched.run_stage(context())
    assert summary["n_catalogued"] == N_DEBRIS
    first = {
        t: read_rows(open_catalog(run_dir / "catalog.sqlite"), t)
        for t in ("runs", "objects", "element_sets", "ephemeris")
    }
    exports = {
        p.relative_to(run_dir): p.read_bytes() for p in (run_dir / "exports").rglob("*") if p.is_file()
    }
    assert len(exports) == 6 + N_DEBRIS  # six formats plus one OEM per debris object

    stage_patched.run_stage(context())
    again = {t: read_rows(open_catalog(run_dir / "catalog.sqlite"), t) for t in first}
    assert again == first
    assert {
        p.relative_to(run_dir): p.read_bytes() for p in (run_dir / "exports").rglob("*") if p.is_file()
    } == exports
    assert sorted(p.name for p in run_dir.iterdir()) == sorted(
        [
            "associations.csv",
            "catalog.sqlite",
            "decay.csv",
            "detections.csv",
            "event.json",
            "exports",
            "fragments.csv",
            "models.json",
            "objects.csv",
            "radars.json",
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
    assert "1962 BETA IOTA 1" in sss and "(1962-057C)" in sss and "24 OCT 1962" in sss


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
    assert listing.exit_code == 0 and listing.output.count("SPUTNIK 22 DEB") == N_DEBRIS
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


def test_stage_decay_model_is_the_estimators(tmp_path):
    """The stage's DecayFunction is predict_decay with the estimator's force model (its B belongs
    to that atmosphere), per epoch: two objects at two epochs get what predict_decay gives each alone;
    its EphemerisFunction is the same force model through the estimator's dynamics, both sides of the epoch."""
    from debriscope.catalog.stage import estimator_decay, estimator_ephemeris
    from debriscope.elements import apsides_to_a_e, elements_to_rv
    from debriscope.propagation import predict_decay
    from debriscope.propagation.estimator_dynamics import propagate_states
    from debriscope.scenario.models import estimator_parameters
    from debriscope.scenario.options import TrackingOptions
    from debriscope.timescale import utc_to_tt_s
    from debriscope.tracking.stage import estimator_model

    estimator = estimator_parameters(TrackingOptions())
    a, e = apsides_to_a_e(130e3, 180e3)  # decays within hours
    r, v = elements_to_rv(a, e, np.radians(64.9), 0.0, 0.0, 0.0)
    state = np.repeat(np.vstack([r, v]), 2, axis=1)
    t0 = float(utc_to_tt_s("1962-10-25T00:00:00Z")) + np.array([0.0, 7200.0])
    am = np.array([0.01, 0.02])
    got = estimator_decay(estimator, 1.0)(state, t0, am)
    for k in range(2):
        model = estimator_model(estimator, float(t0[k]))
        want = predict_decay(state[:, [k]], float(t0[k]), am[[k]], model, 1.0).decay_tt_s[0]
        assert np.isfinite(want) and got[k] == pytest.approx(want, abs=60.0)
    times = t0[0] + np.array([-600.0, 0.0, 600.0])
    model = estimator_model(estimator, float(times[0]))
    got = estimator_ephemeris(estimator)(state[:, :1], t0[0], times, np.array([0.022]))
    assert np.array_equal(got, propagate_states(state[:, :1], t0[0], times, 0.022 / model.cd, model))
    assert np.array_equal(got[1], state[:, :1])
