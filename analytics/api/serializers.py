from rest_framework import serializers

from events.models import EventType


class SurveyFilterSerializer(serializers.Serializer):
    """Query parameters: the surveyed events' dates (inclusive) and type; all optional."""

    start = serializers.DateField(required=False, help_text="Events on or after this date.")
    end = serializers.DateField(required=False, help_text="Events on or before this date.")
    event_type = serializers.ChoiceField(choices=EventType.choices, required=False)

    def validate(self, data):
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise serializers.ValidationError("The range ends before it starts.")
        return data


class SurveyFiguresSerializer(serializers.Serializer):
    sent = serializers.IntegerField()
    answered = serializers.IntegerField()
    response_rate = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, help_text="% of the surveys sent that were answered."
    )
    average_rating = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True, help_text="1–5.")
    nps = serializers.IntegerField(
        allow_null=True, help_text="Net Promoter Score: % promoters (9–10) minus % detractors (0–6), -100..100."
    )
    promoters = serializers.IntegerField()
    passives = serializers.IntegerField()
    detractors = serializers.IntegerField()


class SurveyGroupSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="YYYY-MM for a month, the event type's value for a type.")
    label = serializers.CharField()
    figures = SurveyFiguresSerializer()


class TestimonialSerializer(serializers.Serializer):
    first_name = serializers.CharField()
    event_type = serializers.CharField()
    event_date = serializers.DateField()
    rating = serializers.IntegerField()
    nps = serializers.IntegerField()
    comments = serializers.CharField()
    answered_at = serializers.DateTimeField()


class SurveyCommentSerializer(serializers.Serializer):
    event_uuid = serializers.UUIDField(source="event.uuid")
    event_title = serializers.CharField(source="event.title")
    event_date = serializers.DateField(source="event.date")
    client_name = serializers.CharField(source="event.client.name")
    rating = serializers.IntegerField()
    nps = serializers.IntegerField()
    comments = serializers.CharField()
    may_publish = serializers.BooleanField()
    answered_at = serializers.DateTimeField()


class SurveySummarySerializer(serializers.Serializer):
    overall = SurveyFiguresSerializer()
    by_rating = serializers.SerializerMethodField(help_text='Answers per star rating: {"5": 12, ..., "1": 0}.')
    by_month = SurveyGroupSerializer(many=True, help_text="By the month of the surveyed event.")
    by_event_type = SurveyGroupSerializer(many=True)
    testimonials = TestimonialSerializer(many=True, help_text="Comments the clients allowed to be published.")
    recent_comments = SurveyCommentSerializer(many=True)

    def get_by_rating(self, summary) -> dict[str, int]:
        return {str(stars): count for stars, count in summary.by_rating.items()}
