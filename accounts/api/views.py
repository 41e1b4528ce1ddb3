"""Token log-in for the mobile app, and the current user."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.api.serializers import LoginSerializer, TokenSerializer, UserSerializer
from accounts.throttle import client_ip


class TokenView(APIView):
    """POST logs in with e-mail and password and returns the API token; DELETE logs out (the token stops
    working on every device that holds it)."""

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return super().get_permissions()

    @extend_schema(
        request=LoginSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="The e-mail address and password do not match, or a field is missing."),
            429: OpenApiResponse(description="Too many login attempts from this address or for this e-mail."),
        },
        auth=[],
    )
    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.login_check_password(request=request, ip=client_ip(request), **serializer.validated_data)
        return Response(TokenSerializer({"token": services.api_token_for(user), "user": user}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        services.api_token_revoke(request.user)
        return Response(status=204)


class MeView(generics.RetrieveAPIView):
    serializer_class = UserSerializer

    def get_object(self):
        return self.request.user
