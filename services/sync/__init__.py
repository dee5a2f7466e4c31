"""Laptop replica sync with the team server: the clock and the merge rules.

See docs/offline-sync.md.
"""
