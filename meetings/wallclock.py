"""Rules about local times, shared by the model, the editor, admin and API."""

import datetime
import functools
import zoneinfo

from django.core.exceptions import ValidationError


@functools.cache
def known_time_zones() -> frozenset[str]:
    # Checked against the list rather than by loading the zone: loading turns
    # some names (a region such as "America") into file errors.
    return frozenset(zoneinfo.available_timezones())


def check_wall_time(day: datetime.date, at: datetime.time, tz_name: str) -> None:
    """Refuse a local time that the clocks skip, or pass twice, on that day."""
    tz = zoneinfo.ZoneInfo(tz_name)
    naive = datetime.datetime.combine(day, at)
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return
    round_trip = first.astimezone(datetime.UTC).astimezone(tz).replace(tzinfo=None)
    if round_trip != naive:
        raise ValidationError(
            f"{at:%H:%M} does not exist on {day:%d %B %Y} in {tz_name}: the clocks "
            "go forward then. Choose another time."
        )
    raise ValidationError(
        f"{at:%H:%M} happens twice on {day:%d %B %Y} in {tz_name}: the clocks go "
        "back then. Choose another time."
    )
