#!/usr/bin/env python3
"""CLI contract for external embeddings: build --vectors, ask/eval --query-vectors, and the
errors for malformed .npy files and row-count mismatches; static word vectors: build
--word-vectors with a hand-written .cbwv file, and its errors. Standard library only (the .npy
files are written by hand, so the test needs no numpy). Prints 'N passed, N failed'."""
import json
import os
import struct
import subprocess
import sys
import tempfile

CLI = os.environ.get("CHATBOT_CLI", ".build/debug/chatbot-cli")
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok    {name}")
    else:
        failed += 1
        print(f"FAIL  {name} {detail}")


def npy(rows, dtype="<f4"):
    """A version-1 .npy file of a 2-D float array."""
    dim = len(rows[0]) if rows else 0
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d), }" % (dtype, len(rows), dim)
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + " " * pad + "\n"
    fmt = {"<f4": "<f", "<f8": "<d"}[dtype]
    body = b"".join(struct.pack(fmt, x) for row in rows for x in row)
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + body


def cbwv(entries, dims):
    """A .cbwv word-vector file: (word, frequency, vector) entries, Float16 values."""
    out = b"CBWV" + struct.pack("<IIII", 1, len(entries), dims, 0)
    for word, freq, vec in entries:
        w = word.encode()
        out += struct.pack("<H", len(w)) + w + struct.pack("<f", freq) + b"".join(struct.pack("<e", x) for x in vec)
    return out


def run(*args, stdin=""):
    p = subprocess.run([CLI, *args], input=stdin, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


with tempfile.TemporaryDirectory() as d:
    kb = os.path.join(d, "kb.tsv")
    # Rows of one id are not adjacent: vector rows must follow the file's line order.
    with open(kb, "w") as f:
        f.write("meteo\tquel temps fera-t-il demain\ncantine\tmenu de la cantine\nmeteo\tprévisions météo\n")
    vectors = os.path.join(d, "kb.npy")
    with open(vectors, "wb") as f:
        f.write(npy([[1, 0, 0], [0, 1, 0], [0.9, 0.1, 0]]))
    index = os.path.join(d, "kb.cbindex")
    code, out, err = run("build", kb, "--vectors", vectors, "-o", index, "--no-learn")
    check("build --vectors", code == 0 and "3-d embeddings" in err, err)

    queries = os.path.join(d, "q.npy")
    with open(queries, "wb") as f:
        f.write(npy([[0, 2, 0], [3, 0.1, 0]], dtype="<f8"))
    code, out, err = run("ask", index, "--json", "--query-vectors", queries, "--embedding-weight", "1",
                         "va-t-il pleuvoir", "va-t-il pleuvoir")
    lines = [json.loads(l) for l in out.splitlines()] if code == 0 else []
    check("ask --query-vectors follows row order",
          len(lines) == 2 and lines[0]["matches"][0]["id"] == "cantine" and lines[1]["matches"][0]["id"] == "meteo",
          out + err)

    labelled = os.path.join(d, "dev.tsv")
    with open(labelled, "w") as f:
        f.write("cantine\tqu'y a-t-il à manger\nmeteo\tva-t-il pleuvoir\n")
    code, out, err = run("eval", index, labelled, "--json", "--query-vectors", queries, "--embedding-weight", "1")
    check("eval --query-vectors", code == 0 and json.loads(out)["top1"] == 1.0, out + err)

    # The learned model with the embedding among its inputs (the default when vectors are given).
    learned = os.path.join(d, "learned.cbindex")
    code, out, err = run("build", kb, "--vectors", vectors, "-o", learned, "--embedding-scale", "4")
    check("build --vectors learns with embeddings", code == 0 and "3-d embeddings" in err, err)
    code, out, err = run("eval", learned, labelled, "--json", "--query-vectors", queries)
    check("eval of a learned embedding index", code == 0 and json.loads(out)["count"] == 2, out + err)
    lexical = os.path.join(d, "lexical.cbindex")
    code, out, err = run("build", kb, "-o", lexical)
    code, out, err = run("eval", "--compare", lexical, learned, labelled, "--json", "--query-vectors", queries)
    counts = json.loads(out) if code == 0 else {}
    check("compare: query vectors go to the base that stores embeddings only",
          code == 0 and counts.get("count") == 2 and sum(counts.get(k + "_count", 0) for k in ("gained", "lost", "changed", "unchanged")) == 2, out + err)
    code, out, err = run("eval", "--compare", lexical, lexical, labelled, "--query-vectors", queries)
    check("compare: query vectors with two bases without embeddings are an error",
          code != 0 and "no question embeddings" in err, err)
    code, out, err = run("ask", learned, "va-t-il pleuvoir")
    check("ask without a query vector on a learned embedding index is a clear error",
          code != 0 and "takes question embeddings as input" in err and "Fatal" not in err, err)
    for bad in ["-1", "nan", "1000"]:
        code, out, err = run("build", kb, "--vectors", vectors, "-o", learned, f"--embedding-scale={bad}")
        check(f"--embedding-scale={bad} is a clear error", code != 0 and "embedding scale" in err and "Fatal" not in err, err)

    code, out, err = run("ask", index, "--query-vectors", queries, "une seule question")
    check("ask: fewer questions than vector rows is an error", code != 0 and "2 rows" in err, err)

    short = os.path.join(d, "short.npy")
    with open(short, "wb") as f:
        f.write(npy([[1, 0, 0]]))
    code, out, err = run("build", kb, "--vectors", short, "-o", os.path.join(d, "x.cbindex"))
    check("build: row-count mismatch names both counts", code != 0 and "1 rows" in err and "3 questions" in err, err)

    wrongdim = os.path.join(d, "dim.npy")
    with open(wrongdim, "wb") as f:
        f.write(npy([[1, 0], [0, 1]]))
    code, out, err = run("ask", index, "--query-vectors", wrongdim, "a", "b")
    check("ask: dimension mismatch", code != 0 and "dimension 2" in err, err)

    for name, data in [("bad magic", b"NOTNUMPY" + b"\0" * 60),
                       ("truncated", npy([[1, 0, 0], [0, 1, 0], [0, 0, 1]])[:-5]),
                       ("unsupported dtype", npy([[1, 0, 0]]).replace(b"<f4", b"<i4")),
                       ("empty file", b"")]:
        bad = os.path.join(d, "bad.npy")
        with open(bad, "wb") as f:
            f.write(data)
        code, out, err = run("build", kb, "--vectors", bad, "-o", os.path.join(d, "y.cbindex"))
        check(f"malformed .npy ({name}) is a clear error", code != 0 and "bad.npy" in err and "Fatal" not in err, err)

    code, out, err = run("ask", os.path.join(d, "kb.tsv"), "--query-vectors", queries, "a", "b")
    check("query vectors against a base without embeddings", code != 0 and "no question embeddings" in err, err)

with tempfile.TemporaryDirectory() as d:
    kb = os.path.join(d, "kb.tsv")
    with open(kb, "w") as f:
        f.write("conges\tcomment poser un congé\nconges\tdemander des congés\n"
                "badge\tj'ai perdu mon badge\nbadge\tbadge perdu que faire\n"
                "salaire\tquand est versé le salaire\n")
    wv = os.path.join(d, "fr.cbwv")
    with open(wv, "wb") as f:
        f.write(cbwv([("congé", 1e-5, [1, 0.1, 0, 0]), ("congés", 2e-5, [1, 0, 0.1, 0]),
                      ("vacances", 3e-5, [0.9, 0.1, 0, 0.1]), ("badge", 1e-6, [0, 1, 0, 0.1]),
                      ("carte", 5e-5, [0.1, 0.9, 0, 0]), ("accès", 1e-5, [0, 0.8, 0.2, 0]),
                      ("perdu", 2e-5, [0, 0.5, 0.5, 0]), ("de", 0.03, [0.3, 0.3, 0.3, 0.3])], 4))
    index = os.path.join(d, "wv.cbindex")
    code, out, err = run("build", kb, "--word-vectors", wv, "-o", index)
    # "congé" and "congés" pool into one term.
    check("build --word-vectors", code == 0 and "4-d word vectors for 7 terms" in err, err)
    code, out, err = run("ask", index, "--json", "vacances", "j'ai perdu mon badge")
    lines = [json.loads(l) for l in out.splitlines()] if code == 0 else []
    check("word vectors match words the base never used; stored questions still answer",
          len(lines) == 2 and lines[0]["matches"][0]["id"] == "conges" and lines[1]["decision"] == "answer"
          and lines[1]["matches"][0]["id"] == "badge", out + err)
    queries = os.path.join(d, "q.npy")
    with open(queries, "wb") as f:
        f.write(npy([[1, 0, 0, 0]]))
    code, out, err = run("ask", index, "--query-vectors", queries, "vacances")
    check("an index with word vectors refuses query vectors", code != 0 and "embeds questions itself" in err, err)
    code, out, err = run("build", kb, "--word-vectors", wv, "-o", index, "--update")
    check("build --update with the same word vectors warm-starts", code == 0 and "warm start" in err, err)
    code, out, err = run("build", kb, "--word-vectors", wv, "-o", index, "--update", "--epochs", "3")
    check("build --update with other learning settings trains the model from scratch and says why",
          code == 0 and "cannot warm-start this model (learning settings differ): it is trained from scratch" in err, err)
    code, out, err = run("build", kb, "--word-vectors", wv, "-o", index, "--update", "--no-learn")
    check("build --update --no-learn says no model is learned", code == 0 and "this build learns no model" in err, err)
    vectors = os.path.join(d, "kb.npy")
    with open(vectors, "wb") as f:
        f.write(npy([[1, 0, 0, 0]] * 5))
    code, out, err = run("build", kb, "--word-vectors", wv, "--vectors", vectors, "-o", os.path.join(d, "both.cbindex"))
    check("--word-vectors with --vectors is a clear error", code != 0 and "use one or the other" in err and "Fatal" not in err, err)
    for name, data in [("bad magic", b"CBXX" + b"\0" * 40), ("truncated", cbwv([("congé", 1e-5, [1, 0, 0, 0])], 4)[:-3]),
                       ("empty", b""), ("zero frequency", cbwv([("congé", 0.0, [1, 0, 0, 0])], 4))]:
        bad = os.path.join(d, "bad.cbwv")
        with open(bad, "wb") as f:
            f.write(data)
        code, out, err = run("build", kb, "--word-vectors", bad, "-o", os.path.join(d, "bad.cbindex"))
        check(f"malformed .cbwv ({name}) is a clear error", code != 0 and "bad.cbwv" in err and "Fatal" not in err, err)
    code, out, err = run("build", kb, "--word-vectors", os.path.join(d, "missing.cbwv"), "-o", os.path.join(d, "m.cbindex"))
    check("a missing .cbwv is a clear error", code != 0 and "missing.cbwv" in err and "Fatal" not in err, err)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
