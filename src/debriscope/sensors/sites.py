"""The BMEWS radar sites as they stood in October 1962: Site I Thule and Site II Clear.

Few performance figures of the AN/FPS-50 detection radar and the AN/FPS-49 tracker are public.
Each parameter below states its source; where the record is silent the value is an estimate
derived from physics, stated as such, and every one can be replaced in the scenario with a
``[[sensors.radars]]`` entry. Fylingdales (Site III) became operational only in September 1963
and is not shipped.

Record
------
- Clear (Site II): 64.2906 N, 149.1869 W (Wikipedia "Clear Space Force Station"); three
  detection radars, reflectors 165 x 400 ft, built 1959-61 (techbastard.com/afb/ak/clear.php).
- Thule (Site I): 76.570 N, 68.299 W; four AN/FPS-50 antennas (about 400 x 160 ft) in an arc
  facing generally north, each fed by an organ-pipe scanner; one AN/FPS-49 tracking radar, 1961
  (radomes.org, Thule J-Site; Wikipedia).
- FPS-50 measurement principle: two fixed fan beams, one low and one higher; the site computer
  fitted launch and impact points from the two crossings (Time, January 1962).
- UHF, about 440 MHz; design warning range about 3,000 statute miles (Time, 1959; low
  confidence). FPS-49: 84 ft (25.6 m) dish in a radome, UHF about 425 MHz.

Estimates (physics, stated)
---------------------------
- Aperture: the organ-pipe feed illuminates part of the torus at a time; we take a 50.3 m x
  61 m illuminated aperture (full height, half the 400 ft width) with efficiency 0.5. Gain
  ``G = 4 pi eta A / lambda^2`` (Skolnik 2001 eq. 9.2); beamwidths ``70 lambda / D`` deg
  (Skolnik 2001 sec. 9.2, uniform-ish illumination).
- Fan elevations 3.5 deg (low) and 7 deg (high), thickness = the elevation beamwidth (about
  0.95 deg at 440 MHz over 50 m). Sectors: each FPS-50 covers 40 deg; Clear's three radars
  cover 290..50 deg (centred on north-north-west, towards Siberia and the pole), Thule's four
  280..80 deg (an arc facing north).
- Power-aperture from the design warning range: the pulse energy that gives a Swerling I,
  single-look P_d of 0.5 at P_fa = 1e-6 on a 1 m^2 target (a 1960 re-entry vehicle) at 3,000
  miles, with a 500 K system noise temperature (UHF receivers of the era plus sky) and 8 dB of
  losses; the peak power then follows from an estimated 1 ms pulse (a 150 km range cell).
- Fan measurement noise: range = cell / sqrt(12); azimuth and elevation = beamwidth / sqrt(12)
  (uniform error within the beam); range rate not measured. Sweep period 2 s (estimate).
- FPS-49 tracker: 25.6 m dish, efficiency 0.55, 5 MW peak (estimate); it must hold at the design
  range what the fans hand over, so its energy per measurement meets the same design point (P_d
  0.5 on 1 m^2 at 3,000 miles) at its own gain; ``pulse_width_s`` is then the equivalent
  integration time of the pulses coherently integrated per measurement; monopulse accuracies 0.05 deg in angle, 50 m in range and 10 m/s in
  range rate (estimates: a fraction of the 1.9 deg beam at high SNR); 1 s between measurements,
  60 s dwell, 10 s from cue to first measurement. Clear's tracking radar (AN/FPS-92, an upgraded
  FPS-49) is left out: its in-service date in 1962 could not be confirmed.
"""

from __future__ import annotations

import numpy as np

from ..constants import C_LIGHT_MPS
from .radar import Radar
from .radar_equation import energy_for_snr, ratio_to_db

FT_M = 0.3048
STATUTE_MILE_M = 1609.344

FPS50_FREQUENCY_HZ = 440e6
"""AN/FPS-50 carrier, UHF about 440 MHz (low-confidence public figure)."""
FPS50_ILLUMINATED_HEIGHT_M = 165 * FT_M
FPS50_ILLUMINATED_WIDTH_M = 200 * FT_M
"""Illuminated aperture: full 165 ft height, half the 400 ft width (estimate)."""
APERTURE_EFFICIENCY = 0.5
DESIGN_RANGE_M = 3000 * STATUTE_MILE_M
"""Design warning range, about 3,000 statute miles (Time, 1959)."""
DESIGN_RCS_M2 = 1.0
DESIGN_PD = 0.5
DESIGN_PFA = 1e-6
SYSTEM_NOISE_K = 500.0
LOSSES_DB = 8.0
FPS50_PULSE_S = 1e-3
FPS50_FANS_DEG = (3.5, 7.0)
FPS50_SECTOR_DEG = 40.0
FPS50_SWEEP_S = 2.0

FPS49_FREQUENCY_HZ = 425e6
FPS49_DISH_M = 84 * FT_M
FPS49_EFFICIENCY = 0.55
FPS49_PEAK_POWER_W = 5e6


def gain_aperture(area_m2: float, efficiency: float, wavelength_m: float) -> float:
    """Antenna gain (ratio) of an aperture: ``G = 4 pi eta A / lambda^2`` (Skolnik 2001 eq. 9.2)."""
    return 4.0 * np.pi * efficiency * area_m2 / wavelength_m**2


def beamwidth_deg(size_m: float, wavelength_m: float) -> float:
    """Half-power beamwidth of an aperture of extent ``size_m``: about ``70 lambda / D`` deg (Skolnik 2001 sec. 9.2)."""
    return 70.0 * wavelength_m / size_m


def snr_for_pd_swerling1(pd: float, pfa: float) -> float:
    """Mean SNR giving ``pd`` at ``pfa`` for a Swerling I target: inverse of ``pd = pfa^(1/(1+SNR))``."""
    return np.log(pfa) / np.log(pd) - 1.0


def _fps50_design() -> dict[str, float]:
    wavelength = C_LIGHT_MPS / FPS50_FREQUENCY_HZ
    gain = gain_aperture(FPS50_ILLUMINATED_HEIGHT_M * FPS50_ILLUMINATED_WIDTH_M, APERTURE_EFFICIENCY, wavelength)
    energy = energy_for_snr(
        snr_for_pd_swerling1(DESIGN_PD, DESIGN_PFA), DESIGN_RANGE_M, DESIGN_RCS_M2, gain=gain,
        wavelength_m=wavelength, noise_temperature_k=SYSTEM_NOISE_K, losses=10 ** (LOSSES_DB / 10),
    )
    el_beam = beamwidth_deg(FPS50_ILLUMINATED_HEIGHT_M, wavelength)
    az_beam = beamwidth_deg(FPS50_ILLUMINATED_WIDTH_M, wavelength)
    cell_m = C_LIGHT_MPS * FPS50_PULSE_S / 2.0
    return {
        "gain_dbi": float(ratio_to_db(gain)),
        "energy_j": energy,
        "peak_power_w": energy / FPS50_PULSE_S,
        "fan_thickness_deg": el_beam,
        "sigma_range_m": cell_m / np.sqrt(12.0),
        "sigma_azimuth_deg": az_beam / np.sqrt(12.0),
        "sigma_elevation_deg": el_beam / np.sqrt(12.0),
    }


_SOURCE_FPS50 = (
    "AN/FPS-50 detection radar; position and count: public record; UHF 440 MHz and 3,000-mile "
    "design range: Time 1959 (low confidence); power, gain, fans, sector, noise: estimates "
    "(debriscope.sensors.sites)"
)
_SOURCE_FPS49 = (
    "AN/FPS-49 tracking radar (1961): 84 ft dish, UHF ~425 MHz: public record; power, accuracies, "
    "dwell: estimates (debriscope.sensors.sites)"
)


def fps50(name: str, site: str, latitude_deg: float, longitude_deg: float, altitude_m: float,
          azimuth_min_deg: float) -> Radar:
    """One AN/FPS-50 detection radar with the estimated parameters, covering 40 deg from ``azimuth_min_deg``."""
    d = _fps50_design()
    return Radar(
        name=name, site=site, latitude_deg=latitude_deg, longitude_deg=longitude_deg,
        altitude_m=altitude_m, mode="fan", azimuth_min_deg=azimuth_min_deg % 360.0,
        azimuth_max_deg=(azimuth_min_deg + FPS50_SECTOR_DEG) % 360.0,
        fan_names=("fan_low", "fan_high"), fan_elevations_deg=FPS50_FANS_DEG,
        fan_thickness_deg=d["fan_thickness_deg"], max_range_m=DESIGN_RANGE_M,
        peak_power_w=d["peak_power_w"], gain_dbi=d["gain_dbi"], frequency_hz=FPS50_FREQUENCY_HZ,
        pulse_width_s=FPS50_PULSE_S, noise_temperature_k=SYSTEM_NOISE_K, losses_db=LOSSES_DB,
        pfa=DESIGN_PFA, swerling=1, sigma_range_m=d["sigma_range_m"],
        sigma_azimuth_deg=d["sigma_azimuth_deg"], sigma_elevation_deg=d["sigma_elevation_deg"],
        sigma_range_rate_mps=None, scan_period_s=FPS50_SWEEP_S, source=_SOURCE_FPS50,
    )


def fps49(name: str, site: str, latitude_deg: float, longitude_deg: float, altitude_m: float) -> Radar:
    """The AN/FPS-49 tracking radar with the estimated parameters."""
    wavelength = C_LIGHT_MPS / FPS49_FREQUENCY_HZ
    gain = gain_aperture(np.pi * FPS49_DISH_M**2 / 4.0, FPS49_EFFICIENCY, wavelength)
    energy = energy_for_snr(
        snr_for_pd_swerling1(DESIGN_PD, DESIGN_PFA), DESIGN_RANGE_M, DESIGN_RCS_M2, gain=gain,
        wavelength_m=wavelength, noise_temperature_k=SYSTEM_NOISE_K, losses=10 ** (LOSSES_DB / 10),
    )
    return Radar(
        name=name, site=site, latitude_deg=latitude_deg, longitude_deg=longitude_deg,
        altitude_m=altitude_m, mode="tracker", min_elevation_deg=1.0, max_range_m=DESIGN_RANGE_M,
        peak_power_w=FPS49_PEAK_POWER_W, gain_dbi=float(ratio_to_db(gain)),
        frequency_hz=FPS49_FREQUENCY_HZ, pulse_width_s=energy / FPS49_PEAK_POWER_W,
        noise_temperature_k=SYSTEM_NOISE_K, losses_db=LOSSES_DB, pfa=DESIGN_PFA, swerling=1,
        sigma_range_m=50.0, sigma_azimuth_deg=0.05, sigma_elevation_deg=0.05,
        sigma_range_rate_mps=10.0, scan_period_s=1.0, dwell_s=60.0, cue_delay_s=10.0,
        source=_SOURCE_FPS49,
    )


CLEAR_LAT_DEG, CLEAR_LON_DEG, CLEAR_ALT_M = 64.2906, -149.1869, 170.0
"""Clear AFS (Wikipedia); height about 170 m (estimate: the Nenana valley floor)."""
THULE_LAT_DEG, THULE_LON_DEG, THULE_ALT_M = 76.570, -68.299, 412.0
"""Thule J-Site (radomes.org). A statistical-orbit-determination course project lists station 394
"Thule, Greenland" at ECEF (549505.0, -1380872.0, 6182197.0) m: 76.5699 N, 68.3004 W, 412 m above
WGS-84 (docs/sensors.md), the same place to 40 m; the height is that one's."""


def shipped_sites() -> dict[str, tuple[Radar, ...]]:
    """The shipped 1962 BMEWS sites: ``{'clear': (3 FPS-50), 'thule': (4 FPS-50, 1 FPS-49)}``."""
    clear = tuple(
        fps50(f"clear_fps50_{k + 1}", "clear", CLEAR_LAT_DEG, CLEAR_LON_DEG, CLEAR_ALT_M, 290.0 + 40.0 * k)
        for k in range(3)
    )
    thule = tuple(
        fps50(f"thule_fps50_{k + 1}", "thule", THULE_LAT_DEG, THULE_LON_DEG, THULE_ALT_M, 280.0 + 40.0 * k)
        for k in range(4)
    ) + (fps49("thule_fps49", "thule", THULE_LAT_DEG, THULE_LON_DEG, THULE_ALT_M),)
    return {"clear": clear, "thule": thule}
