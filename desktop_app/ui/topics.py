"""What changed, as announced by ``operations.run`` on ``data_changes().changed(topic, ids)``.

A module adds its own topics here (one line each) when its pages write data others show. The ids
are those of the topic's rows: subjects for ``CREDIT_SUBJECT``, records for ``CREDIT_RECORD`` (a
repair or an attachment changes its record), the subject checked (if any) for ``CREDIT_CHECK``.
"""

from __future__ import annotations

CREDIT_SUBJECT = "credit.subject"
CREDIT_RECORD = "credit.record"
CREDIT_CHECK = "credit.check"
CREDIT_CATALOGUE = "credit.catalogue"
DEPARTMENT = "organisation.department"
STAFF = "organisation.staff"
USER = "admin.user"
CENTER_SETTINGS = "admin.center"
NOTICE = "notice"
CALENDAR = "admin.calendar"  # the working-day calendar: days listed, changed, removed, imported

# What a credit file shows: the lookup and the files page refresh on any of these.
CREDIT_FILES = (CREDIT_SUBJECT, CREDIT_RECORD, CREDIT_CHECK)
COMPLAINT = "complaint"  # a case registered, moved, assigned, closed, visited; ids: the cases
COMPLAINT_RULES = "complaint.rules"
# Expert evaluations: a session created, changed, finalised or reopened (ids: the sessions); a
# proposal confirmed or rejected (ids: the proposals); the item catalogue or the threshold rules.
EVALUATION = "evaluation"
EVALUATION_PROPOSAL = "evaluation.proposal"
EVALUATION_CATALOGUE = "evaluation.catalogue"
# Monthly scoring: a sheet saved, a department's month submitted, returned, locked or reopened, a
# contest decided (ids: the sheets or the departments); the schemes, the post map or the bands.
SCORING = "scoring"
SCORING_SCHEMES = "scoring.schemes"
