"""A fault that repeats is logged once, then only at debug level: a flood hides what matters."""

from __future__ import annotations

import logging


class LogOnce:
    """Logs at its level the first time it is called, at debug level every time after."""

    def __init__(self, logger: logging.Logger, level: int = logging.WARNING) -> None:
        """Log to `logger`, first at `level`."""
        self._logger = logger
        self._level = level
        self._logged = False

    def __call__(self, message: str, *args: object, exc_info: bool = False) -> None:
        """Log the message; `exc_info` adds the traceback of the exception being handled."""
        level = logging.DEBUG if self._logged else self._level
        self._logged = True
        # stacklevel: the record names the caller, not this helper.
        self._logger.log(level, message, *args, exc_info=exc_info, stacklevel=2)
