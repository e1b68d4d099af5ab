from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("2fa/", views.two_factor, name="two_factor"),
]
