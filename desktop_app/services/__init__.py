"""Use cases: each public method is one transaction with its audit entry, returning plain data."""
