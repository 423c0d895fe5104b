"""Create the local development admin account once, and say its password."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Create a superuser 'admin' with a random password kept in var/, for local "
        "development; on later runs, print the same password again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create a development admin with DEBUG off.")
        password_file = Path(settings.VAR_DIR) / f"{username}-password.txt"
        User = get_user_model()
        user = User.objects.filter(username=username).first()

        if user is not None and password_file.exists():
            password = password_file.read_text().strip()
            if user.check_password(password):
                self._announce(username, password, "existing")
                return

        password = secrets.token_urlsafe(12)
        if user is None:
            User.objects.create_superuser(username, "", password)
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
        self._announce(username, password, "new")

    def _announce(self, username: str, password: str, which: str) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Local admin ({which}): user '{username}', password '{password}' "
                "(kept in var/; log in at http://127.0.0.1:8000/admin/)"
            )
        )
