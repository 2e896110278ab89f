"""Simulated LPR cameras for the tests, the benchmarks, the demo and the screenshots.

Not part of the integration: HACS installs custom_components/lpr_camera/ only, and this package
imports the library from there (custom_components.lpr_camera.lpr), never the other way round.
Beside the cameras, frigate.py plays a Frigate over MQTT (with Debian's mosquitto), and
harness.py runs the demo in headless Chromium (the browser tests and scripts/screenshots).

    python -m simulator --port 5555 --interval 5      (the demo's camera of the TCP type)
    python -m simulator.frigate --mqtt-port 5883 --api-port 5500 --interval 5   (its Frigate)
"""
