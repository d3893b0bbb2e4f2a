from tests.bench.pages import main

raise SystemExit(main())
