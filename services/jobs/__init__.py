"""The periodic jobs: which exist (``registry``) and one headless pass of
what is due (``runs``). The pure decision lives in ``services.core.scheduler``."""
