"""The DJ's library. A Track is one recording the DJ can play: its audio file (through Django's storage API, so
S3-compatible storage can replace local files by configuration), what it is (title, artist, album, genre, year,
from its tags) and what analysis found (duration, tempo, key, energy). Guests search these rows when they
request a song."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from djbiz.text import fold_song_text


class TrackSource(models.TextChoices):
    UPLOAD = "upload", "Upload"
    DOWNLOAD = "download", "Download"
    IMPORT = "import", "Import"


class AnalysisStatus(models.TextChoices):
    PENDING = "pending", "Waiting for analysis"
    DONE = "done", "Analysed"
    FAILED = "failed", "Analysis failed"


class Track(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200)
    artist = models.CharField(max_length=200, blank=True)
    album = models.CharField(max_length=200, blank=True)
    genre = models.CharField(max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    bpm = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    key = models.CharField(max_length=16, blank=True, help_text='e.g. "A minor".')
    camelot = models.CharField(max_length=3, blank=True, help_text='e.g. "8A".')
    energy = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)], help_text="0–100."
    )
    loudness_lufs = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="Integrated loudness (EBU R128)."
    )
    true_peak_db = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True, help_text="dBTP.")
    analysis_status = models.CharField(max_length=8, choices=AnalysisStatus.choices, default=AnalysisStatus.PENDING)
    analysis_version = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    analysis_error = models.CharField(max_length=300, blank=True, editable=False)
    analyzed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Loudness normalization: the ReplayGain track gain (dB to the ReplayGain reference), and a normalized copy of
    # the audio made at a target loudness (the target it was made for is kept: a new target makes a new copy).
    replaygain_db = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="ReplayGain track gain (dB)."
    )
    normalized_audio = models.FileField(upload_to="normalized/%Y/%m/", blank=True, editable=False)
    normalized_target_lufs = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True, editable=False)
    # Beat grid and mix points, in milliseconds from the start of the file.
    beats_ms = models.JSONField(default=list, blank=True, editable=False, help_text="Beat positions (ms).")
    first_downbeat_ms = models.PositiveIntegerField(null=True, blank=True, editable=False)
    mix_in_ms = models.PositiveIntegerField(null=True, blank=True, help_text="Where to start mixing in (ms).")
    mix_out_ms = models.PositiveIntegerField(null=True, blank=True, help_text="Where to start mixing out (ms).")
    # Chromaprint's compressed fingerprint (fpcalc), for finding copies of one recording.
    fingerprint = models.TextField(blank=True, editable=False)
    comment = models.CharField(max_length=500, blank=True)
    bitrate_kbps = models.PositiveIntegerField(null=True, blank=True, editable=False)
    sample_rate_hz = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Cover art as found (embedded in the file or fetched), and thumbnails made from it with Pillow.
    cover_art = models.FileField(upload_to="covers/%Y/%m/", blank=True, editable=False)
    cover_thumbnail = models.FileField(upload_to="covers/thumbs/%Y/%m/", blank=True, editable=False)
    cover_small = models.FileField(upload_to="covers/small/%Y/%m/", blank=True, editable=False)
    source = models.CharField(max_length=10, choices=TrackSource.choices, default=TrackSource.IMPORT)
    source_url = models.URLField(max_length=2000, blank=True)
    audio = models.FileField(upload_to="tracks/%Y/%m/", blank=True)
    file_format = models.CharField(max_length=8, blank=True, help_text='e.g. "mp3", "flac".')
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    # The file's SHA-256: the same file imported or uploaded again is found, not stored twice.
    file_sha256 = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    # Title, artist and album folded as song matching folds them (djbiz.text), kept in step by save(): what the
    # library search looks in (a substring scan: a DJ's library of tens of thousands of rows scans in
    # milliseconds), so "beyonce" finds "Beyoncé".
    search_text = models.CharField(max_length=610, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["artist", "title"]
        constraints = [models.CheckConstraint(condition=models.Q(energy__lte=100), name="track_energy_0_100")]
        # The library page's filters, its genre list and its default order (artist, title; case ignored): a 20k-track
        # library's rows are large (the beat grid), so scans are what these indexes avoid (benchmarks/library_page.py).
        indexes = [
            models.Index(fields=["genre"], name="track_genre"),
            models.Index(fields=["bpm"], name="track_bpm"),
            models.Index(fields=["energy"], name="track_energy"),
            models.Index(fields=["camelot"], name="track_camelot"),
            models.Index(Lower("artist"), Lower("title"), name="track_artist_title_ci"),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.artist}" if self.artist else self.title

    def save(self, *args, **kwargs):
        self.search_text = " ".join(fold_song_text(part) for part in (self.title, self.artist, self.album) if part)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "artist", "album"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the DJ"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    NOTHING = "nothing", "Nothing new found"


class MatchedBy(models.TextChoices):
    FINGERPRINT = "fingerprint", "AcoustID fingerprint"
    TAGS = "tags", "Title and artist"


class TrackSuggestion(models.Model):
    """What metadata enrichment found for a track (MusicBrainz tags, a Cover Art Archive front cover), kept until the
    DJ accepts it (all, or field by field) or rejects it: nothing reaches the track before. A lookup that found
    nothing new is kept too, so `enrich_tracks --all` does not ask again."""

    FIELDS = ("title", "artist", "album", "genre", "year")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="suggestions")
    status = models.CharField(max_length=8, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING)
    matched_by = models.CharField(max_length=11, choices=MatchedBy.choices, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True, help_text="How sure the match is, 0–100.")
    recording_mbid = models.CharField("MusicBrainz recording", max_length=36, blank=True)
    release_mbid = models.CharField("MusicBrainz release", max_length=36, blank=True)
    fields = models.JSONField(default=dict, blank=True, help_text="Field name → proposed value.")
    cover = models.FileField(upload_to="covers/proposed/%Y/%m/", blank=True, help_text="A proposed front cover.")
    accepted_fields = models.JSONField(default=list, blank=True, help_text='What the DJ took ("cover" included).')
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["track"], condition=models.Q(status="pending"), name="one_pending_suggestion_per_track"
            )
        ]

    def proposed_fields(self) -> list[str]:
        """The fields proposed, in FIELDS order (PostgreSQL's jsonb does not keep the order they were stored in)."""
        return [field for field in self.FIELDS if field in self.fields]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.track}"


class DownloadStatus(models.TextChoices):
    """queued → downloading → processing → done, or failed from any step (a failed item may be queued again).
    music.downloads moves a row with conditional updates from the status it expects, so two workers never both do
    a step."""

    QUEUED = "queued", "Queued"
    DOWNLOADING = "downloading", "Downloading"
    PROCESSING = "processing", "Processing"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class DownloadJob(models.Model):
    """One link a DJ asked to download: a track, or a playlist whose items become DownloadItems. A job is queued
    until its link has been read (its items listed), then done, or failed when the link could not be read."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    url = models.URLField(max_length=2000)
    title = models.CharField(max_length=200, blank=True)
    is_playlist = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=DownloadStatus.choices, default=DownloadStatus.QUEUED)
    error_code = models.CharField(max_length=20, blank=True)
    error_message = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="download_jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title or self.url


class DownloadItem(models.Model):
    """One track to download: the job's link itself, or one item of its playlist. Its own background job."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    job = models.ForeignKey(DownloadJob, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    url = models.URLField(max_length=2000)
    title = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=12, choices=DownloadStatus.choices, default=DownloadStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent, 0–100.")
    error_code = models.CharField(max_length=20, blank=True)
    error_message = models.CharField(max_length=300, blank=True)
    track = models.ForeignKey(Track, null=True, blank=True, on_delete=models.SET_NULL, related_name="download_items")
    wanted = models.ForeignKey(
        "WantedTrack", null=True, blank=True, on_delete=models.SET_NULL, related_name="download_items"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["job", "position"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="download_progress_0_100"),
            models.UniqueConstraint(fields=["job", "position"], name="download_item_position_unique"),
        ]

    def __str__(self) -> str:
        return self.title or self.url


class WantedList(models.Model):
    """A Spotify playlist read into the library's terms: the tracks the DJ wants, which the library has."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    url = models.URLField(max_length=2000)
    spotify_id = models.CharField(max_length=64)
    name = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="wanted_lists"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name or self.url


class WantedTrack(models.Model):
    """One track of a wanted list, and the library track that is it (found by title, artist and duration, or
    downloaded from a source the DJ picked)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wanted_list = models.ForeignKey(WantedList, on_delete=models.CASCADE, related_name="tracks")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    artist = models.CharField(max_length=200, blank=True)
    album = models.CharField(max_length=200, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    spotify_id = models.CharField(max_length=64, blank=True)
    track = models.ForeignKey(Track, null=True, blank=True, on_delete=models.SET_NULL, related_name="wanted_by")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["wanted_list", "position"]

    def __str__(self) -> str:
        return f"{self.title} — {self.artist}" if self.artist else self.title

    @property
    def length(self) -> str:
        """The duration as m:ss ("" when unknown)."""
        if not self.duration_ms:
            return ""
        seconds = round(self.duration_ms / 1000)
        return f"{seconds // 60}:{seconds % 60:02d}"
