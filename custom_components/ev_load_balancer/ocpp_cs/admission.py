"""What a handshake passes before it becomes a websocket, and how it is refused.

One place holds the gate (handshake timeout and caps), the password checks
(bounded, with backoff) and the refusal log; the central system asks it and
adds what only it knows (who is adopted, pending or connected).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aiohttp import hdrs, web

from .auth import parse_basic_auth
from .config import ServerConfig
from .credentials import CheckLimits, PasswordChecker, Verdict
from .gate import GateLimits, HandshakeGate
from .refusals import RefusalLog


class Admission:
    """The checks of one central system's handshakes."""

    def __init__(self, config: ServerConfig) -> None:
        self._refusals = RefusalLog(config.refusal_log_interval_s)
        self._gate = HandshakeGate(
            GateLimits(
                handshake_timeout_s=config.handshake_timeout_s,
                max_handshakes=config.max_handshakes,
                max_handshakes_per_address=config.max_handshakes_per_address,
            ),
            on_refused=self._refusals.refused,
        )
        self._passwords = PasswordChecker(
            CheckLimits(
                at_once=config.password_checks_at_once,
                waiting=config.password_checks_waiting,
                backoff_first_s=config.auth_backoff_first_s,
                backoff_cap_s=config.auth_backoff_cap_s,
            )
        )

    def protocol_factory(self, factory: Callable[[], Any]) -> Callable[[], Any]:
        """Every connection through the gate (wraps aiohttp's web.Server)."""
        return self._gate.protocol_factory(factory)

    def refuse(
        self,
        status: int,
        reason: str,
        charger_id: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> web.Response:
        """An HTTP refusal that also ends the connection (no keep-alive)."""
        self._refusals.refused(reason, charger_id)
        response = web.Response(status=status, text=reason, headers=headers)
        response.force_close()
        return response

    async def authenticate(
        self, request: web.Request, charger_id: str, password_hash: str | None
    ) -> Verdict | None:
        """Check the Basic-auth password; None when there is none to check."""
        if password_hash is None:
            return None
        credentials = parse_basic_auth(request.headers.get(hdrs.AUTHORIZATION))
        password = (
            credentials[1]
            if credentials is not None and credentials[0] == charger_id
            else None
        )
        return await self._passwords.check(
            charger_id,
            request.remote or "",
            password,
            password_hash,
            still_wanted=lambda: not self.timed_out(request),
        )

    def refusal(
        self, verdict: Verdict | None, request: web.Request, charger_id: str
    ) -> web.Response | None:
        """The answer to a login that failed (None: it did not)."""
        if verdict is Verdict.WRONG:
            return self.refuse(
                401,
                "missing or wrong credentials",
                charger_id,
                {hdrs.WWW_AUTHENTICATE: 'Basic realm="OCPP"'},
            )
        if verdict is Verdict.BACKING_OFF:
            wait_s = self._passwords.retry_after_s(charger_id, request.remote or "")
            return self.refuse(
                429,
                "too soon after a failed login",
                charger_id,
                {hdrs.RETRY_AFTER: str(max(1, round(wait_s)))},
            )
        if verdict is Verdict.BUSY:
            return self.refuse(503, "too many logins at once", charger_id)
        return None

    def timed_out(self, request: web.Request) -> bool:
        """Whether the handshake ran out of time (its connection is closed)."""
        return self._gate.expired(request.transport)

    def accepted(self, request: web.Request) -> None:
        """The handshake is through: a websocket now."""
        self._gate.accepted(request.transport)

    async def async_close(self) -> None:
        """Timers, the last count of refusals, the password threads."""
        self._gate.close()
        self._refusals.close()
        await self._passwords.async_close()
