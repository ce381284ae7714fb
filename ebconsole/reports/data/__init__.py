"""Read-side queries that gather what a report shows, as plain frozen dataclasses.

One module per report (`incident`, `status`, `matrix`, `resources`, `drills`, `review`),
each with a `load(…, *, session)` that runs a fixed, small number of queries whatever the
amount of data (a status report over thousands of open incidents does not query once per
incident). The result holds no ORM rows, so it may cross threads and outlive the session:
the UI gathers on a worker, closes the session, then builds the PDF.
"""
