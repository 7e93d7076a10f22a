from django.urls import path

from holdspace.decisions import views

urlpatterns = [
    path("p/<uuid:process_id>/decisions/", views.decision_list, name="hs-decisions"),
    path("p/<uuid:process_id>/decisions/new/", views.decision_new, name="hs-decision-new"),
    path("dc/<uuid:record_id>/", views.decision_detail, name="hs-decision"),
    path("dc/<uuid:record_id>/answer/", views.decision_answer, name="hs-decision-answer"),
    path("dc/<uuid:record_id>/outcome/", views.decision_outcome, name="hs-decision-outcome"),
    path("dc/<uuid:record_id>/prepare/", views.decision_prepare, name="hs-decision-prepare"),
    path("dc/<uuid:record_id>/withdraw/", views.decision_withdraw, name="hs-decision-withdraw"),
    path("dc/<uuid:record_id>/replace/", views.decision_replace, name="hs-decision-replace"),
    path("p/<uuid:process_id>/ladder/", views.ladder_page, name="hs-ladder"),
    path("g/<uuid:group_id>/ladder/new/", views.ladder_new, name="hs-ladder-new"),
    path("ld/<uuid:record_id>/", views.ladder_detail, name="hs-ladder-steps"),
    path("ld/<uuid:record_id>/edit/", views.ladder_edit, name="hs-ladder-edit"),
    path("ld/<uuid:record_id>/agree/", views.ladder_agree, name="hs-ladder-agree"),
    path("ld/<uuid:record_id>/next/", views.ladder_next, name="hs-ladder-next"),
]
