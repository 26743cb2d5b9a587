"""The console's client for the relay endpoints on the Rasa server."""
from __future__ import annotations

from typing import Any, Dict, Optional
from urllib.parse import quote

import aiohttp

from veiviser.handoff import settings


class RelayError(Exception):
    """The relay refused or could not be reached."""


class RelayClient:
    def __init__(self, base_url: Optional[str] = None, secret: Optional[str] = None,
                 http: Optional[aiohttp.ClientSession] = None) -> None:
        self.base_url = (base_url or settings.relay_url()).rstrip("/")
        self.secret = secret if secret is not None else settings.relay_secret()
        self._http = http

    async def _session(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))
        return self._http

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()

    async def _call(self, method: str, sender_id: str, action: str,
                    body: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        url = f"{self.base_url}/{quote(sender_id, safe='')}/{action}"
        http = await self._session()
        try:
            async with http.request(method, url, json=body,
                                    headers={"Authorization": f"Bearer {self.secret}"}) as resp:
                data = await resp.json(content_type=None)
                if resp.status != 200:
                    raise RelayError(f"{action}: HTTP {resp.status} {data}")
                return data
        except (aiohttp.ClientError, ValueError) as error:
            raise RelayError(f"{action}: {error}") from error

    async def start(self, sender_id: str) -> bool:
        return bool((await self._call("POST", sender_id, "start", {}))["delivered"])

    async def message(self, sender_id: str, text: str) -> bool:
        return bool((await self._call("POST", sender_id, "message", {"text": text}))["delivered"])

    async def end(self, sender_id: str, reason: str = "closed") -> bool:
        return bool((await self._call("POST", sender_id, "end", {"reason": reason}))["delivered"])

    async def transcript(self, sender_id: str) -> Dict[str, Any]:
        return await self._call("GET", sender_id, "transcript")
