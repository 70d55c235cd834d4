"""The chapters API: the same selectors and services as the pages, so the same rules."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import NotFound
from core.pagecache import cached_read
from core.selectors import user_is_organization_admin
from network.models import Entrepreneur, Sector

from .. import coverage, selectors, services
from ..health import healths_of
from ..models import ChapterSettings, Membership
from . import serializers as s


def _payload(serializer_class, request):
    payload = serializer_class(data=request.data)
    payload.is_valid(raise_exception=True)
    return payload.validated_data


def _health_context(chapters) -> dict:
    rules = ChapterSettings.load()
    return {"health": healths_of(chapters, rules)}


class ChapterListView(generics.ListAPIView):
    """Your chapters; organisation admins get every chapter with `?scope=all`."""

    serializer_class = s.ChapterSerializer

    def get_queryset(self):
        user = self.request.user
        if self.request.query_params.get("scope") == "all" and user_is_organization_admin(user):
            status_filter = self.request.query_params.get("status") or None
            return selectors.chapters_for_admin(status=status_filter)
        return selectors.chapters_of(user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        serializer = self.get_serializer(page, many=True, context=_health_context(page))
        return self.get_paginated_response(serializer.data)

    @extend_schema(request=s.ChapterProposeSerializer, responses={201: s.ChapterSerializer})
    def post(self, request):
        """Propose a chapter in your metro, with founding invitees."""
        data = _payload(s.ChapterProposeSerializer, request)
        invitees = list(
            Entrepreneur.objects.select_related("user", "sector").filter(pk__in=data["invitee_ids"])
        )
        if len(invitees) != len(set(data["invitee_ids"])):
            raise NotFound("One of the invitees does not exist.", field="invitee_ids")
        chapter = services.chapter_propose(
            user=request.user,
            name=data["name"],
            description=data.get("description", ""),
            invitees=invitees,
            message=data.get("message", ""),
            accept_agreement=data["accept_agreement"],
        )
        return _chapter_response(request, chapter.pk, status.HTTP_201_CREATED)


def _chapter_response(request, pk: int, code: int = status.HTTP_200_OK) -> Response:
    chapter = selectors.get_chapter_for(request.user, pk)
    is_member = selectors.is_chapter_member(request.user, chapter)
    context = _health_context([chapter]) | {
        "members": list(selectors.chapter_members(chapter)),
        "show_health_parts": is_member,
    }
    return Response(s.ChapterDetailSerializer(chapter, context=context).data, status=code)


class ChapterDetailView(APIView):
    @extend_schema(responses={200: s.ChapterDetailSerializer})
    @cached_read
    def get(self, request, pk: int):
        """A chapter with its members; health parts for its members, the score for admins."""
        return _chapter_response(request, pk)

    @extend_schema(request=s.ChapterUpdateSerializer, responses={200: s.ChapterDetailSerializer})
    def patch(self, request, pk: int):
        chapter = selectors.get_chapter_for(request.user, pk)
        data = _payload(s.ChapterUpdateSerializer, request)
        services.chapter_update(
            chapter=chapter,
            actor=request.user,
            name=data["name"],
            description=data.get("description", chapter.description),
        )
        return _chapter_response(request, pk)


class ChapterActivateView(APIView):
    @extend_schema(request=s.ChapterReasonSerializer, responses={200: s.ChapterDetailSerializer})
    def post(self, request, pk: int):
        chapter = selectors.get_chapter_for(request.user, pk)
        data = _payload(s.ChapterReasonSerializer, request)
        services.chapter_activate(
            chapter=chapter, actor=request.user, reason=data.get("reason", "")
        )
        return _chapter_response(request, pk)


class ChapterCloseView(APIView):
    @extend_schema(request=s.ChapterReasonSerializer, responses={200: s.ChapterSerializer})
    def post(self, request, pk: int):
        chapter = selectors.get_chapter_for(request.user, pk)
        data = _payload(s.ChapterReasonSerializer, request)
        chapter = services.chapter_close(
            chapter=chapter, actor=request.user, reason=data.get("reason", "")
        )
        return Response({"id": chapter.pk, "status": chapter.status})


class ChapterLeaveView(APIView):
    @extend_schema(request=None, responses={200: s.MembershipSerializer})
    def post(self, request, pk: int):
        chapter = selectors.get_chapter_for(request.user, pk)
        membership = (
            Membership.objects.select_related("user", "sector", "chapter")
            .filter(chapter=chapter, user=request.user, left_at__isnull=True)
            .first()
        )
        if membership is None:
            raise NotFound("You are not a member of this chapter.")
        membership = services.membership_leave(membership=membership, actor=request.user)
        return Response(s.MembershipSerializer(membership).data)


class ChapterMembershipListView(generics.ListAPIView):
    """Current members; `?history=1` adds former members."""

    serializer_class = s.MembershipSerializer

    def get_queryset(self):
        chapter = selectors.get_chapter_for(self.request.user, self.kwargs["pk"])
        if self.request.query_params.get("history"):
            return (
                Membership.objects.filter(chapter=chapter)
                .select_related("user__entrepreneur", "sector")
                .order_by("joined_at", "pk")
            )
        return selectors.chapter_members(chapter)


def _membership(request, pk: int) -> Membership:
    membership = (
        Membership.objects.select_related("chapter", "user__entrepreneur", "sector")
        .filter(pk=pk, left_at__isnull=True)
        .first()
    )
    if membership is None:
        raise Http404
    selectors.get_chapter_for(request.user, membership.chapter_id)
    return membership


class MembershipRoleView(APIView):
    @extend_schema(request=s.MembershipRoleSerializer, responses={200: s.MembershipSerializer})
    def patch(self, request, pk: int):
        """Make a member facilitator, or a facilitator a member (facilitators and admins)."""
        membership = _membership(request, pk)
        data = _payload(s.MembershipRoleSerializer, request)
        membership = services.membership_set_role(
            membership=membership, role=data["role"], actor=request.user
        )
        return Response(s.MembershipSerializer(membership).data)


class MembershipRemoveView(APIView):
    @extend_schema(request=s.ChapterReasonSerializer, responses={200: s.MembershipSerializer})
    def post(self, request, pk: int):
        membership = _membership(request, pk)
        data = _payload(s.ChapterReasonSerializer, request)
        membership = services.membership_remove(
            membership=membership, actor=request.user, reason=data.get("reason", "")
        )
        return Response(s.MembershipSerializer(membership).data)


class MembershipTransferView(APIView):
    @extend_schema(request=None, responses={200: s.MembershipSerializer})
    def post(self, request, pk: int):
        """Hand your facilitation to this member."""
        membership = _membership(request, pk)
        membership = services.facilitation_transfer(
            chapter=membership.chapter, to_membership=membership, actor=request.user
        )
        return Response(s.MembershipSerializer(membership).data)


class ChapterInvitationListView(generics.ListAPIView):
    """Open invitations of a chapter: members see how many objected, facilitators why."""

    def get_queryset(self):
        self.chapter = selectors.get_chapter_for(self.request.user, self.kwargs["pk"])
        return selectors.invitations_of_chapter(self.chapter)

    def get_serializer_class(self):
        chapter = getattr(self, "chapter", None)
        if chapter is not None and selectors.can_manage_chapter(self.request.user, chapter):
            return s.InvitationManagerSerializer
        return s.InvitationMemberSerializer

    @extend_schema(request=s.InvitationCreateSerializer, responses={201: s.InvitationSerializer})
    def post(self, request, pk: int):
        """Invite (facilitators: sent at once) or propose (members: for the facilitators)."""
        chapter = selectors.get_chapter_for(request.user, pk)
        data = _payload(s.InvitationCreateSerializer, request)
        sector = None
        if data.get("sector_id"):
            sector = Sector.objects.filter(pk=data["sector_id"]).first()
            if sector is None:
                raise NotFound("No such sector.", field="sector_id")
        invitation = services.invitation_create(
            chapter=chapter,
            actor=request.user,
            email=data["email"],
            sector=sector,
            name=data.get("name", ""),
            message=data.get("message", ""),
        )
        return Response(s.InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class MyInvitationListView(generics.ListAPIView):
    """Invitations sent to your address that you can still answer."""

    serializer_class = s.InvitationSerializer

    def get_queryset(self):
        return selectors.invitations_addressed_to(self.request.user)


class InvitationActionView(APIView):
    action_name = ""

    @extend_schema(request=None, responses={200: s.InvitationSerializer})
    def post(self, request, pk: int):
        invitation = selectors.get_invitation_for(request.user, pk)
        action = {
            "send": services.invitation_send,
            "resend": services.invitation_resend,
            "revoke": services.invitation_revoke,
        }[self.action_name]
        invitation = action(invitation=invitation, actor=request.user)
        return Response(s.InvitationSerializer(invitation).data)


class InvitationObjectView(APIView):
    @extend_schema(request=s.ObjectionCreateSerializer, responses={201: s.InvitationSerializer})
    def post(self, request, pk: int):
        """Object to an invitation during its window, with a reason for the facilitators."""
        invitation = selectors.get_invitation_for(request.user, pk)
        data = _payload(s.ObjectionCreateSerializer, request)
        objection = services.objection_raise(
            invitation=invitation, member=request.user, reason=data["reason"]
        )
        return Response(
            s.InvitationSerializer(objection.invitation).data, status=status.HTTP_201_CREATED
        )


class InvitationDecideView(APIView):
    @extend_schema(request=s.ObjectionDecisionSerializer, responses={200: s.InvitationSerializer})
    def post(self, request, pk: int):
        """Decide a held invitation: proceed (objections overruled) or withdraw it."""
        invitation = selectors.get_invitation_for(request.user, pk)
        data = _payload(s.ObjectionDecisionSerializer, request)
        invitation = services.objection_decide(
            invitation=invitation,
            actor=request.user,
            proceed=data["proceed"],
            note=data.get("note", ""),
        )
        return Response(s.InvitationSerializer(invitation).data)


def _by_token(token: str):
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise NotFound("This invitation link is not valid.")
    return invitation


class InvitationAcceptView(APIView):
    @extend_schema(request=s.InvitationAcceptSerializer, responses={201: s.MembershipSerializer})
    def post(self, request):
        """Accept with the token from the link, signed in with the invited address."""
        data = _payload(s.InvitationAcceptSerializer, request)
        membership = services.invitation_accept(
            invitation=_by_token(data["token"]),
            user=request.user,
            accept_agreement=data["accept_agreement"],
            company=data.get("company", ""),
        )
        return Response(s.MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


class InvitationDeclineView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=s.InvitationTokenSerializer, responses={200: s.InvitationSerializer})
    def post(self, request):
        """Decline with the token; no account needed."""
        data = _payload(s.InvitationTokenSerializer, request)
        invitation = services.invitation_decline(
            invitation=_by_token(data["token"]),
            user=request.user if request.user.is_authenticated else None,
        )
        return Response({"id": invitation.pk, "status": invitation.status})


class JoinableChapterListView(generics.ListAPIView):
    """Forming and active chapters of your metro with a free seat for your sector."""

    serializer_class = s.JoinableChapterSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.chapters_joinable_by(self.request.user)


class JoinRequestListView(generics.ListAPIView):
    """Your join requests."""

    serializer_class = s.JoinRequestSerializer

    def get_queryset(self):
        return selectors.join_requests_of(self.request.user)

    @extend_schema(request=s.JoinRequestCreateSerializer, responses={201: s.JoinRequestSerializer})
    def post(self, request):
        data = _payload(s.JoinRequestCreateSerializer, request)
        chapter = next(
            (c for c in selectors.chapters_joinable_by(request.user) if c.pk == data["chapter_id"]),
            None,
        )
        if chapter is None:
            raise NotFound(
                "No chapter of your metro with a free seat for your sector has that id.",
                field="chapter_id",
            )
        join_request = services.join_request_create(
            chapter=chapter, user=request.user, message=data.get("message", "")
        )
        return Response(s.JoinRequestSerializer(join_request).data, status=status.HTTP_201_CREATED)


class ChapterJoinRequestListView(generics.ListAPIView):
    """Pending join requests of a chapter (its facilitators and admins)."""

    serializer_class = s.JoinRequestSerializer

    def get_queryset(self):
        chapter = selectors.get_chapter_for(self.request.user, self.kwargs["pk"])
        if not selectors.can_manage_chapter(self.request.user, chapter):
            raise Http404
        return selectors.join_requests_pending(chapter).select_related("chapter")


class JoinRequestActionView(APIView):
    action_name = ""

    @extend_schema(request=s.JoinRequestMessageSerializer, responses={200: s.JoinRequestSerializer})
    def post(self, request, pk: int):
        join_request = selectors.get_join_request_for(request.user, pk)
        message = _payload(s.JoinRequestMessageSerializer, request).get("message", "")
        if self.action_name == "approve":
            join_request = services.join_request_approve(
                join_request=join_request, actor=request.user, message=message
            )
        elif self.action_name == "decline":
            join_request = services.join_request_decline(
                join_request=join_request, actor=request.user, message=message
            )
        else:
            join_request = services.join_request_withdraw(
                join_request=join_request, user=request.user
            )
        return Response(s.JoinRequestSerializer(join_request).data)


class CoverageView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("country", int, description="Limit to one country"),
            OpenApiParameter("region", int, description="Limit to one region"),
        ],
        responses={200: dict},
    )
    @cached_read
    def get(self, request):
        """The metro x sector grid: members, members in chapters and open seats per cell."""

        def as_int(name):
            value = request.query_params.get(name, "")
            return int(value) if value.isdigit() else None

        grid = coverage.cached_coverage_grid(
            country_id=as_int("country"), region_id=as_int("region")
        )
        return Response(
            {
                "scope": grid.scope,
                "metros": [
                    {
                        "id": m.pk,
                        "name": m.name,
                        "region": m.region.name,
                        "country": m.region.country.name,
                    }
                    for m in grid.metros
                ],
                "sectors": [{"id": sector.pk, "name": sector.name} for sector in grid.sectors],
                "cells": [
                    {
                        "metro": metro.pk,
                        "sector": sector.pk,
                        "members": cell.members,
                        "in_chapters": cell.in_chapters,
                        "open_seats": cell.open_seats,
                    }
                    for metro, cells, _total in grid.rows()
                    for sector, cell in zip(grid.sectors, cells, strict=True)
                    if cell.members or cell.open_seats
                ],
                "totals": vars(grid.grand_total()),
            }
        )
