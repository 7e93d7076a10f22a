from django.urls import path

from holdspace.contact import views

urlpatterns = [
    path("p/<uuid:process_id>/contact/", views.contact_log, name="hs-contact-log"),
    path("g/<uuid:group_id>/contacts/new/", views.contact_new, name="hs-contact-new"),
    path("c/<uuid:record_id>/", views.contact_detail, name="hs-contact"),
    path("c/<uuid:record_id>/edit/", views.contact_edit, name="hs-contact-edit"),
    path("c/<uuid:record_id>/answered/", views.contact_answered, name="hs-contact-answered"),
    path("g/<uuid:group_id>/meetings/new/", views.meeting_new, name="hs-meeting-new"),
    path("m/<uuid:record_id>/", views.meeting_detail, name="hs-meeting"),
    path("m/<uuid:record_id>/edit/", views.meeting_edit, name="hs-meeting-edit"),
    path("m/<uuid:record_id>/outcome/", views.meeting_outcome, name="hs-meeting-outcome"),
    path("m/<uuid:record_id>/attendees/", views.meeting_attendees, name="hs-meeting-attendees"),
    path("m/<uuid:record_id>/step/", views.meeting_step, name="hs-meeting-step"),
]
