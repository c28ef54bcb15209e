"""The fork server's warm-up builds, once, what recognisers otherwise build in every worker on
its first item: the public-suffix list of e-mail validation and the address patterns' variants."""

from tests.detectors.conftest import fresh_python


def test_warm_up_builds_what_recognisers_build_on_first_use():
    result = fresh_python("""
        from detectors import public_suffix
        from detectors.engine import shared_patterns
        from detectors.warmup import warm_up

        street = next(r.recognizer for r in shared_patterns().rules if r.entity == "STREET_ADDRESS")
        print(public_suffix._extractor.cache_info().currsize == 1, len(street._variants))
        warm_up()
        print(public_suffix._extractor.cache_info().currsize == 1, len(street._variants))
    """)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split("\n")[:2] == ["False 0", "True 4"]


def test_the_fork_server_warms_up_before_workers_fork():
    result = fresh_python("""
        import scanner.preload
        from detectors import public_suffix
        print(public_suffix._extractor.cache_info().currsize == 1)
    """)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "True"
