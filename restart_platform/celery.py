"""The Celery app. Reminders live in the database (the outbox); the broker only carries triggers."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "restart_platform.settings")

app = Celery("restart_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_broker_folders(sender, **kwargs):
    # The embedded broker keeps its messages in folders that must exist before the first one.
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)
