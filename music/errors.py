from djbiz.errors import DomainError


class MusicError(DomainError):
    """A file or request the library cannot take (400, with a message for the DJ)."""


class NotAudio(MusicError):
    code = "not_audio"


class EnrichmentError(MusicError):
    """MusicBrainz, AcoustID or the Cover Art Archive could not answer (down, rate-limited, a bad answer)."""

    http_status = 503
    code = "enrichment_unavailable"
