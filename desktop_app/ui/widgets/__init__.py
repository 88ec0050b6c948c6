"""Widgets and table-model helpers shared by the pages."""
