"""``debriscope mission``: prints the figures; bad input exits 2 with the key named."""

from __future__ import annotations

import json

from debriscope.cli import main


def test_mission_prints_the_plan(capsys):
    assert main(["mission"]) == 0
    out = capsys.readouterr().out
    assert "C3, km^2/s^2" in out and "15.93" in out
    assert "Mars 1: distance from Earth at last contact" in out


def test_mission_json(capsys):
    assert main(["mission", "sputnik22", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert abs(data["c3_km2_s2"] - 15.93) < 0.16
    assert data["asymptote_reachable"] is True


def test_bad_scenario_exits_2(tmp_path, capsys):
    from debriscope.scenario.load import _read_text

    path = tmp_path / "bad.toml"
    path.write_text(_read_text("sputnik22")[0].replace('target = "mars"', 'target = "moon"'), encoding="utf-8")
    assert main(["mission", str(path)]) == 2
    err = capsys.readouterr().err
    assert "mission.target" in err and "'moon'" in err and "Error" in err
    assert "ScenarioError" not in err
