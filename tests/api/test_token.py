"""The account page where a person creates the token scripts use."""

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def test_the_token_page_needs_a_login(client):
    response = client.get("/account/token/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_creating_a_token_shows_it_once(member, member_client):
    created = member_client.post("/account/token/")
    key = Token.objects.get(user=member).key

    assert key in created.content.decode()
    assert "no-store" in created["Cache-Control"]
    assert key not in member_client.get("/account/token/").content.decode()


def test_a_new_token_replaces_the_old_one(member, member_client, client):
    member_client.post("/account/token/")
    old = Token.objects.get(user=member).key

    member_client.post("/account/token/")

    assert Token.objects.get(user=member).key != old
    answer = client.get("/api/meetings/", HTTP_AUTHORIZATION=f"Token {old}")
    assert answer.status_code == 401


def test_the_page_refuses_a_post_without_csrf(member):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)

    assert strict.post("/account/token/").status_code == 403
    assert not Token.objects.filter(user=member).exists()


def test_the_token_authenticates_api_requests(member, member_client, client):
    member_client.post("/account/token/")
    key = Token.objects.get(user=member).key

    response = client.get("/api/meetings/", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200


def test_admins_can_create_a_token_from_the_command_line(member, capsys):
    call_command("drf_create_token", "member")

    assert Token.objects.get(user=member).key in capsys.readouterr().out
