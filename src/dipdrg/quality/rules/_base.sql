-- Preparation step 1 of the quality run: the case table every rule reads (qc_case).
-- One pass over cases (with the principal diagnosis, seq 0, and the hospital registry) computes
-- the derived columns that several rules share (dates, LOS, age in days/years, fee sum,
-- principal diagnosis), so that each case-level rule is a cheap filter instead of a rescan.
-- Rules on the other diagnoses and on procedures scan those tables with a selective filter
-- (invalid codes, dates outside the stay), which is cheaper than aggregating every row here.
-- Portability: date - date gives whole days in DuckDB and PostgreSQL (Spark: datediff(end, start)).
WITH base AS (
    SELECT
        c.setl_id,
        c.fixmedins_code,
        c.gend,
        c.brdy,
        c.age,
        c.nwb_age,
        c.nwb_bir_wt,
        c.nwb_adm_wt,
        c.adm_time,
        c.dscg_time,
        CAST(c.adm_time AS DATE)                                         AS adm_date,
        CAST(c.dscg_time AS DATE)                                        AS dscg_date,
        CAST(c.upload_time AS DATE)                                      AS upload_date,
        c.act_ipt_days,
        c.medfee_sumamt,
        c.hifp_pay, c.acct_pay, c.psn_cashpay, c.psn_selfpay, c.psn_ownpay,
        COALESCE(c.fee_bed, 0) + COALESCE(c.fee_consult, 0) + COALESCE(c.fee_exam, 0)
          + COALESCE(c.fee_lab, 0) + COALESCE(c.fee_treat, 0) + COALESCE(c.fee_oprn, 0)
          + COALESCE(c.fee_nursing, 0) + COALESCE(c.fee_material, 0) + COALESCE(c.fee_wm, 0)
          + COALESCE(c.fee_herb, 0) + COALESCE(c.fee_tcm_patent, 0) + COALESCE(c.fee_general, 0)
          + COALESCE(c.fee_reg, 0) + COALESCE(c.fee_other, 0)           AS fee_sum,
        h.fixmedins_code IS NOT NULL                                     AS hospital_registered,
        CASE WHEN d.setl_id IS NULL THEN 0 ELSE 1 END                    AS pdx_present,
        d.diag_code_raw                                                  AS pdx_raw,
        d.diag_code                                                      AS pdx_code,
        d.adm_cond_type                                                  AS pdx_adm_cond
    FROM cases c
    LEFT JOIN hospitals h ON h.fixmedins_code = c.fixmedins_code
    LEFT JOIN case_diagnoses d ON d.setl_id = c.setl_id AND d.seq = 0
),
aged AS (
    SELECT
        b.*,
        b.dscg_date - b.adm_date                                         AS los_days,
        -- full years at admission from the birth date (portable: no age()/datediff)
        CASE WHEN b.brdy IS NOT NULL AND b.adm_date IS NOT NULL THEN
            EXTRACT(YEAR FROM b.adm_date) - EXTRACT(YEAR FROM b.brdy)
            - CASE WHEN EXTRACT(MONTH FROM b.adm_date) * 100 + EXTRACT(DAY FROM b.adm_date)
                      < EXTRACT(MONTH FROM b.brdy) * 100 + EXTRACT(DAY FROM b.brdy)
                   THEN 1 ELSE 0 END
        END                                                              AS birth_years,
        CASE WHEN b.brdy IS NOT NULL AND b.adm_date IS NOT NULL
             THEN b.adm_date - b.brdy END                                AS birth_days
    FROM base b
)
-- Effective age for the age rules: the birth date wins; otherwise the stated age
-- (days when under 1 year). age_days stays NULL for "age 0, days unknown".
SELECT
    a.*,
    COALESCE(a.birth_days, a.nwb_age,
             CASE WHEN a.age >= 1 THEN a.age * 365 END)                  AS age_days,
    COALESCE(a.birth_years, a.age,
             CASE WHEN a.nwb_age IS NOT NULL THEN 0 END)                 AS age_years
FROM aged a
