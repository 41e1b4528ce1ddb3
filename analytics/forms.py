from django import forms

from analytics.selectors import SurveyFilter
from events.models import EventType


class SurveyFilterForm(forms.Form):
    """The survey page's filters (GET): the surveyed events' dates and type; all optional."""

    start = forms.DateField(label="Events from", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="to", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    event_type = forms.ChoiceField(
        label="Event type", required=False, choices=[("", "All event types"), *EventType.choices]
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("The range ends before it starts.")
        return data

    def survey_filter(self) -> SurveyFilter:
        """The valid filters (a field in error is left out); call after is_valid()."""
        data = self.cleaned_data
        return SurveyFilter(start=data.get("start"), end=data.get("end"), event_type=data.get("event_type") or "")
