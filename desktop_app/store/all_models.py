"""Import every model module so ``Base.metadata`` knows all tables (for Alembic and tests).

Business modules add their model modules here.
"""

from desktop_app.store import (  # noqa: F401
    calendar_models,
    complaint_models,
    credit_models,
    evaluation_models,
    models,
    notice_models,
    scoring_models,
)
