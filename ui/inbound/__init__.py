"""The Inbound section: requests by state, a request's card, support tickets,
and the Sources & rules settings with their dry run."""
