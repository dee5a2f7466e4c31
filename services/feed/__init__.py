"""Reading a card: the feed of a client, lead, contact or deal, where an item came from, the
indicators, and global search.
"""
