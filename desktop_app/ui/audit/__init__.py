"""The audit administrator's page: read, filter and verify the audit trail."""
