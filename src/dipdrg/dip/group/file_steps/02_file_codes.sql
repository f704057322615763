-- File mode input, part 2: normalised codes from the codes layer's maps (dipg_map_dx,
-- dipg_map_proc: raw -> code, NULL when the raw text is not a code), as in a workspace import.
-- Empty secondary items are dropped; an empty principal diagnosis stays (NO_PDX).
CREATE OR REPLACE TEMP TABLE dipg_in_dx AS
SELECT c.setl_id, c.seq, m.code, NULLIF(c.raw, '') AS raw
FROM dipg_file_codes AS c
LEFT JOIN dipg_map_dx AS m ON m.raw = c.raw
WHERE c.kind = 'D' AND (c.seq = 0 OR (c.raw IS NOT NULL AND c.raw <> ''));

CREATE OR REPLACE TEMP TABLE dipg_in_proc AS
SELECT c.setl_id, c.seq, m.code, c.raw
FROM dipg_file_codes AS c
LEFT JOIN dipg_map_proc AS m ON m.raw = c.raw
WHERE c.kind = 'P' AND c.raw IS NOT NULL AND c.raw <> '';
