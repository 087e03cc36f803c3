"""Reporting: periods and deadlines, obligations, dispatch reports and their values, Excel, timeliness, the
province's import, reconciliation and the checks between values — with their services, forms, views and URLs.

It may call the recompute of `indicators.progress.services` after a write; `indicators.progress` does not import it.
"""
