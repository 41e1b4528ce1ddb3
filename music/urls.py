"""The DJ's library pages, for staff, under /library/."""

app_name = "music"

urlpatterns: list = []
