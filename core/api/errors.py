"""One error format for the whole API:

{"error": {"status": 400, "code": "invalid", "message": "…", "fields": {"name": ["…"]}}}
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ApplicationError


def error_body(status_code: int, code: str, message: str, fields: dict | None = None) -> dict:
    body = {"status": status_code, "code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def _first_message(detail) -> str:
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    if isinstance(detail, dict) and detail:
        key, value = next(iter(detail.items()))
        message = _first_message(value)
        return message if key == "non_field_errors" else f"{key}: {message}"
    return str(detail)


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        fields = {exc.field: [exc.message]} if exc.field else None
        return Response(
            error_body(exc.status_code, exc.code, exc.message, fields), status=exc.status_code
        )
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else None
        message = " ".join(exc.messages)
        return Response(
            error_body(400, "invalid", message, fields), status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    if isinstance(exc, exceptions.ValidationError):
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        response.data = error_body(response.status_code, "invalid", _first_message(detail), fields)
    else:
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = error_body(
            response.status_code, code if isinstance(code, str) else "error", _first_message(detail)
        )
    return response
