from django.contrib import admin, messages
from django_tenants.utils import get_public_schema_name

from .app_templates import AppTemplate
from .models import Domain, Organization
from .services import organization_set_status


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "status", "created"]
    list_filter = ["status"]
    search_fields = ["name", "slug"]
    readonly_fields = ["schema_name", "created"]
    inlines = [DomainInline]
    actions = ["suspend", "activate"]

    def has_module_permission(self, request):
        from django.db import connection

        return connection.schema_name == get_public_schema_name() and super().has_module_permission(
            request
        )

    @admin.action(description="Suspend the selected organisations")
    def suspend(self, request, queryset):
        for organization in queryset:
            organization_set_status(organization=organization, status=Organization.Status.SUSPENDED)
        messages.success(request, f"Suspended {queryset.count()} organisation(s).")

    @admin.action(description="Re-activate the selected organisations")
    def activate(self, request, queryset):
        for organization in queryset:
            organization_set_status(organization=organization, status=Organization.Status.ACTIVE)
        messages.success(request, f"Activated {queryset.count()} organisation(s).")


@admin.register(AppTemplate)
class AppTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "category", "is_published", "position"]
    list_editable = ["is_published", "position"]

    def has_module_permission(self, request):
        from django.db import connection

        return connection.schema_name == get_public_schema_name() and super().has_module_permission(
            request
        )
