from django.urls import path

from triangle.views import consent as views

urlpatterns = [
    path(
        "participants/<int:pk>/consents/", views.participant_consents, name="participant_consents"
    ),
    path("participants/<int:pk>/consents/new/", views.consent_create, name="consent_create"),
    path("consents/<int:pk>/", views.consent_detail, name="consent_detail"),
    path("consents/<int:pk>/print/", views.consent_print, name="consent_print"),
    path("consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("my-data/", views.my_data, name="my_data"),
]
