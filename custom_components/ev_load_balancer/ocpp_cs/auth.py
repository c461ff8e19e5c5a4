"""Security profile 1: HTTP Basic auth with passwords kept only as salted hashes."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

# scrypt work factors (RFC 7914 interactive values): about 16 MB and some tens
# of milliseconds per check, so verification runs in an executor.
_SCRYPT_N = 2**14
_SCRYPT_R = 8
_SCRYPT_P = 1
_KEY_BYTES = 32
_SALT_BYTES = 16
_SCHEME = "scrypt"
# OCPP 1.6 wants 16 to 20 bytes, 2.0.1 16 to 40 characters: 20 letters and
# digits (no look-alikes, to type into a charger's web page) fit both.
_GENERATED_LENGTH = 20
_GENERATED_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _scrypt(secret: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        secret, salt=salt, n=n, r=r, p=p, dklen=_KEY_BYTES, maxmem=64 * 1024 * 1024
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def generate_password() -> str:
    """A random password for security profile 1 (about 116 bits)."""
    return "".join(
        secrets.choice(_GENERATED_ALPHABET) for _ in range(_GENERATED_LENGTH)
    )


def hash_password(password: str) -> str:
    """A self-describing salted scrypt hash of the password (blocking)."""
    if not password:
        raise ValueError("empty password")
    salt = secrets.token_bytes(_SALT_BYTES)
    key = _scrypt(password.encode(), salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)
    return f"{_SCHEME}${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${_b64(salt)}${_b64(key)}"


def _matches(secret: bytes, encoded: str) -> bool:
    try:
        scheme, n, r, p, salt, key = encoded.split("$")
        if scheme != _SCHEME:
            return False
        expected = base64.b64decode(key, validate=True)
        actual = _scrypt(
            secret, base64.b64decode(salt, validate=True), int(n), int(r), int(p)
        )
    except (ValueError, binascii.Error):
        return False  # a damaged hash never matches
    return hmac.compare_digest(actual, expected)


def verify_password(password: bytes, encoded: str) -> bool:
    """Whether the password the charger sent matches the stored hash (blocking).

    OCPP 1.6 allows the AuthorizationKey to be binary, configured as hex: a
    charger then sends raw bytes, which match the hex text the user typed.
    """
    if _matches(password, encoded):
        return True
    try:
        password.decode()
    except UnicodeDecodeError:
        return _matches(password.hex().encode(), encoded)
    return False


def parse_basic_auth(header: str | None) -> tuple[str, bytes] | None:
    """User name and password bytes of an `Authorization: Basic` header."""
    if not header:
        return None
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error:
        return None
    user, colon, password = decoded.partition(b":")
    if not colon:
        return None
    try:
        return user.decode(), password
    except UnicodeDecodeError:
        return None
