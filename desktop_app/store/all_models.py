"""Import every model module so ``Base.metadata`` knows all tables (for Alembic and tests).

Business modules add their model modules here.
"""

from desktop_app.store import calendar_models, credit_models, models, notice_models  # noqa: F401
