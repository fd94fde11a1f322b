from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from triangle.views import audit as audit_views
from triangle.views import contacts, participants
from triangle.views import core as views
from triangle.views import privacy as privacy_views

urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("contacts/", views.contact_directory, name="contact_directory"),
    path("contacts/new/", contacts.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", contacts.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/verify/", contacts.contact_verify, name="contact_verify"),
    path("participants/", participants.participant_list, name="participant_list"),
    path("participants/new/", participants.participant_create, name="participant_create"),
    path("participants/<int:pk>/", participants.participant_detail, name="participant_detail"),
    path("participants/<int:pk>/edit/", participants.participant_edit, name="participant_edit"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("audit/export.csv", audit_views.audit_log_export, name="audit_log_export"),
    path("privacy/", privacy_views.privacy_lookup, name="privacy_lookup"),
    path("privacy/<int:pk>/", privacy_views.privacy_participant, name="privacy_participant"),
    path("privacy/<int:pk>/export/", privacy_views.privacy_export, name="privacy_export"),
    path(
        "privacy/<int:pk>/export.json",
        privacy_views.privacy_export_json,
        name="privacy_export_json",
    ),
    path("privacy/<int:pk>/restrict/", privacy_views.privacy_restrict, name="privacy_restrict"),
    path("", include("triangle.consent_urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("measures/", include("measures.urls")),
    path("referrals/", include("referrals.urls")),
    path("feedback/", include("feedback.urls")),
]

admin.site.site_header = "Triangle"
admin.site.site_title = "Triangle"
