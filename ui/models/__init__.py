"""Qt item models: column constants, custom roles, sort/filter proxies; rows as plain data."""
