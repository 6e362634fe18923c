import pytest


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    # Nobody here signs in through the page: a fast hash keeps the tests quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
