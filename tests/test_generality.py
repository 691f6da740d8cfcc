"""A scenario that is not the flagship shows nothing of Sputnik 22 (issue 20, "Generality").

A small event of today's kind, started from the parent's two-line element set (an analyst
object's TLE: no international designator), run through every stage; every file of the run
folder is searched for the flagship's names, numbers and history.
"""

from __future__ import annotations

import re
import sqlite3

import pytest

from debriscope import pipeline

TLE_SCENARIO = """
name = "tle_breakup"
seed = 11
description = "A test breakup of an upper stage known from its element set."

[orbit.tle]
line1 = "1 99001U          08264.50000000  .00000000  00000-0  10000-3 0    01"
line2 = "2 99001  51.6000 200.0000 0141725  90.0000  10.0000 15.81925432    05"

[[objects]]
name = "Stage"
object_class = "rocket_body"
mass_kg = 300.0
area_m2 = 2.0

[event]
kind = "explosion"
time_utc = "2008-09-21T06:00:00Z"

[breakup]
lc_min_m = 0.3

[propagation]
max_days = 3.0
snapshot_days = [0.1, 1.0]

[sensors]
window_days = 0.5

[catalog]
element_set_epochs_days = [0.25]

[report]
gabbard_days_after_event = [0.1]
dpi = 50
"""

FLAGSHIP_MARKS = ("SPUTNIK", "Sputnik", "sputnik22", "1962-057", "Beta Iota", "2MV-4", "Blok L",
                  "TYMSC", "Tyuratam", "Baikonur")
TLE_DESIGNATOR = re.compile(r"(?<![0-9.])62057[A-Z]")
"""The flagship's designator as a TLE writes it (columns 10-17), not any run of digits in a number."""


@pytest.fixture(scope="module")
def tle_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generality")
    source = folder / "tle_breakup.toml"
    source.write_text(TLE_SCENARIO, encoding="utf-8")
    return pipeline.run(source, folder / "run")


def test_no_file_of_the_run_mentions_the_flagship(tle_run):
    files = [p for p in tle_run.rglob("*") if p.is_file()]
    assert any(p.name == "report.html" for p in files) and any(p.name == "catalog.sqlite" for p in files)
    for path in files:
        text = path.read_bytes().decode("latin-1")  # SQLite and PNG too: any embedded text
        for mark in FLAGSHIP_MARKS:
            assert mark not in text, f"{mark!r} in {path.relative_to(tle_run)}"
        assert not TLE_DESIGNATOR.search(text), f"62057x in {path.relative_to(tle_run)}"


def test_catalog_uses_the_scenario_name_and_neutral_numbers(tle_run):
    con = sqlite3.connect(tle_run / "catalog.sqlite")
    rows = con.execute("SELECT catalog_number, cospar_id, object_name, owner FROM objects").fetchall()
    con.close()
    assert rows and rows[0][0] == 80000
    assert {r[1] for r in rows} == {None}
    assert rows[0][2].startswith("TLE BREAKUP") and {r[3] for r in rows} == {""}
