-- Step: one row per blocking problem (导入隔离规则 IMP-001..IMP-012, see cases/rules.py).
-- Field checks run only on the rows typed.sql flagged; list checks on the typed lists;
-- unparsable lines come from the reader's rejects. In each condition the cheap, rarely true
-- test comes first (AND only evaluates the rest on the rows that pass it).
CREATE OR REPLACE TEMP TABLE imp_bad_stage AS
SELECT s.* FROM imp_stage s WHERE s.source_row IN (SELECT source_row FROM imp_typed WHERE has_problem);

CREATE OR REPLACE TEMP TABLE imp_bad_typed AS
SELECT * FROM imp_typed WHERE has_problem;

CREATE OR REPLACE TEMP TABLE imp_problem AS
SELECT * FROM (
{{field_checks}}
UNION ALL
SELECT source_row, 'IMP-005', 'oprn_date',
       '手术操作日期“' || oprn_date_text || '”不是有效日期'
       || coalesce('（' || side_file || ' 第 ' || CAST(side_row AS VARCHAR) || ' 行）', '')
FROM imp_op WHERE oprn_date IS NULL AND imp_text(oprn_date_text) IS NOT NULL
UNION ALL
SELECT source_row, 'IMP-008', 'maindiag_flag',
       '主诊断标志“' || main_flag || '”无法识别（应为 1/0、是/否）'
       || coalesce('（' || side_file || ' 第 ' || CAST(side_row AS VARCHAR) || ' 行）', '')
FROM imp_dx WHERE imp_flag(main_flag) IS NULL AND imp_text(main_flag) IS NOT NULL
UNION ALL
SELECT source_row, 'IMP-008', 'main_oprn_flag',
       '主手术操作标志“' || main_flag || '”无法识别（应为 1/0、是/否）'
       || coalesce('（' || side_file || ' 第 ' || CAST(side_row AS VARCHAR) || ' 行）', '')
FROM imp_op WHERE imp_flag(main_flag) IS NULL AND imp_text(main_flag) IS NOT NULL
UNION ALL
SELECT source_row, rule_id, NULL, message FROM {{rejects}}
) AS p(source_row, rule_id, field, message);
