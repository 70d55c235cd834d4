from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.selectors import api_tokens_of, get_api_token_for
from core.services import api_token_create, api_token_revoke

from .serializers import ApiTokenSerializer, MeSerializer


class MeView(generics.RetrieveUpdateAPIView):
    """The signed-in user: profile, organisation-wide roles and organisation."""

    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80)


class TokenCreatedSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="Shown once; store it now.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
        read_only_fields = fields


class TokenListView(generics.ListAPIView):
    """Your personal API tokens (never their secrets)."""

    serializer_class = ApiTokenSerializer

    def get_queryset(self):
        return api_tokens_of(self.request.user)

    @extend_schema(request=TokenCreateSerializer, responses={201: TokenCreatedSerializer})
    def post(self, request):
        payload = TokenCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        token, key = api_token_create(user=request.user, name=payload.validated_data["name"])
        data = ApiTokenSerializer(token).data | {"key": key}
        return Response(data, status=201)


class TokenRevokeView(APIView):
    @extend_schema(request=None, responses={200: ApiTokenSerializer})
    def delete(self, request, pk: int):
        token = api_token_revoke(token=get_api_token_for(request.user, pk), actor=request.user)
        return Response(ApiTokenSerializer(token).data)
