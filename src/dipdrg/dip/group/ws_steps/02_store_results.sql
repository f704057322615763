-- Store the run's results (DESIGN §7 "Reproducible": each row carries the pack id, version and
-- hash). Parameters: $run_id, $pack_id, $pack_version, $pack_sha256.
INSERT INTO dip_case_groups
    (run_id, setl_id, group_code, group_type, layer, rule_ref, status, reason, primary_care,
     treatment, pack_id, pack_version, pack_sha256)
SELECT $run_id, setl_id, group_code, group_type, layer, rule_ref, status, reason, primary_care,
       treatment, $pack_id, $pack_version, $pack_sha256
FROM dipg_result;
