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
    (["--epoch", "1950-01-01T00:00:00Z"], "Invalid value for '--epoch': UTC begins in 1960"),
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
