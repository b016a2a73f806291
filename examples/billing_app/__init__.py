"""A small billing application on SQLite that embeds dunlib end to end.

:mod:`billing_app.app` is the application (invoices through the approval workflow, the
daily dunning run, bank statements matched and booked, every value stored as its JSON
document); :mod:`billing_app.quarter` runs it over a simulated quarter. From
``examples/``: ``python -m billing_app`` runs the quarter in memory and prints the
outcome, ``python -m billing_app billing.db`` keeps the database in a file.
"""

from __future__ import annotations

from .app import BillingApp, RunReport, StatementReport
from .quarter import Quarter, run_quarter

__all__ = ["BillingApp", "Quarter", "RunReport", "StatementReport", "run_quarter"]
