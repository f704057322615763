-- Import typing helpers (结算清单导入：字段类型转换).
-- Each macro turns the text of one input cell into a storable value, or NULL when it cannot
-- be read; the check step then quarantines "text given but NULL after typing".
-- DuckDB TEMP MACROs keep the steps readable. Portable equivalent: inline the expression
-- (SQLGlot expands them) or register SQL functions on Spark. regexp_full_match(x, p) is
-- `x RLIKE '^p$'` on Spark / `x ~ '^p$'` on PostgreSQL.

-- Text: trimmed, empty means absent. trim() copies every string; most cells have no outer
-- space, so only those that do are trimmed (same result, a third of the cost).
CREATE OR REPLACE TEMP MACRO imp_text(x) AS
    CASE WHEN x LIKE ' %' OR x LIKE '% ' THEN nullif(trim(x), '') ELSE nullif(x, '') END;

-- Numbers: full-width digits, thousands separators, currency signs and units removed.
CREATE OR REPLACE TEMP MACRO imp_num_text(x) AS
    regexp_replace(
        translate(trim(x), '０１２３４５６７８９．－，', '0123456789.-,'),
        '[,\s¥￥元岁天克]|^\+', '', 'g');

-- Integer (年龄, 天数, 克): whole numbers only ("12.0" is 12, "12.5" is not an integer).
-- Plain numbers take the cheap cast; only the others go through the text clean-up. The
-- fallback is a CASE branch (evaluated only for the rows that need it), not COALESCE.
CREATE OR REPLACE TEMP MACRO imp_else(fast, slow) AS CASE WHEN fast IS NOT NULL THEN fast ELSE slow END;

CREATE OR REPLACE TEMP MACRO imp_int(x) AS
    imp_else(CASE WHEN strpos(x, '.') = 0 THEN TRY_CAST(x AS INTEGER) END,
             TRY_CAST(nullif(regexp_extract(imp_num_text(x), '^(-?[0-9]+)(?:\.0*)?$', 1), '') AS INTEGER));

-- Money (元): DECIMAL(18,2); more than two non-zero decimals would need rounding -> refused.
CREATE OR REPLACE TEMP MACRO imp_dec(x) AS
    imp_else(CASE WHEN strpos(x, '.') = 0 OR length(x) - strpos(x, '.') <= 2
                  THEN TRY_CAST(x AS DECIMAL(18, 2)) END,
             TRY_CAST(nullif(regexp_extract(imp_num_text(x),
                 '^(-?(?:[0-9]+\.?[0-9]{0,2}|\.[0-9]{1,2}))0*$', 1), '') AS DECIMAL(18, 2)));

-- Date/time text in one shape: 2026/3/1, 2026.3.1, 2026年3月1日, 20260301[083000], ISO 'T'.
CREATE OR REPLACE TEMP MACRO imp_ts_text(x) AS
    trim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
        translate(trim(x), '０１２３４５６７８９／：', '0123456789/:'),
        '^([0-9]{4})[./年]([0-9]{1,2})[./月]([0-9]{1,2})日?', '\1-\2-\3'),
        '^([0-9]{4})([0-9]{2})([0-9]{2})', '\1-\2-\3 '),
        '^([0-9]{4}-[0-9]{2}-[0-9]{2} )([0-9]{2})([0-9]{2})([0-9]{2})?$', '\1\2:\3:\4'),
        '[T ]+', ' ', 'g'));

-- Fast paths before the clean-up: ISO text; 2026/3/1 8:30 (only the separators differ);
-- 20260301.
CREATE OR REPLACE TEMP MACRO imp_ts(x) AS
    imp_else(TRY_CAST(x AS TIMESTAMP),
             imp_else(CASE WHEN strpos(x, '/') > 0 THEN TRY_CAST(replace(x, '/', '-') AS TIMESTAMP) END,
             imp_else(CASE WHEN length(x) = 8 THEN TRY_CAST(substr(x, 1, 4) || '-' || substr(x, 5, 2)
                                                            || '-' || substr(x, 7, 2) AS TIMESTAMP) END,
                      TRY_CAST(regexp_replace(imp_ts_text(x), ':$', '') AS TIMESTAMP))));

CREATE OR REPLACE TEMP MACRO imp_date(x) AS CAST(imp_ts(x) AS DATE);

-- Duration (呼吸机/昏迷/重症监护时长) in minutes: '天/小时/分钟' (1/13/24), '1天13小时24分钟',
-- or a plain number of minutes. x is already trimmed (imp_text).
CREATE OR REPLACE TEMP MACRO imp_dura_part(x, n) AS
    CAST(coalesce(nullif(regexp_extract(x, '^([0-9]+)/([0-9]+)/([0-9]+)$', n), ''), '0') AS INTEGER);
CREATE OR REPLACE TEMP MACRO imp_dura_zh(x, n) AS
    CAST(coalesce(nullif(regexp_extract(x,
        '^(?:([0-9]+)天)?(?:([0-9]+)(?:小时|时))?(?:([0-9]+)分钟?)?$', n), ''), '0') AS INTEGER);
CREATE OR REPLACE TEMP MACRO imp_minutes(x) AS
    imp_else(CASE WHEN strpos(x, '/') = 0 AND strpos(x, '.') = 0 THEN TRY_CAST(x AS INTEGER) END,
             CASE WHEN regexp_full_match(x, '[0-9]+/[0-9]+/[0-9]+')
                  THEN imp_dura_part(x, 1) * 1440 + imp_dura_part(x, 2) * 60 + imp_dura_part(x, 3)
                  WHEN regexp_full_match(x, '(?:[0-9]+天)?(?:[0-9]+(?:小时|时))?(?:[0-9]+分钟?)?')
                  THEN imp_dura_zh(x, 1) * 1440 + imp_dura_zh(x, 2) * 60 + imp_dura_zh(x, 3)
             END);

-- Gender (GB/T 2261.1): 1 男, 2 女, 0 未知, 9 未说明.
CREATE OR REPLACE TEMP MACRO imp_gend(x) AS
    CASE upper(trim(x))
        WHEN '1' THEN '1' WHEN '男' THEN '1' WHEN '男性' THEN '1' WHEN 'M' THEN '1' WHEN 'MALE' THEN '1'
        WHEN '2' THEN '2' WHEN '女' THEN '2' WHEN '女性' THEN '2' WHEN 'F' THEN '2' WHEN 'FEMALE' THEN '2'
        WHEN '0' THEN '0' WHEN '未知' THEN '0' WHEN '未知的性别' THEN '0'
        WHEN '9' THEN '9' WHEN '未说明' THEN '9' WHEN '未说明的性别' THEN '9'
    END;

-- Yes/no marks (主诊断标志, 主手术标志).
CREATE OR REPLACE TEMP MACRO imp_flag(x) AS
    CASE x WHEN '1' THEN TRUE WHEN '0' THEN FALSE ELSE CASE lower(trim(x))
        WHEN '1' THEN TRUE WHEN '是' THEN TRUE WHEN 'y' THEN TRUE WHEN 'yes' THEN TRUE
        WHEN 'true' THEN TRUE WHEN 't' THEN TRUE
        WHEN '0' THEN FALSE WHEN '否' THEN FALSE WHEN 'n' THEN FALSE WHEN 'no' THEN FALSE
        WHEN 'false' THEN FALSE WHEN 'f' THEN FALSE
    END END;

-- Hospital level (医院级别): 一级/二级/三级, 1/2/3, 三甲, 三级甲等, 二乙 ... -> '1' | '2' | '3'.
CREATE OR REPLACE TEMP MACRO imp_hosp_lv(x) AS
    CASE WHEN regexp_full_match(upper(trim(x)), '(一|1|I)级?(特等|甲等|乙等|丙等|甲|乙|丙)?(医院)?') THEN '1'
         WHEN regexp_full_match(upper(trim(x)), '(二|2|II)级?(甲等|乙等|丙等|甲|乙|丙)?(医院)?') THEN '2'
         WHEN regexp_full_match(upper(trim(x)), '(三|3|III)级?(特等|甲等|乙等|丙等|甲|乙|丙)?(医院)?') THEN '3'
    END;

-- A joined list cell ("K35.8|I10", "K35.8, I10") as a list of codes. Separators | , ， ; ；
-- all become | for a plain split (no regex); items keep outer spaces, every user of an item
-- reads it through imp_text.
-- string_split: DuckDB; Spark: split(x, '[|]'); PostgreSQL: string_to_array(x, '|').
CREATE OR REPLACE TEMP MACRO imp_split(x) AS
    string_split(translate(imp_text(x), ',，;；', '||||'), '|');
