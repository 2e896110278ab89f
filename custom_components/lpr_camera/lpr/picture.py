"""Fetch a picture the camera names in its metadata from the camera's own web server.

The camera keeps only its latest pictures, so the caller fetches as soon as the event arrives.
"""

from __future__ import annotations

import asyncio

import aiohttp
from yarl import URL

from .digest import AUTHORIZATION, WWW_AUTHENTICATE, Authenticator
from .exceptions import PictureFetchError, ProtocolError

DEFAULT_TIMEOUT = 5.0
# A 4K JPEG snapshot is about 3 MB.
MAX_PICTURE_BYTES = 16 * 1024 * 1024
_CHUNK_BYTES = 64 * 1024


def picture_url(host: str, port: int, path: str) -> str:
    """The URL of a picture: a path on the camera's web port, or a URL on the camera's host.

    Raises PictureFetchError for a URL elsewhere: the camera's credentials go nowhere else.
    """
    base = URL.build(scheme="http", host=host, port=port)
    try:
        url = base.join(URL(path))
    except ValueError as err:
        raise PictureFetchError(f"picture path {path!r} is no URL: {err}") from err
    if url.scheme not in ("http", "https") or url.host != base.host:
        raise PictureFetchError(f"picture {path} is not on the camera's host {host}")
    return str(url)


async def fetch_picture(
    session: aiohttp.ClientSession,
    url: str,
    username: str,
    password: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - running out of time is one of the reasons reported
) -> bytes:
    """GET a picture, answering the camera's Digest or Basic challenge.

    Raises PictureFetchError saying why there is no picture.
    """
    try:
        async with asyncio.timeout(timeout):
            return await _get(session, URL(url), Authenticator(username, password))
    except TimeoutError as err:
        raise PictureFetchError(f"{url} sent no picture within {timeout:g} s") from err
    except (aiohttp.ClientError, ProtocolError) as err:
        raise PictureFetchError(f"cannot fetch {url}: {err}") from err


async def _get(session: aiohttp.ClientSession, url: URL, auth: Authenticator) -> bytes:
    async with session.get(url, headers=_headers(auth, url), allow_redirects=False) as response:
        if response.status != 401:
            return await _body(response)
        auth.answer(response.headers.getall(WWW_AUTHENTICATE, ()))
    async with session.get(url, headers=_headers(auth, url), allow_redirects=False) as response:
        return await _body(response)


def _headers(auth: Authenticator, url: URL) -> dict[str, str]:
    authorization = auth.authorization("GET", url.raw_path_qs)
    return {AUTHORIZATION: authorization} if authorization else {}


async def _body(response: aiohttp.ClientResponse) -> bytes:
    if response.status == 401:
        raise PictureFetchError(f"camera refused the user name or password for {response.url}")
    if response.status != 200:
        raise PictureFetchError(f"{response.url} answered {response.status} {response.reason}")
    body = bytearray()
    async for chunk in response.content.iter_chunked(_CHUNK_BYTES):
        body += chunk
        if len(body) > MAX_PICTURE_BYTES:
            raise PictureFetchError(f"{response.url} is larger than {MAX_PICTURE_BYTES} bytes")
    if not body:
        raise PictureFetchError(f"{response.url} answered with no picture")
    return bytes(body)
