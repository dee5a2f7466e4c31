"""The core every use case stands on: storage and the unit of work, errors, access, settings,
audit, time zones, normalized contact points and the frozen views handed to the UI and the
CLI.
"""
