"""Calls, meetings, letters and messages planned and done; notes, memos, tasks, attachments
and My agenda.
"""
