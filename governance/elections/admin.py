"""Django admin for elections. Ballots are listed without anything that could link them to a
voter (they hold nothing of the kind) and are read-only; voter records and the electoral roll are
not in the admin at all, so no admin page shows who voted next to what was voted."""

from django.contrib import admin

from .models import Ballot, Candidate, Election, ElectionOfficer


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OfficerInline(admin.TabularInline):
    model = ElectionOfficer
    extra = 0
    fields = ["user", "appointed_by", "created"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 0
    fields = ["number", "user", "nominated_by", "status"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Election)
class ElectionAdmin(ReadOnlyAdmin):
    """Read-only: elections are run through their pages, whose services audit every change."""

    list_display = ["title", "state", "method", "seats", "voting_open", "voting_close", "outcome"]
    list_filter = ["state", "method"]
    search_fields = ["title"]
    exclude = ["result"]
    inlines = [OfficerInline, CandidateInline]


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ["ballot_hash", "election", "choices"]
    list_filter = ["election"]
    fields = ["election", "ballot_hash", "choices"]
    ordering = ["ballot_hash"]
    show_full_result_count = False
