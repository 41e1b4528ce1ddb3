"""A track's cover art: checked with Pillow (a real JPEG, PNG, WebP or GIF image, not too many bytes or pixels),
kept as found, and shrunk into two WebP thumbnails (the library's list and the track page)."""

import io
import logging
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from music.errors import MusicError
from music.models import Track
from music.tags import EmbeddedImage

logger = logging.getLogger(__name__)

THUMBNAIL_PX = 600
SMALL_PX = 96
# A cover has a few million pixels at most; this refuses decompression bombs (a small file that would unpack into
# gigabytes) before any pixel is decoded.
MAX_PIXELS = 40_000_000
_KINDS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
_KINDS |= {"GIF": ("gif", "image/gif")}


class CoverError(MusicError):
    code = "bad_cover"


@dataclass(frozen=True)
class Cover:
    """A checked image and its renditions."""

    data: bytes
    extension: str
    mime: str
    width: int
    height: int
    thumbnail: bytes
    small: bytes


def cover_from_bytes(data: bytes) -> Cover:
    """Check an image and make its thumbnails. Raises CoverError for anything but a sound JPEG, PNG, WebP or GIF
    within the size limits."""
    if not data:
        raise CoverError("The cover image is empty.")
    if len(data) > settings.MUSIC_COVER_MAX_BYTES:
        raise CoverError(f"The cover image is larger than {settings.MUSIC_COVER_MAX_BYTES // (1024 * 1024)} MB.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind, size = probe.format, probe.size
                if kind not in _KINDS:
                    raise CoverError(f"A cover must be JPEG, PNG, WebP or GIF, not {kind}.")
                if size[0] * size[1] > MAX_PIXELS:
                    raise CoverError(f"The cover image is too large ({size[0]}×{size[1]} pixels).")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                thumbnail, small = _shrunk(image, THUMBNAIL_PX), _shrunk(image, SMALL_PX)
    except CoverError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise CoverError(f"The cover is not an image that can be used ({error}).") from error
    except (OSError, SyntaxError, ValueError) as error:  # Pillow's errors for truncated or damaged data
        raise CoverError(f"The cover image is damaged ({error}).") from error
    extension, mime = _KINDS[kind]
    return Cover(data, extension, mime, size[0], size[1], thumbnail, small)


def _shrunk(image: Image.Image, pixels: int) -> bytes:
    copy = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    copy.thumbnail((pixels, pixels), Image.Resampling.LANCZOS)  # keeps the aspect ratio, never enlarges
    out = io.BytesIO()
    copy.save(out, "WEBP", quality=82, method=4)
    return out.getvalue()


def track_cover_set(*, track: Track, cover: Cover) -> None:
    """Store a checked cover and its thumbnails on the track (the caller saves the track); the files it had before
    are deleted once the change commits."""
    old = [field.name for field in (track.cover_art, track.cover_thumbnail, track.cover_small) if field]
    stem = uuid.uuid4().hex
    track.cover_art.save(f"{stem}.{cover.extension}", ContentFile(cover.data), save=False)
    track.cover_thumbnail.save(f"{stem}-{THUMBNAIL_PX}.webp", ContentFile(cover.thumbnail), save=False)
    track.cover_small.save(f"{stem}-{SMALL_PX}.webp", ContentFile(cover.small), save=False)
    if old:
        storage = track.cover_art.storage
        transaction.on_commit(lambda: [storage.delete(name) for name in old])


def track_cover_files_delete(track: Track) -> None:
    """Remove a track's cover files from storage (a track that was not saved after all, or one being deleted)."""
    for field in (track.cover_art, track.cover_thumbnail, track.cover_small):
        if field:
            field.storage.delete(field.name)


def embeddable_cover(track: Track) -> EmbeddedImage | None:
    """The track's cover as a picture to embed in its file: JPEG and PNG as they are (every tag format takes
    them), other kinds re-encoded as JPEG; None when it has none or it cannot be read."""
    if not track.cover_art:
        return None
    try:
        with track.cover_art.open("rb") as stored:
            data = stored.read()
        with Image.open(io.BytesIO(data)) as image:
            if image.format in ("JPEG", "PNG"):
                return EmbeddedImage(data, _KINDS[image.format][1], image.width, image.height)
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=90)
            return EmbeddedImage(out.getvalue(), "image/jpeg", image.width, image.height)
    except (OSError, UnidentifiedImageError) as error:  # gone from storage, or damaged since: the tags still go
        logger.warning("cover not embedded", extra={"track": str(track.pk), "reason": str(error)})
        return None
