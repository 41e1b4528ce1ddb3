import pytest
from django.test import override_settings

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def test_healthz_is_ok_when_every_part_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": ["database", "channel_layer", "cache"]}


@override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": UNREACHABLE_REDIS}}
)
def test_healthz_names_the_cache_when_it_does_not_answer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert list(response.json()["failing"]) == ["cache"]


@pytest.mark.django_db
def test_healthz_names_the_channel_layer_when_it_does_not_answer(client, settings):
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [UNREACHABLE_REDIS]}}
    }
    channel_layers.backends.clear()
    try:
        response = client.get("/healthz")
    finally:
        channel_layers.backends.clear()
    assert response.status_code == 503
    assert list(response.json()["failing"]) == ["channel_layer"]
