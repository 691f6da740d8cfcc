"""The progress line while Numba compiles debriscope's kernels (cold cache only)."""

from __future__ import annotations

import contextlib
import logging

import numba

from debriscope.compile_progress import compile_progress, reachable
from debriscope.propagation import kernels

_SOURCE = """
def leaf(x):
    return x + 1.0

def inlined(x):
    return leaf(x)

def middle(x):
    return inlined(x) * 2.0

def top(x):
    return middle(x) - leaf(x)
"""


def _functions(module: str) -> dict:
    """``top`` -> ``middle`` -> ``inlined`` -> ``leaf`` (and ``top`` -> ``leaf``), jitted as if defined in
    ``module``; ``inlined`` is inlined into its caller (not compiled on its own)."""
    scope: dict = {"__name__": module}
    exec(_SOURCE, scope)
    for name in ("leaf", "inlined", "middle", "top"):
        scope[name] = numba.njit(scope[name], inline="always" if name == "inlined" else "never")
    return scope


class _Recorder:
    """A progress factory that records each bar: [description, total, advanced]."""

    def __init__(self) -> None:
        self.bars: list[list] = []

    @contextlib.contextmanager
    def __call__(self, total: int, description: str):
        bar = [description, total, 0]
        self.bars.append(bar)

        def advance(k: int = 1) -> None:
            bar[2] += k

        yield advance


def test_a_cold_compile_shows_one_bar_counting_each_function(caplog):
    scope = _functions("debriscope.fakestage.kernels")
    progress = _Recorder()
    with caplog.at_level(logging.INFO, logger="debriscope.compile_progress"), compile_progress(progress):
        assert scope["top"](1.0) == 2.0
        assert scope["top"](2.0) == 3.0  # compiled: no second bar
    assert progress.bars == [["compiling fakestage kernels (first run only)", 3, 3]]
    assert caplog.messages == ["compiling fakestage kernels (first run only)..."]


def test_functions_compiled_before_are_not_counted_and_other_packages_show_nothing():
    scope = _functions("debriscope.fakestage.kernels")
    scope["leaf"](1.0)
    progress = _Recorder()
    with compile_progress(progress):
        scope["top"](1.0)
        _functions("otherpackage.kernels")["top"](1.0)
    assert progress.bars == [["compiling fakestage kernels (first run only)", 2, 2]]


def test_outside_the_block_nothing_is_shown():
    scope = _functions("debriscope.fakestage.kernels")
    progress = _Recorder()
    with compile_progress(progress):
        pass
    scope["top"](1.0)
    assert progress.bars == []


def test_the_drivers_reach_every_kernel_they_compile():
    names = {d.py_func.__name__ for d in reachable(kernels.averaged_advance)}
    assert {"averaged_advance", "_advance_one", "_numerical_one", "integrate_rev", "mean_rates", "_step",
            "log_density_at", "zonal_gravity", "geodetic_sc"} <= names
    assert "numerical_advance" not in names and "grid_log_density" not in names
