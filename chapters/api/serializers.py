from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Chapter, Invitation, JoinRequest, Membership, Objection


class MetroRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    time_zone = serializers.CharField()


class ChapterSerializer(serializers.ModelSerializer):
    metro = MetroRefSerializer(read_only=True)
    size = serializers.IntegerField(read_only=True)
    facilitator_count = serializers.IntegerField(read_only=True)
    health = serializers.SerializerMethodField()

    class Meta:
        model = Chapter
        fields = [
            "id",
            "name",
            "description",
            "metro",
            "status",
            "size",
            "facilitator_count",
            "health",
            "created",
            "activated_at",
            "closed_at",
            "last_meeting_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True, min_value=0, max_value=100))
    def get_health(self, chapter: Chapter) -> int | None:
        health = self.context.get("health", {}).get(chapter.pk)
        return health.score if health is not None else None


class HealthPartSerializer(serializers.Serializer):
    name = serializers.CharField()
    points = serializers.IntegerField()
    max_points = serializers.IntegerField()
    explanation = serializers.CharField()


class MembershipSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)
    company = serializers.SerializerMethodField()
    sector = serializers.CharField(source="sector.name", read_only=True)
    sector_id = serializers.IntegerField(read_only=True)
    end_reason = serializers.ChoiceField(
        choices=Membership.EndReason.choices,
        allow_blank=True,
        read_only=True,
        help_text="Empty while the membership is current.",
    )

    class Meta:
        model = Membership
        fields = [
            "id",
            "chapter",
            "user",
            "name",
            "company",
            "sector",
            "sector_id",
            "seat_number",
            "role",
            "joined_at",
            "left_at",
            "end_reason",
        ]
        read_only_fields = fields

    def get_company(self, membership: Membership) -> str:
        profile = getattr(membership.user, "entrepreneur", None)
        return profile.company if profile is not None else ""


class ChapterDetailSerializer(ChapterSerializer):
    members = serializers.SerializerMethodField()
    health_parts = serializers.SerializerMethodField()

    class Meta(ChapterSerializer.Meta):
        fields = [*ChapterSerializer.Meta.fields, "members", "health_parts"]
        read_only_fields = fields

    @extend_schema_field(MembershipSerializer(many=True))
    def get_members(self, chapter: Chapter) -> list[dict]:
        return MembershipSerializer(self.context["members"], many=True).data

    @extend_schema_field(HealthPartSerializer(many=True, allow_null=True))
    def get_health_parts(self, chapter: Chapter) -> list[dict] | None:
        if not self.context.get("show_health_parts"):
            return None
        health = self.context["health"][chapter.pk]
        return HealthPartSerializer(health.parts, many=True).data


class ChapterProposeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    invitee_ids = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="Entrepreneur ids of the founding invitees, in your metro.",
    )
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    accept_agreement = serializers.BooleanField()


class ChapterUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ChapterReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class MembershipRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class ObjectionSerializer(serializers.ModelSerializer):
    member = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = Objection
        fields = ["id", "member", "reason", "status", "created", "decided_at", "decision_note"]
        read_only_fields = fields


class InvitationSerializer(serializers.ModelSerializer):
    sector = serializers.CharField(source="sector.name", read_only=True)
    sector_id = serializers.IntegerField(read_only=True)
    chapter_name = serializers.CharField(source="chapter.name", read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "chapter",
            "chapter_name",
            "email",
            "name",
            "sector",
            "sector_id",
            "status",
            "proposed_by",
            "sent_by",
            "created",
            "objection_window_ends_at",
            "sent_at",
            "expires_at",
            "responded_at",
        ]
        read_only_fields = fields


class InvitationMemberSerializer(InvitationSerializer):
    """What members see of their chapter's invitations: how many objected, not why."""

    objection_count = serializers.SerializerMethodField()

    class Meta(InvitationSerializer.Meta):
        fields = [f for f in InvitationSerializer.Meta.fields if f != "email"] + ["objection_count"]
        read_only_fields = fields

    def get_objection_count(self, invitation: Invitation) -> int:
        return len(invitation.objections.all())


class InvitationManagerSerializer(InvitationMemberSerializer):
    """What facilitators see: the objections with their reasons."""

    objections = ObjectionSerializer(many=True, read_only=True)

    class Meta(InvitationMemberSerializer.Meta):
        fields = [*InvitationMemberSerializer.Meta.fields, "email", "objections"]
        read_only_fields = fields


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField()
    sector_id = serializers.IntegerField(required=False, allow_null=True)
    name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ObjectionCreateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ObjectionDecisionSerializer(serializers.Serializer):
    proceed = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class InvitationTokenSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=200)


class InvitationAcceptSerializer(InvitationTokenSerializer):
    accept_agreement = serializers.BooleanField()
    company = serializers.CharField(max_length=150, required=False, allow_blank=True)


class JoinRequestSerializer(serializers.ModelSerializer):
    chapter_name = serializers.CharField(source="chapter.name", read_only=True)
    sector = serializers.CharField(source="sector.name", read_only=True)
    user_name = serializers.CharField(source="user.name", read_only=True)

    class Meta:
        model = JoinRequest
        fields = [
            "id",
            "chapter",
            "chapter_name",
            "user",
            "user_name",
            "sector",
            "message",
            "status",
            "created",
            "decided_at",
            "response",
        ]
        read_only_fields = fields


class JoinRequestCreateSerializer(serializers.Serializer):
    chapter_id = serializers.IntegerField()
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class JoinRequestMessageSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class JoinableChapterSerializer(serializers.ModelSerializer):
    metro = MetroRefSerializer(read_only=True)
    size = serializers.IntegerField(read_only=True)
    already_asked = serializers.BooleanField(read_only=True)

    class Meta:
        model = Chapter
        fields = ["id", "name", "description", "metro", "status", "size", "already_asked"]
        read_only_fields = fields
