"""Security headers that Django 5.2 does not set by itself."""

from django.conf import settings


def content_security_policy() -> str:
    base = settings.BASE_DOMAIN
    # Forms on the public site send a new organisation's admin on to the organisation's host.
    scheme = settings.PUBLIC_SCHEME
    organisation_hosts = f"{scheme}://*.{base} {scheme}://*.{base}:*"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            # style="" attributes (positions in server-drawn charts); never inline <style>/<script>
            "style-src-attr 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
            f"form-action 'self' {organisation_hosts}",
        ]
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class UserLanguageMiddleware:
    """A signed-in member sees the language saved in their profile (the footer switcher and
    the account page both change it); visitors get the one their browser or cookie asks for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        user = getattr(request, "user", None)
        language = (
            getattr(user, "language", None) if user is not None and user.is_authenticated else None
        )
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        if language:
            response.headers.setdefault("Content-Language", language)
        return response
