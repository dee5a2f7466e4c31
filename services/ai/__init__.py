"""AI drafts through the openai client: settings, generation and the queue for drafts asked
for offline.
"""
