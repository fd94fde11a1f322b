"""Django admin for organisation admins: each sees and edits only their own organisations."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from triangle.models import ContactEntry, Membership, Organisation, Role, Team, User


class OrgScopedAdmin(admin.ModelAdmin):
    org_field = "organisation"

    def _admin_org_ids(self, request):
        return request.user.organisation_ids(Role.ORG_ADMIN)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.org_field}__in": self._admin_org_ids(request)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser and db_field.name == "organisation":
            kwargs["queryset"] = Organisation.objects.filter(pk__in=self._admin_org_ids(request))
        if not request.user.is_superuser and db_field.name == "team":
            kwargs["queryset"] = Team.objects.filter(organisation__in=self._admin_org_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Organisation)
class OrganisationAdmin(OrgScopedAdmin):
    org_field = "pk"
    list_display = ["name", "kind", "city", "federal_state", "is_active"]
    list_filter = ["kind", "federal_state"]
    search_fields = ["name", "short_name", "city"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["partners"]


@admin.register(Team)
class TeamAdmin(OrgScopedAdmin):
    list_display = ["name", "organisation", "email"]
    list_filter = ["organisation"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(OrgScopedAdmin):
    list_display = ["user", "organisation", "team", "role", "is_active"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["user", "deputy"]


@admin.register(ContactEntry)
class ContactEntryAdmin(OrgScopedAdmin):
    list_display = ["name", "topic", "organisation", "team", "phone", "last_verified_at"]
    list_filter = ["organisation"]
    search_fields = ["name", "topic"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((None, {"fields": ["preferred_language"]}),)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        org_ids = request.user.organisation_ids(Role.ORG_ADMIN)
        return qs.filter(memberships__organisation__in=org_ids).distinct()
