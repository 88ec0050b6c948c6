"""Printed documents: pure functions from plain data to PDF bytes (reportlab, no Qt).

The CJK TrueType font from ``resources/fonts`` is embedded as a subset in every PDF, so a page renders
Chinese on a machine with no Chinese fonts. Layouts: official notice (GB/T 9704 habits), receipt
(two copies with a cut line), table report (header row repeated on every page).
"""
