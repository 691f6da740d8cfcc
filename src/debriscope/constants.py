"""Physical constants, each with its source. SI units throughout.

Gravity: the EGM96 zonal harmonics and the EGM96 GM and reference radius belong together
(Lemoine et al., "The Development of the Joint NASA GSFC and NIMA Geopotential Model EGM96",
NASA/TP-1998-206861; unnormalised values as tabulated in Vallado, *Fundamentals of
Astrodynamics and Applications*, 4th ed., 2013, table D-1).
Ellipsoid: WGS-84 (NIMA TR8350.2, 3rd ed., 2000, table 3.1).
"""

from __future__ import annotations

# --- gravity field: EGM96 (Lemoine et al. 1998; Vallado 2013 table D-1) -------------------
MU_EARTH_M3_S2: float = 3.986004415e14
"""Earth's gravitational parameter GM of EGM96, m^3/s^2."""
R_EARTH_GRAVITY_M: float = 6378136.3
"""Reference radius of the EGM96 harmonics, m."""
J2: float = 1.082626683553151e-3
"""Unnormalised zonal harmonic J2 = -C20 of EGM96."""
J3: float = -2.532656485353e-6
"""Unnormalised zonal harmonic J3 = -C30 of EGM96."""
J4: float = -1.619621591367e-6
"""Unnormalised zonal harmonic J4 = -C40 of EGM96."""

# --- ellipsoid: WGS-84 (NIMA TR8350.2 table 3.1) ---------------------------------------------
WGS84_A_M: float = 6378137.0
"""WGS-84 semi-major axis (equatorial radius), m."""
WGS84_F: float = 1.0 / 298.257223563
"""WGS-84 flattening."""
WGS84_B_M: float = WGS84_A_M * (1.0 - WGS84_F)
"""WGS-84 semi-minor axis, m."""
WGS84_E2: float = WGS84_F * (2.0 - WGS84_F)
"""WGS-84 first eccentricity squared."""

# --- Earth rotation -------------------------------------------------------------------------
OMEGA_EARTH_RAD_S: float = 7.292115146706979e-5
"""Earth's rotation rate relative to the mean equinox, rad/s (Vallado 2013 eq. 3-40, the
IAU-82 GMST rate 1.002737909350795 rev per UT1 day)."""

# --- time -----------------------------------------------------------------------------------
SECONDS_PER_DAY: float = 86400.0
J2000_JD: float = 2451545.0
"""Julian date of J2000.0 (2000-01-01T12:00:00 TT)."""
TT_MINUS_TAI_S: float = 32.184
"""TT - TAI, s (IAU 1991 resolution A4)."""

# --- conventions of the field ----------------------------------------------------------------
R_EARTH_SATCAT_M: float = 6378135.0
"""Equatorial radius used for apogee/perigee heights in SATCAT and Gabbard diagrams (WGS-72), m
(CelesTrak SATCAT documentation; Hoots & Roehrich, Spacetrack Report #3)."""
R_SOI_EARTH_M: float = 9.25e8
"""Radius of Earth's sphere of influence (Laplace: ``a_E (m_E / m_Sun)^(2/5)``), m: 925,000 km
(Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed., 2014, table A.2). An object whose
apogee lies beyond it leaves Earth orbit."""
G0_MPS2: float = 9.80665
"""Standard gravity, m/s^2 (CGPM 1901)."""
C_LIGHT_MPS: float = 299792458.0
"""Speed of light in vacuum, m/s (exact, SI)."""
BOLTZMANN_J_K: float = 1.380649e-23
"""Boltzmann constant, J/K (exact, SI 2019)."""

# --- heliocentric mission design: JPL DE421 and IAU values ------------------------------------
GM_SUN_M3_S2: float = 1.32712440040944e20
"""Sun's GM of JPL DE421 (Folkner et al. 2008, IOM 343R-08-003, table 5: 132712440040.944 km^3/s^2)."""
GM_MARS_M3_S2: float = 4.2828375214e13
"""GM of the Mars system of JPL DE421 (Folkner et al. 2008, table 5: 42828.375214 km^3/s^2)."""
R_MARS_M: float = 3396190.0
"""Mars equatorial radius, m (IAU WGCCRE 2009: Archinal et al. 2011, Celest. Mech. 109, table 4)."""
AU_M: float = 149597870700.0
"""Astronomical unit, m (exact; IAU 2012 resolution B2)."""
OBLIQUITY_J2000_RAD: float = 84381.406 / 3600.0 * 3.141592653589793 / 180.0
"""Mean obliquity of the ecliptic at J2000.0, 84381.406 arcsec (IAU 2006 precession, Capitaine et al.
2003, A&A 412, eq. 39), rad: rotates ICRF (equatorial) vectors into the J2000 ecliptic."""
GM_VENUS_M3_S2: float = 3.24858592e14
"""GM of Venus of JPL DE421 (Folkner et al. 2008, table 5: 324858.592 km^3/s^2)."""
R_VENUS_M: float = 6051800.0
"""Venus mean radius, m (IAU WGCCRE 2009: Archinal et al. 2011, table 4)."""
