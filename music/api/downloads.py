"""/api/v1/downloads/: staff submit links (POST {"urls": [...]}, one job each) and follow each job's items: status,
progress, error, the resulting track. A refused link refuses the whole request (400, nothing queued)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from djbiz.api import IsBusiness
from music.downloads import download_jobs_submit
from music.models import DownloadItem, DownloadJob

MAX_URLS = 50


class DownloadItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = DownloadItem
        fields = [
            "id", "position", "url", "title", "status", "progress", "error_code", "error_message", "track",
            "wanted", "started_at", "finished_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class DownloadJobSerializer(serializers.ModelSerializer):
    items = DownloadItemSerializer(many=True, read_only=True)
    requested_by = serializers.EmailField(source="requested_by.email", read_only=True, default=None)

    class Meta:
        model = DownloadJob
        fields = [
            "id", "url", "title", "is_playlist", "status", "error_code", "error_message", "requested_by", "items",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class SubmitSerializer(serializers.Serializer):
    urls = serializers.ListField(
        child=serializers.CharField(max_length=2000), allow_empty=False, max_length=MAX_URLS,
        help_text="Links to a track, a playlist or a podcast feed (http or https).",
    )  # fmt: skip


class DownloadJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = DownloadJob.objects.select_related("requested_by").prefetch_related("items")
    serializer_class = DownloadJobSerializer
    permission_classes = [IsAuthenticated, IsBusiness]
    filterset_fields = ["status"]
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=SubmitSerializer, responses={201: DownloadJobSerializer(many=True)})
    def create(self, request):
        submit = SubmitSerializer(data=request.data)
        submit.is_valid(raise_exception=True)
        jobs = download_jobs_submit(urls=submit.validated_data["urls"], user=request.user)
        return Response(DownloadJobSerializer(jobs, many=True).data, status=status.HTTP_201_CREATED)
