from mrezha.cli import main

raise SystemExit(main())
