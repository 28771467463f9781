"""scripts/smoke.py (what `make smoke` runs in a library-only venv) runs here too, with the
optional packages hidden, so the script cannot rot between `make smoke` runs."""

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "smoke.py"


def test_smoke_script_passes_without_the_extras(monkeypatch, tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("jnet_smoke", SCRIPT)
    smoke = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(smoke)
    for module in smoke.OPTIONAL:
        monkeypatch.setitem(sys.modules, module, None)
    monkeypatch.chdir(tmp_path)
    smoke.main(check_imports=False)
    out = capsys.readouterr().out
    assert "smoke: all passed" in out
    for module, extra in smoke.OPTIONAL.items():
        assert f"ok  missing {module} names [{extra}]" in out
    assert "ok  save_weights('.weights.h5') names [h5]" in out
