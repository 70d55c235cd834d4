"""The marketplace API: the same selectors and services as the pages, so the same rules."""

import datetime

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.pagecache import cached_read
from core.selectors import user_is_organization_admin
from network.models import Metro

from .. import selectors, services
from ..models import SponsorshipPackage
from . import serializers as s


def _refuse_unless_provider(user) -> None:
    if not selectors.user_may_provide(user):
        raise PermissionDenied("This is for providers and organisation admins.")


# --- Apps -----------------------------------------------------------------------------------------


class AppListView(generics.ListAPIView):
    """Approved apps, plus your own (and, for admins, every app)."""

    serializer_class = s.AppSerializer

    def get_queryset(self):
        apps = selectors.apps_visible_to(self.request.user).order_by("name")
        wanted = self.request.query_params.get("status")
        return apps.filter(status=wanted) if wanted else apps

    @extend_schema(request=s.AppWriteSerializer, responses={201: s.AppSerializer})
    def post(self, request):
        payload = s.AppWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        app = services.app_create(
            provider=request.user, actor=request.user, **payload.validated_data
        )
        return Response(s.AppSerializer(app).data, status=status.HTTP_201_CREATED)


class AppDetailView(APIView):
    @extend_schema(responses=s.AppSerializer)
    def get(self, request, pk: int):
        return Response(s.AppSerializer(selectors.get_app_for(request.user, pk)).data)

    @extend_schema(request=s.AppWriteSerializer, responses=s.AppSerializer)
    def patch(self, request, pk: int):
        app = selectors.get_managed_app_for(request.user, pk)
        payload = s.AppWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        app = services.app_update(app=app, actor=request.user, **payload.validated_data)
        return Response(s.AppSerializer(app).data)


class AppReviewView(APIView):
    decision: str = ""

    @extend_schema(request=s.ReviewSerializer, responses=s.AppSerializer)
    def post(self, request, pk: int):
        if not user_is_organization_admin(request.user):
            raise PermissionDenied("Only an organisation admin reviews apps.")
        app = selectors.get_managed_app_for(request.user, pk)
        payload = s.ReviewSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        note = payload.validated_data.get("note", "")
        if self.decision == "approve":
            app = services.app_approve(app=app, actor=request.user, note=note)
        else:
            app = services.app_reject(app=app, actor=request.user, note=note)
        return Response(s.AppSerializer(app).data)


# --- Events ---------------------------------------------------------------------------------------


class EventListView(generics.ListAPIView):
    """Upcoming events you may see; filter by metro, app and the metro's local dates."""

    serializer_class = s.EventSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("metro", int),
            OpenApiParameter("app", int),
            OpenApiParameter("from", str, description="YYYY-MM-DD, local date"),
            OpenApiParameter("to", str, description="YYYY-MM-DD, local date"),
        ]
    )
    @cached_read
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        filters = selectors.EventFilter()
        try:
            if params.get("metro"):
                filters.metro = Metro.objects.get(pk=int(params["metro"]))
            if params.get("app"):
                filters.app = selectors.get_app_for(self.request.user, int(params["app"]))
            if params.get("from"):
                filters.date_from = datetime.date.fromisoformat(params["from"])
            if params.get("to"):
                filters.date_to = datetime.date.fromisoformat(params["to"])
        except (ValueError, Metro.DoesNotExist, Http404) as error:
            raise ValidationError({"filter": [f"Unknown or malformed filter: {error}"]}) from error
        return selectors.event_list(self.request.user, filters)

    @extend_schema(request=s.EventWriteSerializer, responses={201: s.EventSerializer})
    def post(self, request):
        _refuse_unless_provider(request.user)
        payload = s.EventWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        app = data.pop("app", None)
        if app is None:
            raise ValidationError({"app": ["This field is required."]})
        app = selectors.get_managed_app_for(request.user, app.pk)
        event = services.event_create(app=app, actor=request.user, **data)
        event = selectors.get_managed_event_for(request.user, event.pk)
        return Response(s.EventSerializer(event).data, status=status.HTTP_201_CREATED)


class EventDetailView(APIView):
    @extend_schema(responses=s.EventSerializer)
    def get(self, request, pk: int):
        return Response(s.EventSerializer(selectors.get_event_for(request.user, pk)).data)

    @extend_schema(request=s.EventWriteSerializer, responses=s.EventSerializer)
    def patch(self, request, pk: int):
        event = selectors.get_managed_event_for(request.user, pk)
        payload = s.EventWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        changes = {k: v for k, v in payload.validated_data.items() if k not in ("app", "publish")}
        services.event_update(event=event, actor=request.user, **changes)
        return Response(s.EventSerializer(selectors.get_managed_event_for(request.user, pk)).data)


class EventPublishView(APIView):
    @extend_schema(request=None, responses=s.EventSerializer)
    def post(self, request, pk: int):
        event = selectors.get_managed_event_for(request.user, pk)
        services.event_publish(event=event, actor=request.user)
        return Response(s.EventSerializer(selectors.get_managed_event_for(request.user, pk)).data)


class EventCancelView(APIView):
    @extend_schema(request=s.CancelSerializer, responses=s.EventSerializer)
    def post(self, request, pk: int):
        event = selectors.get_managed_event_for(request.user, pk)
        payload = s.CancelSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.event_cancel(event=event, actor=request.user, **payload.validated_data)
        return Response(s.EventSerializer(selectors.get_managed_event_for(request.user, pk)).data)


class EventRegisterView(APIView):
    """Register yourself (guests register on the event's page)."""

    @extend_schema(request=None, responses={201: s.RegistrationSerializer})
    def post(self, request, pk: int):
        event = selectors.get_event_for(request.user, pk)
        registration = services.registration_create(event=event, user=request.user)
        return Response(s.RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


class EventRegistrationsView(generics.ListAPIView):
    """Everyone registered for an event you run."""

    serializer_class = s.RegistrationSerializer

    def get_queryset(self):
        event = selectors.get_managed_event_for(self.request.user, self.kwargs["pk"])
        return selectors.registrations_of_event(event).select_related("event")


# --- Registrations --------------------------------------------------------------------------------


class RegistrationListView(generics.ListAPIView):
    """Your own registrations."""

    serializer_class = s.RegistrationSerializer

    def get_queryset(self):
        return selectors.registrations_of_user(self.request.user)


class RegistrationDetailView(APIView):
    @extend_schema(responses=s.RegistrationSerializer)
    def get(self, request, pk: int):
        return Response(
            s.RegistrationSerializer(selectors.get_registration_for(request.user, pk)).data
        )


class RegistrationActionView(APIView):
    action_name: str = ""

    @extend_schema(request=None, responses=s.RegistrationSerializer)
    def post(self, request, pk: int):
        registration = selectors.get_registration_for(request.user, pk)
        own = registration.user_id == request.user.pk
        manages = selectors.can_manage_event(request.user, registration.event)
        if self.action_name == "cancel":
            registration = services.registration_cancel(
                registration=registration,
                actor=request.user,
                by_organiser=manages and not own,
                reason=str(request.data.get("reason", ""))[:200] if manages and not own else "",
            )
        elif self.action_name == "confirm":
            if not own:
                raise Http404("No such registration.")
            registration = services.registration_confirm_offer(
                registration=registration, actor=request.user
            )
        elif self.action_name == "check-in":
            payload = s.CheckInSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            registration = services.registration_check_in(
                registration=registration, actor=request.user, undo=payload.validated_data["undo"]
            )
        elif self.action_name == "paid":
            payload = s.MarkPaidSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            registration = services.registration_mark_paid(
                registration=registration,
                actor=request.user,
                reference=payload.validated_data.get("reference", ""),
            )
        registration = selectors.get_registration_for(request.user, registration.pk)
        return Response(s.RegistrationSerializer(registration).data)


# --- Sponsorships ---------------------------------------------------------------------------------


class SponsorshipListView(generics.ListAPIView):
    """Sponsorships of your events (admins: all)."""

    serializer_class = s.SponsorshipSerializer

    def get_queryset(self):
        _refuse_unless_provider(self.request.user)
        sponsorships = selectors.sponsorships_visible_to(self.request.user).order_by("-created")
        event = self.request.query_params.get("event")
        if event:
            if not event.isdigit():
                raise ValidationError({"event": ["Give an event id."]})
            sponsorships = sponsorships.filter(event_id=int(event))
        return sponsorships

    @extend_schema(request=s.SponsorshipWriteSerializer, responses={201: s.SponsorshipSerializer})
    def post(self, request):
        _refuse_unless_provider(request.user)
        payload = s.SponsorshipWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        event = selectors.get_managed_event_for(request.user, data.pop("event"))
        package = SponsorshipPackage.objects.filter(pk=data.pop("package")).first()
        if package is None:
            raise ValidationError({"package": ["No such package."]})
        sponsorship = services.sponsorship_create(
            event=event, package=package, actor=request.user, **data
        )
        sponsorship = selectors.get_sponsorship_for(request.user, sponsorship.pk)
        return Response(s.SponsorshipSerializer(sponsorship).data, status=status.HTTP_201_CREATED)


class SponsorshipDetailView(APIView):
    @extend_schema(responses=s.SponsorshipSerializer)
    def get(self, request, pk: int):
        return Response(
            s.SponsorshipSerializer(selectors.get_sponsorship_for(request.user, pk)).data
        )


class SponsorshipStatusView(APIView):
    @extend_schema(request=s.SponsorshipStatusSerializer, responses=s.SponsorshipSerializer)
    def post(self, request, pk: int):
        sponsorship = selectors.get_sponsorship_for(request.user, pk)
        payload = s.SponsorshipStatusSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.sponsorship_set_status(
            sponsorship=sponsorship, actor=request.user, **payload.validated_data
        )
        return Response(
            s.SponsorshipSerializer(selectors.get_sponsorship_for(request.user, pk)).data
        )
