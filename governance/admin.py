"""Django admin for governance's structure only. Escalations are deliberately absent: their
content belongs to the raiser and the committees they reached, and the admin would show an
anonymous raiser's account (see docs/governance.md, "Who sees what")."""

from django.contrib import admin

from .models import Committee, CommitteeMembership, DensityAlert, GovernanceSettings


@admin.register(GovernanceSettings)
class GovernanceSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "escalation_deadline_days", "election_electorate"]

    def has_add_permission(self, request):
        return not GovernanceSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class SeatInline(admin.TabularInline):
    model = CommitteeMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "level", "status", "formed_at"]
    list_filter = ["level", "status"]
    readonly_fields = ["level", "metro", "region", "country", "created"]
    inlines = [SeatInline]

    def has_add_permission(self, request):
        return False  # formed through governance.services.committee_form (alerts, audit)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DensityAlert)
class DensityAlertAdmin(admin.ModelAdmin):
    list_display = ["__str__", "level", "active_chapters", "threshold", "created", "resolved_at"]
    list_filter = ["level", "direction"]
    readonly_fields = [f.name for f in DensityAlert._meta.fields]

    def has_add_permission(self, request):
        return False
