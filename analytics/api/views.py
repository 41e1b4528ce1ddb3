"""Analytics for the mobile app (staff only): survey results, the figures of /analytics/surveys/."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.api.serializers import SurveyFilterSerializer, SurveySummarySerializer
from analytics.selectors import SurveyFilter, survey_summary
from djbiz.api import IsBusiness


class SurveySummaryView(APIView):
    permission_classes = [IsAuthenticated, IsBusiness]

    @extend_schema(
        parameters=[SurveyFilterSerializer],
        responses={200: SurveySummarySerializer},
        summary="Survey results: response rate, average rating, NPS, by month and event type, testimonials",
    )
    def get(self, request):
        query = SurveyFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        summary = survey_summary(filters=SurveyFilter(**query.validated_data))
        return Response(SurveySummarySerializer(summary).data)
