"""Two authorities in one store, as on the seeds' shared front door (MACH): staff of the
shared front door work for both; Middlesbrough's own staff see nothing of Hartlepool's."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from childrenmatter.accounts.models import AccessLog


@pytest.fixture
def two_authorities(make_staff, settings):
    from childrenmatter.frontdoor.models import Contact
    from childrenmatter.people.actions import create_person

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    shared = make_staff("front_door_practitioner", la_codes=["806", "805"], username="shared")
    middlesbrough = make_staff("front_door_practitioner", username="middlesbrough")
    makers = {"806": make_staff("team_manager", la_code="806"),
              "805": make_staff("team_manager", la_code="805")}
    people = {
        code: create_person(actor=makers[code], la_code=code, given_name="Amy",
                            family_name="Hartley", local_id=f"{code}-1")
        for code in ("806", "805")
    }
    for code in ("806", "805"):
        Contact.objects.create(la_code=code, reference=f"REF-{code}", received_at=timezone.now(),
                               source="2A", summary="Worried about Amy")
    return {"shared": shared, "middlesbrough": middlesbrough, "people": people,
            "heads": {code: make_staff("head_of_service", la_code=code) for code in ("806", "805")}}


def people_linked(html: str) -> set[int]:
    return {int(found) for found in re.findall(r'href="/people/(\d+)/"', html)}


def test_a_shared_front_door_member_finds_children_of_both_authorities(client, two_authorities):
    client.force_login(two_authorities["shared"])
    html = client.get("/people/?given_name=Amy&family_name=Hartley").content.decode()
    assert people_linked(html) == {person.pk for person in two_authorities["people"].values()}


def test_middlesbrough_staff_find_none_of_hartlepool_s_children(client, two_authorities):
    client.force_login(two_authorities["middlesbrough"])
    html = client.get("/people/?given_name=Amy&family_name=Hartley").content.decode()
    assert people_linked(html) == {two_authorities["people"]["806"].pk}


def test_middlesbrough_staff_are_told_hartlepool_s_child_does_not_exist(client, two_authorities):
    hartlepool_child = two_authorities["people"]["805"]
    client.force_login(two_authorities["middlesbrough"])
    assert client.get(f"/people/{hartlepool_child.pk}/").status_code == 404
    refused = AccessLog.objects.get(user=two_authorities["middlesbrough"],
                                    person=hartlepool_child)
    assert refused.allowed is False and refused.la_code == "805"
    client.force_login(two_authorities["shared"])
    assert client.get(f"/people/{hartlepool_child.pk}/").status_code == 200


def test_the_front_door_queue_shows_each_member_of_staff_their_authorities(
    client, two_authorities
):
    client.force_login(two_authorities["shared"])
    html = client.get("/front-door/").content.decode()
    assert "REF-806" in html and "REF-805" in html
    client.force_login(two_authorities["middlesbrough"])
    html = client.get("/front-door/").content.decode()
    assert "REF-806" in html and "REF-805" not in html


def test_each_authority_s_access_log_holds_only_reads_of_its_own_people(client, two_authorities):
    hartlepool_child = two_authorities["people"]["805"]
    client.force_login(two_authorities["shared"])
    client.get(f"/people/{hartlepool_child.pk}/")
    client.force_login(two_authorities["middlesbrough"])
    client.get(f"/people/{hartlepool_child.pk}/")

    client.force_login(two_authorities["heads"]["806"])
    html = client.get(f"/access-log/?person={hartlepool_child.pk}").content.decode()
    assert "No entries match." in html
    client.force_login(two_authorities["heads"]["805"])
    html = client.get(f"/access-log/?person={hartlepool_child.pk}").content.decode()
    assert "shared" in html and "middlesbrough" in html
    assert "Refused: no view_person here" in html
