"""Local accounts, roles, and this installation's site and workstation identity."""
