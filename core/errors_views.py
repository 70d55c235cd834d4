"""Error pages that render without touching the database (the error may be the database).
Under /api/ they answer in the API's JSON error format instead of HTML."""

from django.http import JsonResponse
from django.shortcuts import render

from core.api.errors import error_body


def _api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception=None):
    if _api(request):
        return JsonResponse(
            error_body(400, "bad_request", "The request could not be read."), status=400
        )
    return render(request, "errors/400.html", status=400)


def page_not_found(request, exception=None):
    if _api(request):
        return JsonResponse(error_body(404, "not_found", "Not found."), status=404)
    return render(request, "errors/404.html", status=404)


def permission_denied(request, exception=None):
    if _api(request):
        return JsonResponse(
            error_body(403, "permission_denied", "You do not have permission to do this."),
            status=403,
        )
    return render(request, "errors/403.html", status=403)


def server_error(request):
    if _api(request):
        return JsonResponse(error_body(500, "server_error", "Something went wrong."), status=500)
    return render(request, "errors/500.html", status=500)
