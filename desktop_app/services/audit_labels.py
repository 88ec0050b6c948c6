"""The audit trail in words: what each object type, summary field and coded value is called.

An audit entry keeps codes (``credit_record``, ``verdict: banned``, ``roles: [audit-admin]``) so that
it never changes with a label; the audit page shows them in Chinese, the language of the center's
record, as the action labels (``audit_log.ACTION_LABELS``) always were. A service that writes a new
action, object type, summary field or coded value adds its words here — a test runs the services and
fails on any that are missing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from desktop_app.domain.complaints import CATEGORY_LABELS, CHANNEL_LABELS, OUTCOME_LABELS, SATISFACTION_LABELS
from desktop_app.domain.credit import (
    EXPERT_POOL_LABELS,
    RECORD_KIND_LABELS,
    SEVERITY_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
    SUBJECT_KIND_LABELS,
    VERDICT_LABELS,
)
from desktop_app.domain.evaluations import ACCUMULATION_LABELS, PROPOSAL_ACTION_LABELS, TRADE_CATEGORY_LABELS
from desktop_app.domain.roles import ROLE_LABELS
from desktop_app.domain.workdays import DAY_KIND_DESCRIPTIONS

OBJECT_LABELS = {
    "user": "账户",
    "staff": "人员",
    "department": "科室",
    "center_settings": "中心设置",
    "audit_log": "审计日志",
    "database": "数据库",
    "notice": "文书",
    "credit_subject": "信用主体",
    "credit_record": "信用记录",
    "credit_repair": "信用修复申请",
    "credit_rule": "信用目录",
    "credit_score_rule": "信用评分规则",
    "credit_import": "导入文件",
    "calendar_day": "工作日历日期",
    "calendar_import": "导入文件",
    "complaint": "投诉",
    "complaint_rule": "投诉规则",
    "evaluation_import": "导入文件",
    "evaluation_session": "专家考评场次",
    "evaluation_item": "专家考评项目",
    "evaluation_rule": "专家考评阈值规则",
    "expert_proposal": "专家处理建议",
    "evaluation_year": "专家考评年度",
    "scoring_scheme": "考核方案",
    "scoring_post_scheme": "岗位考核方案",
    "scoring_rule": "考核等次规则",
    "scoring_department_month": "科室月度考核",
    "scoring_sheet": "月度考核评分表",
    "scoring_entry": "月度考核评分项",
    "scoring_month": "考核月份",
}
# Objects that are one of a kind, or named by their summary: no number after the label.
UNNUMBERED = frozenset(
    {"center_settings", "audit_log", "database", "credit_import", "calendar_import", "evaluation_import"}
)

FIELD_LABELS = {
    # accounts, people, organisation
    "username": "登录名",
    "display_name": "姓名",
    "name": "名称",
    "roles": "角色",
    "department_id": "科室",
    "staff_id": "对应人员",
    "active": "状态",
    "employee_no": "工号",
    "post": "岗位",
    "phone": "电话",
    "id_number": "身份证号",
    "departments": "科室",
    "field": "查看项目",
    "reason": "理由",
    "count": "连续失败次数",
    "in_effect": "确认前生效的角色",
    "awaiting": "待谁确认",
    "requested_by": "设置人",
    "minutes": "锁定分钟数",
    # center settings
    "center_name": "中心名称",
    "center_short_name": "中心简称",
    "center_address": "地址",
    "query_phone": "查询电话",
    "doc_number_prefix": "文号前缀",
    "password_min_length": "密码最短长度",
    "password_min_classes": "密码字符种类",
    "max_failed_logins": "锁定前允许失败次数",
    "lockout_minutes": "锁定时长（分钟）",
    "idle_lock_minutes": "空闲锁屏（分钟）",
    # the audit chain, the database
    "intact": "校验结果",
    "checked": "已校验条数",
    "first_bad_seq": "首个异常条目",
    "breaks": "已记录的断裂",
    "found": "发现情况",
    "last_good_seq": "最后一条完整记录",
    "damaged_rows": "保留为证据的异常记录行数",
    "opens_segment": "新段",
    "personal_checked": "已校验个人信息行数",
    "failing": "校验未通过的行",
    "to": "备份到",
    "from": "恢复自",
    "entries_verified": "已校验审计条目",
    "safety_copy": "原库安全副本",
    "seed": "随机种子",
    "steps": "步骤",
    "accounts": "账户数",
    "staff": "人员数",
    "credit_companies": "企业主体数",
    "credit_experts": "专家主体数",
    "credit_staff": "工作人员主体数",
    "credit_records": "信用记录数",
    "credit_bans_active": "生效禁入决定数",
    "complaints": "投诉件数",
    "complaints_open": "办理中投诉数",
    "complaints_overdue": "超期投诉数",
    "complaint_receipts": "投诉回执数",
    "complaint_credit_drafts": "据投诉起草信用记录数",
    "evaluation_sessions": "专家考评场次数",
    "evaluation_marks": "专家考评扣分项数",
    "evaluation_proposals_pending": "待确认的专家处理建议数",
    "scoring_sheets": "月度考核评分表数",
    "scoring_months_locked": "已锁定的科室月度考核数",
    "scoring_months_reopened": "重新打开的科室月度考核数",
    "scoring_manual_deductions": "手工扣分项数",
    "scoring_bonuses": "手工加分项数",
    "filter": "筛选条件",
    "personal_data": "个人信息",
    # notices
    "doc_type": "文书类型",
    "title": "标题",
    "pdf_sha256": "文件指纹",
    "reprint": "补打次数",
    "genuine": "验证结果",
    "file": "文件",
    "target": "输出到",
    # credit files
    "kind": "类型",
    "uscc": "统一社会信用代码",
    "aliases": "曾用名/简称",
    "contacts": "联系人",
    "legal_representative": "法定代表人",
    "specialty": "专业",
    "note": "备注",
    "expert_no": "专家编号",
    "pool_status": "专家库状态",
    "identifier_override_reason": "代码校验例外说明",
    "subject": "主体",
    "severity": "严重程度",
    "decision_number": "决定文号",
    "status": "状态",
    "source": "来源",
    "filename": "文件名",
    "sha256": "文件指纹",
    "record": "信用记录",
    "applicant": "申请人",
    "approved": "决定",
    "decided_on": "决定日期",
    "query": "查询内容",
    "verdict": "查询结果",
    "on": "核验日期",
    "notice": "告知单编号",
    "new_version": "新版本生效日期",
    "effective_from": "生效日期",
    "publicity_min_months": "公示期下限（月）",
    "publicity_max_months": "公示期上限（月）",
    "points": "分值",
    "ban_months": "禁入期（月）",
    "base": "基础分",
    "bands": "等级分界",
    "worst_grade": "最低等级",
    "rows": "文件行数",
    "exported_sessions": "导出场次数",
    "exported_marks": "导出扣分项数",
    "exported_rows": "导出人数",
    "created": "新增",
    "present": "已存在",
    "skipped_bad": "跳过的错误行",
    "pending": "待领导确认",
    # a bid opening's list checked at once (批量核验)
    "decided": "人工确认行数",
    "banned": "禁止入场",
    "not_found": "未找到",
    "records": "有不良记录",
    "clear": "可入场",
    "left_out": "未核验",
    # the working-day calendar
    "day": "日期",
    # complaints
    "channel": "投诉渠道",
    "category": "投诉类别",
    "respondent": "被投诉对象",
    "deadline": "办结期限",
    "provisional": "期限暂定",
    "anonymous": "匿名",
    "evidence": "证据文件数",
    "linked_to": "关联投诉",
    "handler_staff_id": "承办人",
    "outcome": "调查结论",
    "overdue": "超期",
    "deduction": "扣分（被投诉人）",
    "overdue_deduction": "扣分（超期承办人）",
    "satisfaction": "满意度",
    "followup": "差评跟进期限",
    "length": "字数",
    "days": "工作日数",
    "approve": "审批结果",
    "record_id": "信用记录",
    "old": "原值",
    "new": "新值",
    # expert evaluations
    "code": "项目编号",
    "text": "考评内容",
    "default_points": "默认扣分",
    "min_points": "扣分下限",
    "max_points": "扣分上限",
    "serious": "严重违规项",
    "accumulation": "累计方式",
    "notify_points": "通报阈值",
    "suspend_points": "暂停阈值",
    "serious_suspends": "严重违规项即建议暂停",
    "suspension_months": "暂停期限（月）",
    "project_code": "项目编号",
    "project_name": "项目名称",
    "room": "评标室",
    "scheduled_start": "计划开始时间",
    "scheduled_end": "计划结束时间",
    "actual_start": "实际开始时间",
    "actual_end": "实际结束时间",
    "evaluation_date": "评标日期",
    "witness_staff_id": "见证人",
    "witness_name": "见证人姓名",
    "due_on": "定稿期限",
    "due_provisional": "定稿期限暂定",
    "experts": "专家人数",
    "imported": "来源",
    "revision": "版次",
    "marks": "扣分项数",
    "records_added": "新增信用记录数",
    "records_revoked": "撤销信用记录数",
    "proposals": "新处理建议数",
    "withdrawn": "撤回处理建议数",
    # expert evaluations: a leader's decision on a proposal
    "expert": "评标专家",
    "action": "建议处理",
    "suspend_until": "暂停截止日期",
    # monthly staff scoring
    "month": "月份",
    "is_default": "默认方案",
    "maximum": "最高分",
    "items": "考核项目数",
    "scheme_name": "考核方案",
    "monthly_bands": "月度等次分数线",
    "monthly_worst": "月度最低等次",
    "veto_cap": "否决封顶等次",
    "excellent": "优秀人数",
    "quota": "优秀名额",
    "quota_percent": "优秀比例（%）",
    "quota_min_size": "至少一名优秀的科室人数",
    "quarterly_bands": "季度等次分数线",
    "quarterly_worst": "季度最低等次",
    "annual_bands": "年度等次分数线",
    "annual_worst": "年度最低等次",
    "sheets": "评分表数",
    "automatic": "自动计入项变动数",
    "lines": "手工评分行数",
    "total": "总分",
    "grade": "等次",
    "override_reason": "超额理由",
    "late": "补计入的迟到项数",
    "item_code": "考核项目",
    "source_ref": "来源编号",
    "uphold": "处理结果",
}
FIELD_ORDER = {key: index for index, key in enumerate(FIELD_LABELS)}
# The same key named for what it is on one kind of object.
OBJECT_FIELD_LABELS = {
    ("staff", "name"): "姓名",
    ("department", "name"): "科室名称",
    ("credit_subject", "name"): "主体名称",
    ("credit_subject", "kind"): "主体类型",
    ("credit_subject", "phone"): "联系电话",
    ("credit_record", "kind"): "记录类型",
    ("credit_rule", "kind"): "记录类型",
    ("credit_import", "kind"): "导入内容",
    ("credit_subject", "staff_id"): "对应工作人员",
    ("notice", "checked"): "已核验行数",
    ("notice", "notice"): "汇总表编号",
    ("calendar_day", "on"): "日期",
    ("calendar_import", "kind"): "导入内容",
    ("evaluation_import", "kind"): "导入内容",
    ("evaluation_import", "created"): "新增场次",
    ("evaluation_import", "pending"): "新的处理建议",
    ("audit_log", "reason"): "校验发现",
    ("complaint", "to"): "转办至",
    ("complaint_rule", "from"): "生效日期",
    ("database", "reason"): "校验发现",
    ("evaluation_session", "category"): "交易类别",
    ("evaluation_session", "points"): "扣分合计",
    ("evaluation_session", "reason"): "重新打开的理由",
    ("scoring_rule", "excellent"): "限额等次",
    ("scoring_department_month", "reason"): "理由",
    ("scoring_entry", "reason"): "申诉理由",
    ("scoring_entry", "note"): "处理意见",
}


def _labels(mapping: Mapping[Any, str]) -> dict[str, str]:
    return {str(code): label for code, label in mapping.items()}


# Coded values by field, and where a field's codes depend on the action, by action prefix ("" for
# any): the longest matching prefix wins.
VALUE_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "roles": {"": _labels(ROLE_LABELS)},
    "in_effect": {"": _labels(ROLE_LABELS)},
    "awaiting": {"": _labels(ROLE_LABELS)},
    "kind": {
        "credit.subject": _labels(SUBJECT_KIND_LABELS),
        "credit.record": _labels(RECORD_KIND_LABELS),
        "credit.rule": _labels(RECORD_KIND_LABELS),
        "credit.import": {"subjects": "信用主体", "records": "信用记录"},
        "calendar.day": _labels(DAY_KIND_DESCRIPTIONS),
        "calendar.import": {"days": "工作日历"},
        "evaluation.import": {"sessions": "专家考评"},
    },
    "severity": {"": _labels(SEVERITY_LABELS)},
    "channel": {"complaint": _labels(CHANNEL_LABELS)},
    "category": {"complaint": _labels(CATEGORY_LABELS), "evaluation": _labels(TRADE_CATEGORY_LABELS)},
    "accumulation": {"evaluation": _labels(ACCUMULATION_LABELS)},
    "outcome": {"complaint": _labels(OUTCOME_LABELS)},
    "satisfaction": {"complaint": _labels(SATISFACTION_LABELS)},
    "status": {"credit.record": _labels(STATUS_LABELS)},
    "source": {"": _labels(SOURCE_LABELS)},
    "verdict": {"": _labels(VERDICT_LABELS)},
    "pool_status": {"": _labels(EXPERT_POOL_LABELS)},
    "action": {"evaluation.proposal": _labels(PROPOSAL_ACTION_LABELS)},
    "field": {"": {"id_number": "身份证号", "phone": "电话"}},
    "steps": {
        "demo.build": {
            "center": "中心设置",
            "staff": "人员",
            "accounts": "账户",
            "credit": "信用档案",
            "complaints": "投诉",
            "evaluations": "专家考评",
            "scoring": "月度考核",
        }
    },
}
# Yes/no fields said as what they mean.
BOOLEAN_LABELS = {
    "active": ("启用", "停用"),
    "approved": ("准予修复", "不予修复"),
    "genuine": ("真实有效", "不符"),
    "intact": ("完整", "异常"),
    "opens_segment": ("自此开启", "否"),
    "file": ("附带文件", "未附带文件"),
    "provisional": ("暂定", "否"),
    "anonymous": ("匿名", "实名"),
    "overdue": ("超期", "未超期"),
    "approve": ("批准", "不批准"),
    "serious": ("是", "否"),
    "serious_suspends": ("是", "否"),
    "due_provisional": ("暂定", "否"),
    "imported": ("导入的纸质考评表", "现场录入"),
    "uphold": ("维持（计入）", "撤销（不计入）"),
    "is_default": ("是", "否"),
}
SYSTEM_ACTORS = {
    "<init>": "系统（初始化）",
    "<login>": "系统（登录验证）",
    "<demo>": "系统（演示数据）",
    "<system>": "系统",
}
# Fingerprints are long: the line shows their start, the tooltip all of it.
LONG_VALUES = frozenset({"sha256", "pdf_sha256"})
DIFF_ACTIONS_SUFFIXES = (".update", ".save")
EMPTY = "（空）"


def document_type_labels() -> dict[str, str]:
    from desktop_app.notices.documents import DOCUMENT_TYPES  # reportlab: only when a summary has one

    return {code: kind.label for code, kind in DOCUMENT_TYPES.items()}


def value_labels(action: str, key: str) -> dict[str, str] | None:
    """The labels of a field's coded values under this action, or None for a field of free values."""
    if key == "doc_type":
        return document_type_labels()
    by_prefix = VALUE_LABELS.get(key)
    if by_prefix is None:
        return None
    best = max(
        (p for p in by_prefix if p == "" or action == p or action.startswith(p + ".")),
        key=len,
        default=None,
    )
    return by_prefix[best] if best is not None else None


def field_label(object_type: str, key: str) -> str:
    return OBJECT_FIELD_LABELS.get((object_type, key)) or FIELD_LABELS.get(key, key)


def object_label(object_type: str) -> str:
    return OBJECT_LABELS.get(object_type, object_type)


def person_label(username: str, names: Mapping[str, str]) -> str:
    """The person's name (a system actor's description), the login name where no account has it."""
    return SYSTEM_ACTORS.get(username) or names.get(username) or username


Namer = Callable[[str, Any], str | None]  # (field, value) → a name for an id, or None


class SummaryWords:
    """Renders one entry's summary as (field, value) pairs in words. ``namer`` gives the names of ids
    (a department's, a staff member's) that the entry keeps by number."""

    def __init__(self, action: str, object_type: str, namer: Namer | None = None) -> None:
        self.action = action
        self.object_type = object_type
        self.namer = namer

    def pairs(self, summary: Mapping[str, Any], full: bool = False) -> list[tuple[str, str]]:
        items: Mapping[str, Any] = summary
        if isinstance(summary.get("changed"), dict) and len(summary) == 1:
            items = summary["changed"]  # settings: {"changed": {key: [old, new]}}
        # An update keeps each changed field as [old, new] (``base.changes``).
        diff = self.action.endswith(DIFF_ACTIONS_SUFFIXES) or items is not summary
        out = []
        # The trail keeps the keys sorted by name; they are shown in the order of FIELD_LABELS, which
        # puts what matters first (the query before the notice number, the name before the code).
        for key, value in sorted(items.items(), key=lambda item: FIELD_ORDER.get(item[0], len(FIELD_ORDER))):
            if diff and isinstance(value, list) and len(value) == 2:
                text = f"{self.value(key, value[0], full)} → {self.value(key, value[1], full)}"
            else:
                text = self.value(key, value, full)
            out.append((field_label(self.object_type, key), text))
        return out

    def value(self, key: str, value: Any, full: bool = False) -> str:
        if value is None or value == "":
            return EMPTY
        if isinstance(value, bool):
            yes, no = BOOLEAN_LABELS.get(key, ("是", "否"))
            return yes if value else no
        if isinstance(value, list):
            return "、".join(self.value(key, v, full) for v in value) if value else "（无）"
        if isinstance(value, dict):
            return "；".join(
                f"{field_label(self.object_type, k)}：{self.value(k, v, full)}" for k, v in value.items()
            )
        if self.namer is not None:
            named = self.namer(key, value)
            if named is not None:
                return named
        labels = value_labels(self.action, key)
        if labels is not None:
            return labels.get(str(value), str(value))
        text = str(value)
        if key in LONG_VALUES and not full and len(text) > 16:
            return text[:12] + "…"
        return text

    def line(self, summary: Mapping[str, Any]) -> str:
        return "；".join(f"{label}：{text}" for label, text in self.pairs(summary))

    def lines(self, summary: Mapping[str, Any]) -> list[str]:
        return [f"{label}：{text}" for label, text in self.pairs(summary, full=True)]


def missing_words(
    action: str, object_type: str, summary: Mapping[str, Any], known_codes: frozenset[str] = frozenset()
) -> list[str]:
    """What an entry would show raw: an object type or a field without a label, a coded value its
    field does not name, or a value that is one of ``known_codes`` (the domain's enum values) under
    a field that has no labels for its values."""
    from desktop_app.services.audit_log import ACTION_LABELS

    missing = []
    if action not in ACTION_LABELS:
        missing.append(f"action {action}")
    if object_type and object_type not in OBJECT_LABELS:
        missing.append(f"object type {object_type}")
    items: Mapping[str, Any] = summary
    if isinstance(summary.get("changed"), dict) and len(summary) == 1:
        items = summary["changed"]
    for key, value in items.items():
        if key not in FIELD_LABELS and (object_type, key) not in OBJECT_FIELD_LABELS:
            missing.append(f"field {key} ({action})")
        labels = value_labels(action, key)
        for item in _scalars(value):
            if not isinstance(item, str) or not item:
                continue
            if labels is not None and item not in labels:
                missing.append(f"value {key}={item} ({action})")
            elif labels is None and item in known_codes:
                missing.append(f"coded value {key}={item} without labels ({action})")
    return missing


def _scalars(value: Any) -> list[Any]:
    if isinstance(value, list):
        return [s for v in value for s in _scalars(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _scalars(v)]
    return [value]
