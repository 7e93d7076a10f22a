from django.urls import path

from holdspace.watch import views

urlpatterns = [
    path("p/<uuid:process_id>/cadence/", views.cadence, name="hs-cadence"),
    path("p/<uuid:process_id>/respond/", views.respond, name="hs-respond"),
    path("account/reminders/", views.reminders, name="hs-reminders"),
    path("account/calendar/", views.calendar_settings, name="hs-calendar"),
    path("calendar/<str:token>/", views.calendar_feed, name="hs-calendar-feed"),
]
