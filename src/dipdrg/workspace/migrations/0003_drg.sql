-- Schema 3: CHS-DRG grouping results (one row per case and grouping run).
-- status: SUCCESS | CHECK_FAILED (reason = the failed input check: gender, age, age_days,
-- birth_weight, code_unmapped) | FAIL (reason no_mdc: no MDC entry rule held; no_adrg: an
-- MDC was entered but no ADRG matched). Ungrouped cases carry mdc 0000, adrg 00, drg 0000.
-- The pack's id, version and sha256 (of its manifest, which holds every table's sha256)
-- say exactly which rules grouped the case.

CREATE TABLE drg_case_groups (
    run_id       VARCHAR NOT NULL,
    setl_id      VARCHAR NOT NULL,
    mdc          VARCHAR NOT NULL,
    adrg         VARCHAR NOT NULL,
    drg          VARCHAR NOT NULL,
    status       VARCHAR NOT NULL,
    reason       VARCHAR,
    pack_id      VARCHAR NOT NULL,
    pack_version VARCHAR NOT NULL,
    pack_sha256  VARCHAR NOT NULL
);

-- The groups of the latest finished drg-group run (what later layers read by default).
CREATE VIEW drg_current_groups AS
SELECT g.*
FROM drg_case_groups g
WHERE g.run_id = (
    SELECT r.run_id FROM runs r
    WHERE r.kind = 'drg-group' AND r.finished_at IS NOT NULL
    ORDER BY r.started_at DESC, r.run_id DESC
    LIMIT 1
);
