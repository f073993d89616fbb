import sys

from macros_py.cli import main

sys.exit(main())
