"""The ``debriscope`` command: one subcommand per stage, plus ``run``.

Exit status: 0 success, 1 run failure, 2 usage error or invalid input (bad scenario, bad option,
bad input file). Subcommands are loaded lazily so ``debriscope --help`` stays fast.

Errors become messages in one place, :meth:`LazyGroup.invoke`: invalid input
(:class:`debriscope.errors.InputError`) exits 2 with its message, anything else is a run failure
(exit 1) described in words, its traceback in the log (``-vv``). Warnings are routed through
logging: debriscope's scientific caveats (:class:`debriscope.errors.DebriscopeWarning`) are
shown as warnings, any other (NumPy's floating-point warnings) only in the debug log.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import signal
import sys
import threading
import warnings

import click

from .. import __version__
from ..errors import DebriscopeWarning, InputError

COMMANDS: dict[str, str] = {
    "run": "debriscope.cli.run:run",
    "scenario": "debriscope.cli.scenario:scenario",
    "breakup": "debriscope.cli.breakup:breakup",
    "propagate": "debriscope.cli.propagation:propagate",
    "lifetime": "debriscope.cli.propagation:lifetime",
    "observe": "debriscope.cli.sensors:observe",
    "track": "debriscope.cli.tracking:track",
    "classify": "debriscope.cli.tracking:classify",
    "catalog": "debriscope.cli.catalog:catalog",
    "report": "debriscope.cli.report:report",
    "mission": "debriscope.cli.mission:mission",
    "ensemble": "debriscope.cli.ensemble:ensemble",
}
"""Subcommand name -> ``module:attribute`` of its click command."""


class LazyGroup(click.Group):
    """A click group that imports a subcommand's module only when it is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if self._spec_exists(name)]

    @staticmethod
    def _spec_exists(name: str) -> bool:
        module = COMMANDS[name].split(":")[0]
        return importlib.util.find_spec(module) is not None

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS or not self._spec_exists(name):
            return None
        module, attr = COMMANDS[name].split(":")
        return getattr(importlib.import_module(module), attr)

    def invoke(self, ctx: click.Context) -> object:
        """Run the subcommand with warnings logged and errors turned into exit statuses."""
        with warnings.catch_warnings():
            warnings.showwarning = _log_warning
            try:
                return super().invoke(ctx)
            except (click.ClickException, click.exceptions.Exit, click.Abort):
                raise
            except InputError as exc:
                raise BadInput(str(exc)) from None
            except UnicodeDecodeError as exc:  # a file read as text that is not UTF-8
                raise BadInput(f"input is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
            except Exception as exc:
                logging.getLogger("debriscope").debug("run failed", exc_info=True)
                raise RunFailure(describe_failure(exc)) from None


class BadInput(click.ClickException):
    """Invalid input: ``Error: <message>`` on stderr, exit status 2."""

    exit_code = 2


class RunFailure(click.ClickException):
    """A run failure: ``Error: <message>`` on stderr, exit status 1."""

    exit_code = 1


_FAILURE_WORDS = {
    MemoryError: "out of memory",
    RecursionError: "recursion too deep",
    OSError: "operating-system error",
}


def describe_failure(exc: BaseException) -> str:
    """An unexpected error in words, never starting with its class name; the details are in the log."""
    text = str(exc).strip()
    if isinstance(exc, OSError) and exc.filename is not None:
        text = f"{exc.filename}: {exc.strerror or text}"
    label = next((words for kind, words in _FAILURE_WORDS.items() if isinstance(exc, kind)), "internal error")
    return f"run failed ({label}): {text}" if text else f"run failed ({label}; run with -vv for details)"


def _log_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                 file: object = None, line: str | None = None) -> None:
    """``warnings.showwarning`` of the CLI: debriscope's caveats as log warnings, others as debug."""
    log = logging.getLogger("debriscope")
    if issubclass(category, DebriscopeWarning):
        log.warning("%s", message)
    else:
        log.debug("%s:%d: %s: %s", filename, lineno, category.__name__, message)


def _configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("debriscope")
    root.handlers[:] = [handler]
    root.setLevel(level)
    handler.setLevel(level)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="debriscope")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """Reconstruct and analyse on-orbit breakups end to end.

    Stages: scenario -> breakup -> propagation -> sensors -> tracking -> catalog -> report.
    `debriscope run` runs them all on the flagship scenario (sputnik22) by default.
    """
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose
    ctx.obj["quiet"] = quiet
    _configure_logging(verbose, quiet)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl-C, so a run killed from outside removes its partial folder."""
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        cli.main(args=argv, prog_name="debriscope", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("Aborted.", err=True)
        return 1
    return 0
