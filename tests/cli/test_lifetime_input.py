"""``debriscope lifetime`` refuses what it cannot compute before building the force model."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from debriscope.cli import cli

BASE = ["lifetime", "--perigee-km", "180", "--apogee-km", "485", "--inclination-deg", "64.9",
        "--am-m2-kg", "0.01"]


@pytest.mark.parametrize("extra, words", [
    (["--epoch", "1962-10-24T19:00:00Z", "--cd", "inf"], "Invalid value for '--cd': 'inf' is not a finite number."),
    (["--epoch", "1962-10-24T19:00:00Z", "--max-days", "40000"], "Invalid value for '--max-days': 40000.0 is not in the range 0.0<x<=36500.0."),
    (["--epoch", "1930-01-01T00:00:00Z"], "Invalid value for '--epoch': times before 1960 are read as UT1"),
    (["--epoch", "1950-01-01T00:00:00Z"], "Invalid value for '--epoch': 1950-01-01T00:00:00Z plus --max-days 400: space weather"),
    (["--epoch", "yesterday"], "Invalid value for '--epoch': 'yesterday' is not an ISO 8601 UTC time"),
    (["--epoch", "2090-01-01T00:00:00Z"], "Invalid value for '--epoch': 2090-01-01T00:00:00Z plus --max-days 400: space weather"),
    (["--epoch", "1962-10-24T19:00:00Z", "--f107", "80"], "give both --f107 and --ap"),
])
def test_refused_with_exit_2_naming_the_option(extra, words):
    result = CliRunner().invoke(cli, [*BASE, *extra])
    assert result.exit_code == 2
    assert words in result.output
    assert "model:" not in result.output


def test_out_of_data_dates_are_dates_not_mjd():
    result = CliRunner().invoke(cli, [*BASE, "--epoch", "2090-01-01T00:00:00Z"])
    assert "covers 1957-10-04 to " in result.output and "; 2090-01-01 is outside it" in result.output
    assert "MJD" not in result.output
    assert "--f107 and --ap" in result.output


def test_long_spans_show_progress_in_simulated_chunks(monkeypatch):
    """``--max-days 20000`` showed nothing for minutes: the bar counts the 2-day chunks of fast mode."""
    import contextlib

    import numpy as np

    import debriscope.pipeline
    import debriscope.propagation
    from debriscope.propagation import DecayResult, Status

    bars = []

    def fake_progress(enabled):
        @contextlib.contextmanager
        def factory(total, description):
            bar = {"total": total, "description": description, "done": 0, "enabled": enabled}
            bars.append(bar)
            yield lambda k=1: bar.__setitem__("done", bar["done"] + k)
        return factory

    def fake_predict_decay(state, t0, am, model, max_days, progress=None):
        for left in (0, 0, 0, 1):  # three chunks in orbit, then the decay
            progress(left)
        return DecayResult(np.array([t0 + 8 * 86400.0]), np.array([int(Status.DECAYED)]))

    monkeypatch.setattr(debriscope.pipeline, "rich_progress", fake_progress)
    monkeypatch.setattr(debriscope.propagation, "predict_decay", fake_predict_decay)
    result = CliRunner().invoke(cli, [*BASE, "--epoch", "1962-10-24T19:00:00Z", "--f107", "80", "--ap", "10",
                                      "--max-days", "20000"])
    assert result.exit_code == 0, result.output
    assert bars == [{"total": 10000, "description": "simulated 2-day chunks", "done": 4, "enabled": True}]
    assert "lifetime: 8.000 days" in result.output
