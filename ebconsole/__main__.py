from ebconsole.cli import main

raise SystemExit(main())
