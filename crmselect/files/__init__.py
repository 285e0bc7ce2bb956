"""The selection's files: YAML with line numbers, validation into issues, loaders, cross-file checks,
and safe writes.  Above the model, below every computation.
"""

from crmselect.files.loaders import load_project
from crmselect.files.safe_write import FileExistsErrorNoForce, write_atomic, write_text_atomic
from crmselect.files.yaml_lines import read_yaml

__all__ = ["FileExistsErrorNoForce", "example_dir", "load_project", "read_yaml", "write_atomic", "write_text_atomic"]
