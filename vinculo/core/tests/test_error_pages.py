from django.test import Client

from vinculo.test import People, client_for


def test_a_page_outside_your_role_explains_itself_in_spanish(people: People) -> None:
    response = client_for(people.fernando).get("/imports/")

    assert response.status_code == 403
    assert "No puedes abrir esta página" in response.content.decode()


def test_a_missing_page_keeps_the_navigation(people: People) -> None:
    response = client_for(people.bruno).get("/customers/999999/")

    assert response.status_code == 404
    assert 'href="/customers/"' in response.content.decode()


def test_the_error_page_for_anonymous_visitors_renders_too() -> None:
    assert Client().get("/no-such-page/").status_code == 404
