"""Errors and warnings of debriscope.

Public entry points raise these with messages that say what was wrong and what is allowed;
batch kernels return status codes instead (see ``debriscope.propagation.Status``).
"""

from __future__ import annotations

from typing import Any


class DebriscopeError(Exception):
    """Base class of debriscope's errors."""


class InputError(DebriscopeError, ValueError):
    """The user's input (a file, an option, a scenario key, a run folder) is wrong: the CLI exits 2.

    Messages name the file, option or key, the value and what is allowed; they never start with
    an exception class name.
    """


class InputFileError(InputError):
    """A file given as input cannot be used (unreadable, not UTF-8 text, corrupt, empty).

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    reason : str
        What is wrong with it and, where there is one, what to do.
    """

    def __init__(self, path: Any, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class InvalidInputError(InputError):
    """A value given is wrong: a scenario key or a command option.

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


class FragmentCountError(InputError):
    """A breakup would make more fragments than the limit allows (estimated before sampling).

    Parameters
    ----------
    expected : float
        Expected fragment count from the NASA Standard Breakup Model's size law.
    lc_min_m : float
        The smallest characteristic length asked for, m.
    limit : float
        The limit (``max_fragments``).
    """

    def __init__(self, expected: float, lc_min_m: float, limit: float) -> None:
        self.expected = expected
        self.lc_min_m = lc_min_m
        self.limit = limit
        super().__init__(
            f"lc_min_m = {lc_min_m:g} m gives about {expected:.3g} fragments (NASA breakup model size law), "
            f"more than max_fragments = {limit:g}: sample a larger lc_min_m, or raise max_fragments "
            f"(each million fragments takes about 1.3 GB of memory)"
        )


class DataCoverageError(InputError):
    """A date lies outside the coverage of bundled data (space weather, Earth orientation)."""


class RunFolderError(InputError):
    """A run folder lacks what a stage needs (e.g. a stage run before the one it reads)."""


class DebriscopeWarning(UserWarning):
    """Base class of debriscope's scientific caveats."""


class ModelValidityWarning(DebriscopeWarning):
    """A model is used outside the range it was built or validated for."""
