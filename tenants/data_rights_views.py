"""A member's own data: the page that explains it, the JSON download and account deletion."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import ApplicationError

from .data_rights import account_delete, personal_data_export


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand: my name, email and profile are removed for good, I leave my "
            "chapters, and I can no longer sign in."
        )
    )


@login_required
@require_GET
def my_data(request):
    return render(request, "tenants/data_rights/my_data.html", {"form": AccountDeleteForm()})


@login_required
@require_GET
def my_data_export(request):
    document = personal_data_export(user=request.user)
    body = json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"commons-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete_view(request):
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_delete(user=request.user, password=form.cleaned_data["password"])
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            logout(request)
            messages.success(request, _("Your account is deleted. Thank you for taking part."))
            return redirect("core:home")
    status = 400 if request.method == "POST" else 200
    return render(request, "tenants/data_rights/my_data.html", {"form": form}, status=status)
