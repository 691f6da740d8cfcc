"""The report stage on a full (synthetic) run folder and on one with stages missing."""

from __future__ import annotations

import base64
import re
import shutil
import sqlite3
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from click.testing import CliRunner

from debriscope.report import build_report
from debriscope.report.stage import run_stage
from debriscope.runfolder import RunContext
from debriscope.scenario.options import ReportOptions
from debriscope.tables import read_csv

FIGURES = ("timeline", "groundtrack", "gabbard", "altitude", "decay", "catalog", "coverage", "network", "alerts")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class _Refs(HTMLParser):
    """Every attribute that can make a browser fetch something, and every tag seen."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "poster", "data", "action", "background", "formaction"):
                self.refs.append((tag, name, value or ""))


def test_every_figure_written_and_embedded(built_report):
    run_dir, summary = built_report
    assert summary["missing"] == {}
    assert summary["figures"] == [f"{name}.png" for name in FIGURES]
    html = (run_dir / "report" / "report.html").read_text(encoding="utf-8")
    embedded = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(embedded) == len(FIGURES)
    for name, b64 in zip(FIGURES, embedded, strict=True):
        png = (run_dir / "report" / f"{name}.png").read_bytes()
        assert png.startswith(PNG_MAGIC)
        assert base64.b64decode(b64) == png, f"the embedded {name} figure differs from {name}.png"


def test_html_references_nothing_outside_itself(built_report):
    run_dir, _ = built_report
    html = (run_dir / "report" / "report.html").read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html and "file:" not in html
    parser = _Refs()
    parser.feed(html)
    assert not parser.tags & {"script", "link", "iframe", "object", "embed", "video", "audio", "source"}
    for tag, attr, value in parser.refs:
        if attr == "href":
            assert value.startswith("#"), f"<{tag} {attr}={value[:40]!r}> leaves the page"
        else:
            assert value.startswith("data:image/png;base64,"), f"<{tag} {attr}={value[:40]!r}> is not inline"
    css = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    assert css and all("url(" not in block and "@import" not in block for block in css)


def test_model_vs_record_table_in_html(built_report):
    run_dir, summary = built_report
    html = (run_dir / "report" / "report.html").read_text(encoding="utf-8")
    con = sqlite3.connect(run_dir / "catalog.sqlite")
    n_deb = con.execute("SELECT COUNT(*) FROM objects WHERE object_type = 'DEB'").fetchone()[0]
    con.close()
    assert summary["n_catalogued"] == n_deb
    assert summary["record_n_catalogued"] == 22
    row = re.search(r"<tr><td>debris pieces catalogued</td><td>(\d+) \([^<]*vs record\)</td><td>(\d+)", html)
    assert row is not None and (int(row[1]), int(row[2])) == (n_deb, 22)
    assert "<td>1962-10-29</td>" in html and "<td>1963-02-26</td>" in html


def test_same_run_same_report(built_report, tmp_path):
    """Figures and HTML are a function of the run folder only: a second build gives the same bytes."""
    run_dir, _ = built_report
    copy = tmp_path / run_dir.name  # same folder name: the subtitle names it
    shutil.copytree(run_dir, copy)
    build_report(copy, ReportOptions(record="sputnik22"), title="debriscope report: sputnik22")
    for name in FIGURES:
        assert (copy / "report" / f"{name}.png").read_bytes() == (run_dir / "report" / f"{name}.png").read_bytes()
    old = (run_dir / "report" / "report.html").read_text(encoding="utf-8")
    new = (copy / "report" / "report.html").read_text(encoding="utf-8")
    assert new == old


def test_missing_stages_are_reported_not_fatal(synthetic_run, tmp_path):
    run_dir = tmp_path / "partial"
    run_dir.mkdir()
    for name in ("event.json", "groundtrack.csv"):  # the scenario stage's files
        shutil.copy(synthetic_run / name, run_dir)
    (run_dir / "report").mkdir()
    (run_dir / "report" / "gabbard.png").write_bytes(b"stale")  # from an earlier run: must go
    summary = build_report(run_dir, ReportOptions(), title="partial")
    assert summary["figures"] == ["timeline.png", "groundtrack.png"]
    assert set(summary["missing"]) == set(FIGURES) - {"timeline", "groundtrack"}
    assert "elements.csv is missing" in summary["missing"]["gabbard"]
    assert not (run_dir / "report" / "gabbard.png").exists()
    html = (run_dir / "report" / "report.html").read_text(encoding="utf-8")
    assert html.count('class="missing"') == len(summary["missing"])
    assert "Not available for this run: detections.csv is missing" in html


def test_empty_alerts_say_so(synthetic_run, tmp_path):
    run_dir = tmp_path / "quiet"
    shutil.copytree(synthetic_run, run_dir)
    alerts = read_csv(run_dir / "alerts.csv")
    (run_dir / "alerts.csv").write_text(",".join(alerts) + "\n", encoding="utf-8")
    summary = build_report(run_dir, ReportOptions(), title="quiet")
    assert summary["missing"] == {"alerts": "no track raised an alert"}


@pytest.mark.parametrize("options", [ReportOptions(record="none"), ReportOptions()])
def test_no_record_by_default_and_none_shows_no_record(synthetic_run, tmp_path, options):
    """The default compares with no record: no record column, nothing of 1962-057's history."""
    run_dir = tmp_path / "norecord"
    shutil.copytree(synthetic_run, run_dir)
    summary = build_report(run_dir, options, title="no record")
    html = (run_dir / "report" / "report.html").read_text(encoding="utf-8")
    assert summary["record_n_catalogued"] is None
    assert "1963-02-26" not in html and "Key results" in html
    assert "<th>record</th>" not in html and "Beta Iota" not in html and "1962-057" not in html


def test_run_stage_uses_scenario_options(synthetic_run, tmp_path):
    run_dir = tmp_path / "ctx"
    shutil.copytree(synthetic_run, run_dir)
    scenario = SimpleNamespace(name="sputnik22", description="Mars 2MV-4 No.1 & its\n  Blok L stage.",
                               report=ReportOptions(dpi=60))
    ctx = RunContext(run_dir=run_dir, scenario=scenario, rng=np.random.default_rng(0))
    summary = run_stage(ctx)
    assert summary["missing"] == {}
    html = (run_dir / "report" / "report.html").read_text(encoding="utf-8")
    assert "<title>debriscope report: sputnik22</title>" in html
    assert "<p>Mars 2MV-4 No.1 &amp; its Blok L stage.</p>" in html  # escaped, whitespace folded
    png = (run_dir / "report" / "groundtrack.png").read_bytes()
    width = int.from_bytes(png[16:20], "big")  # PNG IHDR width (ISO/IEC 15948, sec. 11.2.2)
    assert abs(width - 10.0 * 60) <= 2  # the ground track is 10 in wide at dpi 60


def test_cli_report_command(synthetic_run, tmp_path):
    from debriscope.cli.report import report

    run_dir = tmp_path / "cli"
    shutil.copytree(synthetic_run, run_dir)
    result = CliRunner().invoke(report, [str(run_dir)])
    assert result.exit_code == 0, result.output
    assert "report.html" in result.output and "(11 figures)" in result.output  # 9 + the two of [mission]
    assert Path(run_dir / "report" / "report.html").exists()
    missing = CliRunner().invoke(report, [str(tmp_path / "nowhere")])
    assert missing.exit_code == 2


def test_alerts_count_only_tracks_that_alerted(synthetic_run):
    """alerts.csv has a row per track; only rows with a naive alert are alerts (timeline and figure)."""
    from debriscope.report.alerts_plot import alerts_figure
    from debriscope.report.inputs import load_run, utc_datetime64
    from debriscope.report.timeline import milestones

    run = load_run(synthetic_run)
    alerted = run.alerts["naive_alert_utc"] != ""
    assert 0 < alerted.sum() < alerted.size
    fig = alerts_figure(run)
    assert fig.get_suptitle() == f"Alert timeline: {alerted.sum()} of {alerted.size} tracks raised an alert"
    assert [ax.get_ylabel().split()[0] for ax in fig.axes if ax.get_ylabel()] == ["clear", "thule"]
    cleared = {m.label: m.time for m in milestones(run) if m.category == "cleared"}
    for site in ("clear", "thule"):
        mask = alerted & (run.alerts["site"] == site)
        times = utc_datetime64(run.alerts["cleared_utc"][mask])
        assert cleared[f"last alert cleared, {site}"] == times[~np.isnat(times)].max()
