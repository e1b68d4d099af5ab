import datetime as dt

import factory
from django.utils import timezone

from youth.factories import YoungPersonFactory

from .models import IntakeMeeting, IntakeRecord


class IntakeMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntakeMeeting

    youth = factory.SubFactory(YoungPersonFactory)
    youth_worker = factory.LazyAttribute(lambda meeting: meeting.youth.youth_worker)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    place = "Jongerencentrum, Kruiskade 10"
    created_by = factory.LazyAttribute(lambda meeting: meeting.youth_worker)


class IntakeRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntakeRecord

    meeting = factory.SubFactory(IntakeMeetingFactory)
    motivation_words = "Ik wil graag mijn eigen geld verdienen."
    motivation_rating = 4
