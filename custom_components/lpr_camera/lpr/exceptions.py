"""Errors raised by the LPR camera library."""


class LprError(Exception):
    """Base class of every error of this library."""


class CannotConnectError(LprError):
    """The camera could not be reached, or the connection broke."""


class InvalidAuthError(LprError):
    """The camera refused the user name or password."""


class LoginRejectedError(LprError):
    """The camera answered the login with a status other than 200 or 401."""

    def __init__(self, status: str) -> None:
        """Keep the status the camera sent."""
        super().__init__(f"camera rejected the login with status {status}")
        self.status = status


class ProtocolError(LprError):
    """The camera sent bytes that break the protocol."""


class InvalidReadError(LprError):
    """What the camera sent is not a plate read (the message says why)."""


class RequestRejectedError(LprError):
    """The camera answered an RTSP request with an error status (other than 401)."""

    def __init__(self, method: str, status: int, reason: str) -> None:
        """Keep the request and the status the camera answered it with."""
        super().__init__(f"camera answered {method} with {status} {reason}".rstrip())
        self.method = method
        self.status = status


class NoMetadataTrackError(LprError):
    """The camera's stream has no ONVIF metadata track (or none in a format we read)."""


class PictureFetchError(LprError):
    """A picture the camera named could not be fetched (the message says why)."""
