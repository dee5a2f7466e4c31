"""Contacts in (vCard, CSV) and interactions out (CSV, iCalendar)."""
