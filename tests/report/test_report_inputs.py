"""Reading the run folder, the catalog, UTC strings, and the model-vs-record rows."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from debriscope.errors import InputFileError
from debriscope.report.compare import model_vs_record
from debriscope.report.inputs import load_run, read_catalog_objects, utc_datetime64
from debriscope.report.record import SPUTNIK22
from debriscope.tables import read_csv


@given(st.datetimes(min_value=dt.datetime(1957, 10, 4), max_value=dt.datetime(2100, 1, 1)))
def test_utc_strings_round_trip(stamp):
    stamp = stamp.replace(microsecond=(stamp.microsecond // 1000) * 1000)
    text = stamp.isoformat(timespec="milliseconds") + "Z"
    assert utc_datetime64(text)[0] == np.datetime64(stamp, "ms")
    parsed = utc_datetime64(np.array([text, "", "nan"], dtype=object))
    assert parsed[0] == np.datetime64(stamp, "ms") and np.isnat(parsed[1]) and np.isnat(parsed[2])
    assert np.isnat(utc_datetime64([float("nan")])[0])


def test_second_60_is_held_at_the_end_of_its_minute():
    """A decay inside a leap second (or a pre-1972 step) is written 23:59:60.x; datetime64 has no
    second 60, so plots hold it at 23:59:59.999."""
    parsed = utc_datetime64(["2016-12-31T23:59:60.500Z", "1964-12-31T23:59:60.05Z"])
    assert list(parsed) == [np.datetime64("2016-12-31T23:59:59.999"), np.datetime64("1964-12-31T23:59:59.999")]


def test_catalog_read_only_and_typed(synthetic_run, tmp_path):
    path = tmp_path / "catalog.sqlite"
    shutil.copy(synthetic_run / "catalog.sqlite", path)
    before = path.read_bytes()
    objects = read_catalog_objects(path)
    assert path.read_bytes() == before
    assert objects["catalog_number"].dtype == np.int64
    assert objects["truth_fragment_id"].dtype == float  # NULL for the parent -> NaN
    assert list(objects["object_type"]).count("DEB") == len(objects["object_type"]) - 1
    assert read_catalog_objects(tmp_path / "absent.sqlite") is None
    other = tmp_path / "other.sqlite"  # a database, but not a catalog: refused, never read as "no catalog"
    sqlite3.connect(other).execute("CREATE TABLE runs (run_id INTEGER)").connection.close()
    with pytest.raises(InputFileError, match="other.sqlite: a database without an objects table"):
        read_catalog_objects(other)


def test_catalogued_fragments_fall_back_to_orbits(synthetic_run, tmp_path):
    run_dir = tmp_path / "nocat"
    shutil.copytree(synthetic_run, run_dir)
    (run_dir / "catalog.sqlite").unlink()
    run = load_run(run_dir)
    orbits = read_csv(run_dir / "orbits.csv")
    expected = np.unique(orbits["truth_fragment_id"][orbits["classification"] == "orbital"])
    assert np.array_equal(run.catalogued_fragment_ids(), expected)
    assert run.n_catalogued() == expected.size


def test_model_vs_record_rows(synthetic_run):
    """Each model figure beside the record, and by how much it differs (days, count and per cent)."""
    run = load_run(synthetic_run)
    rows = {r.quantity: r for r in model_vs_record(run, SPUTNIK22)}
    con = sqlite3.connect(synthetic_run / "catalog.sqlite")
    deb = con.execute("SELECT decay_utc, decay_true_utc FROM objects WHERE object_type = 'DEB'").fetchall()
    con.close()
    predicted = sorted(p[:10] for p, _ in deb if p)
    true = sorted(t[:10] for _, t in deb if t)
    n = len(deb)

    def days(a, b):
        return int((np.datetime64(a) - np.datetime64(b)).astype(int))

    assert rows["debris pieces catalogued"].model == f"{n} ({n - 22:+d}, {100 * (n - 22) / 22:+.0f} % vs record)"
    assert rows["debris pieces catalogued"].record.startswith("22")
    pred_first = rows["first decay of a catalogued object (catalog's prediction)"]
    assert pred_first.model == f"{predicted[0]} ({days(predicted[0], '1962-10-29'):+d} d vs record)"
    assert pred_first.record == "1962-10-29" and pred_first.source
    assert rows["last decay of a catalogued object (catalog's prediction)"].model.startswith(predicted[-1])
    assert rows["first decay of a catalogued fragment (truth)"].model.startswith(true[0])
    last = rows["last decay of a catalogued fragment (truth)"]
    assert last.model == f"{true[-1]} ({days(true[-1], '1963-02-26'):+d} d vs record)" and last.record == "1963-02-26"
    inside = sum("1962-10-29" <= d <= "1963-02-26" for d in true)
    assert rows["catalogued fragments decaying inside the recorded window (truth)"].model == f"{inside} of {len(true)}"
    assert "objects)" in rows["catalog's decay prediction minus truth (median, 16-84 %)"].model
    assert all(r.source for r in rows.values() if r.record)  # every recorded value names its source
    bare = {r.quantity: r for r in model_vs_record(run, None)}
    assert all(r.record == "" and r.source == "" for r in bare.values())
    assert "vs record" not in bare["debris pieces catalogued"].model


def test_readable_times_and_positions():
    from debriscope.report.inputs import lat_lon_text, utc_text

    assert utc_text("1962-10-24T18:56:11.000Z") == "1962-10-24 18:56:11Z"
    assert utc_text("1962-10-24T18:56:11.250Z") == "1962-10-24 18:56:11.25Z"
    assert utc_text("1962-10-24T18:56:11Z") == "1962-10-24 18:56:11Z"
    assert utc_text("") == ""
    assert lat_lon_text(-64.994, -67.431) == "64.99 S, 67.43 W"
    assert lat_lon_text(45.92, 63.342) == "45.92 N, 63.34 E"
    assert lat_lon_text(10.0, 190.0) == "10.00 N, 170.00 W"
