"""Mail: accounts, IMAP import, MIME, the outbox and SMTP sending."""
