"""Governance in the API. Serializers only shape data: the raiser of an anonymous escalation is
never written out to anybody but the raiser (the label and id come from the selectors' rules)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import selectors
from ..models import (
    PLACE_LEVELS,
    Committee,
    CommitteeMembership,
    Escalation,
    EscalationRouting,
    GovernanceSettings,
)


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PlaceSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    name = serializers.CharField()


def place_data(committee: Committee) -> dict | None:
    place = committee.place
    if place is None:
        return None
    return {"type": committee.level, "id": place.pk, "name": place.name}


class CommitteeRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Committee
        fields = ["id", "level", "name"]
        read_only_fields = fields


class SeatSerializer(serializers.ModelSerializer):
    user = serializers.SerializerMethodField()
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = CommitteeMembership
        fields = ["id", "committee", "user", "role", "term_start", "term_end", "is_current"]
        read_only_fields = fields

    @extend_schema_field(PersonSerializer)
    def get_user(self, seat: CommitteeMembership) -> dict:
        return {"id": seat.user_id, "name": seat.user.name or seat.user.email}


class CommitteeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    place = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()

    class Meta:
        model = Committee
        fields = ["id", "level", "name", "place", "status", "formed_at", "stood_down_at", "members"]
        read_only_fields = fields

    @extend_schema_field(PlaceSerializer(allow_null=True))
    def get_place(self, committee: Committee) -> dict | None:
        return place_data(committee)

    @extend_schema_field(SeatSerializer(many=True))
    def get_members(self, committee: Committee) -> list:
        seats = getattr(committee, "current_seats", None)
        if seats is None:
            seats = selectors.committee_current_seats(committee)
        return SeatSerializer(seats, many=True).data


class CommitteeCreateSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=[(level, level) for level in PLACE_LEVELS])
    place_id = serializers.IntegerField(help_text="Id of the metro, region or country.")


class SeatCreateSerializer(serializers.Serializer):
    user = serializers.IntegerField(help_text="Id of the person to seat.")
    role = serializers.ChoiceField(
        choices=CommitteeMembership.Role.choices, default=CommitteeMembership.Role.MEMBER
    )
    term_start = serializers.DateField(required=False, allow_null=True)
    term_end = serializers.DateField(required=False, allow_null=True)


class SeatUpdateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=CommitteeMembership.Role.choices, required=False)
    term_end = serializers.DateField(required=False, allow_null=True)


class SettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = GovernanceSettings
        fields = [
            "metro_threshold",
            "region_threshold",
            "country_threshold",
            "escalation_deadline_days",
            "reminder_days_before_deadline",
            "election_electorate",
        ]


class RaiserSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="Empty when the raiser is anonymous.")
    label = serializers.CharField()


class ChapterRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    metro = serializers.CharField()


class EscalationSerializer(serializers.ModelSerializer):
    chapter = serializers.SerializerMethodField()
    committee = CommitteeRefSerializer(read_only=True)
    raiser = serializers.SerializerMethodField()
    assigned_to = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Escalation
        fields = [
            "id",
            "title",
            "category",
            "status",
            "chapter",
            "committee",
            "raiser",
            "is_anonymous",
            "assigned_to",
            "created",
            "routed_at",
            "deadline_at",
            "acknowledged_at",
            "resolved_at",
            "url",
        ]
        read_only_fields = fields

    def _viewer(self):
        return self.context["request"].user

    @extend_schema_field(ChapterRefSerializer)
    def get_chapter(self, escalation: Escalation) -> dict:
        chapter = escalation.chapter
        return {"id": chapter.pk, "name": chapter.name, "metro": chapter.metro.name}

    @extend_schema_field(RaiserSerializer)
    def get_raiser(self, escalation: Escalation) -> dict:
        viewer = self._viewer()
        visible = selectors.raiser_is_visible(escalation, viewer)
        return {
            "id": escalation.raised_by_id if visible else None,
            "label": selectors.raiser_label(escalation, viewer),
        }

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_assigned_to(self, escalation: Escalation) -> dict | None:
        person = escalation.assigned_to
        return {"id": person.pk, "name": person.name or person.email} if person else None

    def get_url(self, escalation: Escalation) -> str:
        return reverse("governance:escalation", kwargs={"pk": escalation.pk})


class RoutingSerializer(serializers.ModelSerializer):
    committee = CommitteeRefSerializer(read_only=True)
    from_committee = CommitteeRefSerializer(read_only=True)

    class Meta:
        model = EscalationRouting
        fields = ["committee", "from_committee", "kind", "reason", "created"]
        read_only_fields = fields


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    download = serializers.SerializerMethodField()

    def get_download(self, attachment) -> str:
        return reverse(
            "api:governance:escalation-attachment",
            kwargs={"pk": attachment.escalation_id, "attachment_pk": attachment.pk},
        )


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField(help_text="A name, “You”, or “The raiser” when anonymous.")
    from_raiser = serializers.BooleanField()
    body = serializers.CharField()
    created = serializers.DateTimeField()


def comment_data(comment, label: str) -> dict:
    return {
        "id": comment.pk,
        "author": label,
        "from_raiser": comment.from_raiser,
        "body": comment.body,
        "created": comment.created,
    }


class EscalationEventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    actor = serializers.CharField()
    note = serializers.CharField()
    created = serializers.DateTimeField()


class EscalationDetailSerializer(EscalationSerializer):
    routings = serializers.SerializerMethodField()
    comments = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    can_act = serializers.SerializerMethodField()
    can_assign = serializers.SerializerMethodField()

    class Meta(EscalationSerializer.Meta):
        fields = [
            *EscalationSerializer.Meta.fields,
            "description",
            "decision",
            "routings",
            "comments",
            "events",
            "attachments",
            "can_act",
            "can_assign",
        ]
        read_only_fields = fields

    def _page(self, escalation: Escalation) -> selectors.EscalationPage:
        cache = self.context.setdefault("_pages", {})
        if escalation.pk not in cache:
            cache[escalation.pk] = selectors.escalation_page(escalation, self._viewer())
        return cache[escalation.pk]

    @extend_schema_field(RoutingSerializer(many=True))
    def get_routings(self, escalation: Escalation) -> list:
        return RoutingSerializer(self._page(escalation).routings, many=True).data

    @extend_schema_field(CommentSerializer(many=True))
    def get_comments(self, escalation: Escalation) -> list:
        return [comment_data(c, label) for c, label in self._page(escalation).comments]

    @extend_schema_field(EscalationEventSerializer(many=True))
    def get_events(self, escalation: Escalation) -> list:
        return [
            {"kind": event.kind, "actor": label, "note": event.note, "created": event.created}
            for event, label in self._page(escalation).events
        ]

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, escalation: Escalation) -> list:
        return AttachmentSerializer(self._page(escalation).attachments, many=True).data

    def get_can_act(self, escalation: Escalation) -> bool:
        return self._page(escalation).can_act

    def get_can_assign(self, escalation: Escalation) -> bool:
        return self._page(escalation).can_assign


class EscalationCreateSerializer(serializers.Serializer):
    chapter = serializers.IntegerField()
    category = serializers.ChoiceField(choices=Escalation.Category.choices)
    title = serializers.CharField(max_length=150)
    description = serializers.CharField(max_length=10000)
    anonymous = serializers.BooleanField(default=False)
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="Multipart only: PDF, PNG, JPG, TXT or DOCX, at most 5 MB each, 5 files.",
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
    committee = serializers.IntegerField(
        required=False, help_text="The committee you act for (guards against a stale view)."
    )


class DecisionSerializer(serializers.Serializer):
    decision = serializers.CharField(max_length=10000)
    committee = serializers.IntegerField(required=False)


class AcknowledgeSerializer(serializers.Serializer):
    committee = serializers.IntegerField(required=False)


class AssignSerializer(serializers.Serializer):
    assignee = serializers.IntegerField(allow_null=True, help_text="A committee member, or null.")


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=5000)


class LevelCountsSerializer(serializers.Serializer):
    level = serializers.CharField()
    open = serializers.IntegerField()
    acknowledged = serializers.IntegerField()
    resolved = serializers.IntegerField()
    total = serializers.IntegerField()


class CountsSerializer(serializers.Serializer):
    by_level = LevelCountsSerializer(many=True)
    totals = serializers.DictField(child=serializers.IntegerField())
    overdue = serializers.IntegerField()


class PlaceDensitySerializer(serializers.Serializer):
    level = serializers.CharField()
    place = PlaceSerializer()
    active_chapters = serializers.IntegerField()
    threshold = serializers.IntegerField()
    meets_threshold = serializers.BooleanField()
    committee = CommitteeRefSerializer(allow_null=True)
    committee_status = serializers.CharField(allow_null=True)
    open_alert = serializers.CharField(allow_null=True)
