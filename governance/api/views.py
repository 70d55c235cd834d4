"""Governance API: the same services and selectors as the pages, the same rules."""

from django.contrib.auth import get_user_model
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, parsers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from chapters.models import Chapter
from core.pagecache import cached_read
from core.selectors import user_is_organization_admin

from .. import selectors, services
from ..errors import GovernanceError
from ..forms import PLACE_MODELS
from ..models import Escalation, GovernanceSettings
from .serializers import (
    AcknowledgeSerializer,
    AssignSerializer,
    CommentCreateSerializer,
    CommentSerializer,
    CommitteeCreateSerializer,
    CommitteeSerializer,
    CountsSerializer,
    DecisionSerializer,
    EscalationCreateSerializer,
    EscalationDetailSerializer,
    EscalationSerializer,
    PlaceDensitySerializer,
    ReasonSerializer,
    SeatCreateSerializer,
    SeatSerializer,
    SeatUpdateSerializer,
    SettingsSerializer,
    comment_data,
)


def _int_param(request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() else None


# --- Committees ---------------------------------------------------------------------------------


class CommitteeListView(generics.ListAPIView):
    """Active committees with their current members (everyone in the organisation may see who
    sits where). Admins may form one: POST {level, place_id}."""

    serializer_class = CommitteeSerializer

    def get_queryset(self):
        include = self.request.query_params.get("include_stood_down") == "1"
        return selectors.committees_list(include_stood_down=include)

    @extend_schema(request=CommitteeCreateSerializer, responses={201: CommitteeSerializer})
    def post(self, request):
        payload = CommitteeCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.require_admin(request.user, _("form committees"))
        level = payload.validated_data["level"]
        place = PLACE_MODELS[level].objects.filter(pk=payload.validated_data["place_id"]).first()
        if place is None:
            raise GovernanceError(
                _("No %(level)s with that id.") % {"level": level}, field="place_id"
            )
        committee = services.committee_form(level=level, place=place, actor=request.user)
        return Response(CommitteeSerializer(selectors.get_committee(committee.pk)).data, status=201)


class CommitteeDetailView(generics.RetrieveAPIView):
    serializer_class = CommitteeSerializer

    def get_object(self):
        return selectors.get_committee(self.kwargs["pk"])


class CommitteeStandDownView(APIView):
    @extend_schema(request=None, responses={200: CommitteeSerializer})
    def post(self, request, pk: int):
        committee = services.committee_stand_down(
            committee=selectors.get_committee(pk), actor=request.user
        )
        return Response(CommitteeSerializer(selectors.get_committee(committee.pk)).data)


class CommitteeSeatsView(generics.ListAPIView):
    """A committee's seats: the current ones (admins: every seat, past and future, with
    `?all=1`). Admins seat a person: POST {user, role, term_start, term_end}."""

    serializer_class = SeatSerializer
    pagination_class = None

    def get_queryset(self):
        committee = selectors.get_committee(self.kwargs["pk"])
        if self.request.query_params.get("all") == "1" and user_is_organization_admin(
            self.request.user
        ):
            return committee.memberships.select_related("user").order_by("-term_start", "pk")
        return selectors.committee_current_seats(committee)

    @extend_schema(request=SeatCreateSerializer, responses={201: SeatSerializer})
    def post(self, request, pk: int):
        committee = selectors.get_committee(pk)
        payload = SeatCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.require_admin(request.user, _("appoint committee members"))
        data = payload.validated_data
        user = get_user_model().objects.filter(pk=data["user"]).first()
        if user is None:
            raise GovernanceError(_("No such person."), field="user")
        seat = services.committee_member_add(
            committee=committee,
            user=user,
            actor=request.user,
            role=data["role"],
            term_start=data.get("term_start"),
            term_end=data.get("term_end"),
        )
        return Response(SeatSerializer(seat).data, status=201)


class SeatDetailView(APIView):
    @extend_schema(responses={200: SeatSerializer})
    def get(self, request, pk: int):
        return Response(SeatSerializer(selectors.get_committee_membership(pk)).data)

    @extend_schema(request=SeatUpdateSerializer, responses={200: SeatSerializer})
    def patch(self, request, pk: int):
        seat = selectors.get_committee_membership(pk)
        payload = SeatUpdateSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        seat = services.committee_membership_update(
            membership=seat,
            actor=request.user,
            role=data.get("role"),
            term_end=data.get("term_end", "unchanged"),
        )
        return Response(SeatSerializer(seat).data)


class SeatEndView(APIView):
    @extend_schema(request=None, responses={200: SeatSerializer})
    def post(self, request, pk: int):
        seat = services.committee_membership_end(
            membership=selectors.get_committee_membership(pk), actor=request.user
        )
        return Response(SeatSerializer(seat).data)


class SettingsView(APIView):
    """Thresholds, deadline and electorate. Admins only."""

    def _check(self, request):
        if not user_is_organization_admin(request.user):
            raise PermissionDenied(_("Only organisation admins see governance settings."))

    @extend_schema(responses={200: SettingsSerializer})
    def get(self, request):
        self._check(request)
        return Response(SettingsSerializer(GovernanceSettings.load()).data)

    @extend_schema(request=SettingsSerializer, responses={200: SettingsSerializer})
    def patch(self, request):
        self._check(request)
        payload = SettingsSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        rules = services.governance_settings_update(actor=request.user, **payload.validated_data)
        return Response(SettingsSerializer(rules).data)


class DensityView(APIView):
    """Each place's active chapters, threshold, committee and open alert. Admins and committee
    members."""

    @extend_schema(responses={200: PlaceDensitySerializer(many=True)})
    def get(self, request):
        if not (
            user_is_organization_admin(request.user) or selectors.is_on_any_committee(request.user)
        ):
            raise PermissionDenied(_("Only organisation admins and committee members see density."))
        rows = [
            {
                "level": row.level,
                "place": {"type": row.level, "id": row.place.pk, "name": row.place.name},
                "active_chapters": row.active_chapters,
                "threshold": row.threshold,
                "meets_threshold": row.meets_threshold,
                "committee": row.committee,
                "committee_status": row.committee.status if row.committee else None,
                "open_alert": row.alert.direction if row.alert else None,
            }
            for row in selectors.places_flat(selectors.places_density())
        ]
        return Response(PlaceDensitySerializer(rows, many=True).data)


# --- Escalations --------------------------------------------------------------------------------


class EscalationListView(generics.ListAPIView):
    """Escalations you raised or that passed through a committee you sit on. Filter by
    `committee` (what reached it), `status`, `mine=1` (raised by you). POST raises one from a
    chapter you belong to (JSON, or multipart with `attachments`)."""

    serializer_class = EscalationSerializer
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser, parsers.FormParser]

    @extend_schema(
        parameters=[
            OpenApiParameter("committee", int),
            OpenApiParameter("status", str),
            OpenApiParameter("mine", bool),
        ]
    )
    @cached_read
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        queryset = selectors.escalations_visible_to(self.request.user)
        committee_id = _int_param(self.request, "committee")
        if committee_id:
            queryset = queryset.filter(routings__committee_id=committee_id)
        status = self.request.query_params.get("status", "")
        if status in Escalation.Status.values:
            queryset = queryset.filter(status=status)
        if self.request.query_params.get("mine") in {"1", "true"}:
            queryset = queryset.filter(raised_by=self.request.user)
        return queryset.order_by("created", "pk")

    @extend_schema(request=EscalationCreateSerializer, responses={201: EscalationDetailSerializer})
    def post(self, request):
        payload = EscalationCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        chapter = Chapter.objects.filter(pk=data["chapter"]).first()
        if chapter is None or not selectors.can_raise_from(request.user, chapter):
            raise GovernanceError(
                _("Raise escalations from a chapter you belong to."), field="chapter"
            )
        files = request.FILES.getlist("attachments") if request.FILES else data["attachments"]
        escalation = services.escalation_raise(
            chapter=chapter,
            user=request.user,
            category=data["category"],
            title=data["title"],
            description=data["description"],
            anonymous=data["anonymous"],
            attachments=files,
        )
        escalation = selectors.get_escalation_for(request.user, escalation.pk)
        return Response(
            EscalationDetailSerializer(escalation, context={"request": request}).data, status=201
        )


class EscalationDetailView(generics.RetrieveAPIView):
    serializer_class = EscalationDetailSerializer

    def get_object(self):
        return selectors.get_escalation_for(self.request.user, self.kwargs["pk"])


class _EscalationAction(APIView):
    payload_class = AcknowledgeSerializer

    def act(self, escalation, data):  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request, pk: int):
        escalation = selectors.get_escalation_for(request.user, pk)
        payload = self.payload_class(data=request.data)
        payload.is_valid(raise_exception=True)
        self.act(escalation, payload.validated_data)
        escalation = selectors.get_escalation_for(request.user, pk)
        return Response(EscalationDetailSerializer(escalation, context={"request": request}).data)


class EscalationAcknowledgeView(_EscalationAction):
    payload_class = AcknowledgeSerializer

    @extend_schema(request=AcknowledgeSerializer, responses={200: EscalationDetailSerializer})
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, escalation, data):
        services.escalation_acknowledge(
            escalation=escalation, actor=self.request.user, committee_id=data.get("committee")
        )


class EscalationEscalateView(_EscalationAction):
    payload_class = ReasonSerializer

    @extend_schema(request=ReasonSerializer, responses={200: EscalationDetailSerializer})
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, escalation, data):
        services.escalation_escalate(
            escalation=escalation,
            actor=self.request.user,
            reason=data["reason"],
            committee_id=data.get("committee"),
        )


class EscalationResolveView(_EscalationAction):
    payload_class = DecisionSerializer

    @extend_schema(request=DecisionSerializer, responses={200: EscalationDetailSerializer})
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, escalation, data):
        services.escalation_resolve(
            escalation=escalation,
            actor=self.request.user,
            decision=data["decision"],
            committee_id=data.get("committee"),
        )


class EscalationAssignView(_EscalationAction):
    payload_class = AssignSerializer

    @extend_schema(request=AssignSerializer, responses={200: EscalationDetailSerializer})
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, escalation, data):
        assignee = None
        if data["assignee"] is not None:
            assignee = get_user_model().objects.filter(pk=data["assignee"]).first()
            if assignee is None:
                raise GovernanceError(_("No such person."), field="assignee")
        services.escalation_assign(
            escalation=escalation, actor=self.request.user, assignee=assignee
        )


class EscalationCommentsView(APIView):
    """Comments between the raiser and the committee (oldest first); POST {body} adds one."""

    @extend_schema(responses={200: CommentSerializer(many=True)})
    def get(self, request, pk: int):
        escalation = selectors.get_escalation_for(request.user, pk)
        return Response(
            [
                comment_data(
                    comment, selectors.comment_author_label(comment, escalation, request.user)
                )
                for comment in selectors.escalation_comments(escalation)
            ]
        )

    @extend_schema(request=CommentCreateSerializer, responses={201: CommentSerializer})
    def post(self, request, pk: int):
        escalation = selectors.get_escalation_for(request.user, pk)
        payload = CommentCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        comment = services.escalation_comment(
            escalation=escalation, actor=request.user, body=payload.validated_data["body"]
        )
        label = selectors.comment_author_label(comment, escalation, request.user)
        return Response(comment_data(comment, label), status=201)


class EscalationAttachmentView(APIView):
    """Download an attachment (only for those who may see the escalation)."""

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, pk: int, attachment_pk: int):
        attachment = selectors.get_attachment_for(request.user, pk, attachment_pk)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as error:
            raise Http404("No such attachment.") from error
        response = FileResponse(
            handle,
            content_type=attachment.content_type,
            as_attachment=True,
            filename=attachment.original_name,
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class EscalationCountsView(APIView):
    """Counts of all escalations by level and status — aggregates only. Organisation admins
    and board members."""

    @extend_schema(responses={200: CountsSerializer})
    def get(self, request):
        if not selectors.can_see_governance_counts(request.user):
            raise PermissionDenied(_("Only organisation admins and the board see these counts."))
        counts = selectors.escalation_counts()
        return Response(
            {
                "by_level": [{"level": label, **bucket} for label, bucket in counts["by_level"]],
                "totals": counts["totals"],
                "overdue": counts["overdue"],
            }
        )
