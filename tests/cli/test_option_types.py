"""Property-based tests of the CLI's options: every number option refuses non-finite and
out-of-range values with exit 2 and a message naming the option, before any work starts."""

from __future__ import annotations

import math

import click
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from debriscope.cli import cli
from debriscope.cli.types import POSITIVE, FiniteFloat

NON_FINITE = st.sampled_from(["inf", "-inf", "nan", "Infinity", "1e400", "-1e999", "NaN"])
NOT_NUMBERS = st.text(alphabet="abcxyz,;% ", min_size=1, max_size=8).filter(lambda s: s.strip())


@click.command()
@click.option("--x", type=FiniteFloat(min=-2.0, max=3.0))
def _probe(x: float) -> None:
    click.echo(repr(x))


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_finite_float_accepts_exactly_the_finite_numbers_in_range(x):
    result = CliRunner().invoke(_probe, ["--x", repr(x)])
    if math.isfinite(x) and -2.0 <= x <= 3.0:
        assert result.exit_code == 0 and float(result.output) == x
    else:
        assert result.exit_code == 2 and "'--x'" in result.output


@given(NON_FINITE | NOT_NUMBERS)
def test_positive_refuses_text_and_non_finite(text):
    result = CliRunner().invoke(click.command()(click.option("--y", type=POSITIVE)(lambda y: None)), ["--y", text])
    assert result.exit_code == 2 and "'--y'" in result.output


LIFETIME = ["lifetime", "--perigee-km", "180", "--apogee-km", "485", "--inclination-deg", "64.9",
            "--epoch", "1962-10-24T19:00:00Z", "--am-m2-kg", "0.01"]
LIFETIME_NUMBERS = ["--perigee-km", "--apogee-km", "--inclination-deg", "--am-m2-kg", "--cd", "--f107", "--ap",
                    "--raan-deg", "--argp-deg", "--max-days"]
BREAKUP = ["breakup", "--object-class", "rocket_body", "--mass-kg", "900"]
BREAKUP_NUMBERS = ["--mass-kg", "--area-m2", "--lc-min-m", "--scaling-factor", "--impactor-mass-kg",
                   "--relative-speed-mps"]
CLASSIFY_NUMBERS = ["--site-lat-deg", "--site-lon-deg", "--site-alt-m", "--perigee-threshold-km"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(LIFETIME_NUMBERS), NON_FINITE | NOT_NUMBERS)
def test_lifetime_refuses_bad_numbers_up_front(option, text):
    result = CliRunner().invoke(cli, [*LIFETIME, option, text])
    assert result.exit_code == 2
    assert f"'{option}'" in result.output
    assert "model:" not in result.output  # refused before the force model was built


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(BREAKUP_NUMBERS), NON_FINITE | NOT_NUMBERS | st.sampled_from(["0", "-1", "-1e-9"]))
def test_breakup_refuses_bad_numbers_up_front(tmp_path_factory, option, text):
    out = tmp_path_factory.mktemp("b") / "f.csv"
    result = CliRunner().invoke(cli, [*BREAKUP, option, text, "-o", str(out)])
    assert result.exit_code == 2 and f"'{option}'" in result.output
    assert not out.exists()


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(CLASSIFY_NUMBERS), NON_FINITE | NOT_NUMBERS)
def test_classify_refuses_bad_numbers_up_front(tmp_path_factory, option, text):
    path = tmp_path_factory.mktemp("c") / "obs.csv"
    path.write_text("time_utc,range_m,azimuth_deg,elevation_deg\n1962-10-25T00:37:12Z,3029846.0,80.59,3.81\n")
    result = CliRunner().invoke(cli, ["classify", str(path), option, text])
    assert result.exit_code == 2 and f"'{option}'" in result.output


@settings(max_examples=30, deadline=None)
@given(st.floats(min_value=1e-9, max_value=0.000999))
def test_breakup_applies_the_scenario_bound_of_lc_min(lc_min_m):
    result = CliRunner().invoke(cli, [*BREAKUP, "--lc-min-m", repr(lc_min_m)])
    assert result.exit_code == 2 and "'--lc-min-m'" in result.output and "0.001" in result.output
