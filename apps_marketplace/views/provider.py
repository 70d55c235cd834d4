"""The provider's pages: their apps, events, attendees (check-in, payments), sponsors."""

import csv

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError

from .. import selectors, services
from ..forms import (
    AppForm,
    CancelForm,
    EventForm,
    PackageForm,
    SponsorshipForm,
    SponsorshipStatusForm,
)
from ..models import Event, Registration, SponsorshipPackage
from .common import flash_error, form_error, provider_required

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


@provider_required
def dashboard(request):
    return render(
        request,
        "apps_marketplace/provide/dashboard.html",
        {
            "apps": selectors.apps_managed_by(request.user),
            "events": selectors.events_managed_by(request.user).exclude(
                status__in=(Event.Status.CANCELLED, Event.Status.COMPLETED)
            ),
            "is_provider": selectors.user_is_provider(request.user),
        },
    )


@provider_required
def app_create(request):
    form = AppForm(
        request.POST or None,
        initial={"currency": selectors.marketplace_settings().default_currency},
    )
    if request.method == "POST" and form.is_valid():
        try:
            app = services.app_create(
                provider=request.user, actor=request.user, **form.cleaned_data
            )
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                f"“{app.name}” is listed"
                + (" and waits for the organisation's approval." if not app.is_public else "."),
            )
            return redirect("apps_marketplace:app-manage", pk=app.pk)
    return render(
        request,
        "apps_marketplace/provide/app_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@provider_required
def app_manage(request, pk: int):
    app = selectors.get_managed_app_for(request.user, pk)
    return render(
        request,
        "apps_marketplace/provide/app_manage.html",
        {
            "app": app,
            "events": selectors.events_of_app(app, request.user),
            "packages": selectors.packages_of_app(app),
            "package_form": PackageForm(),
            "share": services.effective_share(app),
        },
    )


@provider_required
def app_edit(request, pk: int):
    app = selectors.get_managed_app_for(request.user, pk)
    form = AppForm(request.POST or None, instance=app)
    if request.method == "POST" and form.is_valid():
        try:
            app = services.app_update(
                app=selectors.get_managed_app_for(request.user, pk),
                actor=request.user,
                **form.cleaned_data,
            )
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                "Saved."
                + (
                    " The changes wait for the organisation's approval."
                    if not app.is_public
                    else ""
                ),
            )
            return redirect("apps_marketplace:app-manage", pk=app.pk)
    return render(
        request,
        "apps_marketplace/provide/app_form.html",
        {"form": form, "app": app},
        status=400 if form.errors else 200,
    )


@provider_required
@require_POST
def app_withdraw(request, pk: int):
    app = selectors.get_managed_app_for(request.user, pk)
    try:
        services.app_withdraw(app=app, actor=request.user)
        messages.success(
            request, _("“%(app)s” is withdrawn from the marketplace.") % {"app": app.name}
        )
    except ApplicationError as error:
        flash_error(request, error)
    return redirect("apps_marketplace:app-manage", pk=app.pk)


@provider_required
@require_POST
def package_create(request, pk: int, scope: str):
    """A sponsorship package for an app (every event) or one event."""
    if scope == "app":
        app = selectors.get_managed_app_for(request.user, pk)
        event, back = None, ("apps_marketplace:app-manage", app.pk)
    else:
        event = selectors.get_managed_event_for(request.user, pk)
        app, back = None, ("apps_marketplace:event-manage", event.pk)
    form = PackageForm(request.POST)
    if form.is_valid():
        try:
            services.package_create(app=app, event=event, actor=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("Package “%(package)s” is offered.") % {"package": form.cleaned_data["name"]},
            )
        except ApplicationError as error:
            flash_error(request, error)
    else:
        messages.error(
            request,
            "The package was not added: "
            + "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()),
        )
    return redirect(*back)


@provider_required
@require_POST
def package_toggle(request, pk: int):
    package = SponsorshipPackage.objects.select_related("app", "event__app").filter(pk=pk).first()
    owner = package and (package.app or package.event.app)
    if package is None or not selectors.can_manage_app(request.user, owner):
        raise Http404("No such package.")
    services.package_set_active(package=package, actor=request.user, active=not package.is_active)
    if package.event_id:
        return redirect("apps_marketplace:event-manage", pk=package.event_id)
    return redirect("apps_marketplace:app-manage", pk=package.app_id)


def _event_initial(event: Event) -> dict:
    return {
        "title": event.title,
        "metro": event.metro,
        "venue": event.venue,
        "address": event.address,
        "capacity": event.capacity,
        "price": event.price,
        "currency": event.currency,
        "description": event.description,
        "starts_at": event.starts_local.strftime(LOCAL_FORMAT),
        "ends_at": event.ends_local.strftime(LOCAL_FORMAT),
    }


@provider_required
def event_create(request, pk: int):
    app = selectors.get_managed_app_for(request.user, pk)
    form = EventForm(
        request.POST or None,
        initial={"price": app.default_price, "currency": app.currency, "title": app.name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                app=app, actor=request.user, publish="publish" in request.POST, **form.cleaned_data
            )
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                "The event is "
                + ("published." if event.status == Event.Status.PUBLISHED else "saved as a draft."),
            )
            return redirect("apps_marketplace:event-manage", pk=event.pk)
    return render(
        request,
        "apps_marketplace/provide/event_form.html",
        {"form": form, "app": app, "can_publish": app.is_public},
        status=400 if form.errors else 200,
    )


@provider_required
def event_edit(request, pk: int):
    event = selectors.get_managed_event_for(request.user, pk)
    form = EventForm(request.POST or None, initial=_event_initial(event))
    if request.method == "POST" and form.is_valid():
        changes = {name: value for name, value in form.cleaned_data.items()}
        changes["title"] = changes["title"] or event.app.name
        try:
            services.event_update(event=event, actor=request.user, **changes)
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("apps_marketplace:event-manage", pk=event.pk)
    return render(
        request,
        "apps_marketplace/provide/event_form.html",
        {"form": form, "app": event.app, "event": event},
        status=400 if form.errors else 200,
    )


@provider_required
def event_manage(request, pk: int):
    event = selectors.get_managed_event_for(request.user, pk)
    registrations = list(selectors.registrations_of_event(event))
    return render(
        request,
        "apps_marketplace/provide/event_manage.html",
        {
            "event": event,
            "confirmed": [r for r in registrations if r.status == Registration.Status.CONFIRMED],
            "offered": [r for r in registrations if r.status == Registration.Status.OFFERED],
            "waitlisted": [r for r in registrations if r.status == Registration.Status.WAITLISTED],
            "others": [r for r in registrations if r.status not in Registration.ACTIVE],
            "checked_in": sum(1 for r in registrations if r.checked_in_at),
            "sponsorships": selectors.sponsorships_of_event(event),
            "packages": selectors.packages_for_event(event),
            "sponsorship_form": SponsorshipForm(packages=selectors.packages_for_event(event)),
            "package_form": PackageForm(initial={"slots": 1}),
            "money": selectors.event_money_summary(event),
            "cancel_form": CancelForm(),
        },
    )


@provider_required
@require_POST
def event_publish(request, pk: int):
    event = selectors.get_managed_event_for(request.user, pk)
    try:
        services.event_publish(event=event, actor=request.user)
        messages.success(request, _("The event is published."))
    except ApplicationError as error:
        flash_error(request, error)
    return redirect("apps_marketplace:event-manage", pk=event.pk)


@provider_required
@require_POST
def event_cancel(request, pk: int):
    event = selectors.get_managed_event_for(request.user, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.event_cancel(
                event=event, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request,
                _("The event is cancelled; everyone registered is told and refunded in full."),
            )
        except ApplicationError as error:
            flash_error(request, error)
    else:
        messages.error(request, _("Give a reason for cancelling."))
    return redirect("apps_marketplace:event-manage", pk=event.pk)


@provider_required
def event_attendees_csv(request, pk: int):
    event = selectors.get_managed_event_for(request.user, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-attendees.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "name",
            "email",
            "guest",
            "status",
            "registered",
            "payment",
            "amount",
            "paid",
            "refunded",
            "currency",
            "checked_in",
        ]
    )
    for registration in selectors.registrations_of_event(event):
        writer.writerow(
            [
                _csv_safe(registration.name),
                registration.email,
                "yes" if registration.is_guest else "no",
                registration.status,
                registration.created.isoformat(),
                registration.payment_status,
                registration.amount,
                registration.amount_paid,
                registration.amount_refunded,
                registration.currency,
                registration.checked_in_at.isoformat() if registration.checked_in_at else "",
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    """No formula injection when the file is opened in a spreadsheet."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _registration_for_manager(request, pk: int) -> Registration:
    registration = selectors.get_registration_for(request.user, pk)
    if not selectors.can_manage_event(request.user, registration.event):
        raise Http404("No such registration.")
    return registration


@provider_required
@require_POST
def registration_check_in(request, pk: int):
    registration = _registration_for_manager(request, pk)
    try:
        registration = services.registration_check_in(
            registration=registration, actor=request.user, undo=request.POST.get("undo") == "1"
        )
    except ApplicationError as error:
        if request.htmx:
            return HttpResponse(error.message, status=error.status_code)
        flash_error(request, error)
    if request.htmx:
        return render(
            request,
            "apps_marketplace/provide/_attendee_row.html",
            {"registration": registration, "event": registration.event},
        )
    return redirect("apps_marketplace:event-manage", pk=registration.event_id)


@provider_required
@require_POST
def registration_mark_paid(request, pk: int):
    registration = _registration_for_manager(request, pk)
    try:
        registration = services.registration_mark_paid(
            registration=registration,
            actor=request.user,
            reference=request.POST.get("reference", ""),
        )
    except ApplicationError as error:
        if request.htmx:
            return HttpResponse(error.message, status=error.status_code)
        flash_error(request, error)
    if request.htmx:
        return render(
            request,
            "apps_marketplace/provide/_attendee_row.html",
            {"registration": registration, "event": registration.event},
        )
    return redirect("apps_marketplace:event-manage", pk=registration.event_id)


@provider_required
@require_POST
def registration_cancel(request, pk: int):
    registration = _registration_for_manager(request, pk)
    try:
        services.registration_cancel(
            registration=registration,
            actor=request.user,
            by_organiser=True,
            reason=request.POST.get("reason", "").strip()[:200],
        )
        messages.success(
            request,
            _("%(name)s's registration is cancelled.") % {"name": registration.name},
        )
    except ApplicationError as error:
        flash_error(request, error)
    return redirect("apps_marketplace:event-manage", pk=registration.event_id)


@provider_required
@require_POST
def sponsorship_create(request, pk: int):
    event = selectors.get_managed_event_for(request.user, pk)
    form = SponsorshipForm(request.POST, packages=selectors.packages_for_event(event))
    if form.is_valid():
        try:
            services.sponsorship_create(event=event, actor=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("%(company)s is recorded as a sponsor.")
                % {"company": form.cleaned_data["company"]},
            )
        except ApplicationError as error:
            flash_error(request, error)
    else:
        messages.error(
            request,
            "The sponsor was not recorded: "
            + "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()),
        )
    return redirect("apps_marketplace:event-manage", pk=event.pk)


@provider_required
@require_POST
def sponsorship_status(request, pk: int):
    sponsorship = selectors.get_sponsorship_for(request.user, pk)
    form = SponsorshipStatusForm(request.POST)
    if form.is_valid():
        try:
            services.sponsorship_set_status(
                sponsorship=sponsorship,
                actor=request.user,
                status=form.cleaned_data["status"],
                invoice_number=form.cleaned_data["invoice_number"],
            )
            messages.success(
                request,
                _("%(company)s: %(status)s.")
                % {
                    "company": sponsorship.company,
                    "status": dict(form.fields["status"].choices)[form.cleaned_data["status"]],
                },
            )
        except ApplicationError as error:
            flash_error(request, error)
    else:
        messages.error(request, _("Unknown status."))
    return redirect("apps_marketplace:event-manage", pk=sponsorship.event_id)
