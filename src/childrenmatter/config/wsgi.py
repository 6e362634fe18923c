"""The WSGI application that ``childrenmatter serve`` runs under gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "childrenmatter.config.settings")

application = get_wsgi_application()
