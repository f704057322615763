"""DIP scoring (DESIGN §4.3–4.6): budget point value, case scores, coefficients and outliers."""
