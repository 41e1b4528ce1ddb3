"""/api/v1/tracks/: the DJ's library for staff (the mobile app and the library page). Guests search it through
the live night's request API instead."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from djbiz.api import IsBusiness
from music import services
from music.api.filters import TrackFilter
from music.api.serializers import TrackSerializer, UploadResultsSerializer, UploadSerializer, WriteTagsSerializer
from music.errors import MusicError
from music.models import Track
from music.tag_services import track_write_tags


class TrackViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Track.objects.all()
    serializer_class = TrackSerializer
    permission_classes = [IsAuthenticated, IsBusiness]
    filterset_class = TrackFilter
    ordering_fields = ["title", "artist", "bpm", "energy", "year", "created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser]  # uploads are multipart, edits JSON

    @extend_schema(
        request={"multipart/form-data": UploadSerializer},
        responses={201: UploadResultsSerializer, 200: UploadResultsSerializer, 400: UploadResultsSerializer},
        summary="Upload audio files (parts named `file`, several at once)",
        description="Each file is imported or refused on its own: 201 when one at least is new, 200 when the library "
        "had them all already, 400 when none could be imported; `results` says what happened to each.",
    )
    def create(self, request):
        upload = UploadSerializer(data={"file": request.FILES.getlist("file")})
        upload.is_valid(raise_exception=True)
        results = [self._import(file) for file in upload.validated_data["file"]]
        if any(result.get("created") for result in results):
            answer = status.HTTP_201_CREATED
        elif any("track" in result for result in results):
            answer = status.HTTP_200_OK
        else:
            answer = status.HTTP_400_BAD_REQUEST
        return Response(UploadResultsSerializer({"results": results}, context={"request": request}).data, answer)

    @extend_schema(
        request=WriteTagsSerializer,
        responses={200: TrackSerializer},
        summary="Write the track's tags into its audio file",
        description="Title, artist, album, genre, year, comment and cover art; the analysed BPM and key only with "
        "`include_analysis`. The file's checksum and size change with it.",
    )
    @action(detail=True, methods=["post"], url_path="write-tags")
    def write_tags(self, request, pk=None):
        options = WriteTagsSerializer(data=request.data)
        options.is_valid(raise_exception=True)
        track = track_write_tags(track=self.get_object(), **options.validated_data)
        return Response(TrackSerializer(track, context=self.get_serializer_context()).data)

    def perform_destroy(self, instance):
        services.track_delete(instance)

    @staticmethod
    def _import(file) -> dict:
        try:
            track, created = services.track_upload(file)
        except MusicError as error:
            return {"file": file.name, "error": error.message}
        return {"file": file.name, "created": created, "track": track}
