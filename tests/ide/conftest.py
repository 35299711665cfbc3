"""Show assertion details from the shared `check_*` helpers."""

import pytest

pytest.register_assert_rewrite("tests.ide.support")
