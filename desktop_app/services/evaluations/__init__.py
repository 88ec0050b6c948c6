"""Expert evaluations (评标专家现场考评): ``EvaluationService`` is what the GUI and the CLI call
(``services.evaluations``), assembled from one class per part."""

from __future__ import annotations

from desktop_app.services.evaluations.proposals import ProposalOps
from desktop_app.services.evaluations.standing import StandingOps, pool_status_in, proposals_in


class EvaluationService(StandingOps, ProposalOps):
    """Every expert-evaluation use case on one object."""


__all__ = ["EvaluationService", "pool_status_in", "proposals_in"]
