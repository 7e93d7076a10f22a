from django.urls import path

from holdspace.circle import views

urlpatterns = [
    path("p/<uuid:process_id>/surroundings/", views.circle_overview, name="hs-circle"),
    path("g/<uuid:group_id>/people/new/", views.person_new, name="hs-person-new"),
    path("pe/<uuid:record_id>/", views.person_detail, name="hs-person"),
    path("pe/<uuid:record_id>/edit/", views.person_edit, name="hs-person-edit"),
    path("pe/<uuid:record_id>/stance/", views.person_stance, name="hs-person-stance"),
    path("pe/<uuid:record_id>/inform/", views.informing_new, name="hs-informing-new"),
    path("in/<uuid:record_id>/", views.informing_detail, name="hs-informing"),
    path("in/<uuid:record_id>/edit/", views.informing_edit, name="hs-informing-edit"),
    path("in/<uuid:record_id>/outcome/", views.informing_outcome, name="hs-informing-outcome"),
    path("in/<uuid:record_id>/ask/", views.informing_ask, name="hs-informing-ask"),
    path("in/<uuid:record_id>/approval/", views.informing_approval, name="hs-informing-approval"),
    path("g/<uuid:group_id>/duties/new/", views.duty_new, name="hs-duty-new"),
    path("du/<uuid:record_id>/", views.duty_detail, name="hs-duty"),
    path("du/<uuid:record_id>/edit/", views.duty_edit, name="hs-duty-edit"),
    path("du/<uuid:record_id>/confirm/", views.duty_confirm, name="hs-duty-confirm"),
    path("g/<uuid:group_id>/consent/new/", views.consent_new, name="hs-consent-new"),
    path("co/<uuid:record_id>/", views.consent_detail, name="hs-consent"),
    path("co/<uuid:record_id>/edit/", views.consent_edit, name="hs-consent-edit"),
]
