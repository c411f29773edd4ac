"""Build the compact BPE files that ship in `a3m_integrations/cost/_bpe_data/`.

Reads OpenAI's official `cl100k_base.tiktoken` and `o200k_base.tiktoken` (from tiktoken's cache
layout: a file named sha1(url) in a directory), checks each against the SHA-256 that tiktoken
itself pins, and writes `<name>.bpe.z`: zlib over, for every rank 0..n-1 in order, one length
byte followed by the token's bytes. The ranks of both encodings are contiguous, so the rank is
the position. Prints the SHA-256 of each uncompressed payload for `_bpe.py`.

    python scripts/build_bpe.py [DIR]   # DIR defaults to llama-index-core's tiktoken_cache

The files are data from tiktoken (MIT, (c) 2022 OpenAI, Shantanu Jain); its license ships beside them.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import sys
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "a3m_integrations" / "cost" / "_bpe_data"
SOURCES = {
    "cl100k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    ),
    "o200k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    ),
}


def default_dir() -> Path:
    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("llama-index-core is not installed; pass the directory holding the .tiktoken files")
    return Path(next(iter(spec.submodule_search_locations))) / "_static" / "tiktoken_cache"


def main(argv: list[str]) -> int:
    src = Path(argv[0]) if argv else default_dir()
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (url, sha) in SOURCES.items():
        raw = (src / hashlib.sha1(url.encode()).hexdigest()).read_bytes()
        if hashlib.sha256(raw).hexdigest() != sha:
            sys.exit(f"{name}: the file in {src} does not match tiktoken's pinned SHA-256")
        ranks = {}
        for line in raw.splitlines():
            if line:
                token, rank = line.split()
                ranks[int(rank)] = base64.b64decode(token)
        if sorted(ranks) != list(range(len(ranks))):
            sys.exit(f"{name}: ranks are not contiguous; the compact format cannot hold them")
        payload = b"".join(bytes([len(ranks[i])]) + ranks[i] for i in range(len(ranks)))
        (OUT / f"{name}.bpe.z").write_bytes(zlib.compress(payload, 9))
        print(f"{name}: {len(ranks)} ranks, payload sha256 {hashlib.sha256(payload).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
