"""Where realisations run: in this process, in a local process pool, or on a Dask cluster.

Every backend calls :func:`~debriscope.ensemble.realisation.run_realisation` with the same
``(spec, index)`` pairs, and a realisation's numbers depend on nothing else, so the backends give
byte-identical realisation files. Each calls ``on_done(record)`` in this process as realisations
finish (any order).

- ``serial``: one after another, here.
- ``processes``: :class:`concurrent.futures.ProcessPoolExecutor` (spawned workers: a fresh
  interpreter, no forked Numba threads). A worker process that dies (killed, out of memory)
  breaks the pool; the realisations not yet done are submitted again to a new pool, each at
  most :data:`MAX_ATTEMPTS` times.
- ``dask``: ``dask.distributed`` futures, on a :class:`distributed.LocalCluster` of ``workers``
  processes or on the cluster of an existing scheduler (``scheduler`` address). The scheduler
  re-runs the tasks of a worker it loses (``distributed.scheduler.allowed-failures``); no
  scheduling of our own.

Work shared between realisations stays shared: a worker process keeps its compiled kernels and
its memoised NRLMSIS density slices from one realisation to the next, and the on-disk slice
cache serves every process (slices sit on a fixed 12-hour UT grid, so realisations with
different event times share them).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ..errors import DebriscopeError
from .realisation import EnsembleSpec, run_realisation

MAX_ATTEMPTS = 3
"""Times a realisation is submitted to a new process pool after its worker died."""

OnDone = Callable[[dict[str, Any]], None]


def run_serial(spec: EnsembleSpec, indices: Sequence[int], on_done: OnDone) -> None:
    for index in indices:
        on_done(run_realisation(spec, index))


def run_processes(spec: EnsembleSpec, indices: Sequence[int], on_done: OnDone, workers: int) -> None:
    attempts = dict.fromkeys(indices, 0)
    pending = list(indices)
    while pending:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {pool.submit(run_realisation, spec, i): i for i in pending}
            for i in pending:
                attempts[i] += 1
            broken = False
            remaining = set(futures)
            while remaining:
                done, remaining = wait(remaining, return_when=FIRST_COMPLETED)
                for future in done:
                    try:
                        record = future.result()
                    except BrokenProcessPool:
                        broken = True
                        continue
                    on_done(record)
                    pending.remove(futures[future])
            if not broken:
                return
        failed = [i for i in pending if attempts[i] >= MAX_ATTEMPTS]
        if failed:
            raise DebriscopeError(f"realisations {failed} lost their worker process {MAX_ATTEMPTS} times; "
                                  "see the system log (out of memory?)")


def run_dask(spec: EnsembleSpec, indices: Sequence[int], on_done: OnDone, *, workers: int,
             scheduler: str | None) -> None:
    try:
        import dask
        from dask.base import tokenize
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise DebriscopeError("the dask backend needs dask.distributed: pip install 'debriscope[dask]'") from exc
    # worker processes start the NRLMSIS slice pool: they must be allowed children
    with dask.config.set({"distributed.worker.daemon": False}):
        if scheduler is None:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=40)
            client = Client(cluster)
        else:
            cluster = None
            client = Client(scheduler)
        try:
            futures = [client.submit(run_realisation, spec, i, key=f"realisation-{i}-{tokenize(spec)}")
                       for i in indices]
            for future in as_completed(futures):
                on_done(future.result())
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
