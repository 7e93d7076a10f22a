from django.urls import path

from holdspace.survivor import views

urlpatterns = [
    path("survivor/", views.home, name="hs-survivor"),
    path("survivor/demands/", views.demands, name="hs-survivor-demands"),
    path("survivor/changes/<uuid:proposal_id>/", views.approval, name="hs-survivor-approval"),
    path("survivor/telling/<uuid:record_id>/", views.informing, name="hs-survivor-informing"),
    path("survivor/choices/", views.choices, name="hs-survivor-choices"),
]
