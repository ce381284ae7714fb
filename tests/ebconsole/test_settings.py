"""The declared settings: typed values, defaults for anything unusable."""

from __future__ import annotations

import pytest

from ebconsole.settings import (
    IDLE_LOCK_MINUTES,
    LANGUAGE,
    SETTINGS,
    Kind,
    defaults,
    setting,
)


def test_every_setting_is_declared_once_with_a_label():
    keys = [s.key for s in SETTINGS]
    assert len(keys) == len(set(keys))
    for s in SETTINGS:
        assert s.label and isinstance(s.default, s.type)
        assert s.coerce(None) == s.default


def test_values_read_back_as_their_type():
    idle = setting(IDLE_LOCK_MINUTES)
    assert idle.coerce("25") == 25
    assert idle.coerce(" 5 ") == 5
    assert idle.coerce("九") == idle.default
    assert idle.coerce(-1) == idle.default  # outside 0..240
    assert idle.coerce(241) == idle.default


def test_a_choice_outside_the_list_falls_back():
    lang = setting(LANGUAGE)
    assert lang.kind is Kind.CHOICE and not lang.restricted
    assert lang.coerce("en") == "en"
    assert lang.coerce("fr") == ""


def test_an_unknown_key_says_where_to_declare_it():
    with pytest.raises(KeyError, match="SETTINGS"):
        setting("nope/nothing")
    assert defaults()[IDLE_LOCK_MINUTES] == 10
