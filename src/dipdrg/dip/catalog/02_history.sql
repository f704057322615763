-- DIP 技术规范（2020）§4 历史数据 / DESIGN §4.6 "Keys": one row per case of the measured years
-- (year from the discharge time or the settlement end date, $year_basis), with its status
-- (ok, or why it cannot be used: no year, no valid principal diagnosis, principal diagnosis
-- excluded by the national catalog (cat_excluded_cases), no cost, principal procedure as
-- recorded not normalised), the diagnosis keys (4-character key = code up to the first digit
-- after the dot, else the 3-character key), the principal procedure (seq 0 of cat_procedures)
-- and its attribute (治疗属性 → comprehensive treatment), the related-procedure set and the
-- cost fields.
-- STRING_AGG(... ORDER BY ...) is LISTAGG(...) WITHIN GROUP (ORDER BY ...) in standard SQL.
CREATE OR REPLACE TEMP TABLE cat_history AS
WITH base AS (
    SELECT
        c.setl_id,
        c.fixmedins_code,
        h.hosp_lv,
        CAST(CASE WHEN $year_basis = 'setl_end_date' THEN EXTRACT(YEAR FROM c.setl_end_date)
                  ELSE EXTRACT(YEAR FROM c.dscg_time) END AS INTEGER) AS case_year,
        d.diag_code,
        p0.setl_id IS NOT NULL AND p0.oprn_code IS NULL AS bad_pp,
        p.oprn_code AS pp,
        x.setl_id IS NOT NULL AS excluded_dx,
        CAST(c.medfee_sumamt AS DECIMAL(18,2)) AS cost,
        c.act_ipt_days AS los,
        CAST(COALESCE(c.fee_wm, 0) + COALESCE(c.fee_herb, 0) + COALESCE(c.fee_tcm_patent, 0)
             AS DECIMAL(18,2)) AS drug,
        CAST(COALESCE(c.fee_material, 0) AS DECIMAL(18,2)) AS material
    FROM cases c
    LEFT JOIN hospitals h ON h.fixmedins_code = c.fixmedins_code
    LEFT JOIN case_diagnoses d ON d.setl_id = c.setl_id AND d.seq = 0
    LEFT JOIN case_procedures p0 ON p0.setl_id = c.setl_id AND p0.seq = 0
    LEFT JOIN cat_procedures p ON p.setl_id = c.setl_id AND p.seq = 0
    LEFT JOIN cat_excluded_cases x ON x.setl_id = c.setl_id
),
related AS (
    SELECT setl_id, STRING_AGG(oprn_code, '+' ORDER BY oprn_code) AS related, COUNT(*) AS n_related
    FROM cat_case_terms
    GROUP BY setl_id
)
SELECT
    b.setl_id,
    b.fixmedins_code,
    b.hosp_lv,
    b.case_year,
    CASE
        WHEN b.case_year IS NULL THEN 'no_year'
        WHEN b.diag_code IS NULL OR LENGTH(b.diag_code) < 3 THEN 'no_principal_dx'
        WHEN b.excluded_dx THEN 'excluded_dx'
        WHEN b.cost IS NULL OR b.cost < 0 THEN 'no_cost'
        WHEN b.bad_pp THEN 'invalid_procedure'
        ELSE 'ok'
    END AS status,
    CASE WHEN SUBSTRING(b.diag_code, 4, 1) = '.' AND SUBSTRING(b.diag_code, 5, 1) BETWEEN '0' AND '9'
         THEN SUBSTRING(b.diag_code, 1, 5) ELSE SUBSTRING(b.diag_code, 1, 3) END AS dx_key,
    SUBSTRING(b.diag_code, 1, 3) AS dx3,
    b.pp,
    CASE
        WHEN b.pp IS NULL THEN '内科诊疗'
        WHEN k.category IN ('手术', '介入治疗') THEN '相关手术'
        WHEN k.category IN ('治疗性操作', '诊断性操作') THEN k.category
    END AS treatment,
    CASE WHEN b.pp IS NULL THEN NULL ELSE r.related END AS related,
    CASE WHEN b.pp IS NULL THEN 0 ELSE COALESCE(r.n_related, 0) END AS n_related,
    b.cost,
    b.los,
    b.drug,
    b.material
FROM base b
LEFT JOIN related r ON r.setl_id = b.setl_id
LEFT JOIN codes k ON k.kind = 'procedure' AND k.code = b.pp
WHERE b.case_year IS NULL OR b.case_year IN (SELECT case_year FROM cat_year_weights);
