"""Password checks under load: a few at a time, backoff after failures.

A check costs a 16 MB scrypt (auth.py). A flood of wrong passwords must
neither grow memory nor slow Home Assistant: checks run on a small pool of
their own (its threads' memory is reused, not multiplied), a bounded number
wait for it, and after a failure the charger id and the address that sent it
are refused at once for a while (doubling up to a cap). A password that
passed once is recognised afterwards by a keyed hash of it, without scrypt,
also during a backoff: someone hammering a charger's id does not lock the
real charger out once it has logged in.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
import hashlib
import hmac
import secrets
import time

from .auth import verify_password
from .throttle import Backoff, Clock


class Verdict(StrEnum):
    """The outcome of a login attempt."""

    ACCEPTED = "accepted"
    WRONG = "wrong"  # checked and wrong, or no credentials at all
    BACKING_OFF = "backing_off"  # refused unchecked: too soon after a failure
    BUSY = "busy"  # refused unchecked: too many checks waiting


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckLimits:
    """How many checks run and wait, and how long a failure blocks."""

    at_once: int
    waiting: int
    backoff_first_s: float
    backoff_cap_s: float


type Verifier = Callable[[bytes, str], bool]


class PasswordChecker:
    """Checks Basic-auth passwords against stored scrypt hashes, within limits."""

    def __init__(
        self,
        limits: CheckLimits,
        *,
        verify: Verifier = verify_password,
        clock: Clock = time.monotonic,
    ) -> None:
        self._limits = limits
        self._verify = verify
        self._by_id, self._by_address = (
            Backoff(
                first_s=limits.backoff_first_s, cap_s=limits.backoff_cap_s, clock=clock
            )
            for _ in range(2)
        )
        self._slots = asyncio.Semaphore(limits.at_once)
        self._queued = 0
        self._executor: ThreadPoolExecutor | None = None
        self._key = secrets.token_bytes(32)
        # (charger id, stored hash) -> keyed hash of the password that matched
        self._known: dict[tuple[str, str], bytes] = {}

    def retry_after_s(self, charger_id: str, address: str) -> float:
        """How long the id or the address must still wait (0: none)."""
        return max(
            self._by_id.blocked_for(charger_id), self._by_address.blocked_for(address)
        )

    async def check(
        self,
        charger_id: str,
        address: str,
        password: bytes | None,
        password_hash: str,
        *,
        still_wanted: Callable[[], bool] = lambda: True,
    ) -> Verdict:
        """Whether `password` is the charger's; refuses at once when it may not try."""
        if password is not None and self._matches_known(
            charger_id, password_hash, password
        ):
            self._succeeded(charger_id, address)
            return Verdict.ACCEPTED
        if password is None:
            # Costs nothing, and a client may ask first what a 401 asks of it.
            return Verdict.WRONG
        if self.retry_after_s(charger_id, address) > 0:
            return Verdict.BACKING_OFF
        if self._queued >= self._limits.at_once + self._limits.waiting:
            return Verdict.BUSY
        self._queued += 1
        try:
            async with self._slots:
                # Someone failed meanwhile, or the handshake timed out.
                if self.retry_after_s(charger_id, address) > 0:
                    return Verdict.BACKING_OFF
                if not still_wanted():
                    return Verdict.BUSY
                matches = await asyncio.get_running_loop().run_in_executor(
                    self._pool(), self._verify, password, password_hash
                )
        finally:
            self._queued -= 1
        if not matches:
            self._failed(charger_id, address)
            return Verdict.WRONG
        self._known[charger_id, password_hash] = self._keyed(password)
        self._succeeded(charger_id, address)
        return Verdict.ACCEPTED

    async def async_close(self) -> None:
        """Stop the pool's threads (the server stops)."""
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.get_running_loop().run_in_executor(None, executor.shutdown)

    def _pool(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(
                max_workers=self._limits.at_once, thread_name_prefix="ocpp-password"
            )
        return self._executor

    def _keyed(self, password: bytes) -> bytes:
        return hmac.new(self._key, password, hashlib.sha256).digest()

    def _matches_known(
        self, charger_id: str, password_hash: str, password: bytes
    ) -> bool:
        known = self._known.get((charger_id, password_hash))
        return known is not None and hmac.compare_digest(known, self._keyed(password))

    def _failed(self, charger_id: str, address: str) -> None:
        self._by_id.failed(charger_id)
        self._by_address.failed(address)

    def _succeeded(self, charger_id: str, address: str) -> None:
        self._by_id.succeeded(charger_id)
        self._by_address.succeeded(address)
