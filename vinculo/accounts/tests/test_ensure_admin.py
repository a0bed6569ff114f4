import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from vinculo.accounts.choices import Role


def ensure_admin(*args: str) -> str:
    out = StringIO()
    call_command("ensure_admin", *args, stdout=out, no_color=True)
    return out.getvalue()


@pytest.mark.django_db
def test_creates_an_administrator_and_prints_a_password_that_signs_in() -> None:
    output = ensure_admin()

    match = re.search(r"password: (\S+)", output)
    assert match is not None, output
    password = match.group(1)
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password(password)
    assert len(password) >= 20
    assert admin.membership.role == Role.ADMIN
    assert admin.is_staff and admin.is_superuser


@pytest.mark.django_db
def test_each_new_installation_gets_a_different_password() -> None:
    first = re.findall(r"password: (\S+)", ensure_admin("--username", "one"))
    second = re.findall(r"password: (\S+)", ensure_admin("--username", "two"))

    assert first and second and first != second


@pytest.mark.django_db
def test_running_it_again_leaves_the_existing_password_alone() -> None:
    ensure_admin("--password", "first-password-123")

    output = ensure_admin("--password", "second-password-456")

    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password("first-password-123")
    assert "already exists" in output
    assert "manage.py changepassword admin" in output
    assert "second-password-456" not in output


@pytest.mark.django_db
def test_a_given_username_and_password_are_used_and_the_password_is_not_printed() -> None:
    output = ensure_admin("--username", "root", "--password", "given-password-789")

    user = get_user_model().objects.get(username="root")
    assert user.check_password("given-password-789")
    assert user.membership.role == Role.ADMIN
    assert "given-password-789" not in output
