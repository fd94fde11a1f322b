from django.urls import path

from measures import views

app_name = "measures"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("mine/", views.my_measures, name="my_measures"),
    path("new/", views.create, name="create"),
    path("import/", views.import_measures, name="import"),
    path("import/template.<slug:fmt>", views.import_template, name="import_template"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("<int:pk>/status/", views.change_status, name="status"),
    path("<int:pk>/flyer/", views.flyer, name="flyer"),
    path("<int:pk>/runs/new/", views.run_create, name="run_create"),
    path("runs/<int:pk>/edit/", views.run_edit, name="run_edit"),
    path("<int:pk>/open-days/new/", views.open_day_create, name="open_day_create"),
    path("open-days/<int:pk>/", views.open_day_detail, name="open_day_detail"),
    path("open-days/<int:pk>/sign-up/", views.open_day_signup, name="open_day_signup"),
    path("open-days/<int:pk>/cancel/", views.open_day_cancel, name="open_day_cancel"),
]
