"""Issued documents on screen: the preview (print, save as PDF, 补打), verification, the test page."""
