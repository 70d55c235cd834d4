"""The benchmark's floor: a bare view behind the whole middleware stack (tenant resolution,
sessions, authentication, CSRF, security headers, whitenoise…), mounted by config/urls.py only
when settings.BENCH_FLOOR is on. What a key page costs above it is the page's own work."""

from django.http import HttpResponse


def floor(request) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
