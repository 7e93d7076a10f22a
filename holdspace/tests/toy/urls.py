from django.urls import path

from holdspace.tests.toy import views

urlpatterns = [path("toy/<uuid:record_id>/", views.toy_detail, name="hs-toy")]
