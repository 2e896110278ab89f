"""The RTSP client skips a plate too long to be one, with one warning, and plays on."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from functools import partial

import pytest

from custom_components.lpr_camera.lpr.models import MAX_PLATE_LENGTH
from custom_components.lpr_camera.lpr.rtsp_client import RtspMetadataClient
from simulator.onvif_documents import metadata_stream, seed_event, standard_event
from simulator.rtsp_server import RtspTestServer

from .session_clients import Recorder, stopped_at_end

pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.fixture
async def camera() -> AsyncIterator[RtspTestServer]:
    camera = RtspTestServer()
    await camera.start()
    yield camera
    await camera.stop()


async def test_plates_too_long_are_skipped_with_one_warning(
    camera: RtspTestServer, caplog: pytest.LogCaptureFixture
) -> None:
    too_long = "X" * (MAX_PLATE_LENGTH + 1)
    async with stopped_at_end(partial(Recorder, RtspMetadataClient, camera.url)) as make:
        client = make()
        await client.start()

        await camera.send_document(metadata_stream(seed_event(too_long)))
        await camera.send_document(metadata_stream(standard_event(too_long), seed_event("NEXT1")))
        await camera.send_document(metadata_stream(seed_event("NEXT2")))

        assert [(await client.next_read()).plate for _ in range(2)] == ["NEXT1", "NEXT2"]
        assert client.reads.empty()
        assert client.connection_changes == [True]
    skipped = [record for record in caplog.records if "longer than" in record.getMessage()]
    assert [record.levelno for record in skipped] == [logging.WARNING, logging.DEBUG]
    assert too_long not in caplog.text
