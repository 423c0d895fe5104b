from django.conf import settings


def site(request) -> dict:
    return {"site_name": settings.MINUTES_SITE_NAME}
