from django.core.wsgi import get_wsgi_application

from djbiz.boot import load_settings_or_exit

load_settings_or_exit()
application = get_wsgi_application()
