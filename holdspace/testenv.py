"""Test environment, loaded by pytest (``-p holdspace.testenv``) before settings.

It runs before pytest-django imports the settings, so the suite never sees
a developer's own HOLDSPACE_* variables and never touches ./var/.
"""

import atexit
import os
import shutil
import tempfile

for _name in [name for name in os.environ if name.startswith("HOLDSPACE_")]:
    del os.environ[_name]

_data_dir = tempfile.mkdtemp(prefix="holdspace-test-")
atexit.register(shutil.rmtree, _data_dir, ignore_errors=True)
os.environ["HOLDSPACE_ENV"] = "test"
os.environ["HOLDSPACE_DATA_DIR"] = _data_dir
