-- Exact decimal division with ROUND_HALF_UP (DESIGN §4.6 "Rounding": Decimal, half up, never
-- float). DuckDB divides DECIMALs in DOUBLE, so these macros divide exactly on 128-bit integers:
-- a and b are scaled to integers (×10^14), then q = (2·|A|·10^d + |B|) div (2·|B|) is |a/b|
-- rounded half up to d decimals; the sign is restored (half away from zero).
-- Portable equivalent (engines with exact DECIMAL division: Spark, PostgreSQL):
--     ROUND(CAST(a AS DECIMAL(38,18)) / b, d); HUGEINT is DECIMAL(38,0) there, // is DIV.
-- a and b may have at most 14 decimals and |a| < 10^19 (far above a region's costs, sums and
-- scores). dip_qint(x, y, p) is the integer core (x·p / y rounded half up, x and y integers):
-- hot paths call it on integer cents directly; dip_div4_int divides two integers already
-- scaled by the caller (for numerators with more than 14 decimals).
CREATE OR REPLACE TEMP MACRO dip_int14(a) AS
    CAST(FLOOR(CAST(a AS DECIMAL(38,14))) AS HUGEINT) * CAST(100000000000000 AS HUGEINT)
    + CAST((CAST(a AS DECIMAL(38,14)) - FLOOR(CAST(a AS DECIMAL(38,14)))) * 100000000000000 AS HUGEINT);

CREATE OR REPLACE TEMP MACRO dip_qint(x, y, p) AS
    CAST(SIGN(x) * SIGN(y) AS HUGEINT)
    * ((2 * ABS(x) * CAST(p AS HUGEINT) + ABS(y)) // (2 * ABS(y)));

CREATE OR REPLACE TEMP MACRO dip_divq(a, b, p) AS
    dip_qint(dip_int14(a), dip_int14(b), p);

CREATE OR REPLACE TEMP MACRO dip_div4(a, b) AS
    CASE WHEN a IS NULL OR b IS NULL OR b = 0 THEN NULL
         ELSE CAST(dip_divq(a, b, 10000) AS DECIMAL(38,0)) * CAST(0.0001 AS DECIMAL(5,4)) END;

CREATE OR REPLACE TEMP MACRO dip_div4_int(x, y) AS
    CASE WHEN x IS NULL OR y IS NULL OR y = 0 THEN NULL
         ELSE CAST(dip_qint(x, y, 10000) AS DECIMAL(38,0)) * CAST(0.0001 AS DECIMAL(5,4)) END;
