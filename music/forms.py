"""Forms of the library pages."""

from django import forms

from music import camelot
from music.models import Track
from music.selectors import LIBRARY_SORTS

SORTS = [(name, name) for name in LIBRARY_SORTS] + [(f"-{name}", f"-{name}") for name in LIBRARY_SORTS]


class LibraryFilterForm(forms.Form):
    """The library page's search, filters and sort (GET). A value that does not make sense is reported and left
    out; the others still apply."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    bpm_min = forms.DecimalField(label="BPM from", required=False, min_value=0, max_value=999, decimal_places=2)
    bpm_max = forms.DecimalField(label="BPM to", required=False, min_value=0, max_value=999, decimal_places=2)
    camelot = forms.ChoiceField(
        label="Key",
        required=False,
        choices=[("", "Any key"), *((code, f"{code} · {name}") for code, name in camelot.KEYS.items())],
    )
    compatible = forms.BooleanField(label="+ compatible", required=False)
    energy_min = forms.IntegerField(label="Energy from", required=False, min_value=0, max_value=100)
    energy_max = forms.IntegerField(label="Energy to", required=False, min_value=0, max_value=100)
    genre = forms.ChoiceField(label="Genre", required=False)
    sort = forms.ChoiceField(required=False, choices=SORTS, widget=forms.HiddenInput)

    def __init__(self, *args, genres: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["genre"].choices = [("", "Any genre"), *((genre, genre) for genre in genres)]

    def selection(self) -> dict:
        """The arguments of music.selectors.library_tracks() for what was valid."""
        data = self.cleaned_data if self.is_bound else {}
        code = data.get("camelot") or ""
        codes = camelot.compatible(code) if data.get("compatible") else [code] if code else []
        sort = data.get("sort") or "artist"
        return {
            "query": data.get("q") or "",
            "bpm_min": data.get("bpm_min"),
            "bpm_max": data.get("bpm_max"),
            "camelot_codes": codes,
            "energy_min": data.get("energy_min"),
            "energy_max": data.get("energy_max"),
            "genre": data.get("genre") or "",
            "sort": sort.lstrip("-"),
            "descending": sort.startswith("-"),
        }


class BulkForm(forms.Form):
    """A bulk action on the tracks a DJ ticked on the library page."""

    action = forms.ChoiceField()
    tracks = forms.ModelMultipleChoiceField(
        queryset=Track.objects.all(), error_messages={"required": "Tick the tracks first."}
    )
    seconds = forms.FloatField(required=False)
    back = forms.CharField(required=False, max_length=2000)  # the page's query string, to go back to it

    def __init__(self, *args, actions: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = list(actions.items())

    def ordered_tracks(self) -> list[Track]:
        """The ticked tracks in the page's order (for a crossfade: the first fades into the second)."""
        order = {str(pk): position for position, pk in enumerate(self.data.getlist("tracks"))}
        return sorted(self.cleaned_data["tracks"], key=lambda track: order.get(str(track.pk), 0))
