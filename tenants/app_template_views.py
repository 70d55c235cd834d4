"""The app-template catalogue: the platform's public page (/apps/) and, on an organisation's
host, the page where its admins and providers adopt a template into the organisation's
marketplace (/marketplace/templates/). It combines the public catalogue with the marketplace, so
it lives here, above apps_marketplace."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from apps_marketplace.models import App
from apps_marketplace.money import CURRENCY_CHOICES
from apps_marketplace.selectors import providers, user_is_provider, user_may_provide
from apps_marketplace.services import app_create
from core.errors import ApplicationError
from core.selectors import user_is_organization_admin

from .app_templates import app_templates_published, get_app_template


def catalogue(request):
    """Public site: what any organisation on the platform can start from."""
    return render(
        request, "tenants/app_templates/catalogue.html", {"templates": app_templates_published()}
    )


class AdoptForm(forms.Form):
    name = forms.CharField(label=_("Name in your marketplace"), max_length=120)
    default_price = forms.DecimalField(
        label=_("Default price"), min_value=Decimal("0"), max_digits=10, decimal_places=2
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES)
    provider = forms.ModelChoiceField(label=_("Provider who runs it"), queryset=None)
    include_packages = forms.BooleanField(
        label=_("Start with the suggested sponsorship packages"), required=False, initial=True
    )

    def __init__(self, *args, choose_provider: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if choose_provider:
            self.fields["provider"].queryset = providers()
        else:
            del self.fields["provider"]


def _may_adopt(user) -> bool:
    return user_may_provide(user)


@login_required
def adopt_list(request):
    if not _may_adopt(request.user):
        raise PermissionDenied(_("Adopting templates is for providers and organisation admins."))
    adopted = set(App.objects.exclude(template_key="").values_list("template_key", flat=True))
    return render(
        request,
        "tenants/app_templates/adopt_list.html",
        {
            "templates": app_templates_published(),
            "adopted": adopted,
        },
    )


@login_required
def adopt(request, key: str):
    if not _may_adopt(request.user):
        raise PermissionDenied(_("Adopting templates is for providers and organisation admins."))
    template = get_app_template(key)
    is_admin = user_is_organization_admin(request.user)
    form = AdoptForm(
        request.POST or None,
        choose_provider=is_admin,
        initial={
            "name": template.name,
            "default_price": template.suggested_price,
            "currency": template.suggested_currency,
            "provider": request.user.pk if user_is_provider(request.user) else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        packages = (
            [
                {
                    "name": package["name"],
                    "price": Decimal(str(package["price"])),
                    "slots": int(package["slots"]),
                    "benefits": package.get("benefits", ""),
                    "currency": data["currency"],
                }
                for package in template.suggested_packages
            ]
            if data["include_packages"]
            else []
        )
        try:
            app = app_create(
                provider=data.get("provider") or request.user,
                actor=request.user,
                name=data["name"],
                category=template.category,
                description=template.description,
                format=template.format,
                default_price=data["default_price"],
                currency=data["currency"],
                template_key=template.key,
                packages=packages,
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                f"“{app.name}” is in your marketplace"
                + ("." if app.is_public else " and waits for the organisation's approval."),
            )
            return redirect("apps_marketplace:app-manage", pk=app.pk)
    return render(
        request,
        "tenants/app_templates/adopt.html",
        {"template": template, "form": form},
        status=400 if form.errors else 200,
    )
