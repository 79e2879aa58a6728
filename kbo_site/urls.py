from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from kbo_site.views import healthz
# The project's root URLconf names the apps' views; kbo_site's own modules import no app
# (tests/test_layers.py).
from producers.security_views import lockout_list, lockout_unlock
from selection.views import home

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("home/", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("security/lockouts/", lockout_list, name="lockout_list"),
    path("security/lockouts/<int:pk>/unlock/", lockout_unlock, name="lockout_unlock"),
    path("admin/", admin.site.urls),
    path("selection/", include("selection.urls")),
    path("meetings/", include("meetings.urls")),
    path("", include("producers.urls")),
]
