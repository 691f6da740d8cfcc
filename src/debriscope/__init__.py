"""debriscope: reconstruct and analyse on-orbit breakups end to end.

scenario -> breakup -> propagation -> sensors -> tracking -> catalog -> report.
"""

from __future__ import annotations

__version__ = "0.1.0"
