from django_filters import rest_framework as filters

from djbiz.api import UpdatedSinceFilterSet
from music import camelot
from music.models import Track
from music.selectors import tracks_matching


class TrackFilter(UpdatedSinceFilterSet):
    q = filters.CharFilter(
        method="search", help_text="Every word in the title, artist or album (case, accents ignored)."
    )
    bpm_min = filters.NumberFilter(field_name="bpm", lookup_expr="gte")
    bpm_max = filters.NumberFilter(field_name="bpm", lookup_expr="lte")
    energy_min = filters.NumberFilter(field_name="energy", lookup_expr="gte")
    energy_max = filters.NumberFilter(field_name="energy", lookup_expr="lte")
    genre = filters.CharFilter(lookup_expr="iexact")
    camelot = filters.CharFilter(lookup_expr="iexact")
    camelot_compatible = filters.CharFilter(
        method="compatible_keys",
        help_text="Tracks that mix harmonically with this Camelot code: itself, ±1 on the wheel, its relative key.",
    )

    class Meta:
        model = Track
        fields = ["source", "file_format"]

    def search(self, tracks, name, value):
        return tracks_matching(tracks, value)

    def compatible_keys(self, tracks, name, value):
        return tracks.filter(camelot__in=camelot.compatible(value))
