"""The organisation admin's pages: approving apps, the marketplace settings, who is a provider."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError

from .. import selectors, services
from ..forms import ProviderGrantForm, ReviewForm, SettingsForm
from .common import admin_required, flash_error, form_error


@admin_required
def review(request):
    return render(
        request,
        "apps_marketplace/admin/review.html",
        {
            "pending": selectors.apps_awaiting_review(),
            "form": ReviewForm(),
        },
    )


@admin_required
@require_POST
def app_review(request, pk: int):
    app = selectors.get_managed_app_for(request.user, pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    try:
        if request.POST.get("decision") == "approve":
            services.app_approve(app=app, actor=request.user, note=note)
            messages.success(request, _("“%(app)s” is approved and public.") % {"app": app.name})
        elif request.POST.get("decision") == "reject":
            services.app_reject(app=app, actor=request.user, note=note)
            messages.success(
                request, _("“%(app)s” is rejected; the provider is told why.") % {"app": app.name}
            )
        else:
            messages.error(request, _("Choose approve or reject."))
    except ApplicationError as error:
        flash_error(request, error)
    if request.POST.get("next") == "app":
        return redirect("apps_marketplace:app", pk=app.pk)
    return redirect("apps_marketplace:review")


@admin_required
def settings_edit(request):
    current = selectors.marketplace_settings()
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.marketplace_settings_update(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The marketplace settings are saved."))
            return redirect("apps_marketplace:settings")
    return render(
        request,
        "apps_marketplace/admin/settings.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@admin_required
def providers(request):
    form = ProviderGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if user is None:
            form.add_error("email", "No member has this email address.")
        else:
            try:
                services.provider_grant(user=user, actor=request.user)
            except ApplicationError as error:
                form_error(form, error)
            else:
                messages.success(request, _("%(user)s is now a provider.") % {"user": user})
                return redirect("apps_marketplace:providers")
    return render(
        request,
        "apps_marketplace/admin/providers.html",
        {
            "form": form,
            "assignments": selectors.provider_assignments(),
        },
        status=400 if form.errors else 200,
    )


@admin_required
@require_POST
def provider_revoke(request, user_pk: int):
    user = get_object_or_404(get_user_model(), pk=user_pk)
    try:
        services.provider_revoke(user=user, actor=request.user)
        messages.success(request, _("%(user)s is no longer a provider.") % {"user": user})
    except ApplicationError as error:
        flash_error(request, error)
    return redirect("apps_marketplace:providers")
