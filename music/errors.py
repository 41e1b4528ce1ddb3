from djbiz.errors import DomainError


class MusicError(DomainError):
    """A file or request the library cannot take (400, with a message for the DJ)."""


class NotAudio(MusicError):
    code = "not_audio"
