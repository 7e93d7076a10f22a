from django.urls import path

from holdspace.web import views

urlpatterns = [
    path("", views.home, name="hs-home"),
    path("exit/", views.quick_exit, name="hs-quick-exit"),
    path("language/", views.set_language, name="hs-set-language"),
    path("safety/", views.safety, name="hs-safety"),
    path("healthz", views.healthz, name="hs-healthz"),
]
