"""Passwords are kept as salted hashes; Basic auth headers parsed strictly."""

from __future__ import annotations

import base64

import pytest

from custom_components.ev_load_balancer.ocpp_cs.auth import (
    hash_password,
    parse_basic_auth,
    verify_password,
)


def test_hash_is_salted_and_verifies() -> None:
    first = hash_password("0123456789abcdef")
    second = hash_password("0123456789abcdef")
    assert first != second  # salted
    assert "0123456789abcdef" not in first
    assert verify_password(b"0123456789abcdef", first)
    assert not verify_password(b"0123456789abcdeX", first)


def test_binary_key_matches_its_hex_text() -> None:
    key = bytes(range(200, 220))  # not UTF-8: sent raw by the charger
    stored = hash_password(key.hex())
    assert verify_password(key, stored)


@pytest.mark.parametrize(
    "damaged", ["", "plain", "scrypt$1$2$3$!!$!!", "md5$a$b$c$d$e"]
)
def test_damaged_hash_never_matches(damaged: str) -> None:
    assert not verify_password(b"anything", damaged)


def test_empty_password_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        hash_password("")


def _basic(raw: bytes) -> str:
    return "Basic " + base64.b64encode(raw).decode()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (_basic(b"CP1:pw"), ("CP1", b"pw")),
        (_basic(b"CP1:pw:with:colons"), ("CP1", b"pw:with:colons")),
        ("basic " + base64.b64encode(b"CP1:x").decode(), ("CP1", b"x")),
        (None, None),
        ("", None),
        ("Bearer token", None),
        ("Basic %%%", None),
        (_basic(b"no-colon"), None),
        (_basic(b"\xff:pw"), None),
    ],
)
def test_parse_basic_auth(
    header: str | None, expected: tuple[str, bytes] | None
) -> None:
    assert parse_basic_auth(header) == expected
