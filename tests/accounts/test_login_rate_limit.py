from concurrent.futures import ThreadPoolExecutor

import pytest

from accounts.throttle import TooManyAttempts, register_login_attempt


def _attempts_let_through(count: int, **kwargs) -> int:
    def attempt(_):
        try:
            register_login_attempt(**kwargs)
            return True
        except TooManyAttempts:
            return False

    with ThreadPoolExecutor(max_workers=25) as pool:
        return sum(pool.map(attempt, range(count)))


def test_fifty_parallel_attempts_on_one_address_let_only_the_limit_through(settings):
    assert _attempts_let_through(50, ip="203.0.113.9", email="alice@example.com") == 5


def test_fifty_parallel_attempts_from_one_ip_let_only_the_limit_through(settings):
    settings.LOGIN_RATE_LIMIT = {**settings.LOGIN_RATE_LIMIT, "per_email": 1000}
    assert _attempts_let_through(50, ip="203.0.113.9", email="") == 20


def test_the_limit_is_per_address_and_case_insensitive():
    for _ in range(5):
        register_login_attempt(ip="198.51.100.1", email="Alice@Example.com")
    with pytest.raises(TooManyAttempts, match="Try again in"):
        register_login_attempt(ip="198.51.100.2", email="alice@example.com")
    register_login_attempt(ip="198.51.100.3", email="bea@example.com")
