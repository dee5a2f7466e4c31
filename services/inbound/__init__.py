"""Inbound requests: mail, web forms and Telegram messages that become requests,
routed by a source's rules to a person, a deal, a ticket or a rejection.
"""
