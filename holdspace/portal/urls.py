from django.urls import path

from holdspace.portal import views

urlpatterns = [
    path("g/<uuid:group_id>/message/new/", views.message_new, name="hs-message-new"),
    path("pm/<uuid:record_id>/", views.message_detail, name="hs-message"),
    path("pm/<uuid:record_id>/edit/", views.message_edit, name="hs-message-edit"),
    path("pm/<uuid:record_id>/send/", views.message_send, name="hs-message-send"),
    path("pa/<uuid:record_id>/", views.answer_detail, name="hs-answer"),
    path("portal/", views.portal_home, name="hs-portal"),
    path("portal/demands/", views.portal_demands, name="hs-portal-demands"),
    path("portal/agreements/", views.portal_agreements, name="hs-portal-agreements"),
    path("portal/meetings/", views.portal_meetings, name="hs-portal-meetings"),
    path("portal/messages/", views.portal_messages, name="hs-portal-messages"),
    path("portal/messages/<uuid:record_id>/", views.portal_message, name="hs-portal-message"),
    path("portal/write/", views.portal_write, name="hs-portal-write"),
    path("portal/told/", views.portal_told, name="hs-portal-told"),
]
