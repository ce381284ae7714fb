"""Password hashing with Argon2id, in one of two declared cost profiles.

`standard` is argon2-cffi's default (RFC 9106 low-memory: 3 passes over 64 MiB), used by
every installation. `test` (1 pass over 8 MiB) exists only so the test suite, which creates
and logs in users hundreds of times, stays within its time budget on small CI machines: it
runs the same code, only cheaper. It is chosen by the environment variable
EBCONSOLE_PASSWORD_HASH_PROFILE, which the test suite sets and nothing else does.

A stored hash carries its own parameters, so a hash made under either profile verifies
under both; `check_needs_rehash` lets the login to upgrade a weaker one to the current profile.
"""

from __future__ import annotations

import os

from argon2 import PasswordHasher

PROFILE_VARIABLE = "EBCONSOLE_PASSWORD_HASH_PROFILE"
PROFILES: dict[str, dict[str, int]] = {
    "standard": {},  # argon2-cffi's defaults
    "test": {"time_cost": 1, "memory_cost": 8 * 1024, "parallelism": 1},
}


def profile_name() -> str:
    name = os.environ.get(PROFILE_VARIABLE, "standard").strip().lower() or "standard"
    if name not in PROFILES:
        raise ValueError(f"{PROFILE_VARIABLE}={name!r}: expected one of {sorted(PROFILES)}")
    return name


def make_hasher() -> PasswordHasher:
    costs = PROFILES[profile_name()]
    if not costs:
        return PasswordHasher()
    return PasswordHasher(
        time_cost=costs["time_cost"],
        memory_cost=costs["memory_cost"],
        parallelism=costs["parallelism"],
    )
