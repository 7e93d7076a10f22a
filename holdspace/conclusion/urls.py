from django.urls import path

from holdspace.conclusion import views

urlpatterns = [
    path("p/<uuid:process_id>/conclusion/", views.conclusion_page, name="hs-conclusion"),
    path("p/<uuid:process_id>/conclusion/new/", views.conclusion_new, name="hs-conclusion-new"),
    path("cr/<uuid:record_id>/", views.conclusion_report, name="hs-conclusion-report"),
    path("cr/<uuid:record_id>/edit/", views.conclusion_edit, name="hs-conclusion-edit"),
    path("cr/<uuid:record_id>/preview/", views.conclusion_preview, name="hs-conclusion-preview"),
    path("cr/<uuid:record_id>/download/", views.conclusion_download, name="hs-conclusion-download"),
    path("cr/<uuid:record_id>/release/", views.conclusion_release, name="hs-conclusion-release"),
    path("ce/<uuid:record_id>/", views.edition_detail, name="hs-edition"),
    path("ce/<uuid:record_id>/download/", views.edition_download, name="hs-edition-download"),
]
