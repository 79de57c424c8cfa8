"""Performance figures of Maillage (``manage.py bench``), measured on a throw-away database.

- ``targets``: the pages and jobs measured (append a feature's own there);
- ``dataset``: the scaled data set (the demo CPTS grown N times with bulk inserts);
- ``runner``: the throw-away database and the measurements;
- ``report``: the aligned tables, the query-count comparison and the JSON export.
"""
