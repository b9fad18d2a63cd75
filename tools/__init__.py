"""Development tooling outside the app package (design.md, section 3): the synthetic-data
generator (datagen.py, used by `flask --app wsgi generate-data` and `make bench`) and the Dragør demo
data (demo.py, used by `flask --app wsgi demo-data` and `make run`). The portal never imports these
at module level; the CLI commands import them when they run."""
