"""Entry script for PyInstaller (build.spec): the same ``main`` as the ``integrity-desk`` console script."""

from desktop_app.__main__ import main

raise SystemExit(main())
