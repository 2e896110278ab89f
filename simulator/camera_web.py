"""The camera's web server, as far as pictures go: GET a path, with Digest or Basic."""

from __future__ import annotations

import asyncio

from aiohttp import web

from .http_auth import CameraAuth


class CameraWebServer:
    """Serves `pictures` by path on 127.0.0.1 (a free port unless given); `hang` paths never answer.

    `abandoned` lists the paths of hanging requests whose client closed the connection.
    """

    def __init__(
        self, *, auth: CameraAuth | None, pictures: dict[str, bytes], port: int = 0
    ) -> None:
        """Serve pictures by path; with auth, only to requests that prove the credentials.

        On the port, or on a free one (0).
        """
        self.auth = auth
        self.pictures = pictures
        self.hang: set[str] = set()
        self.requested: list[str] = []
        self.abandoned: list[str] = []
        self._release = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port = port

    @property
    def port(self) -> int:
        """The port it listens on, once started."""
        return self._port

    async def start(self) -> None:
        """Listen on 127.0.0.1."""
        app = web.Application()
        app.router.add_get("/{path:.*}", self._get)
        # A request handler is cancelled when its client goes away: that is how it hears of it.
        self._runner = web.AppRunner(app, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self._port)
        await site.start()
        self._port = self._runner.addresses[0][1]

    def release(self) -> None:
        """Let the `hang` requests answer, those waiting and those to come."""
        self._release.set()

    async def stop(self) -> None:
        """Answer the hanging requests and stop listening."""
        assert self._runner is not None
        self.release()
        await self._runner.cleanup()

    async def _get(self, request: web.Request) -> web.StreamResponse:
        self.requested.append(request.path)
        authorization = request.headers.get("Authorization")
        if self.auth and not self.auth.accepts("GET", request.raw_path, authorization):
            headers = [("WWW-Authenticate", value) for value in self.auth.challenges()]
            return web.Response(status=401, headers=headers)
        if request.path in self.hang:
            try:
                await self._release.wait()
            except asyncio.CancelledError:
                self.abandoned.append(request.path)
                raise
        if request.path not in self.pictures:
            raise web.HTTPNotFound
        return web.Response(body=self.pictures[request.path], content_type="image/jpeg")
