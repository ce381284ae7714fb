"""The two Argon2 cost profiles: installations use `standard`, the suite uses `test`, and
a hash made under one verifies under the other (and is upgraded at the next login)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from ebconsole.users import passwords


def test_installations_use_argon2_defaults(monkeypatch):
    monkeypatch.delenv(passwords.PROFILE_VARIABLE, raising=False)
    hasher = passwords.make_hasher()
    default = PasswordHasher()
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (
        default.time_cost,
        default.memory_cost,
        default.parallelism,
    )


def test_the_suite_runs_on_the_cheap_profile():
    assert passwords.profile_name() == "test"
    assert passwords.make_hasher().memory_cost == 8 * 1024


def test_hashes_verify_across_profiles_and_the_weaker_one_needs_a_rehash(monkeypatch):
    cheap = passwords.make_hasher()
    monkeypatch.setenv(passwords.PROFILE_VARIABLE, "standard")
    strong = passwords.make_hasher()
    cheap_hash = cheap.hash("Duty-room-2026")
    assert cheap_hash.startswith("$argon2id$")
    assert strong.verify(cheap_hash, "Duty-room-2026")
    assert strong.check_needs_rehash(cheap_hash)


def test_an_unknown_profile_is_refused(monkeypatch):
    monkeypatch.setenv(passwords.PROFILE_VARIABLE, "none")
    with pytest.raises(ValueError, match="EBCONSOLE_PASSWORD_HASH_PROFILE"):
        passwords.make_hasher()
