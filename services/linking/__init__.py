"""Putting earlier mail and calls on the right card: the linking job, links by hand and PBX
call logs.
"""
