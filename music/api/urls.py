from rest_framework.routers import SimpleRouter

from music.api import views

router = SimpleRouter(use_regex_path=False)
router.register("tracks", views.TrackViewSet, basename="api-track")

urlpatterns = router.urls
