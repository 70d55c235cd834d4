"""What members and guests see: events by metro, date and app; an event's page, registration,
its calendar file; apps; one's own registrations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.pagecache import cached_page
from core.pagination import KeptCountPaginator

from .. import selectors, services
from ..forms import EventFilterForm, GuestRegistrationForm
from ..ics import event_ics
from ..models import Registration
from ..payments import payment_provider
from .common import flash_error, form_error, guest_rate_limited

EVENTS_PER_PAGE = 30


@cached_page
def event_list(request):
    form = EventFilterForm(request.GET or None, apps=selectors.apps_public().order_by("name"))
    filters = selectors.EventFilter()
    if form.is_valid():
        filters = selectors.EventFilter(
            metro=form.cleaned_data["metro"],
            app=form.cleaned_data["app"],
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
        )
    events = selectors.event_list(request.user, filters)
    page = KeptCountPaginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "apps_marketplace/event_list.html",
        {
            "form": form,
            "page": page,
            "events": page.object_list,
            "query": query.urlencode(),
        },
    )


def _event_context(request, event, **extra) -> dict:
    registration = selectors.registration_of_user_for(request.user, event)
    return {
        "event": event,
        "registration": registration,
        "waitlist_position": selectors.waitlist_position(registration) if registration else None,
        "sponsors": list(selectors.sponsors_shown(event)),
        "packages": list(selectors.packages_for_event(event))
        if event.is_open_for_registration
        else [],
        "can_manage": selectors.can_manage_event(request.user, event),
        "seats_left": max(event.capacity - event.seats_taken, 0),
        "guest_form": GuestRegistrationForm(),
        **extra,
    }


def event_detail(request, pk: int):
    event = selectors.get_event_for(request.user, pk)
    return render(request, "apps_marketplace/event_detail.html", _event_context(request, event))


@require_POST
def event_register(request, pk: int):
    event = selectors.get_event_for(request.user, pk)
    guest_form = None
    try:
        if request.user.is_authenticated:
            registration = services.registration_create(event=event, user=request.user)
        else:
            guest_form = GuestRegistrationForm(request.POST)
            if guest_rate_limited(request):
                guest_form.is_valid()
                guest_form.add_error(
                    None, "Too many registrations from your address; please try again in an hour."
                )
                return render(
                    request,
                    "apps_marketplace/event_detail.html",
                    _event_context(request, event, guest_form=guest_form),
                    status=429,
                )
            if not guest_form.is_valid():
                return render(
                    request,
                    "apps_marketplace/event_detail.html",
                    _event_context(request, event, guest_form=guest_form),
                    status=400,
                )
            registration = services.registration_create(
                event=event,
                name=guest_form.cleaned_data["name"],
                email=guest_form.cleaned_data["email"],
            )
    except ApplicationError as error:
        if guest_form is not None:
            form_error(guest_form, error)
            return render(
                request,
                "apps_marketplace/event_detail.html",
                _event_context(request, event, guest_form=guest_form),
                status=error.status_code,
            )
        flash_error(request, error)
        return redirect("apps_marketplace:event", pk=event.pk)
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(request, _("You are registered. A confirmation is on its way by email."))
    else:
        messages.info(request, _("The event is full: you are on the waiting list."))
    return redirect("apps_marketplace:registration-manage", token=registration.token)


def event_calendar(request, pk: int):
    event = selectors.get_event_for(request.user, pk)
    url = request.build_absolute_uri(reverse("apps_marketplace:event", args=[event.pk]))
    response = HttpResponse(
        event_ics(event, url=url, host=request.get_host().split(":")[0]),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


def app_list(request):
    apps = selectors.apps_public().order_by("category", "name")
    return render(request, "apps_marketplace/app_list.html", {"apps": apps})


def app_detail(request, pk: int):
    app = selectors.get_app_for(request.user, pk)
    events = selectors.events_of_app(app, request.user)
    return render(
        request,
        "apps_marketplace/app_detail.html",
        {
            "app": app,
            "events": events,
            "packages": selectors.packages_of_app(app).filter(is_active=True),
            "can_manage": selectors.can_manage_app(request.user, app),
        },
    )


@login_required
def my_registrations(request):
    return render(
        request,
        "apps_marketplace/my_registrations.html",
        {
            "registrations": selectors.registrations_of_user(request.user),
        },
    )


def registration_manage(request, token: str):
    """A registration's own page: whoever holds the link (sent by email) is its registrant, which
    is how guests without an account confirm an offered seat or cancel."""
    registration = selectors.get_registration_by_token(token)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                services.registration_confirm_offer(
                    registration=registration, actor=_actor(request)
                )
                messages.success(request, _("Your seat is confirmed."))
            elif action == "cancel":
                registration = services.registration_cancel(
                    registration=registration, actor=_actor(request)
                )
                messages.success(request, _("Your registration is cancelled."))
            else:
                messages.error(request, _("Unknown action."))
        except ApplicationError as error:
            flash_error(request, error)
        return redirect("apps_marketplace:registration-manage", token=registration.token)
    refund = None
    if registration.status in Registration.ACTIVE:
        refund = services.refund_due(registration, at=timezone.now())
    payment = None
    if (
        registration.payment_status == Registration.Payment.DUE
        and registration.status == Registration.Status.CONFIRMED
    ):
        payment = payment_provider(registration.payment_provider).begin(registration)
    return render(
        request,
        "apps_marketplace/registration.html",
        {
            "registration": registration,
            "event": registration.event,
            "waitlist_position": selectors.waitlist_position(registration),
            "refund": refund,
            "payment": payment,
        },
    )


def _actor(request):
    return request.user if request.user.is_authenticated else None
