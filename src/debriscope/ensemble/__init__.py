"""Ensembles: Monte Carlo over breakup realisations and uncertain inputs, serially, on a local
process pool or on a Dask cluster, with byte-identical realisations on every backend
(docs/ensemble.md)."""

from .runner import BACKENDS, ensemble, resolve_stages

__all__ = ["BACKENDS", "ensemble", "resolve_stages"]
