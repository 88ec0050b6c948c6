"""Credit files: subjects, records, repairs, the catalogue, the lookup and the entry-desk check.

``CreditService`` is what the GUI and the CLI call (``services.credit``): one method, one transaction,
one audit entry. It is assembled from one class per part, each in its own module:

    types        the input and info data classes
    validation   what a subject, record or catalogue version must satisfy (no database)
    catalogue    default periods and points, score and grade rules, by effective date
    subjects     subjects, aliases, contacts, unmasking
    records      records, leader confirmation, revocation, attachments
    repairs      credit repair requests and decisions
    verdicts     verdict, score and grade on a day
    search       the lookup (the hot path); search_index writes its keys
    checks       登记核验 and the 信用查询结果告知单
    batch        批量核验: a bid opening's list of bidders checked at once; ``certify``
    batch_lines  reading such a list and naming each line's subject
    files        a subject's whole file for the detail pane
    importing    subjects and records from .xlsx/.csv (on services.tabular_import)

Other modules write into the credit files inside their own transaction through the public
``*_in`` functions re-exported here (``add_record_in``, ``create_subject_in`` ...), never through a
part's private names.
"""

from __future__ import annotations

from desktop_app.services.credit.batch import (
    BatchOps,
    BatchPreview,
    BatchResult,
    CertifiedLine,
    Choice,
    Decision,
    UndecidedQuery,
)
from desktop_app.services.credit.batch_lines import (
    LINE_STATE_LABELS,
    BatchLine,
    Candidate,
    LineState,
    write_list_template,
)
from desktop_app.services.credit.catalogue import CatalogueOps, rules_in, score_rules_in
from desktop_app.services.credit.checks import CERTIFICATE_RECORDS, REPEAT_WINDOW, CheckOps, entry_check_in
from desktop_app.services.credit.files import FileOps
from desktop_app.services.credit.records import (
    ATTACHMENT_LIMIT,
    RecordOps,
    add_record_in,
    dedupe_key,
    record_values_in,
    revoke_records_in,
)
from desktop_app.services.credit.repairs import RepairOps
from desktop_app.services.credit.search import (
    COUNT_CAP,
    PROBE_CAP,
    PROBE_CAP_WIDE,
    QUERY_LIMIT,
    SEARCH_LIMIT,
    SearchOps,
    candidates_in,
    search_in,
)
from desktop_app.services.credit.subjects import SubjectOps, create_subject_in, find_subject_by_code
from desktop_app.services.credit.types import (
    AliasInput,
    AttachmentInfo,
    ContactInfo,
    ContactInput,
    EntryCheckInfo,
    EntryCheckResult,
    RecordInfo,
    RecordInput,
    RepairInfo,
    SearchResult,
    SubjectFile,
    SubjectHit,
    SubjectInfo,
    SubjectInput,
)
from desktop_app.services.credit.validation import (
    GRADE_LIMIT,
    GRADE_NAME_LIMIT,
    checked_score_rule,
    validated_subject,
)
from desktop_app.services.credit.verdicts import VerdictOps, assessments_in


class CreditService(
    CatalogueOps, SubjectOps, RecordOps, RepairOps, VerdictOps, SearchOps, CheckOps, BatchOps, FileOps
):
    """Every credit use case the GUI and the CLI call, on one object."""


__all__ = [
    "ATTACHMENT_LIMIT",
    "CERTIFICATE_RECORDS",
    "COUNT_CAP",
    "GRADE_LIMIT",
    "GRADE_NAME_LIMIT",
    "LINE_STATE_LABELS",
    "PROBE_CAP",
    "PROBE_CAP_WIDE",
    "QUERY_LIMIT",
    "REPEAT_WINDOW",
    "SEARCH_LIMIT",
    "AliasInput",
    "AttachmentInfo",
    "BatchLine",
    "BatchPreview",
    "BatchResult",
    "Candidate",
    "CertifiedLine",
    "Choice",
    "ContactInfo",
    "ContactInput",
    "CreditService",
    "Decision",
    "EntryCheckInfo",
    "EntryCheckResult",
    "LineState",
    "RecordInfo",
    "RecordInput",
    "RepairInfo",
    "SearchResult",
    "SubjectFile",
    "SubjectHit",
    "SubjectInfo",
    "SubjectInput",
    "UndecidedQuery",
    "add_record_in",
    "assessments_in",
    "candidates_in",
    "checked_score_rule",
    "create_subject_in",
    "dedupe_key",
    "entry_check_in",
    "find_subject_by_code",
    "record_values_in",
    "revoke_records_in",
    "rules_in",
    "score_rules_in",
    "search_in",
    "validated_subject",
    "write_list_template",
]
