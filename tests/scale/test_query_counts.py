"""Every key page and its API endpoint asks the database the same number of questions with five
times the data, and no more than the count pinned here (a change needs a reason in the
commit; docs/benchmarks.md has the counts at scale S and L)."""

# Warm-request counts, every query included (the floor alone costs 3: search path, session, and
# the user with their roles and unread count, core.userfacts; the host lookup is cached in Redis,
# tenants.host_cache; API requests authenticate with a token instead).
PINNED = {
    "member dashboard": 12,
    "member dashboard (API)": 6,
    "directory": 8,
    "directory (API)": 8,
    "coverage map": 11,
    "coverage map (API)": 10,
    "chapter page": 11,
    "chapter page (API)": 10,
    "meeting page": 11,
    "meeting page (API)": 5,
    "committee queue": 6,
    "committee queue (API)": 7,
    "election results": 6,
    "election results (API)": 10,
    "event list": 7,
    "event list (API)": 7,
}


def test_every_key_page_is_measured_at_both_sizes(two_sizes):
    small, large = two_sizes
    assert set(small) == set(large) == set(PINNED)
    assert all(status == 200 for status, _ in [*small.values(), *large.values()])


def test_query_counts_do_not_grow_with_the_data(two_sizes):
    small, large = two_sizes
    grown = {
        name: (small[name][1], large[name][1])
        for name in small
        if name in large and small[name][1] != large[name][1]
    }
    assert grown == {}, f"queries (small, 5x) differ: {grown}"


def test_query_counts_stay_within_the_pinned_counts(two_sizes):
    _small, large = two_sizes
    over = {
        name: (count, PINNED[name])
        for name, (_status, count) in large.items()
        if name in PINNED and count > PINNED[name]
    }
    assert over == {}, f"queries above the pinned count (now, pinned): {over}"
