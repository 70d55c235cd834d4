from rest_framework import serializers

from ..models import Attendance, Meeting, Rsvp, Share, Story


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MeetingSerializer(serializers.ModelSerializer):
    chapter = serializers.SerializerMethodField()
    ends_at = serializers.DateTimeField(read_only=True)
    time_zone = serializers.CharField(source="chapter.metro.time_zone", read_only=True)
    is_one_off = serializers.BooleanField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "chapter",
            "starts_at",
            "ends_at",
            "time_zone",
            "duration_minutes",
            "location",
            "video_url",
            "status",
            "cancel_reason",
            "is_one_off",
            "closed_at",
        ]
        read_only_fields = fields

    def get_chapter(self, meeting: Meeting) -> dict:
        return {"id": meeting.chapter_id, "name": meeting.chapter.name}


class MeetingDetailSerializer(MeetingSerializer):
    """For members of the chapter only (the view checks): minutes once the meeting is closed."""

    minutes = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "minutes"]
        read_only_fields = fields

    def get_minutes(self, meeting: Meeting) -> str | None:
        return meeting.minutes if meeting.is_closed else None


class RsvpSerializer(serializers.ModelSerializer):
    user = serializers.SerializerMethodField()

    class Meta:
        model = Rsvp
        fields = ["user", "answer", "answered_at"]
        read_only_fields = fields

    def get_user(self, rsvp: Rsvp) -> dict:
        return {"id": rsvp.user_id, "name": rsvp.user.name}


class RsvpInputSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=Rsvp.Answer.choices)


class AttendanceSerializer(serializers.ModelSerializer):
    user = serializers.SerializerMethodField()

    class Meta:
        model = Attendance
        fields = ["user", "status", "recorded_at"]
        read_only_fields = fields

    def get_user(self, attendance: Attendance) -> dict:
        return {"id": attendance.user_id, "name": attendance.user.name}


class AttendanceEntrySerializer(serializers.Serializer):
    user = serializers.IntegerField()
    status = serializers.ChoiceField(
        choices=[("", "clear"), *Attendance.Status.choices], allow_blank=True
    )


class AttendanceInputSerializer(serializers.Serializer):
    entries = AttendanceEntrySerializer(many=True, allow_empty=False)


class StorySerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = Story
        fields = ["id", "author", "text", "created", "modified"]
        read_only_fields = fields

    def get_author(self, story: Story) -> dict:
        return {"id": story.author_id, "name": story.author.name}


class ShareSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    stories = StorySerializer(many=True, read_only=True)

    class Meta:
        model = Share
        fields = ["id", "author", "success", "challenge", "stories", "created", "modified"]
        read_only_fields = fields

    def get_author(self, share: Share) -> dict:
        return {"id": share.author_id, "name": share.author.name}


class ShareInputSerializer(serializers.Serializer):
    success = serializers.CharField(max_length=4000)
    challenge = serializers.CharField(max_length=4000)


class TextInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000)


class StorySavedSerializer(StorySerializer):
    reads_as_advice = serializers.BooleanField(read_only=True)

    class Meta(StorySerializer.Meta):
        fields = [*StorySerializer.Meta.fields, "reads_as_advice"]
        read_only_fields = fields


class MinutesInputSerializer(serializers.Serializer):
    minutes = serializers.CharField(max_length=20000, allow_blank=True, required=False, default="")
