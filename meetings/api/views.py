"""The meetings API: the same selectors and services as the pages, so the same rule — only the
chapter's current members see a meeting and what was shared at it (404 for anybody else,
organisation admins and superusers included)."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.pagecache import cached_read

from .. import selectors, services
from ..models import Attendance, Rsvp
from .serializers import (
    AttendanceInputSerializer,
    AttendanceSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
    MinutesInputSerializer,
    RsvpInputSerializer,
    RsvpSerializer,
    ShareInputSerializer,
    ShareSerializer,
    StorySavedSerializer,
    TextInputSerializer,
)


class MeetingListView(generics.ListAPIView):
    """Meetings of the chapters you belong to. Filters: `chapter` (id), `upcoming` (true)."""

    serializer_class = MeetingSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("chapter", int, required=False),
            OpenApiParameter("upcoming", bool, required=False),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        from django.utils import timezone

        queryset = selectors.meetings_visible_to(self.request.user)
        chapter = self.request.query_params.get("chapter")
        if chapter:
            if not chapter.isdigit():
                return queryset.none()
            queryset = queryset.filter(chapter_id=int(chapter))
        if self.request.query_params.get("upcoming") in {"1", "true", "yes"}:
            queryset = queryset.filter(starts_at__gte=timezone.now()).order_by("starts_at", "pk")
        else:
            queryset = queryset.order_by("-starts_at", "-pk")
        return queryset


class MeetingDetailView(generics.RetrieveAPIView):
    serializer_class = MeetingDetailSerializer

    @cached_read
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        return selectors.get_meeting_for(self.request.user, self.kwargs["pk"])


class RsvpView(APIView):
    @extend_schema(responses={200: RsvpSerializer(many=True)})
    def get(self, request, pk: int):
        meeting = selectors.get_meeting_for(request.user, pk)
        rsvps = Rsvp.objects.filter(meeting=meeting).select_related("user").order_by("pk")
        return Response(RsvpSerializer(rsvps, many=True).data)

    @extend_schema(request=RsvpInputSerializer, responses={200: RsvpSerializer})
    def put(self, request, pk: int):
        meeting = selectors.get_meeting_for(request.user, pk)
        payload = RsvpInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        rsvp = services.rsvp_set(
            meeting=meeting, user=request.user, answer=payload.validated_data["answer"]
        )
        return Response(RsvpSerializer(rsvp).data)


class AttendanceView(APIView):
    @extend_schema(responses={200: AttendanceSerializer(many=True)})
    def get(self, request, pk: int):
        meeting = selectors.get_meeting_for(request.user, pk)
        marks = Attendance.objects.filter(meeting=meeting).select_related("user").order_by("pk")
        return Response(AttendanceSerializer(marks, many=True).data)

    @extend_schema(
        request=AttendanceInputSerializer, responses={200: AttendanceSerializer(many=True)}
    )
    def put(self, request, pk: int):
        """Facilitators: record present / late / excused / absent ("" clears an entry)."""
        meeting = selectors.get_meeting_for(request.user, pk)
        payload = AttendanceInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        statuses = {entry["user"]: entry["status"] for entry in payload.validated_data["entries"]}
        services.attendance_record(meeting=meeting, actor=request.user, statuses=statuses)
        marks = Attendance.objects.filter(meeting=meeting).select_related("user").order_by("pk")
        return Response(AttendanceSerializer(marks, many=True).data)


class ShareListView(APIView):
    @extend_schema(responses={200: ShareSerializer(many=True)})
    def get(self, request, pk: int):
        """Shares with their stories; before the meeting starts, only your own."""
        meeting = selectors.get_meeting_for(request.user, pk)
        shares = selectors.shares_visible_to(request.user, meeting)
        return Response(ShareSerializer(shares, many=True).data)


class MyShareView(APIView):
    @extend_schema(responses={200: ShareSerializer})
    def get(self, request, pk: int):
        meeting = selectors.get_meeting_for(request.user, pk)
        share = (
            selectors.shares_visible_to(request.user, meeting).filter(author=request.user).first()
        )
        if share is None:
            raise Http404("You have not recorded a share for this meeting.")
        return Response(ShareSerializer(share).data)

    @extend_schema(request=ShareInputSerializer, responses={200: ShareSerializer})
    def put(self, request, pk: int):
        meeting = selectors.get_meeting_for(request.user, pk)
        payload = ShareInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        share = services.share_save(meeting=meeting, user=request.user, **payload.validated_data)
        share = selectors.shares_visible_to(request.user, meeting).get(pk=share.pk)
        return Response(ShareSerializer(share).data)


class StoryView(APIView):
    @extend_schema(request=TextInputSerializer, responses={200: StorySavedSerializer})
    def put(self, request, pk: int, share_pk: int):
        """Tell (or edit) your story for a challenge. `reads_as_advice` is a hint, never a
        refusal."""
        meeting = selectors.get_meeting_for(request.user, pk)
        share = selectors.get_share_for(request.user, meeting, share_pk)
        payload = TextInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        story, advice = services.story_save(
            share=share, user=request.user, text=payload.validated_data["text"]
        )
        story.reads_as_advice = advice
        return Response(StorySavedSerializer(story).data)


class StoryDeleteView(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int, story_pk: int):
        meeting = selectors.get_meeting_for(request.user, pk)
        story = selectors.get_story_for(request.user, meeting, story_pk)
        services.story_delete(story=story, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CloseView(APIView):
    @extend_schema(request=MinutesInputSerializer, responses={200: MeetingDetailSerializer})
    def post(self, request, pk: int):
        """Facilitators: close the meeting with its minutes; the record is locked after."""
        meeting = selectors.get_meeting_for(request.user, pk)
        payload = MinutesInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        meeting = services.meeting_close(
            meeting=meeting, actor=request.user, minutes=payload.validated_data["minutes"]
        )
        return Response(MeetingDetailSerializer(meeting).data)
