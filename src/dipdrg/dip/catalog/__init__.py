"""DIP local catalog building (DESIGN §4.2–4.3, §4.6): from three years of history to a
``dip-local`` pack of core and comprehensive groups with scores, coefficients and subtypes."""
