"""Scenarios (SPEC F1–F5): chains of steps applied to clients and run by the scheduler."""
