from childrenmatter.config.cli import main

raise SystemExit(main())
