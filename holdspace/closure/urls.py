from django.urls import path

from holdspace.closure import views

urlpatterns = [
    path("p/<uuid:process_id>/closure/", views.closure_page, name="hs-closure"),
    path("p/<uuid:process_id>/closure/criteria/", views.criteria_edit, name="hs-closure-criteria"),
    path("p/<uuid:process_id>/closure/close/", views.close, name="hs-closure-close"),
    path("p/<uuid:process_id>/closure/reopen/", views.reopen, name="hs-closure-reopen"),
    path("p/<uuid:process_id>/closure/statement/", views.statement, name="hs-closure-statement"),
    path("p/<uuid:process_id>/closure/release/", views.release, name="hs-closure-release"),
    path("g/<uuid:group_id>/closure/export/", views.group_export, name="hs-closure-export"),
    path("cl/<uuid:record_id>/", views.closure_record, name="hs-closure-record"),
    path("ro/<uuid:record_id>/", views.reopening_record, name="hs-reopening"),
    path("survivor/closure/", views.her_closure, name="hs-survivor-closure"),
    path("survivor/closure/export/", views.her_export, name="hs-survivor-export"),
]
