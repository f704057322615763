-- Step: type and check the hospital registry rows (定点医疗机构名录：编号、名称、级别).
-- Blocking (cannot be stored): empty code (IMP-101), empty name (IMP-102), level empty or not
-- one of 一级/二级/三级, 1/2/3, 三甲 ... (IMP-103). Parse rejects come from the reader.
CREATE OR REPLACE TEMP TABLE imp_htyped AS
SELECT source_row, imp_text(fixmedins_code) AS fixmedins_code, imp_text(fixmedins_name) AS fixmedins_name,
       imp_hosp_lv(hosp_lv) AS hosp_lv, imp_text(hosp_lv) AS hosp_lv_text,
       imp_text(hosp_type) AS hosp_type, imp_text(county) AS county
FROM imp_hstage;

CREATE OR REPLACE TEMP TABLE imp_problem AS
SELECT * FROM (
    SELECT source_row, 'IMP-101', 'fixmedins_code', '医疗机构编号为空' FROM imp_htyped
    WHERE fixmedins_code IS NULL
    UNION ALL
    SELECT source_row, 'IMP-102', 'fixmedins_name', '医疗机构名称为空' FROM imp_htyped
    WHERE fixmedins_name IS NULL
    UNION ALL
    SELECT source_row, 'IMP-103', 'hosp_lv',
           '医院级别“' || coalesce(hosp_lv_text, '') || '”为空或无法识别（应为 一级/二级/三级、1/2/3、三甲 等）'
    FROM imp_htyped WHERE hosp_lv IS NULL
    UNION ALL
    SELECT source_row, rule_id, NULL, message FROM {{rejects}}
) AS p(source_row, rule_id, field, message);
