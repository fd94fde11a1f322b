"""Handover URLs, inside the ``referrals`` namespace (included from ``referrals.urls``).

They start with ``handovers/`` so they never meet the referral's ``<pk>/<action>/`` pattern.
"""

from django.urls import path

from referrals import handover_views as views

urlpatterns = [
    path("handovers/<int:pk>/", views.handover_detail, name="handover_detail"),
    path("handovers/<int:pk>/edit/", views.handover_edit, name="handover_edit"),
    path("handovers/<int:pk>/send/", views.handover_send, name="handover_send"),
    path(
        "handovers/<int:pk>/acknowledge/", views.handover_acknowledge, name="handover_acknowledge"
    ),
    path(
        "handovers/<int:pk>/documents/", views.handover_document_add, name="handover_document_add"
    ),
    path("handovers/<int:pk>/export/", views.handover_export, name="handover_export"),
    path("handovers/documents/<int:pk>/", views.handover_document, name="handover_document"),
]
