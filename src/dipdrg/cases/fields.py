"""The settlement-list fields: canonical English names (interface 4101) and Chinese labels.

This is the contract between every reader (CSV/XLSX/Parquet/JSON), the synthetic region and
the workspace table ``cases``. A reader maps any accepted label to the canonical name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str                 # canonical name (interface 4101 / workspace column)
    type: str                 # str | int | decimal | date | timestamp | duration
    labels: tuple[str, ...]   # accepted Chinese (and alternative English) column names
    required: bool = False


# Fields of the settlement record (setlinfo) --------------------------------------------
SETTLEMENT_FIELDS: tuple[Field, ...] = (
    Field("setl_id", "str", ("结算ID", "结算id", "结算编号", "case_id"), True),
    Field("mdtrt_id", "str", ("就诊ID", "就诊id")),
    Field("psn_no", "str", ("人员编号",)),
    Field("fixmedins_code", "str", ("定点医药机构编号", "定点医疗机构编号", "医疗机构编码"), True),
    Field("fixmedins_name", "str", ("定点医药机构名称", "定点医疗机构名称", "医疗机构名称")),
    Field("insutype", "str", ("险种类型", "医保类型", "hi_type")),
    Field("gend", "str", ("性别", "gender", "sex"), True),
    Field("brdy", "date", ("出生日期",)),
    Field("age", "int", ("年龄", "年龄(岁)")),
    Field("nwb_age", "int", ("不足1周岁年龄", "年龄不足1周岁的年龄(天)", "年龄(天)", "age_days")),
    Field("nwb_bir_wt", "int", ("新生儿出生体重", "新生儿出生体重(克)", "birth_weight")),
    Field("nwb_adm_wt", "int", ("新生儿入院体重", "新生儿入院体重(克)")),
    Field("nwb_adm_type", "str", ("新生儿入院类型",)),
    Field("ipt_med_type", "str", ("住院医疗类型",)),
    Field("adm_way", "str", ("入院途径",)),
    Field("trt_type", "str", ("治疗类别",)),
    Field("adm_time", "timestamp", ("入院时间",), True),
    Field("adm_caty", "str", ("入院科别",)),
    Field("refldept_dept", "str", ("转科科别",)),
    Field("dscg_time", "timestamp", ("出院时间",), True),
    Field("dscg_caty", "str", ("出院科别",)),
    Field("act_ipt_days", "int", ("实际住院天数", "住院天数", "los")),
    Field("dscg_way", "str", ("离院方式", "discharge_status")),
    Field("vent_used_minutes", "duration", ("呼吸机使用时长", "vent_used_dura")),
    Field("pwcry_bfadm_coma_minutes", "duration", ("颅脑损伤患者入院前昏迷时长", "pwcry_bfadm_coma_dura")),
    Field("pwcry_afadm_coma_minutes", "duration", ("颅脑损伤患者入院后昏迷时长", "pwcry_afadm_coma_dura")),
    Field("icu_minutes", "duration", ("重症监护合计时长", "scs_cutd_sum_dura")),
    Field("spga_nurscare_days", "int", ("特级护理天数",)),
    Field("lv1_nurscare_days", "int", ("一级护理天数",)),
    Field("scd_nurscare_days", "int", ("二级护理天数",)),
    Field("lv3_nurscare_days", "int", ("三级护理天数",)),
    Field("chfpdr_code", "str", ("主诊医师代码", "主诊医师编码")),
    Field("chfpdr_name", "str", ("主诊医师姓名", "主诊医师")),
    Field("medfee_sumamt", "decimal", ("医疗费总额", "总费用", "total_cost"), True),
    Field("hifp_pay", "decimal", ("统筹基金支付", "基金支付")),
    Field("psn_selfpay", "decimal", ("个人自付",)),
    Field("psn_ownpay", "decimal", ("个人自费",)),
    Field("acct_pay", "decimal", ("个人账户支出", "个人账户支付")),
    Field("psn_cashpay", "decimal", ("个人现金支付", "个人现金支出")),
    Field("setl_begn_date", "date", ("结算开始日期",)),
    Field("setl_end_date", "date", ("结算结束日期",)),
    Field("upload_time", "timestamp", ("上传时间",)),
)

# The 14 fee items (iteminfo.med_chrgitm code -> workspace column, Chinese label) ---------
FEE_ITEMS: tuple[tuple[str, str, str], ...] = (
    ("01", "fee_bed", "床位费"),
    ("02", "fee_consult", "诊察费"),
    ("03", "fee_exam", "检查费"),
    ("04", "fee_lab", "化验费"),
    ("05", "fee_treat", "治疗费"),
    ("06", "fee_oprn", "手术费"),
    ("07", "fee_nursing", "护理费"),
    ("08", "fee_material", "卫生材料费"),
    ("09", "fee_wm", "西药费"),
    ("10", "fee_herb", "中药饮片费"),
    ("11", "fee_tcm_patent", "中成药费"),
    ("12", "fee_general", "一般诊疗费"),
    ("13", "fee_reg", "挂号费"),
    ("14", "fee_other", "其他费"),
)
FEE_FIELDS: tuple[Field, ...] = tuple(Field(col, "decimal", (zh,)) for _, col, zh in FEE_ITEMS)
DRUG_COLUMNS = ("fee_wm", "fee_herb", "fee_tcm_patent")      # 药品费
MATERIAL_COLUMNS = ("fee_material",)                          # 耗材费

# Flat-file list columns: diagnoses and procedures ---------------------------------------
# Either one column joined by '|' or ',' (other_diag_codes), or numbered columns
# (other_diag_code_1..N / 其他诊断编码1..N). Procedures: the principal one first.
LIST_FIELDS: dict[str, tuple[str, ...]] = {
    "main_diag_code": ("主要诊断编码", "主要诊断代码", "主诊断编码", "principal_dx"),
    "main_diag_name": ("主要诊断名称",),
    "main_diag_adm_cond": ("主要诊断入院病情",),
    "other_diag_codes": ("其他诊断编码", "其他诊断代码", "secondary_dx"),
    "other_diag_names": ("其他诊断名称",),
    "other_diag_adm_conds": ("其他诊断入院病情",),
    "oprn_codes": ("手术操作编码", "手术及操作编码", "手术操作代码"),
    "oprn_names": ("手术操作名称",),
    "oprn_dates": ("手术操作日期",),
    # the reference case layout splits procedures into principal + others
    "main_oprn_code": ("主要手术操作编码", "主手术编码", "principal_proc"),
    "other_oprn_codes": ("其他手术操作编码", "other_procs"),
    "main_oprn_name": ("主要手术操作名称",),
    "main_oprn_date": ("主要手术操作日期",),
    "other_oprn_names": ("其他手术操作名称",),
    "other_oprn_dates": ("其他手术操作日期",),
}
NUMBERED_PREFIXES: dict[str, tuple[str, ...]] = {
    "other_diag_codes": ("other_diag_code_", "diag_code_", "其他诊断编码", "其他诊断代码"),
    "other_diag_adm_conds": ("other_diag_adm_cond_", "其他诊断入院病情"),
    "oprn_codes": ("oprn_code_", "手术操作编码", "手术操作代码"),
    "oprn_dates": ("oprn_date_", "手术操作日期"),
    "other_diag_names": ("other_diag_name_", "其他诊断名称"),
    "oprn_names": ("oprn_name_", "手术操作名称"),
    "other_oprn_codes": ("other_oprn_code_", "其他手术操作编码"),
    "other_oprn_names": ("other_oprn_name_", "其他手术操作名称"),
    "other_oprn_dates": ("other_oprn_date_", "其他手术操作日期"),
}

ALL_FIELDS: tuple[Field, ...] = SETTLEMENT_FIELDS + FEE_FIELDS
FIELD_BY_NAME = {f.name: f for f in ALL_FIELDS}

# Hospital registry (定点医疗机构名录) ---------------------------------------------------------
HOSPITAL_FIELDS: tuple[Field, ...] = (
    Field("fixmedins_code", "str", ("定点医药机构编号", "医疗机构编码", "机构编码"), True),
    Field("fixmedins_name", "str", ("定点医药机构名称", "医疗机构名称", "机构名称"), True),
    Field("hosp_lv", "str", ("医院级别", "机构级别", "级别"), True),
    Field("hosp_type", "str", ("医院类型", "机构类型", "类型")),
    Field("county", "str", ("所属区县", "区县", "县区")),
)

# Separate diagnosis / procedure tables keyed by setl_id (platform tables SETL_LIST_DIAG_D /
# SETL_LIST_OPRN_D) and the lists diseinfo / oprninfo of the 4101 JSON record. Type "flag"
# is a yes/no mark (1/0, 是/否). Rows keep their file order; the flagged one becomes seq 0.
DIAGNOSIS_FIELDS: tuple[Field, ...] = (
    Field("setl_id", "str", ("结算ID", "结算id", "结算编号"), True),
    Field("diag_type", "str", ("诊断类别",)),
    Field("diag_code", "str", ("诊断代码", "诊断编码", "疾病编码"), True),
    Field("diag_name", "str", ("诊断名称", "疾病名称")),
    Field("maindiag_flag", "flag", ("主诊断标志", "主要诊断标志", "是否主要诊断")),
    Field("adm_cond_type", "str", ("入院病情",)),
)
PROCEDURE_FIELDS: tuple[Field, ...] = (
    Field("setl_id", "str", ("结算ID", "结算id", "结算编号"), True),
    Field("oprn_oprt_code", "str", ("手术操作代码", "手术操作编码", "oprn_code"), True),
    Field("oprn_oprt_name", "str", ("手术操作名称", "oprn_name")),
    Field("oprn_oprt_date", "timestamp", ("手术操作日期", "oprn_date", "oprn_oprt_begntime", "手术操作开始时间")),
    Field("main_oprn_flag", "flag", ("主手术操作标志", "主要手术标志", "是否主要手术")),
    Field("anst_way", "str", ("麻醉方式",)),
    Field("oper_dr_code", "str", ("术者医师代码", "术者代码")),
)
