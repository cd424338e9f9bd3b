import sys

from wxtui.cli import main

sys.exit(main())
