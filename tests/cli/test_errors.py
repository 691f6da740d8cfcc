"""The one place that turns errors into exit statuses and messages (``debriscope.cli.LazyGroup``)."""

from __future__ import annotations

import warnings

import click
import numpy as np
import pytest
from click.testing import CliRunner

from debriscope import cli as cli_module
from debriscope.cli import cli, describe_failure, main
from debriscope.errors import (
    DataCoverageError,
    InputFileError,
    ModelValidityWarning,
    RunFolderError,
    ScenarioError,
)


@pytest.fixture
def failing(monkeypatch):
    """A subcommand ``boom`` that raises whatever the test sets in ``box[0]``."""
    box: list[BaseException] = []

    @click.command()
    def boom() -> None:
        warnings.warn("invalid value encountered in sqrt", RuntimeWarning, stacklevel=1)
        warnings.warn("outside the model's range", ModelValidityWarning, stacklevel=1)
        if box:
            raise box[0]
        click.echo("fine")

    monkeypatch.setitem(cli_module.COMMANDS, "boom", "tests_boom:boom")
    monkeypatch.setattr(cli_module.LazyGroup, "_spec_exists", staticmethod(lambda name: True))
    original = cli_module.LazyGroup.get_command
    monkeypatch.setattr(cli_module.LazyGroup, "get_command",
                        lambda self, ctx, name: boom if name == "boom" else original(self, ctx, name))
    return box


@pytest.mark.parametrize("error", [
    ScenarioError("orbit.perigee_km", -5.0, "must be >= 0"),
    DataCoverageError("space weather covers 1957-10-04 to 2026-06-30; 2090-01-01 is outside it"),
    RunFolderError("run/fragments.csv is missing: run the breakup stage first"),
    InputFileError("run/catalog.sqlite", "an empty file, not a debriscope catalog"),
])
def test_invalid_input_exits_2_with_its_message(failing, capsys, error):
    failing.append(error)
    assert main(["boom"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == f"Error: {error}"
    assert "Error:" in err and type(error).__name__ not in err


@pytest.mark.parametrize("error, words", [
    (MemoryError(), "out of memory"),
    (RuntimeError("the integrator diverged"), "the integrator diverged"),
    (np.linalg.LinAlgError("Singular matrix"), "Singular matrix"),
    (FileNotFoundError(2, "No such file or directory", "x.csv"), "x.csv: No such file or directory"),
])
def test_run_failure_exits_1_without_class_name(failing, capsys, error, words):
    failing.append(error)
    assert main(["boom"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith("Error: run failed") and words in err
    assert type(error).__name__ not in err


def test_numpy_warnings_stay_in_the_debug_log_and_caveats_are_shown(failing, capsys):
    assert main(["boom"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "fine\n"
    assert "RuntimeWarning" not in captured.err and "sqrt" not in captured.err
    assert "outside the model's range" in captured.err
    assert main(["-vv", "boom"]) == 0
    assert "invalid value encountered in sqrt" in capsys.readouterr().err


def test_the_same_mapping_under_clirunner(failing):
    failing.append(ScenarioError("seed", -1, "an integer >= 0"))
    result = CliRunner().invoke(cli, ["boom"])
    assert result.exit_code == 2 and "seed = -1" in result.output


def test_describe_failure_never_empty():
    assert describe_failure(MemoryError()) == "run failed (out of memory; run with -vv for details)"
    assert describe_failure(ValueError("x")) == "run failed (internal error): x"
