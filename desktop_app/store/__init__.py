"""Persistence: SQLAlchemy 2 models, engine and session setup, the audit chain, migrations."""
