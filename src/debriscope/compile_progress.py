"""A progress line while Numba compiles debriscope's kernels: the first run after installing.

Numba emits ``numba:compile`` events only when it compiles a function, never when it loads one
from its on-disk cache, so the line appears on a cold cache only and costs nothing otherwise. When
a compile of a debriscope function starts (not nested in another), the functions it will compile
are counted (the compiled functions reachable through its globals that are neither compiled nor
loaded in this process yet, nor inlined), and a bar "compiling <package> kernels (first run only)" advances
as each is compiled; it closes when that compile ends. The same is logged once per package (INFO).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from types import CodeType

from numba.core import event
from numba.core.dispatcher import Dispatcher

from .runfolder import ProgressFactory

log = logging.getLogger(__name__)


def _names(code: CodeType) -> Iterator[str]:
    """Global names a code object and the code objects nested in it refer to."""
    yield from code.co_names
    for const in code.co_consts:
        if isinstance(const, CodeType):
            yield from _names(const)


def reachable(dispatcher: Dispatcher) -> list[Dispatcher]:
    """``dispatcher`` and the compiled functions it calls, directly or through others (found by
    name in each function's globals: what Numba compiles along with it)."""
    found: dict[int, Dispatcher] = {}
    todo = [dispatcher]
    while todo:
        d = todo.pop()
        if id(d) in found:
            continue
        found[id(d)] = d
        scope = d.py_func.__globals__
        todo += [g for g in (scope.get(name) for name in set(_names(d.py_func.__code__))) if isinstance(g, Dispatcher)]
    return list(found.values())


def _inlined(dispatcher: Dispatcher) -> bool:
    """Whether Numba inlines the function into its callers (then it is not compiled on its own)."""
    return dispatcher.targetoptions.get("inline", "never") == "always"


def _package(dispatcher: Dispatcher) -> str | None:
    """``propagation`` for ``debriscope.propagation.kernels``; None outside debriscope."""
    parts = dispatcher.py_func.__module__.split(".")
    return parts[1] if parts[0] == "debriscope" and len(parts) > 1 else None


class _Listener(event.Listener):
    """Opens a bar at each top-level compile of a debriscope function, advances it per function."""

    def __init__(self, progress: ProgressFactory) -> None:
        self._progress = progress
        self._depth = 0
        self._pending: dict[int, Dispatcher] = {}
        self._bar: contextlib.AbstractContextManager[Callable[[int], None]] | None = None
        self._advance: Callable[[int], None] = lambda k: None
        self._announced: set[str] = set()

    def on_start(self, ev: event.Event) -> None:
        self._depth += 1
        dispatcher = ev.data["dispatcher"]
        package = _package(dispatcher)
        if self._depth > 1 or package is None:
            return
        self._pending = {id(d): d for d in reachable(dispatcher) if not d.overloads and not _inlined(d)}
        if package not in self._announced:
            self._announced.add(package)
            log.info("compiling %s kernels (first run only)...", package)
        self._bar = self._progress(len(self._pending), f"compiling {package} kernels (first run only)")
        self._advance = self._bar.__enter__()

    def on_end(self, ev: event.Event) -> None:
        self._depth -= 1
        if self._pending.pop(id(ev.data["dispatcher"]), None) is not None:
            self._advance(1)
        if self._depth == 0 and self._bar is not None:
            bar, self._bar, self._pending = self._bar, None, {}
            bar.__exit__(None, None, None)


@contextlib.contextmanager
def compile_progress(progress: ProgressFactory) -> Iterator[None]:
    """Inside the block, Numba compiles of debriscope's kernels show a bar from ``progress`` (a
    :data:`debriscope.runfolder.ProgressFactory`) and log a line."""
    with event.install_listener("numba:compile", _Listener(progress)):
        yield
