"""Forms of the client portal. They parse and validate input; events.services does the saving."""

from collections.abc import Iterable

from django import forms
from django.forms import BaseFormSet, formset_factory, modelformset_factory

from events.models import MusicPlan, PlannedSong, SongListKind, TimelineItem

MAX_ROWS = 100


class MusicPlanForm(forms.ModelForm):
    class Meta:
        model = MusicPlan
        fields = ["genres_loved", "genres_avoided", "clean_versions_only", "guest_requests_allowed", "notes"]
        labels = {
            "genres_loved": "Music you love",
            "genres_avoided": "Music to avoid",
            "clean_versions_only": "Clean versions only",
            "guest_requests_allowed": "Guests may request songs",
            "notes": "Anything else your DJ should know",
        }
        help_texts = {
            "genres_loved": "Genres, decades or artists, e.g. 80s, Motown, current pop.",
            "genres_avoided": "e.g. heavy metal, line dances.",
            "clean_versions_only": "Radio edits only: no explicit lyrics.",
            "guest_requests_allowed": "Guests can ask for songs from their phones on the night.",
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class SongForm(forms.ModelForm):
    class Meta:
        model = PlannedSong
        fields = ["title", "artist", "version_notes"]
        labels = {"title": "Song", "version_notes": "Version or notes"}
        help_texts = {"version_notes": ""}
        error_messages = {"title": {"required": "Add the song's title."}}
        widgets = {
            "title": forms.TextInput(attrs={"placeholder": "Song title"}),
            "artist": forms.TextInput(attrs={"placeholder": "Who sings it"}),
            "version_notes": forms.TextInput(attrs={"placeholder": "e.g. radio edit"}),
        }


class SpecialMomentForm(SongForm):
    moment = forms.CharField(
        max_length=PlannedSong._meta.get_field("moment").max_length,
        widget=forms.TextInput(attrs={"placeholder": "e.g. First dance"}),
        error_messages={"required": "Say which moment this song is for, e.g. 'First dance'."},
    )

    class Meta(SongForm.Meta):
        fields = ["moment", "title", "artist", "version_notes"]


def _song_formset(form: type[SongForm]) -> type[BaseFormSet]:
    return formset_factory(form, extra=1, can_delete=True, max_num=MAX_ROWS, validate_max=True)


SONG_FORMSETS: dict[str, type[BaseFormSet]] = {
    SongListKind.MUST_PLAY: _song_formset(SongForm),
    SongListKind.DO_NOT_PLAY: _song_formset(SongForm),
    SongListKind.SPECIAL_MOMENT: _song_formset(SpecialMomentForm),
}


def song_formsets(data, songs: Iterable[PlannedSong]) -> dict[str, BaseFormSet]:
    """One formset per song list, prefixed with the list's kind and filled with the plan's songs."""
    songs = list(songs)
    formsets = {}
    for kind, formset_class in SONG_FORMSETS.items():
        fields = formset_class.form.base_fields
        initial = [{name: getattr(song, name) for name in fields} for song in songs if song.kind == kind]
        formsets[kind] = formset_class(data, prefix=kind, initial=initial)
    return formsets


def songs_from(formsets: dict[str, BaseFormSet]) -> list[dict]:
    """The songs of valid formsets in the shape events.services.music_plan_update takes, in page order;
    blank rows and rows marked for removal are left out."""
    songs = []
    for kind, formset in formsets.items():
        for form in formset.forms:
            if form.cleaned_data and not form.cleaned_data.get("DELETE"):
                songs.append({"kind": kind, **{name: form.cleaned_data[name] for name in form.base_fields}})
    return songs


class TimelineItemForm(forms.ModelForm):
    class Meta:
        model = TimelineItem
        fields = ["time", "kind", "title", "song", "notes"]
        labels = {"kind": "Moment", "title": "What happens"}
        help_texts = {"time": "", "song": ""}
        error_messages = {
            "time": {"required": "Add a time.", "invalid": "Enter a time such as 19:30."},
            "title": {"required": "Say what happens, e.g. 'Grand entrance'."},
        }
        widgets = {
            "time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "title": forms.TextInput(attrs={"placeholder": "e.g. Grand entrance"}),
            "song": forms.TextInput(attrs={"placeholder": "e.g. Crazy in Love"}),
            "notes": forms.Textarea(attrs={"rows": 1, "placeholder": "Anything your DJ should know"}),
        }


TimelineFormSet = modelformset_factory(
    TimelineItem, form=TimelineItemForm, extra=1, can_delete=True, max_num=MAX_ROWS, validate_max=True
)
