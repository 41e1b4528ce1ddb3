from django.urls import include, path

from comms import chat_views, inbox_views, views, webhooks

app_name = "comms"
urlpatterns = [
    path("inbox/", inbox_views.inbox, name="inbox"),
    path("inbox/<int:pk>/reply/", inbox_views.send_reply, name="inbox-reply"),
    path("inbox/<int:pk>/dismiss/", inbox_views.dismiss, name="inbox-dismiss"),
    path("inbox/clients/<uuid:client_uuid>/chat/", chat_views.staff_chat, name="staff-chat"),
    path("portal/chat/", chat_views.portal_chat, name="portal-chat"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("survey/<str:token>/", views.survey, name="survey"),
    path("webhooks/twilio/status/<uuid:token>/", webhooks.twilio_status, name="twilio-status"),
    path("webhooks/twilio/sms/", webhooks.twilio_inbound_sms, name="twilio-inbound-sms"),
    # anymail's tracking (and inbound) webhooks: /webhooks/anymail/<provider>/tracking/
    path("webhooks/anymail/", include("anymail.urls")),
]
