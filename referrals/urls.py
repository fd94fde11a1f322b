from django.urls import path

from referrals import views
from referrals.handover_urls import urlpatterns as handover_urlpatterns

app_name = "referrals"

urlpatterns = [
    path("", views.my_referrals, name="my_referrals"),
    path("new/", views.create, name="create"),
    path("inbox/", views.inbox, name="inbox"),
    path("runs/<int:run_pk>/start/", views.bulk_start, name="bulk_start"),
    path("notifications/<int:pk>/", views.open_notification, name="open_notification"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/messages/", views.post_message, name="post_message"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
    *handover_urlpatterns,
]
