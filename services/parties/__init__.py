"""Clients, leads, contact persons and deals: records, addresses and numbers, custom fields,
the big lists and the deals board.
"""
