"""The shipped 1962 US space-surveillance network (``spadats-1962``): every site in service in Oct 1962.

Sites, positions and what is public about each sensor are in ``docs/sensors.md`` (the table, with
sources); this module builds the sensors. Beside the BMEWS sites of :mod:`.sites` (Clear, Thule):

- **NAVSPASUR fence** (Navy): three CW transmitters (Lake Kickapoo 560 kW from June 1961, Gila
  River and Jordan Lake 50 kW as in 1960) and four receivers (San Diego, Elephant Butte, Silver
  Lake, Fort Stewart) on one great circle near 33 deg N, 108.5 MHz until 1965 (NRL Report 5766,
  1962; Time, 1960; Wikipedia "Air Force Space Surveillance System"). Gains, noise temperature,
  bandwidth, losses and accuracies are estimates [E], derived in :data:`FENCE_ESTIMATES`.
- **AN/FPS-17 fixed-fan radars** (Shemya, Diyarbakir, Laredo; VHF 180-220 MHz; fixed antenna
  175 ft x 110 ft, radomes.org) through the fan model; **AN/FPS-78** tracker at Laredo (from
  Aug 1961, cued by Laredo's fans).
- **Trackers that follow the catalog** (Moorestown AN/FPS-49, Trinidad, Millstone Hill; 84 ft
  dishes): ``mode = "tasked"``, observation opportunities.
- **SAO Baker-Nunn cameras** (12 stations, f/1, 50 cm, 5 x 30 deg field, 2-3 arcsec).

Everything not in the record is an estimate [E] from physics with its reasoning beside it; no
value is fitted to the record of any object.
"""

from __future__ import annotations

import numpy as np

from ..constants import C_LIGHT_MPS
from .camera import Camera
from .fence import Fence, FenceStation
from .radar import Radar
from .radar_equation import energy_for_snr, ratio_to_db
from .sites import (
    FT_M,
    STATUTE_MILE_M,
    beamwidth_deg,
    fps49,
    gain_aperture,
    shipped_sites,
    snr_for_pd_swerling1,
)

# --- AN/FPS-17 ------------------------------------------------------------------------------
FPS17_FREQUENCY_HZ = 200e6
"""Middle of the 180-220 MHz band of the AN/FPS-17 (radomes.org)."""
FPS17_HEIGHT_M, FPS17_WIDTH_M = 175 * FT_M, 110 * FT_M
"""Fixed antenna 175 ft high x 110 ft wide (radomes.org)."""
FPS17_DESIGN_RANGE_M = 1000 * STATUTE_MILE_M
"""[E] Design point: P_d 0.5 on 1 m^2 at 1,000 statute miles, the distance from Diyarbakir to the
Kapustin Yar launches it was built to watch (about 1,300 km) with margin."""
FPS17_PULSE_S = 2e-3
"""[E] 2 ms pulse (a 300 km range cell; long pulses were the VHF practice for range)."""
FPS17_SECTOR_DEG = 30.0
"""[E] Azimuth span of the fixed beam cluster (several feed horns of ~3 deg beams)."""
FPS17_FAN_DEG = 3.0
"""[E] Elevation of the fixed beams (low, to see rising missiles early)."""
FPS17_LOOK_S = 1.0
"""[E] One look per second (pulses integrated per look)."""
FPS17_SYSTEM_NOISE_K = 800.0
"""[E] VHF: cosmic noise dominates the receiver (sky ~ 500-1000 K at 200 MHz)."""


def fps17(name: str, site: str, latitude_deg: float, longitude_deg: float, altitude_m: float,
          azimuth_centre_deg: float, source: str) -> Radar:
    """An AN/FPS-17 fixed-fan radar with estimated parameters, centred on ``azimuth_centre_deg``."""
    wavelength = C_LIGHT_MPS / FPS17_FREQUENCY_HZ
    gain = gain_aperture(FPS17_HEIGHT_M * FPS17_WIDTH_M, 0.5, wavelength)
    losses_db = 8.0
    energy = energy_for_snr(snr_for_pd_swerling1(0.5, 1e-6), FPS17_DESIGN_RANGE_M, 1.0, gain=gain,
                            wavelength_m=wavelength, noise_temperature_k=FPS17_SYSTEM_NOISE_K,
                            losses=10 ** (losses_db / 10))
    el_beam = beamwidth_deg(FPS17_HEIGHT_M, wavelength)
    az_beam = beamwidth_deg(FPS17_WIDTH_M, wavelength)
    cell_m = C_LIGHT_MPS * FPS17_PULSE_S / 2.0
    return Radar(
        name=name, site=site, latitude_deg=latitude_deg, longitude_deg=longitude_deg, altitude_m=altitude_m,
        mode="fan", azimuth_min_deg=(azimuth_centre_deg - FPS17_SECTOR_DEG / 2) % 360.0,
        azimuth_max_deg=(azimuth_centre_deg + FPS17_SECTOR_DEG / 2) % 360.0, fan_names=("fan",),
        fan_elevations_deg=(FPS17_FAN_DEG,), fan_thickness_deg=el_beam, max_range_m=FPS17_DESIGN_RANGE_M * 1.5,
        peak_power_w=energy / FPS17_PULSE_S, gain_dbi=float(ratio_to_db(gain)), frequency_hz=FPS17_FREQUENCY_HZ,
        pulse_width_s=FPS17_PULSE_S, noise_temperature_k=FPS17_SYSTEM_NOISE_K, losses_db=losses_db, pfa=1e-6,
        swerling=1, sigma_range_m=cell_m / np.sqrt(12.0), sigma_azimuth_deg=az_beam / np.sqrt(12.0),
        sigma_elevation_deg=el_beam / np.sqrt(12.0), sigma_range_rate_mps=None, scan_period_s=FPS17_LOOK_S,
        source=source,
    )


def tasked(name: str, site: str, latitude_deg: float, longitude_deg: float, altitude_m: float,
           frequency_hz: float, source: str) -> Radar:
    """An 84 ft (25.6 m) tracking dish that follows the catalog: the AN/FPS-49 estimates, ``mode = "tasked"``."""
    base = fps49(name, site, latitude_deg, longitude_deg, altitude_m)
    scale = (frequency_hz / base.frequency_hz) ** 2  # same dish: gain ~ f^2
    return Radar(**{**{k: getattr(base, k) for k in base.__dataclass_fields__}, "mode": "tasked",
                    "min_elevation_deg": 5.0, "frequency_hz": frequency_hz,
                    "gain_dbi": base.gain_dbi + float(ratio_to_db(scale)), "source": source})


# --- NAVSPASUR ------------------------------------------------------------------------------
FENCE_ESTIMATES = {
    "kickapoo_gain_dbi": 34.0,  # [E] long N-S line array (2 miles today; shorter in 1962)
    "end_transmitter_gain_dbi": 30.0,  # [E] the 50 kW end stations' shorter arrays
    "receiver_gain_dbi": 25.0,  # [E] receiving arrays
    "noise_temperature_k": 1100.0,  # [E] 108 MHz: galactic noise ~ 1000 K dominates
    "bandwidth_hz": 20.0,  # [E] narrowband Doppler receivers (installed 1961-62, NRL 5766)
    "losses_db": 6.0,  # [E]
    "beam_thickness_deg": 0.5,  # [E] N-S thickness of the fans
    "min_elevation_deg": 5.0,  # [E]
    "sigma_direction_cosine": 3e-4,  # [E] ~0.02 deg on the interferometer baselines
    "sigma_time_s": 0.1,  # [E] crossing time within the beam's transit
    "sigma_direction_cosine_rate_per_s": 3e-6,  # [E] from NRL 5766's single-pass period "to within 5" s (sensors.md)
}
"""The fence estimates [E] (a bistatic radar-equation budget, docs/sensors.md); the 13 dB SNR
needed for detection follows from P_d 0.5 at P_fa 1e-6 (Swerling I)."""


def navspasur_1962() -> Fence:
    """The NAVSPASUR fence of 1962: 3 transmitters, 4 receivers, 108.5 MHz."""
    e = FENCE_ESTIMATES
    st = (
        FenceStation(name="lake_kickapoo", latitude_deg=33.5525, longitude_deg=-98.7631, altitude_m=320.0,
                     gain_dbi=e["kickapoo_gain_dbi"], power_w=560e3),
        FenceStation(name="gila_river", latitude_deg=33.11, longitude_deg=-112.03, altitude_m=350.0,
                     gain_dbi=e["end_transmitter_gain_dbi"], power_w=50e3),
        FenceStation(name="jordan_lake", latitude_deg=32.66, longitude_deg=-86.26, altitude_m=100.0,
                     gain_dbi=e["end_transmitter_gain_dbi"], power_w=50e3),
        FenceStation(name="san_diego", latitude_deg=32.58, longitude_deg=-116.97, altitude_m=150.0, gain_dbi=e["receiver_gain_dbi"]),
        FenceStation(name="elephant_butte", latitude_deg=33.44, longitude_deg=-106.99, altitude_m=1400.0, gain_dbi=e["receiver_gain_dbi"]),
        FenceStation(name="silver_lake", latitude_deg=33.14, longitude_deg=-91.02, altitude_m=40.0, gain_dbi=e["receiver_gain_dbi"]),
        FenceStation(name="fort_stewart", latitude_deg=32.04, longitude_deg=-81.93, altitude_m=30.0, gain_dbi=e["receiver_gain_dbi"]),
    )
    return Fence(
        name="navspasur", site="navspasur", stations=st, frequency_hz=108.5e6,
        beam_thickness_deg=e["beam_thickness_deg"], min_elevation_deg=e["min_elevation_deg"],
        bandwidth_hz=e["bandwidth_hz"], noise_temperature_k=e["noise_temperature_k"], losses_db=e["losses_db"],
        pfa=1e-6, swerling=1, sigma_direction_cosine=e["sigma_direction_cosine"], sigma_time_s=e["sigma_time_s"],
        sigma_direction_cosine_rate_per_s=e["sigma_direction_cosine_rate_per_s"],
        source="NAVSPASUR: layout and powers NRL Rpt 5766 (1962), Time (1960); 108.5 MHz Wikipedia; gains, noise, "
               "bandwidth, losses, accuracies: estimates (debriscope.sensors.network)",
    )


# --- Baker-Nunn -----------------------------------------------------------------------------
BAKER_NUNN_SITES = (
    # name, lat deg, lon deg, height m, clear-sky probability [E]; position source (docs/sensors.md)
    ("organ_pass", 32.42, -106.56, 1650.0, 0.7),  # unchecked (network notes)
    ("olifantsfontein", -25.96, 28.25, 1550.0, 0.6),  # unchecked
    ("woomera", -31.10, 136.78, 160.0, 0.7),  # unchecked (Range G in 1962)
    # checked, host observatory: MPC code 983 "San Fernando" (353.79525 E, rho cos 0.805167,
    # rho sin +0.591067); the camera stood at the Real Instituto y Observatorio de la Armada
    ("san_fernando", 36.4659, -6.2047, 30.0, 0.6),
    ("tokyo", 35.67, 139.54, 60.0, 0.4),  # unchecked; consistent with MPC 388 Tokyo-Mitaka
    ("naini_tal", 29.36, 79.46, 1900.0, 0.4),  # unchecked; consistent with the State Observatory
    # checked: the SAO station on Cerro San Francisco, Characato (iaapp.edu.pe); DORIS beacon AREB
    # there, ITRF2005 (1942803.431, -5804071.522, -1796922.038) m (ipgp.fr/~willis), on WGS-84
    ("arequipa", -16.4658, -71.4930, 2491.0, 0.6),
    ("shiraz", 29.64, 52.52, 1600.0, 0.7),  # unchecked
    ("curacao", 12.09, -68.85, 10.0, 0.5),  # unchecked
    ("jupiter", 27.02, -80.11, 10.0, 0.5),  # unchecked
    ("villa_dolores", -31.94, -65.13, 570.0, 0.6),  # unchecked ("Las Tapias")
    ("maui", 20.71, -156.26, 3000.0, 0.6),  # unchecked; consistent with Haleakala summit (MPC 608)
)
"""The 12 SAO stations (SNAC; SAO). Arequipa and San Fernando are checked against a cited position
(docs/sensors.md gives each figure and its conversion); the others keep the shared project notes'
approximate positions (about 0.01 deg), **not checked against a primary source** (searched for in
Dec 2026 without a citable position of the camera: docs/sensors.md); Woomera's camera stood at
Range G in 1962 (Island Lagoon only from July 1964, honeysucklecreek.net). Heights of unchecked
sites and all clear-sky probabilities are estimates [E] (desert and mountain sites 0.6-0.7, monsoon
and coastal sites 0.4-0.5)."""


def baker_nunn_1962() -> tuple[Camera, ...]:
    """The 12 SAO Baker-Nunn cameras (estimated limiting magnitude, albedo, Sun depression)."""
    return tuple(
        Camera(name=f"bn_{name}", site=f"bn_{name}", latitude_deg=lat, longitude_deg=lon, altitude_m=h,
               clear_sky_probability=p, source="SAO Baker-Nunn station (SNAC); limits and weather: estimates")
        for name, lat, lon, h, p in BAKER_NUNN_SITES
    )


NETWORKS = ("spadats-1962", "bmews-1962")
"""Shipped networks: the whole 1962 network, or the two BMEWS sites alone."""

_FPS17_SOURCE = ("AN/FPS-17: 175 x 110 ft fixed antenna, 180-220 MHz (radomes.org); power, beams, sector: "
                 "estimates (debriscope.sensors.network)")


def shipped_network() -> dict[str, tuple[Radar | Fence | Camera, ...]]:
    """Every shipped site of Oct 1962, by site name: BMEWS, FPS-17, trackers, the fence, the cameras."""
    sites: dict[str, tuple[Radar | Fence | Camera, ...]] = dict(shipped_sites())
    sites["shemya"] = (fps17("shemya_fps17", "shemya", 52.71, 174.11, 60.0, 300.0, _FPS17_SOURCE),)
    # Pirinclik (Diyarbakir Air Station): station 337 of a statistical-orbit-determination course
    # project, ECEF (3860910.0, 3238490.0, 3898094.0) m, on WGS-84 (docs/sensors.md)
    sites["diyarbakir"] = (fps17("diyarbakir_fps17", "diyarbakir", 37.9098, 39.9896, 889.0, 25.0, _FPS17_SOURCE),)
    laredo = (27.60, -99.40, 150.0)
    sites["laredo"] = (
        fps17("laredo_fps17", "laredo", *laredo, 0.0, _FPS17_SOURCE),
        _fps78(*laredo),
    )
    # the 1959-76 FPS-49 site, now the Aegis CSEDS: 39 58'48"N 74 54'5"W (wikimapia.org/1139763)
    sites["moorestown"] = (tasked("moorestown_fps49", "moorestown", 39.9800, -74.9014, 20.0, 425e6,
                                  "AN/FPS-49 at Moorestown (84 ft); estimates as Thule's FPS-49"),)
    sites["trinidad"] = (tasked("trinidad_tracker", "trinidad", 10.74, -61.61, 100.0, 425e6,
                                "84 ft BMEWS-prototype tracker (zone-interdite.net); UHF assumed [E]"),)
    # Millstone Hill: 42.6233 N, 71.4882 W, 131 m (thkruz/keeptrack.space, sensors.ts)
    sites["millstone"] = (tasked("millstone_tracker", "millstone", 42.6233, -71.4882, 131.0, 440e6,
                                 "Millstone Hill 84 ft (globalsecurity.org); UHF 440 MHz in Oct 1962 assumed [E]"),)
    sites["navspasur"] = (navspasur_1962(),)
    for cam in baker_nunn_1962():
        sites[cam.site] = (cam,)
    return sites


def _fps78(lat: float, lon: float, alt: float) -> Radar:
    """Laredo's AN/FPS-78 tracker (Aug 1961), cued by Laredo's fan; no figures found: FPS-49-class [E]."""
    base = fps49("laredo_fps78", "laredo", lat, lon, alt)
    return Radar(**{**{k: getattr(base, k) for k in base.__dataclass_fields__},
                    "source": "AN/FPS-78 at Laredo (fortwiki.com); no figures found: FPS-49-class estimates"})


def network_sites(name: str) -> tuple[str, ...]:
    """Site names of a shipped network."""
    if name == "bmews-1962":
        return ("clear", "thule")
    return tuple(shipped_network())
