"""Email templates: the sandbox, the variables and the template library."""
