from rest_framework import serializers

from music.models import Track


class TrackSerializer(serializers.ModelSerializer):
    """A track of the library; staff edit the descriptive fields (the file and what it measured are read-only)."""

    audio_url = serializers.SerializerMethodField()
    cover_url = serializers.SerializerMethodField()
    cover_thumbnail_url = serializers.SerializerMethodField()
    cover_small_url = serializers.SerializerMethodField()

    class Meta:
        model = Track
        fields = [
            "id",
            "title",
            "artist",
            "album",
            "genre",
            "year",
            "duration_ms",
            "bpm",
            "key",
            "camelot",
            "energy",
            "loudness_lufs",
            "true_peak_db",
            "analysis_status",
            "analysis_error",
            "source",
            "source_url",
            "comment",
            "file_format",
            "file_size",
            "bitrate_kbps",
            "sample_rate_hz",
            "audio_url",
            "cover_url",
            "cover_thumbnail_url",
            "cover_small_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "loudness_lufs",
            "true_peak_db",
            "analysis_status",
            "duration_ms",
            "source",
            "source_url",
            "file_format",
            "file_size",
            "bitrate_kbps",
            "sample_rate_hz",
            "created_at",
            "updated_at",
        ]

    def get_audio_url(self, track: Track) -> str | None:
        return track.audio.url if track.audio else None

    def get_cover_url(self, track: Track) -> str | None:
        return track.cover_art.url if track.cover_art else None

    def get_cover_thumbnail_url(self, track: Track) -> str | None:
        return track.cover_thumbnail.url if track.cover_thumbnail else None

    def get_cover_small_url(self, track: Track) -> str | None:
        return track.cover_small.url if track.cover_small else None


class WriteTagsSerializer(serializers.Serializer):
    include_analysis = serializers.BooleanField(
        default=False, help_text="Also write the analysed BPM and key (TBPM/TKEY, tmpo/initialkey, BPM/INITIALKEY)."
    )


class UploadSerializer(serializers.Serializer):
    """One or more audio files as multipart/form-data parts named `file`."""

    file = serializers.ListField(child=serializers.FileField(), allow_empty=False)


class UploadResultSerializer(serializers.Serializer):
    file = serializers.CharField(help_text="The uploaded file's name.")
    created = serializers.BooleanField(required=False, help_text="False: the library had this very file already.")
    track = TrackSerializer(required=False)
    error = serializers.CharField(required=False, help_text="Why the file was not imported.")


class UploadResultsSerializer(serializers.Serializer):
    results = UploadResultSerializer(many=True)
