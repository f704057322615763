-- Step: type every settlement field (结算清单字段类型转换, fields.py is the contract).
-- The typed column list is generated from fields.py: imp_<type>(imp_text(col)) AS col.
-- has_problem marks rows that cannot be stored: setl_id or fixmedins_code empty (keys of the
-- cases table), or a cell whose text does not read as its type. Other gaps (missing dates,
-- costs ...) are stored as NULL and reported by the quality layer (完整性).
-- Three levels so that each cell is trimmed once and typed once: texts -> typed -> flag.
CREATE OR REPLACE TEMP TABLE imp_typed AS
SELECT source_row, {{typed_names}}, ({{problem_condition}}) AS has_problem
FROM (
    SELECT source_row, {{typed_columns}}, {{kept_texts}}
    FROM (SELECT source_row, {{texts}} FROM imp_stage) AS texts
) AS typed;
