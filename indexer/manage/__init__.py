"""Managing the documents folder while the index serves: staff uploads, corrections, deletions, restores, and the
background builds that follow them (``jobs``: one at a time). A layer on top of ingest and store; the web server
loads it only when writes are turned on (``python -m webapp --documents D --admin-token-file F``)."""
