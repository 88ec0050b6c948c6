"""The system administrator's page: departments, staff, accounts, center settings."""
