from django.urls import path

from holdspace.reports import views

urlpatterns = [
    path("g/<uuid:group_id>/reports/new/", views.report_new, name="hs-report-new"),
    path("rp/<uuid:record_id>/", views.report_detail, name="hs-report"),
    path("rp/<uuid:record_id>/edit/", views.report_edit, name="hs-report-edit"),
    path("rp/<uuid:record_id>/sign/", views.report_sign, name="hs-report-sign"),
    path("rp/<uuid:record_id>/send/", views.report_send, name="hs-report-send"),
    path("rp/<uuid:record_id>/correct/", views.report_correct, name="hs-report-correct"),
]
