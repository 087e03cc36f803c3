"""Signals other domains listen to, so that the reminder job can cover them without importing them."""

from django.dispatch import Signal

# Sent by `reminders_send(today=…, working_days=…)` after the dispatch reminders; each receiver sends its own
# reminders for the same window and returns how many notifications it wrote (supervision: work items, 督办).
reminders_due = Signal()
