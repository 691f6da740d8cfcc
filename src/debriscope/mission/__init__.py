"""The intended mission: the interplanetary departure a breakup interrupted, the planned arrival, the
launch window and the other launches of the window (patched conics on JPL DE421; docs/mission.md).

Reads the scenario's ``[mission]`` table, parking orbit and ``[event.burn]``; writes nothing.
"""

from .plan import MissionPlan, mission_plan
from .summary import plan_json, plan_sections

__all__ = ["MissionPlan", "mission_plan", "plan_json", "plan_sections"]
