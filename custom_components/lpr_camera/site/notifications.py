"""The companion app's answers to a read's notification (the notify_read blueprint's buttons).

A button's action names what to do and the passage it is about: `LPR_ALLOW_<passage id>` and
`LPR_DENY_<passage id>` make the passage's plate a known vehicle on that list, and
`LPR_CORRECT_<passage id>` (its text typed in the notification) corrects the passage's first
read to that plate and has its camera read the plate so from now on (a correction rule). Only an
administrator's answer counts, as these change who may come in (the app's event carries its
user). `LPR_OPEN_<passage id>` is the blueprint's own: it runs the action the user picked.
"""

from __future__ import annotations

import re

from homeassistant.core import Event, HomeAssistant, callback

from ..const import LOGGER
from ..lpr.log_once import LogOnce
from ..read import ReadKey
from . import Site, async_log
from .corrections import ReadNotFoundError
from .known_vehicles import ATTR_LIST, ATTR_PLATE, KnownVehicleError, PlateList

EVENT_NOTIFICATION_ACTION = "mobile_app_notification_action"
_ANSWER = re.compile(r"LPR_(?P<verb>ALLOW|DENY|CORRECT)_(?P<passage>[0-9a-f]{32})")
_LISTS = {"ALLOW": PlateList.ALLOW, "DENY": PlateList.DENY}


@callback
def async_setup_notification_answers(hass: HomeAssistant, site: Site) -> None:
    """Follow the companion app's answers to the site's notifications."""
    refused = LogOnce(LOGGER)

    async def async_answer(event: Event) -> None:
        if not (answer := _ANSWER.fullmatch(str(event.data.get("action", "")))):
            return
        user_id = event.context.user_id
        user = await hass.auth.async_get_user(user_id) if user_id else None
        if user is None or not user.is_admin:
            refused("An answer to a notification was refused: only an administrator's counts")
            return
        plate_log = site.plate_log
        reads = await plate_log.async_passage_reads(answer["passage"])
        if not reads:
            refused("An answer to a notification was about a read the plate log no longer has")
            return
        try:
            if answer["verb"] == "CORRECT":
                typed = str(event.data.get("reply_text") or "")
                await site.async_correct(reads[0].read_id, typed, remember=True)
                return
            plate_list = _LISTS[answer["verb"]]
            plate = reads[0].fields.get(ReadKey.CORRECTED_PLATE) or reads[0].plate
            vehicle = site.known_vehicles.async_save(
                {ATTR_PLATE: plate, ATTR_LIST: str(plate_list)}
            )
        except (KnownVehicleError, ReadNotFoundError) as err:
            refused("An answer to a notification was refused: %s", err)
            return
        async_log(hass, vehicle.title, f"added to the {plate_list} list from a notification")

    hass.bus.async_listen(EVENT_NOTIFICATION_ACTION, async_answer)
