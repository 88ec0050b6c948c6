"""Pure rules of the trade: no Qt, no SQLAlchemy."""
