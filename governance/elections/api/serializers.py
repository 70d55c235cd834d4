from rest_framework import serializers

from core.models import User

from ..models import Candidate, Election, Method


class CandidatePersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "name"]
        read_only_fields = fields


class ElectionSerializer(serializers.ModelSerializer):
    turnout_percent = serializers.FloatField(read_only=True, allow_null=True)
    can_vote = serializers.SerializerMethodField()
    has_voted = serializers.SerializerMethodField()

    class Meta:
        model = Election
        fields = [
            "id",
            "title",
            "description",
            "seats",
            "method",
            "electorate",
            "quorum_percent",
            "term_start",
            "term_end",
            "nominations_open",
            "nominations_close",
            "voting_open",
            "voting_close",
            "state",
            "electorate_size",
            "voters_count",
            "turnout_percent",
            "outcome",
            "counted_at",
            "certified_at",
            "cancel_reason",
            "can_vote",
            "has_voted",
        ]
        read_only_fields = fields
        # DRF drops a read-only model field's allow_blank; the outcome is "" until the count.
        extra_kwargs = {"outcome": {"allow_blank": True}}

    def get_can_vote(self, election: Election) -> bool:
        return bool(getattr(election, "can_vote", False))

    def get_has_voted(self, election: Election) -> bool:
        return bool(getattr(election, "has_voted", False))


class ElectionWriteSerializer(serializers.Serializer):
    """Setting up an election: every field on create, any of them on update."""

    title = serializers.CharField(max_length=150)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    seats = serializers.IntegerField(min_value=1, max_value=50)
    method = serializers.ChoiceField(choices=Method.choices, required=False)
    electorate = serializers.ChoiceField(
        choices=Election._meta.get_field("electorate").choices, required=False
    )
    quorum_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True
    )
    term_start = serializers.DateField()
    term_end = serializers.DateField()
    nominations_open = serializers.DateTimeField()
    nominations_close = serializers.DateTimeField()
    voting_open = serializers.DateTimeField()
    voting_close = serializers.DateTimeField()


class CandidateSerializer(serializers.ModelSerializer):
    user = CandidatePersonSerializer(read_only=True)
    nominated_by = CandidatePersonSerializer(read_only=True)

    class Meta:
        model = Candidate
        fields = ["id", "number", "user", "nominated_by", "status", "statement"]
        read_only_fields = fields


class NominateSerializer(serializers.Serializer):
    nominee = serializers.IntegerField(
        required=False, help_text="The user to nominate; leave out to stand yourself."
    )
    statement = serializers.CharField(required=False, allow_blank=True, max_length=3000)


class RespondSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    statement = serializers.CharField(required=False, allow_blank=True, max_length=3000)


class BallotPaperCandidateSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    statement = serializers.CharField()


class BallotPaperSerializer(serializers.Serializer):
    method = serializers.CharField()
    seats = serializers.IntegerField()
    max_choices = serializers.IntegerField(allow_null=True)
    ranked = serializers.BooleanField()
    can_vote = serializers.BooleanField()
    has_voted = serializers.BooleanField()
    candidates = BallotPaperCandidateSerializer(many=True)


class BallotCastSerializer(serializers.Serializer):
    choices = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=False,
        max_length=200,
        help_text="Candidate numbers: in order of preference (STV) or the ticked ones.",
    )


class ReceiptSerializer(serializers.Serializer):
    receipt_code = serializers.CharField(help_text="Shown once; stored nowhere.")
    ballot_hash = serializers.CharField()
    choices = serializers.ListField(child=serializers.IntegerField())


class VerifyRequestSerializer(serializers.Serializer):
    receipt_code = serializers.CharField(max_length=40)


class VerifyResponseSerializer(serializers.Serializer):
    found = serializers.BooleanField()
    ballot_hash = serializers.CharField(allow_null=True)
    choices = serializers.ListField(child=serializers.IntegerField())
    counted = serializers.BooleanField()
    content_matches = serializers.BooleanField()


class PublishedBallotSerializer(serializers.Serializer):
    ballot_hash = serializers.CharField()
    choices = serializers.ListField(child=serializers.IntegerField())
