"""Monthly staff scoring (月度考核, DOMAIN.md §4): the 岗责体系 schemes per post, each staff member's
monthly sheet with the automatic items that arrive by themselves, the department's month and its flow
(submit, lock or return, reopen into a new revision), contests of automatic items.

``ScoringService`` is what the GUI and the command line call (``services.scoring``); other parts (the
roll-ups, the papers, the demo) use the ``*_in`` functions inside their own transaction.

Parts: ``types`` (what crosses the boundary), ``schemes`` (schemes, post map, bands and quota by month),
``automatic`` (what arrives by itself: complaints' deductions, 差评, praise, staff integrity records),
``sheets`` (rights, opening a month, reading and saving sheets, versions, late arrivals), ``flow``
(submit, return, lock, reopen; contests), ``rollups`` (rankings, calibration, quarter and 标兵
candidates, the year, history, grade distribution), ``todo`` (the home page's 待办), ``papers``
(the 月度考核评分表, the 考核结果通知, the 服务示范岗标兵通报) and ``export`` (a month's .xlsx).
"""

from __future__ import annotations

from desktop_app.services.scoring.automatic import arrivals_in, total_of
from desktop_app.services.scoring.export import ExportOps
from desktop_app.services.scoring.flow import FlowOps
from desktop_app.services.scoring.papers import PapersOps
from desktop_app.services.scoring.rollups import RollupOps
from desktop_app.services.scoring.schemes import (
    Scheme,
    SchemeOps,
    SchemePicker,
    rule_for,
    rule_in,
    rules_in,
    schemes_by_id_in,
)
from desktop_app.services.scoring.sheets import (
    Loaded,
    load_in,
    may_fill,
    month_info,
    open_and_sync_in,
    require_fill,
    require_lock,
    sheet_info,
)
from desktop_app.services.scoring.types import (
    DepartmentMonthInfo,
    EntryInfo,
    EntryInput,
    LateArrival,
    MonthOverview,
    PostSchemeInfo,
    RuleInfo,
    RuleInput,
    SchemeInfo,
    SchemeInput,
    SchemeItemInfo,
    SchemeItemInput,
    SheetInfo,
    SheetInput,
    SheetRow,
)


class ScoringService(SchemeOps, FlowOps, RollupOps, PapersOps, ExportOps):
    """The use cases of the monthly scoring, one transaction and one audit entry each."""


__all__ = [
    "DepartmentMonthInfo",
    "EntryInfo",
    "EntryInput",
    "LateArrival",
    "Loaded",
    "MonthOverview",
    "PostSchemeInfo",
    "RuleInfo",
    "RuleInput",
    "Scheme",
    "SchemeInfo",
    "SchemeInput",
    "SchemeItemInfo",
    "SchemeItemInput",
    "SchemePicker",
    "ScoringService",
    "SheetInfo",
    "SheetInput",
    "SheetRow",
    "arrivals_in",
    "load_in",
    "may_fill",
    "month_info",
    "open_and_sync_in",
    "require_fill",
    "require_lock",
    "rule_for",
    "rule_in",
    "rules_in",
    "schemes_by_id_in",
    "sheet_info",
    "total_of",
]
