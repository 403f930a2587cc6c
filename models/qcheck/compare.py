"""Compare every quantised model in MODELS_DIR with ggml's C reference (QREF binary)."""
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import convert_ct2_to_ggml as c  # noqa: E402


def main(models_dir: Path, qref: str) -> int:
    checked = 0
    for qpath in sorted(models_dir.glob("ggml-*-q*.bin")):
        base, kind = qpath.stem[len("ggml-"):].rsplit("-", 1)
        if kind not in c.QUANTIZERS:
            continue
        _, head16, f16 = c.read_ggml(models_dir / f"ggml-{base}.bin")
        _, headq, q = c.read_ggml(qpath)
        assert head16 == headq, f"{qpath.name}: mel filters or vocabulary changed"
        assert len(f16) == len(q), f"{qpath.name}: tensor count differs"
        n = 0
        for (name, tt, dims, raw), (qname, qt, qdims, qraw) in zip(f16, q):
            assert (name, dims) == (qname, qdims), f"{qpath.name}: {qname} out of order"
            if qt == tt:
                assert raw == qraw, f"{qpath.name}: {name} changed but is not quantised"
                continue
            x = np.frombuffer(raw, "<f2").astype(np.float32)
            ref = subprocess.run([qref, kind], input=x.tobytes(), capture_output=True, check=True).stdout
            assert ref == qraw, f"{qpath.name}: {name} differs from ggml's reference"
            n += 1
        print(f"{qpath.name}: {n} tensors identical to ggml's {kind} reference, the rest unchanged")
        checked += 1
    if not checked:
        print("no quantised models in", models_dir, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2]))
