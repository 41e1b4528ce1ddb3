from rest_framework.routers import SimpleRouter

from music.api import downloads, views

router = SimpleRouter(use_regex_path=False)
router.register("tracks", views.TrackViewSet, basename="api-track")
router.register("downloads", downloads.DownloadJobViewSet, basename="api-download")

urlpatterns = router.urls
