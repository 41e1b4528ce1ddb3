from django import forms

RATINGS = [(n, f"{n} star{'s' if n > 1 else ''}") for n in range(1, 6)]
NPS = [(n, str(n)) for n in range(11)]


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="How was your event with us?", choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )
    nps = forms.TypedChoiceField(
        label="How likely are you to recommend us to a friend? (0 = not at all, 10 = certainly)",
        choices=NPS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label="Anything you'd like to tell us?",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    may_publish = forms.BooleanField(
        label="You may publish my comments as a testimonial",
        required=False,
        help_text="With your first name and the type of event, never your contact details.",
    )
