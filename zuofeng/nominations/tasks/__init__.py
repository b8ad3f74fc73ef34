"""Background work of this app (django-tasks, run by `manage.py db_worker`)."""
