from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .errors import ApplicationError
from .forms import ApiTokenForm, ProfileForm
from .welcome import welcome_token_use


def home(request):
    """The organisation's landing page for visitors. Members' home is tenants.home (it reads
    every app, so it lives in the top layer); config/urls.py routes "" there first."""
    return render(request, "core/organization_landing.html")


@login_required
def account(request):
    profile_form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and profile_form.is_valid():
        profile_form.save()
        services.audit_record(actor=request.user, action="account.update", target=request.user)
        messages.success(request, _("Your profile is saved."))
        return redirect("core:account")
    return render(
        request, "core/account.html", _account_context(request, profile_form=profile_form)
    )


def _account_context(request, **extra) -> dict:
    return {
        "profile_form": ProfileForm(instance=request.user),
        "token_form": ApiTokenForm(),
        "tokens": selectors.api_tokens_of(request.user),
        **extra,
    }


@login_required
@require_POST
def api_token_create(request):
    form = ApiTokenForm(request.POST)
    new_key = None
    if form.is_valid():
        try:
            _, new_key = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    context = _account_context(request, token_form=form, new_key=new_key)
    if form.errors:
        context["token_form"] = form
    template = "core/partials/api_tokens.html" if request.htmx else "core/account.html"
    return render(request, template, context, status=200 if not form.errors else 400)


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    token = selectors.get_api_token_for(request.user, pk)
    services.api_token_revoke(token=token, actor=request.user)
    if request.htmx:
        return render(request, "core/partials/api_tokens.html", _account_context(request))
    messages.success(request, _("Token “%(token)s” revoked.") % {"token": token.name})
    return redirect("core:account")


@login_required
def notifications(request):
    items = list(selectors.notifications_of(request.user))
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        return redirect("core:notifications")
    return render(request, "core/notifications.html", {"notifications": items})


@require_POST
def set_language(request):
    """The footer's language switcher: remembered in the member's profile when signed in."""
    from django.views.i18n import set_language as django_set_language

    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return django_set_language(request)


def welcome(request, token: str):
    user_pk = welcome_token_use(token=token, schema_name=connection.schema_name)
    user = get_user_model().objects.filter(pk=user_pk, is_active=True).first() if user_pk else None
    if user is None:
        raise Http404("This sign-in link is invalid or has been used.")
    login(request, user, backend="core.auth.SessionUserBackend")
    messages.success(
        request,
        _("Welcome to %(organization)s! Your network is ready.")
        % {"organization": connection.tenant.name},
    )
    return redirect("core:home")
