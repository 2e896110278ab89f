"""A passage's pictures by URL, for a notification: /api/lpr_camera/passage/<id>/<plate|full>.

The bus event of a read carries its `passage_id` before the read is stored: the URL is known at
once, and the view waits for the read's pictures. A logged-in user's request only (the companion
apps send their login with a URL of Home Assistant's); the plate log's "for administrators only"
holds here too.
"""

from __future__ import annotations

import re
from http import HTTPStatus

from aiohttp import web
from homeassistant.components.http.const import KEY_HASS_USER
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView

from ..const import DOMAIN
from ..site import site_of

PICTURE_KINDS = ("plate", "full")
_PASSAGE_ID = re.compile(r"[0-9a-f]{32}")


class PassagePictureView(HomeAssistantView):
    """Serves the plate crop or the full picture of a passage's first read that has one."""

    url = f"/api/{DOMAIN}/passage/{{passage_id}}/{{kind}}"
    name = f"api:{DOMAIN}:passage_picture"

    async def get(self, request: web.Request, passage_id: str, kind: str) -> web.StreamResponse:
        """The picture, or 404 when there is none (or no such passage)."""
        if kind not in PICTURE_KINDS or not _PASSAGE_ID.fullmatch(passage_id):
            return web.Response(status=HTTPStatus.NOT_FOUND)
        site = site_of(request.app[KEY_HASS])
        if (
            site.known_vehicles.settings.plate_log_admin_only
            and not request[KEY_HASS_USER].is_admin
        ):
            return web.Response(status=HTTPStatus.FORBIDDEN)
        path = await site.plate_log.async_passage_picture(passage_id, kind)
        if path is None:
            return web.Response(status=HTTPStatus.NOT_FOUND)
        return web.FileResponse(path, headers={"Content-Type": "image/jpeg"})
