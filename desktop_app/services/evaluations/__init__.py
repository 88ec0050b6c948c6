"""On-site evaluation of bid-evaluation experts (评标专家现场考评): the item catalogue and thresholds,
sessions with their experts, the witness's grid and its sign-off into the experts' credit files, a
leader's reopen, the experts' standing and the proposals the thresholds produce.

``EvaluationService`` is what the GUI and the command line call (``services.evaluations``), assembled
from one class per part; other modules (the import, the demo) use the ``*_in`` functions inside their
own transaction.

Parts: ``types`` (what crosses the boundary), ``catalogue`` (items and rules by date), ``sessions``
(the form, numbering, the list, the expert picker and drawn lists), ``grid`` (draft, finalise,
reopen, revisions), ``standing`` (pool status, points, roster, ranking, ``proposals_in``),
``proposals`` (a leader's confirmation or rejection), ``todo`` (the home page's 待办).
"""

from __future__ import annotations

from desktop_app.services.evaluations.catalogue import CatalogueOps, items_in, rule_in
from desktop_app.services.evaluations.grid import GridOps, finalise_in
from desktop_app.services.evaluations.proposals import ProposalOps
from desktop_app.services.evaluations.sessions import (
    LOCKED,
    SessionOps,
    create_session_in,
    find_in,
    grid_from_json,
    grid_to_json,
    session_info_in,
)
from desktop_app.services.evaluations.standing import StandingOps, pool_status_in, proposals_in


class EvaluationService(CatalogueOps, SessionOps, GridOps, StandingOps, ProposalOps):
    """Every expert-evaluation use case on one object, one transaction and one audit entry each."""


__all__ = [
    "LOCKED",
    "EvaluationService",
    "create_session_in",
    "finalise_in",
    "find_in",
    "grid_from_json",
    "grid_to_json",
    "items_in",
    "pool_status_in",
    "proposals_in",
    "rule_in",
    "session_info_in",
]
