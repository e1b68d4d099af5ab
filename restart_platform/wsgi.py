import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "restart_platform.settings")
application = get_wsgi_application()

# Not with the public demo password in production (accounts.E001).
from restart_platform.accounts.checks import refuse_to_serve_with_demo_passwords  # noqa: E402

refuse_to_serve_with_demo_passwords()
