"""factory_boy factories: the smallest valid rows, built on each other."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from meetings.models import (
    ActionItem,
    ActionUpdate,
    Attendance,
    Meeting,
    Organisation,
    Person,
    PersonAlias,
    Section,
    Series,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    short_name = factory.Sequence(lambda n: f"ORG{n}")
    name = factory.LazyAttribute(lambda o: f"{o.short_name} facility")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Sample Person {n}")
    organisation = factory.SubFactory(OrganisationFactory)


class PersonAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonAlias

    person = factory.SubFactory(PersonFactory)
    alias = factory.Sequence(lambda n: f"Alias {n}")


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    name = factory.Sequence(lambda n: f"Series {n}")
    slug = factory.Sequence(lambda n: f"series-{n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    series = factory.SubFactory(SeriesFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda m: f"Meeting {m.number}")
    # Distinct days, always in the past, however many meetings a test makes.
    date = factory.Sequence(
        lambda n: datetime.date(2010, 1, 1) + datetime.timedelta(days=n % 3650)
    )
    status = Meeting.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(status=Meeting.Status.DRAFT, published_at=None)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Section {n}")
    position = factory.Sequence(lambda n: n)
    body = "Some *notes*."


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    reference = factory.Sequence(lambda n: f"1.{n:02d}")
    description = factory.Sequence(lambda n: f"Do thing number {n}")

    @factory.post_generation
    def owners(self, create, extracted, **kwargs):
        if create and extracted:
            self.owners.set(extracted)


class ActionUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionUpdate

    action = factory.SubFactory(ActionItemFactory)
    meeting = factory.SubFactory(MeetingFactory)
    status = ActionItem.Status.IN_PROGRESS
