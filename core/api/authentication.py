from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from core.services import api_token_authenticate


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer cmn_…` with a personal token made on the account page."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in {"bearer", "token"}:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Malformed Authorization header: use 'Bearer <token>'."
            )
        token = api_token_authenticate(key=header[1])
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked API token.")
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "core.api.authentication.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A personal API token."}
