from django.urls import path

from zuofeng.complaints.views import public, stats

urlpatterns = [
    path("report/", public.report, name="report"),
    path("report/done/", public.report_done, name="report_done"),
    path("report/units", public.units, name="report_units"),
    path("captcha/<slug:token>.png", public.captcha_image, name="captcha"),
    path("track/", public.track, name="track"),
    path("track/<slug:code>/", public.track_case, name="track_case"),
    path("track/<slug:code>/rate", public.rate, name="rate"),
    path("stats/", stats.stats, name="stats"),
]
