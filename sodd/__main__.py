"""Allow ``python -m sodd``."""

from sodd.cli import main

raise SystemExit(main())
