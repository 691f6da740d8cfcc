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
