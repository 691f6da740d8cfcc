"""Errors and warnings of debriscope.

Public entry points raise these with messages that say what was wrong and what is allowed;
batch kernels return status codes instead (see ``debriscope.propagation.Status``).
"""

from __future__ import annotations

from typing import Any


class DebriscopeError(Exception):
    """Base class of debriscope's errors."""


class InvalidInputError(DebriscopeError, ValueError):
    """An input (scenario key, command option, file) is wrong; the command exits 2 before any work.

    Parameters
    ----------
    key : str
        What was wrong: a dotted scenario key (``"orbit.perigee_km"``) or an option (``"--out"``).
    value : Any
        The offending value.
    allowed : str
        What would have been accepted.
    """

    def __init__(self, key: str, value: Any, allowed: str) -> None:
        self.key = key
        self.value = value
        self.allowed = allowed
        super().__init__(f"{key} = {value!r}: {allowed}")


class ScenarioError(InvalidInputError):
    """A scenario value is wrong (``key`` is its dotted path in the scenario)."""


class DataCoverageError(DebriscopeError, ValueError):
    """A date lies outside the coverage of bundled data (space weather, Earth orientation)."""


class RunFolderError(DebriscopeError):
    """A run folder lacks what a stage needs (e.g. a stage run before the one it reads)."""


class DebriscopeWarning(UserWarning):
    """Base class of debriscope's scientific caveats."""


class ModelValidityWarning(DebriscopeWarning):
    """A model is used outside the range it was built or validated for."""
