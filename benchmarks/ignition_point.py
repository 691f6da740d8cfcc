"""Where the departure burn belongs on the parking orbit, against the sourced ignition times.

For each 1962 launch below, the plane is set by the launch time and the inclination, the injection
point towards the departure asymptote by Curtis eq. 8.43 (:mod:`debriscope.mission.injection`), and
the ignition the scenario uses is T+60 min 50 s, the sister flight's (2MV-1, 25 Aug 1962) sourced
ignition [The Space Review 2480]. The 2MV-1 row is the check: its ignition time is a source, its
planned arrival is not (Venus in 90-140 days [Hendrickx 2014, fpspace]), so three arrivals are tried.

    python benchmarks/ignition_point.py
"""

from __future__ import annotations

from debriscope.mission import mission_plan
from debriscope.scenario import load, parse
from debriscope.scenario.load import _read_text
from debriscope.timescale import tt_s_to_utc_iso, utc_to_tt_s

FLAGSHIP = _read_text("sputnik22")[0].split("[[mission.other_launches]]")[0]
WINDOW_VENUS = ('window_departure_utc = ["1962-08-01T00:00:00Z", "1962-09-30T00:00:00Z"]\n'
                'window_arrival_utc = ["1962-11-01T00:00:00Z", "1963-02-28T00:00:00Z"]\n')


def variant(launch_utc: str, perigee_km: float, apogee_km: float, inclination_deg: float, target: str,
            arrival_utc: str) -> str:
    text = (FLAGSHIP.replace('time_utc = "1962-10-24T17:55:04Z"', f'time_utc = "{launch_utc}"')
            .replace("perigee_km = 180.0", f"perigee_km = {perigee_km}")
            .replace("apogee_km = 485.0", f"apogee_km = {apogee_km}")
            .replace("inclination_deg = 64.9", f"inclination_deg = {inclination_deg}")
            .replace('target = "mars"', f'target = "{target}"')
            .replace('arrival_utc = "1963-06-17T00:00:00Z"', f'arrival_utc = "{arrival_utc}"'))
    if target == "venus":
        lines = [x for x in text.splitlines(keepends=True) if not x.startswith(("window_departure", "window_arrival"))]
        text = "".join(lines).replace("window_steps = 100", WINDOW_VENUS + "window_steps = 20")
    return text


def show(name: str, text: str | None = None) -> None:
    scenario = load("sputnik22") if text is None else parse(text)
    plan = mission_plan(scenario)
    p, d = plan.injection_point, plan.departure
    t_launch = float(utc_to_tt_s(scenario.launch.time_utc))
    print(f"{name}: DLA {d.dla_deg:+.1f} deg, asymptote {d.out_of_plane_deg:+.1f} deg out of the plane; "
          f"ignition used T+{(plan.t_dep_tt_s - t_launch) / 60:.1f} min; ideal injection point "
          f"T+{(p.t_tt_s - t_launch) / 60:.1f} min ({tt_s_to_utc_iso(p.t_tt_s, 0)}), "
          f"{p.after_departure_s / 60:+.1f} min, true anomaly {p.true_anomaly_deg:.0f} deg, {p.altitude_km:.0f} km; "
          f"17 s burn centred there: {p.burn_perigee_km:.0f} x {p.burn_apogee_km:.0f} km")


def main() -> None:
    show("2MV-4 No.1 (24 Oct 1962, the flagship)")
    show("Mars 1 (1 Nov 1962 16:14, same parking orbit assumed)",
         variant("1962-11-01T16:14:00Z", 180.0, 485.0, 64.9, "mars", "1963-06-19T12:00:00Z"))
    for launch in ("1962-08-25T02:56:00Z", "1962-08-25T02:16:00Z"):  # [Hendrickx 2014]; "about 40 min earlier" elsewhere
        for arrival in ("1962-12-01T00:00:00Z", "1962-12-15T00:00:00Z", "1963-01-05T00:00:00Z"):
            show(f"2MV-1 (Venus; launch {launch[11:16]}, arrival {arrival[:10]}; 174 x 248 km, 64.8 deg [TSR])",
                 variant(launch, 174.0, 248.0, 64.8, "venus", arrival))


if __name__ == "__main__":
    main()
