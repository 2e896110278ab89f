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
