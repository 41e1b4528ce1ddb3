"""Use cases that make new audio from the library's tracks: a normalized copy of a track (with its ReplayGain
gain), and a short crossfade preview of one track into another. Both are q2 tasks (music/tasks.py) and both are
idempotent: the result's name is a digest of everything it was made from, so asking again finds it."""

import hashlib
import json
import tempfile
import uuid
from dataclasses import asdict, dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from music import processing
from music.errors import MusicError
from music.models import Track
from music.processing import Segment
from music.services import track_local_file

# Bump when the processing changes, so results made the old way are made again.
NORMALIZE_VERSION = 1
CROSSFADE_VERSION = 1
# A crossfade preview: this much of the first track before the overlap, this much of the second after it, at most
# this much overlap; ≤ 40 s in all.
PREVIEW_LEAD_SECONDS = 12.0
PREVIEW_TAIL_SECONDS = 12.0
CROSSFADE_MAX_SECONDS = 16.0
PREVIEWS_DIRECTORY = "previews/crossfade"
# Preview gains bring both tracks to the normalize target, within this many dB (a limiter catches the peaks).
_MAX_PREVIEW_GAIN_DB = 12.0


@dataclass(frozen=True)
class NormalizeOptions:
    target_lufs: float
    true_peak: float
    fade_in: float
    fade_out: float

    @classmethod
    def from_settings(cls, **overrides: float | None) -> "NormalizeOptions":
        defaults = {
            "target_lufs": settings.MUSIC_NORMALIZE_TARGET_LUFS,
            "true_peak": settings.MUSIC_NORMALIZE_TRUE_PEAK,
            "fade_in": settings.MUSIC_FADE_IN_SECONDS,
            "fade_out": settings.MUSIC_FADE_OUT_SECONDS,
        }
        chosen = {name: value if overrides.get(name) is None else overrides[name] for name, value in defaults.items()}
        options = cls(**{name: float(value) for name, value in chosen.items()})
        if not -70 <= options.target_lufs <= -5 or not -9 <= options.true_peak <= 0:
            raise MusicError("The loudness target must be -70 to -5 LUFS and the peak ceiling -9 to 0 dBTP.")
        if options.fade_in < 0 or options.fade_out < 0:
            raise MusicError("Fades cannot be negative.")
        return options


def track_normalize(
    *,
    track_id: uuid.UUID,
    target_lufs: float | None = None,
    true_peak: float | None = None,
    fade_in: float | None = None,
    fade_out: float | None = None,
) -> Track | None:
    """Make the track's normalized copy at `target_lufs` (default: the settings') in two passes (an EBU R128
    measurement, then ffmpeg's loudnorm: linear where the peaks allow), store it as Track.normalized_audio, and
    store the track's ReplayGain gain from the same measurement. The copy made before (another target, other
    fades) is deleted. Idempotent: a copy made from this file with these options is kept as it is. None when the
    track is gone; raises MusicError for audio ffmpeg cannot process."""
    options = NormalizeOptions.from_settings(
        target_lufs=target_lufs, true_peak=true_peak, fade_in=fade_in, fade_out=fade_out
    )
    track = Track.objects.filter(pk=track_id).first()
    if track is None:
        return None
    extension = processing.output_extension(track.file_format or Path(track.audio.name).suffix.lstrip("."))
    name = f"{track.pk.hex}-{_digest(track.file_sha256, asdict(options), NORMALIZE_VERSION)[:16]}.{extension}"
    if track.normalized_audio and Path(track.normalized_audio.name).name == name:
        return track
    with track_local_file(track) as source, tempfile.TemporaryDirectory() as work:
        measured = processing.measure_loudness(source)
        copy = Path(work) / name
        processing.normalize(
            source,
            copy,
            measured=measured,
            target_lufs=options.target_lufs,
            true_peak=options.true_peak,
            fade_in=options.fade_in,
            fade_out=options.fade_out,
        )
        previous = track.normalized_audio.name
        with copy.open("rb") as made:
            track.normalized_audio.save(name, File(made), save=False)
    track.normalized_target_lufs = Decimal(str(options.target_lufs)).quantize(Decimal("0.01"))
    track.replaygain_db = Decimal(str(processing.replaygain_db(measured.integrated)))
    # Claim the change: another run that stored its copy meanwhile, or a deletion, wins, and this copy goes.
    claimed = Track.objects.filter(pk=track.pk, normalized_audio=previous).update(
        normalized_audio=track.normalized_audio.name,
        normalized_target_lufs=track.normalized_target_lufs,
        replaygain_db=track.replaygain_db,
    )
    storage = track.normalized_audio.storage
    if not claimed:
        storage.delete(track.normalized_audio.name)
        return Track.objects.filter(pk=track.pk).first()
    if previous:
        transaction.on_commit(lambda: storage.delete(previous))
    return track


def crossfade_preview_name(*, first: Track, second: Track, seconds: float) -> str:
    """Where the preview of `first` fading into `second` is (or will be) in storage: named by a digest of the two
    files, their mix points and gains and the overlap, so a change to any of them makes a new preview."""
    ingredients = [
        [str(track.pk), track.file_sha256, track.mix_out_ms, track.mix_in_ms, _preview_gain_db(track)]
        for track in (first, second)
    ]
    return f"{PREVIEWS_DIRECTORY}/{_digest(ingredients, seconds, CROSSFADE_VERSION)[:32]}.mp3"


def crossfade_seconds(value: float | str | None) -> float:
    """The overlap asked for (default: MUSIC_CROSSFADE_SECONDS), checked: MusicError outside 1-16 s."""
    try:
        seconds = float(value) if value not in (None, "") else float(settings.MUSIC_CROSSFADE_SECONDS)
    except (TypeError, ValueError) as error:
        raise MusicError("The crossfade length must be a number of seconds.") from error
    if not 1 <= seconds <= CROSSFADE_MAX_SECONDS:
        raise MusicError(f"The crossfade must last 1 to {CROSSFADE_MAX_SECONDS:g} seconds.")
    return round(seconds, 1)


def crossfade_preview(*, first: Track, second: Track, seconds: float) -> str:
    """Make (or find) the preview of `first` fading into `second` over `seconds`: the end of the first track (or
    from its mix-out point) into the start of the second (or from its mix-in point), at most 40 s, both at the
    normalize target's loudness. Returns its name in the default storage. Raises MusicError for a track too
    short for the overlap or audio ffmpeg cannot process."""
    if first.pk == second.pk:
        raise MusicError("Choose two different tracks for a crossfade.")
    seconds = crossfade_seconds(seconds)
    name = crossfade_preview_name(first=first, second=second, seconds=seconds)
    if default_storage.exists(name):
        return name
    with (
        track_local_file(first) as first_path,
        track_local_file(second) as second_path,
        tempfile.TemporaryDirectory() as work,
    ):
        lead, tail = crossfade_plan(
            first=_segment_source(first, first_path),
            second=_segment_source(second, second_path),
            seconds=seconds,
        )
        made = Path(work) / "preview.mp3"
        processing.crossfade(lead, tail, made, seconds=seconds)
        with made.open("rb") as preview:
            stored = default_storage.save(name, File(preview))
    if stored != name:  # made at the same time by another request: one copy is enough
        default_storage.delete(stored)
    return name


def crossfade_previews_expire(*, older_than: timedelta) -> int:
    """Delete the crossfade previews made longer than `older_than` ago (they are a cache: asked for again, a
    preview is made again). Returns how many were deleted."""
    try:
        _, names = default_storage.listdir(PREVIEWS_DIRECTORY)  # (S3 has no folders to ask about first)
    except FileNotFoundError:  # none made yet, on local disk
        return 0
    cutoff = timezone.now() - older_than
    expired = [f"{PREVIEWS_DIRECTORY}/{name}" for name in names]
    expired = [name for name in expired if default_storage.get_modified_time(name) < cutoff]
    for name in expired:
        default_storage.delete(name)
    return len(expired)


@dataclass(frozen=True)
class SegmentSource:
    path: Path
    duration: float
    mix_in: float | None
    mix_out: float | None
    gain_db: float


def crossfade_plan(*, first: SegmentSource, second: SegmentSource, seconds: float) -> tuple[Segment, Segment]:
    """Which stretch of each file the preview plays. The overlap starts at the first track's mix-out point (or
    `seconds` before its end) and the second track enters at its mix-in point (or its start); mix points that
    leave no room for the overlap are ignored."""
    for source in (first, second):
        if source.duration < seconds:
            raise MusicError(f"{source.path.name} is shorter than the {seconds:g} s crossfade.")
    fade_at = first.mix_out
    if fade_at is None or fade_at + seconds > first.duration:
        fade_at = first.duration - seconds
    lead_start = max(0.0, fade_at - PREVIEW_LEAD_SECONDS)
    enter_at = second.mix_in
    if enter_at is None or enter_at + seconds > second.duration:
        enter_at = 0.0
    return (
        Segment(first.path, lead_start, fade_at + seconds - lead_start, first.gain_db),
        Segment(second.path, enter_at, min(seconds + PREVIEW_TAIL_SECONDS, second.duration - enter_at), second.gain_db),
    )


def _segment_source(track: Track, path: Path) -> SegmentSource:
    return SegmentSource(
        path=path,
        duration=processing.probe(path).duration,
        mix_in=None if track.mix_in_ms is None else track.mix_in_ms / 1000,
        mix_out=None if track.mix_out_ms is None else track.mix_out_ms / 1000,
        gain_db=_preview_gain_db(track),
    )


def _preview_gain_db(track: Track) -> float:
    if track.loudness_lufs is None:
        return 0.0
    gain = settings.MUSIC_NORMALIZE_TARGET_LUFS - float(track.loudness_lufs)
    return round(max(-_MAX_PREVIEW_GAIN_DB, min(_MAX_PREVIEW_GAIN_DB, gain)), 2)


def _digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
