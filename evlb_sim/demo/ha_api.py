"""Home Assistant's REST and websocket APIs, as the frontend uses them.

Only what the demo needs: onboarding, tokens, config flows, and websocket
commands (registries, dashboards). Every failure becomes an `HaApiError`
naming the request.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
import itertools
from typing import Any, cast

import aiohttp

# How long one request may take; flows that probe devices answer within this.
REQUEST_TIMEOUT_S = 60.0


class HaApiError(Exception):
    """A request to Home Assistant failed or was refused."""


class HaCommandError(HaApiError):
    """A websocket command was refused; `code` is Home Assistant's reason
    (e.g. "unknown_command" from a version without that command).
    """

    def __init__(self, command: str, error: Mapping[str, Any] | None) -> None:
        super().__init__(f"{command}: {error}")
        self.code = str((error or {}).get("code", ""))


async def poll_until(check: Callable[[], Awaitable[bool]], *, every_s: float) -> None:
    """Ask again until `check` says yes: another process tells us nothing."""
    while True:
        if await check():
            return
        await asyncio.sleep(every_s)


class HomeAssistantApi:
    """REST calls against one Home Assistant, with a bearer token once known."""

    def __init__(self, base_url: str, session: aiohttp.ClientSession) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session
        self.token: str | None = None

    async def is_up(self) -> bool:
        """Whether the HTTP server answers yet (it starts early in a boot)."""
        try:
            async with self.session.get(
                f"{self.base_url}/api/onboarding",
                timeout=aiohttp.ClientTimeout(total=5),
            ) as response:
                return response.status == 200
        except (aiohttp.ClientError, TimeoutError):
            return False

    async def is_running(self) -> bool:
        """Whether Home Assistant has finished starting."""
        config = await self.get("/api/config")
        return bool(config.get("state") == "RUNNING")

    async def get(self, path: str, *, auth: bool = True) -> Any:
        return await self._request("GET", path, auth=auth)

    async def post(
        self, path: str, payload: Mapping[str, Any] | None = None, *, auth: bool = True
    ) -> Any:
        return await self._request("POST", path, json=dict(payload or {}), auth=auth)

    async def delete(self, path: str) -> Any:
        return await self._request("DELETE", path)

    async def token_from_code(self, client_id: str, code: str) -> None:
        """Trade an authorization code for an access token (and keep it)."""
        tokens = await self._request(
            "POST",
            "/auth/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": client_id,
            },
            auth=False,
        )
        self.token = str(tokens["access_token"])

    async def _request(
        self, method: str, path: str, *, auth: bool = True, **kwargs: Any
    ) -> Any:
        headers = {}
        if auth:
            if self.token is None:
                raise HaApiError(f"{method} {path}: no access token yet")
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            async with self.session.request(
                method,
                f"{self.base_url}{path}",
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S),
                **kwargs,
            ) as response:
                text = await response.text()
                if response.status >= 400:
                    raise HaApiError(
                        f"{method} {path}: HTTP {response.status}: {text[:300]}"
                    )
                return await response.json(content_type=None) if text else None
        except aiohttp.ClientError as err:
            raise HaApiError(f"{method} {path}: {err}") from err
        except TimeoutError as err:
            raise HaApiError(f"{method} {path}: no answer in time") from err

    @asynccontextmanager
    async def websocket(self) -> AsyncIterator[WebSocketApi]:
        """An authenticated websocket connection."""
        url = self.base_url.replace("http", "ws", 1) + "/api/websocket"
        try:
            async with self.session.ws_connect(url, max_msg_size=0) as socket:
                api = WebSocketApi(socket)
                await api.authenticate(self.token or "")
                yield api
        except aiohttp.ClientError as err:
            raise HaApiError(f"websocket: {err}") from err


class WebSocketApi:
    """Commands over one websocket connection, one at a time."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self._socket = socket
        self._ids = itertools.count(1)
        self._lock = asyncio.Lock()

    async def _receive(self) -> dict[str, Any]:
        async with asyncio.timeout(REQUEST_TIMEOUT_S):
            message = await self._socket.receive()
        if message.type is not aiohttp.WSMsgType.TEXT:
            raise HaApiError(f"websocket closed ({message.type.name})")
        return cast("dict[str, Any]", message.json())

    async def authenticate(self, token: str) -> None:
        hello = await self._receive()
        if hello.get("type") != "auth_required":
            raise HaApiError(f"websocket: unexpected greeting {hello}")
        await self._socket.send_json({"type": "auth", "access_token": token})
        answer = await self._receive()
        if answer.get("type") != "auth_ok":
            raise HaApiError(f"websocket: authentication refused: {answer}")

    async def call(self, command: str, **payload: Any) -> Any:
        """Send one command and return its result (events are skipped)."""
        async with self._lock:
            message_id = next(self._ids)
            await self._socket.send_json({"id": message_id, "type": command, **payload})
            while True:
                answer = await self._receive()
                if answer.get("id") == message_id and answer.get("type") == "result":
                    break
        if not answer.get("success"):
            raise HaCommandError(command, answer.get("error"))
        return answer.get("result")
