"""The reliability suite: fuzzing, fault injection, concurrency and hostile pages (issue 7).

``make test`` runs a quick version of every test here; ``make test-long``
(``pytest -m long``) runs the full one. Set ``RELIABILITY_SUMMARY=path.json``
to have the run write the figures the README's reliability table quotes.
"""
