"""Shared test fixtures."""

from __future__ import annotations

import warnings

warnings.filterwarnings("ignore", message="Local data files are older", category=UserWarning)
