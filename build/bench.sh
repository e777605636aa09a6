#!/usr/bin/env bash
# ModelGoPack benchmark: builds a 3 GiB model project (2 safetensors weight files, 1,000 small files) and
# a 64 GiB sparse one, then measures, side by side on this machine:
#   1. pack time / `tar cf` time on the same tree            (target <= 1.2; zip, and 1b. an OCI image layout)
#      1c. warm re-pack to a folder, nothing changed / first pack to that folder (target <= 0.1)
#   2. verify throughput / (openssl sha256 single-core speed x min(cores, weight files))  (target >= 0.8)
#   3. warm re-check time / first check time                 (target <= 0.05)
#   4. peak RSS of pack, 3 GiB and 64 GiB sparse              (target <= 150 MB each)
#   5. peak RSS of verify, a zip of 500,000 files, at 2 and 8 cores (target <= 300 MB each)
#   6. warm check of a derivative of that 3 GiB model kept in the Hugging Face Hub cache layout (one config
#      changed) / the same with no release named (target <= 1.1), upstream bytes hashed (target 0); the same
#      for an upstream git clone whose weights are LFS pointers
#   7. sign of the 3 GiB OCI bundle after pack / that pack   (target <= 0.05: the seal, no file read again)
#      push of that layout to Debian's docker-registry on 127.0.0.1 / `skopeo copy` of it there (target <= 1.5)
#   8. peak RSS of check and pack (zip, folder) of a project of 100,000 small files (target <= 150 MB each)
#   9. start-up: `modelgopack --version` (target <= 30 ms) and check of the tiny example (target <= 80 ms), whole
#      commands, the native tool beside the JIT build
#  10. `dotnet pack` of a small NoTargets model project with the ModelGoPack package / the same project packing the
#      same files without it, cold and incremental (target <= 1.5 each); also with the task not ReadyToRun-compiled
# Every figure is a whole command of the tool as users install it: native (AOT) on linux-x64.
# Usage: bash build/bench.sh [WORK_DIR]   (default: ${TMPDIR:-/tmp}/modelgopack-bench; needs ~10 GB free)
# Every timing is the best of RUNS (default 3) runs, with the tree in the page cache for every tool alike.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-${TMPDIR:-/tmp}/modelgopack-bench}"
runs="${RUNS:-3}"
weight_bytes=${WEIGHT_BYTES:-$((1536 * 1024 * 1024))} # two of these, plus 1,000 small files: 3 GiB (WEIGHT_BYTES: smaller, for a trial run)
sparse_bytes=$((64 * 1024 * 1024 * 1024))

for tool in dotnet tar openssl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 2; }
done
gnu_time=""
if [ -x /usr/bin/time ] && /usr/bin/time -f "%M" true >/dev/null 2>&1; then gnu_time=/usr/bin/time; fi

# The tool as users install it: the native (AOT) binary on linux-x64 (ModelGoPack.Cli.linux-x64), elsewhere the
# framework-dependent build. The JIT build is timed too, for the start-up figures.
echo "== building ModelGoPack (Release)"
dotnet build "$repo/src/ModelGoPack.Cli/ModelGoPack.Cli.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
jit="$repo/src/ModelGoPack.Cli/bin/Release/net10.0/modelgopack.dll"
native_dir="$(mktemp -d)"
trap 'rm -rf "$native_dir"' EXIT
if [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ]; then
  dotnet publish "$repo/src/ModelGoPack.Cli/ModelGoPack.Cli.csproj" -c Release -r linux-x64 -o "$native_dir" -nologo -v quiet -clp:ErrorsOnly >/dev/null
  tool="$native_dir/modelgopack"; tool_kind="native (AOT)"
else
  printf '#!/bin/sh\nexec dotnet "%s" "$@"\n' "$jit" > "$native_dir/modelgopack"; chmod +x "$native_dir/modelgopack"
  tool="$native_dir/modelgopack"; tool_kind="framework-dependent (JIT)"
fi
mgp() { "$tool" "$@"; }

rm -rf "$work"
mkdir -p "$work/out"
project="$work/model"
sparse="$work/sparse-model"

# A safetensors file: 8-byte little-endian header length, JSON header padded to 8 bytes, then the data.
safetensors() { # path bytes data-source(random|sparse)
  local path="$1" bytes="$2" source="$3"
  local json="{\"weight\":{\"dtype\":\"F32\",\"shape\":[$((bytes / 4))],\"data_offsets\":[0,$bytes]}}"
  while [ $(( ${#json} % 8 )) -ne 0 ]; do json="$json "; done
  local n=${#json} le=""
  for i in 0 1 2 3 4 5 6 7; do le="$le$(printf '\\x%02x' $(( (n >> (8 * i)) & 255 )))"; done
  printf "$le%s" "$json" > "$path"
  if [ "$source" = random ]; then
    # Incompressible, reproducible bytes (AES-CTR of zeros with a fixed key).
    head -c "$bytes" < <(openssl enc -aes-128-ctr -nosalt -pass pass:modelgopack -pbkdf2 < /dev/zero 2>/dev/null) >> "$path"
  else
    truncate -s $((8 + n + bytes)) "$path"
  fi
}

make_project() { # dir
  local dir="$1"
  mkdir -p "$dir"
  cp "$repo/tests/examples/tiny-llm-distilled/"{LICENSE,README.md,config.json,generate.py,tokenizer.json} "$dir/"
  cp -r "$repo/tests/examples/tiny-llm-distilled/upstream" "$dir/"
  sed -e 's/"paths": \["model.safetensors"\]/"paths": ["*.safetensors"]/' \
    "$repo/tests/examples/tiny-llm-distilled/modelgo.json" > "$dir/modelgo.json"
}

echo "== building the fixture in $work"
make_project "$project"
safetensors "$project/model-00001-of-00002.safetensors" "$weight_bytes" random
safetensors "$project/model-00002-of-00002.safetensors" "$weight_bytes" random
mkdir -p "$project/docs/notes"
for i in $(seq -w 1 1000); do
  head -c 2048 "$project/generate.py" > "$project/docs/notes/note-$i.md"
  echo "Note $i." >> "$project/docs/notes/note-$i.md"
done
make_project "$sparse"
safetensors "$sparse/model.safetensors" "$sparse_bytes" sparse
# Files must be older than the cache's 2-second racy window to be remembered.
find "$project" "$sparse" -type f -exec touch -d "@$(( $(date +%s) - 60 ))" {} +
tree_bytes=$(du -sb --apparent-size "$project" | cut -f1)
files=$(find "$project" -type f | wc -l)
echo "   $files files, $tree_bytes bytes; sparse project: $(du -sb --apparent-size "$sparse" | cut -f1) bytes declared"

# Best-of-N wall time (seconds) of a command; the page cache is warmed by a first untimed run. Before
# each timed run, the previous output is removed and every write flushed (sync), untimed, so that no
# tool pays for another's deletes or writeback.
best() { # OUTPUT-TO-REMOVE|- COMMAND...
  local best="" t start end output="$1"
  shift
  "$@" >/dev/null 2>&1 || { echo "bench: '$*' failed:" >&2; "$@" >&2 || true; exit 1; }
  for _ in $(seq "$runs"); do
    [ "$output" = - ] || rm -rf "$output"
    sync
    start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
  done
  printf '%.3f' "$best"
}
ratio() { printf '%.3f' "$(echo "$1 / $2" | bc -l)"; }
verdict() { # value op target
  if [ "$(echo "$1 $2 $3" | bc -l)" = 1 ]; then echo "meets target"; else echo "MISSES target"; fi
}

echo "== 1. pack vs tar cf"
tar_s=$(best "$work/out/t.tar" tar cf "$work/out/t.tar" -C "$project" .)
pack_s=$(best "$work/out/b.zip" "$tool" pack "$project" --format zip --output "$work/out/b.zip" --no-cache --quiet)
# pack after check: the cache holds every digest, and pack still hashes every byte it copies (it never lists a
# digest it did not compute from the bytes it wrote), on another core while it copies.
rm -rf "$work/cache-pack"
mgp check "$project" --cache "$work/cache-pack" --quiet >/dev/null
pack_warm_s=$(best "$work/out/b.zip" "$tool" pack "$project" --format zip --output "$work/out/b.zip" --cache "$work/cache-pack" --quiet)
tgz_s=$(best "$work/out/b.tar.gz" "$tool" pack "$project" --format tar.gz --output "$work/out/b.tar.gz" --no-cache --quiet)
oci_s=$(best "$work/out/b.oci" "$tool" pack "$project" --format oci --output "$work/out/b.oci" --no-cache --quiet)
oci_ratio=$(ratio "$oci_s" "$tar_s")
rm -rf "$work/out/b.tar.gz" "$work/out/t.tar" "$work/out/b.oci"
mgp pack "$project" --format zip --output "$work/out/b.zip" --no-cache --quiet >/dev/null
pack_ratio=$(ratio "$pack_s" "$tar_s")

echo "== 1c. warm re-pack to a folder, nothing changed / first pack to a folder"
# First: the first pack of the project to that output (none there), the digest cache warm from a check. Warm: the same
# pack again over the bundle it wrote, which it reuses (its seal and the cache prove every file unchanged).
rm -rf "$work/cache-dir"
mgp check "$project" --cache "$work/cache-dir" --quiet >/dev/null
first_dir_s=$(best "$work/out/d" "$tool" pack "$project" --format dir --output "$work/out/d" --cache "$work/cache-dir" --quiet)
repack_s=$(best - "$tool" pack "$project" --format dir --output "$work/out/d" --cache "$work/cache-dir" --quiet)
mgp pack "$project" --format dir --output "$work/out/d" --cache "$work/cache-dir" 2>"$work/repack.err" >/dev/null
grep -q "; reused " "$work/repack.err" || { echo "bench: the warm re-pack reused nothing:" >&2; cat "$work/repack.err" >&2; exit 1; }
sed 's/^/   /' "$work/repack.err"
rm -rf "$work/out/d"
repack_ratio=$(ratio "$repack_s" "$first_dir_s")

echo "== 2. verify throughput vs the SHA-256 limit"
mgp pack "$project" --format dir --output "$work/out/bundle" --no-cache --quiet >/dev/null
bundle_bytes=$(du -sb --apparent-size "$work/out/bundle" | cut -f1)
verify_s=$(best - "$tool" verify "$work/out/bundle" --quiet)
verify_zip_s=$(best - "$tool" verify "$work/out/b.zip" --quiet)
# The verification itself, as the tool reports it ("verifying N files, B in S s"): best of RUNS.
verify_phase=""
for _ in $(seq "$runs"); do
  mgp verify "$work/out/bundle" >/dev/null 2>"$work/verify.err"
  t=$(sed -n 's/^modelgopack: verifying .* in \([0-9.]*\) s .*/\1/p' "$work/verify.err")
  if [ -z "$verify_phase" ] || [ "$(echo "$t < $verify_phase" | bc -l)" = 1 ]; then verify_phase=$t; fi
done
cores=$(nproc)
weights=2
lanes=$(( cores < weights ? cores : weights ))
# openssl prints kB/s (1000s of bytes) per block size; the 16384-byte column is the sustained figure.
sha_kbs=$(openssl speed -seconds 2 -evp sha256 2>/dev/null | awk '/^sha256/ {v=$NF} END {sub(/k$/, "", v); print v}')
limit_bps=$(echo "$sha_kbs * 1000 * $lanes" | bc -l)
verify_bps=$(echo "$bundle_bytes / $verify_phase" | bc -l)
verify_ratio=$(ratio "$verify_bps" "$limit_bps")
verify_wall_ratio=$(ratio "$(echo "$bundle_bytes / $verify_s" | bc -l)" "$limit_bps")

echo "== 3. warm re-check vs first check"
# Whole commands, and the digest phase alone as the tool reports it ("hashing N files, B in S s").
phase() { sed -n 's/^modelgopack: hashing .* in \([0-9.]*\) s .*/\1/p' "$1" | tail -1; }
first_s=""; first_phase=""
for _ in $(seq "$runs"); do
  rm -rf "$work/cache"
  s=$(date +%s.%N); mgp check "$project" --cache "$work/cache" >/dev/null 2>"$work/first.err"; e=$(date +%s.%N)
  t=$(echo "$e - $s" | bc -l)
  if [ -z "$first_s" ] || [ "$(echo "$t < $first_s" | bc -l)" = 1 ]; then first_s=$t; first_phase=$(phase "$work/first.err"); fi
done
warm_s=$(best - "$tool" check "$project" --cache "$work/cache" --quiet)
mgp check "$project" --cache "$work/cache" >/dev/null 2>"$work/warm.err"
warm_phase=$(phase "$work/warm.err")
grep -q "0 B hashed" "$work/warm.err" || { echo "bench: the warm re-check hashed something:" >&2; cat "$work/warm.err" >&2; exit 1; }
first_s=$(printf '%.3f' "$first_s")
recheck_ratio=$(ratio "$warm_s" "$first_s")
phase_ratio=$(ratio "$warm_phase" "$first_phase")

echo "== 9. start-up, whole commands"
# Milliseconds per run of 20 runs in a row (best of RUNS), the native tool and the JIT build side by side: --version,
# and check of the example the repo ships with its digest cache warm (as in a pre-commit hook).
per_run_ms() { # COMMAND...: best of RUNS, in ms per run of 20
  local s
  s=$(best - bash -c 'for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do "$@" >/dev/null 2>&1; done' bash "$@")
  printf '%.1f' "$(echo "$s * 1000 / 20" | bc -l)"
}
tiny="$repo/tests/examples/tiny-llm-distilled"
version_ms=$(per_run_ms "$tool" --version)
version_jit_ms=$(per_run_ms dotnet "$jit" --version)
mgp check "$tiny" --cache "$work/cache-tiny" --quiet >/dev/null
tiny_ms=$(per_run_ms "$tool" check "$tiny" --cache "$work/cache-tiny" --quiet)
tiny_jit_ms=$(per_run_ms dotnet "$jit" check "$tiny" --cache "$work/cache-tiny" --quiet)

echo "== 6. derivative of the 3 GiB model, upstream in the Hub cache and in an LFS clone"
# The upstream is the fixture as released: a Hub cache (blobs by etag: SHA-256 for the weights, as LFS files are
# named, the git blob id for small files; snapshot links; refs/main) and a git clone holding LFS pointers. The
# derivatives are hard links of the fixture with config.json changed; nothing is copied.
revision=0123456789abcdef0123456789abcdef01234567
hub="$work/hub/models--acme--base-model"
mkdir -p "$hub/blobs" "$hub/refs" "$hub/snapshots/$revision"
printf '%s' "$revision" > "$hub/refs/main"
have_git=0; command -v git >/dev/null && have_git=1
clone="$work/base-clone"
[ "$have_git" = 1 ] && git init -q -b main "$clone"
(cd "$project" && find . -type f -printf '%P\n' | sort) > "$work/files.txt"
while IFS= read -r f; do
  size=$(stat -c %s "$project/$f")
  mkdir -p "$hub/snapshots/$revision/$(dirname "$f")"
  if [ "$size" -gt $((10 * 1024 * 1024)) ]; then
    etag=$(sha256sum "$project/$f" | cut -d' ' -f1)
    pointer=1
  else
    etag=$( [ "$have_git" = 1 ] && git hash-object "$project/$f" || sha1sum "$project/$f" | cut -d' ' -f1)
    pointer=0
  fi
  ln -f "$project/$f" "$hub/blobs/$etag"
  ln -s "$(realpath --relative-to="$hub/snapshots/$revision/$(dirname "$f")" "$hub/blobs/$etag")" "$hub/snapshots/$revision/$f"
  if [ "$have_git" = 1 ]; then
    mkdir -p "$clone/$(dirname "$f")"
    if [ "$pointer" = 1 ]; then
      printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %s\n' "$etag" "$size" > "$clone/$f"
    else
      ln -f "$project/$f" "$clone/$f"
    fi
  fi
done < "$work/files.txt"
if [ "$have_git" = 1 ]; then
  printf '*.safetensors filter=lfs diff=lfs merge=lfs -text\n' > "$clone/.gitattributes"
  (cd "$clone" && git add -A && GIT_AUTHOR_NAME=b GIT_AUTHOR_EMAIL=b@b GIT_COMMITTER_NAME=b GIT_COMMITTER_EMAIL=b@b git commit -qm base)
fi
derived() { # dir, release JSON ("" for none)
  local dir="$1" release="$2"
  mkdir -p "$dir"
  (cd "$project" && find . -type d -printf '%P\n') | while IFS= read -r d; do mkdir -p "$dir/$d"; done
  while IFS= read -r f; do ln -f "$project/$f" "$dir/$f"; done < "$work/files.txt"
  rm "$dir/config.json" "$dir/modelgo.json"
  { cat "$project/config.json"; echo; } > "$dir/config.json"
  sed -e 's/"paths": \["\*.safetensors"\]/"paths": ["*.safetensors", "config.json"]/' \
      -e "0,/\"notices\": \[\"upstream\/base-tiny\/NOTICE\"\]/s||\"notices\": [\"upstream\/base-tiny\/NOTICE\"]$release|" \
      "$project/modelgo.json" > "$dir/modelgo.json"
  find "$dir" -newer "$work/files.txt" -type f -exec touch -d "@$(( $(date +%s) - 60 ))" {} +
}
derived "$work/derived-plain" ""
derived "$work/derived-hub" ", \"bundle\": \"$hub\""
if [ "$have_git" = 1 ]; then
  derived "$work/derived-git" ", \"git\": \"main\", \"repository\": \"$clone\""
  cp "$clone/.gitattributes" "$work/derived-git/"
  touch -d "@$(( $(date +%s) - 60 ))" "$work/derived-git/.gitattributes"
fi
upstream_hashed() { sed -n 's/.*upstream releases: \(.*\) hashed;.*/\1/p' "$1" | tail -1; }
lineage_s=(); lineage_first=(); lineage_warm=()
for kind in plain hub git; do
  dir="$work/derived-$kind"
  if [ ! -d "$dir" ]; then lineage_s+=(n/a); lineage_first+=(n/a); lineage_warm+=(n/a); continue; fi
  rm -rf "$work/lineage-cache"
  mgp check "$dir" --cache "$work/lineage-cache" >/dev/null 2>"$work/lineage-first.err" || { echo "bench: check of $dir failed:" >&2; mgp check "$dir" --cache "$work/lineage-cache" >&2 || true; exit 1; }
  lineage_s+=("$(best - "$tool" check "$dir" --cache "$work/lineage-cache" --quiet)")
  mgp check "$dir" --cache "$work/lineage-cache" >/dev/null 2>"$work/lineage-warm.err"
  lineage_first+=("$(upstream_hashed "$work/lineage-first.err")")
  lineage_warm+=("$(upstream_hashed "$work/lineage-warm.err")")
done
hub_ratio=$(ratio "${lineage_s[1]}" "${lineage_s[0]}")
git_ratio=n/a; [ "${lineage_s[2]}" != n/a ] && git_ratio=$(ratio "${lineage_s[2]}" "${lineage_s[0]}")
rm -rf "$work/hub" "$clone" "$work"/derived-* "$work/lineage-cache"

echo "== 4. peak RSS"
rss() { # command...: peak resident set in MB
  if [ -z "$gnu_time" ]; then echo "n/a"; return; fi
  "$gnu_time" -f "%M" -o "$work/rss" "$@" >/dev/null 2>&1
  echo $(( $(tail -1 "$work/rss") / 1024 ))
}
rss_pack=$(rss "$tool" pack "$project" --format zip --output "$work/out/rss.zip" --no-cache --quiet); rm -f "$work/out/rss.zip"
rss_check=$(rss "$tool" check "$project" --no-cache --quiet)
rss_sparse=$(rss "$tool" pack "$sparse" --format dir --output "$work/out/sparse-bundle" --no-cache --quiet)
rss_sparse_verify=$(rss "$tool" verify "$work/out/sparse-bundle" --quiet)
rss_verify_zip=$(rss "$tool" verify "$work/out/b.zip" --quiet)
mgp pack "$project" --format tar.gz --output "$work/out/b.tar.gz" --no-cache --quiet >/dev/null
rss_verify_tgz=$(rss "$tool" verify "$work/out/b.tar.gz" --quiet)
rm -f "$work/out/b.tar.gz"
rm -rf "$work/out/sparse-bundle"
rm -rf "$work/out/bundle"

echo "== 5. peak RSS of verify, 500,000 entries"
many="$work/many"
# The example project and 500,000 empty files, packed by ModelGoPack (manifest included); verify emulating 2 and 8 cores.
mkdir -p "$many"
cp -r "$repo/tests/examples/tiny-llm-distilled/." "$many/"
for d in $(seq -w 0 499); do mkdir -p "$many/files/$d"; (cd "$many/files/$d" && for f in $(seq -w 0 999); do : > "f$f.txt"; done); done
mgp pack "$many" --format zip --output "$work/out/many.zip" --no-cache --quiet >/dev/null
rss_many_2=$(rss env DOTNET_PROCESSOR_COUNT=2 "$tool" verify "$work/out/many.zip" --quiet)
rss_many_8=$(rss env DOTNET_PROCESSOR_COUNT=8 "$tool" verify "$work/out/many.zip" --quiet)
many_entries=$(unzip -Z1 "$work/out/many.zip" 2>/dev/null | wc -l)
rm -rf "$many" "$work/out/many.zip"

echo "== 8. peak RSS of check and pack, 100,000 small files"
small="$work/small"
# The example project and docs/notes/NNN/note-NNNNNN.md files of 100 to 2,000 bytes, 250 a folder, to 100,000 files in all,
# written by one python3 call; older than the cache's racy window. Digest cache off, then a cache's first and warm run.
mkdir -p "$small"
cp -r "$repo/tests/examples/tiny-llm-distilled/." "$small/"
python3 - "$small" $((100000 - $(find "$small" -type f | wc -l))) <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
text = b"# Note\n\nA note on the model, kept with the release. " * 60
for i in range(n):
    folder = os.path.join(root, "docs", "notes", "%03d" % (i // 250))
    if i % 250 == 0:
        os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "note-%06d.md" % i), "wb") as f:
        f.write(text[:100 + (i * 7919) % 1901 - 12] + b"Note %06d.\n" % i)
PY
find "$small" -type f -exec touch -d "@$(( $(date +%s) - 60 ))" {} +
small_files=$(find "$small" -type f | wc -l)
rss_small_check=$(rss "$tool" check "$small" --no-cache --quiet)
rss_small_zip=$(rss "$tool" pack "$small" --format zip --output "$work/out/small.zip" --no-cache --quiet); rm -f "$work/out/small.zip"
rss_small_dir=$(rss "$tool" pack "$small" --format dir --output "$work/out/small" --no-cache --quiet); rm -rf "$work/out/small"
rss_small_cold=$(rss "$tool" check "$small" --cache "$work/cache-small" --quiet)
rss_small_warm=$(rss "$tool" check "$small" --cache "$work/cache-small" --quiet)
rss_small_zip_warm=$(rss "$tool" pack "$small" --format zip --output "$work/out/small.zip" --cache "$work/cache-small" --quiet)
rm -rf "$small" "$work/out/small.zip" "$work/cache-small"

echo "== 7. sign and push an OCI layout"
# pack to an OCI layout with a digest cache (pack leaves its seal there), then sign it: sign reads no file again.
openssl ecparam -name prime256v1 -genkey -noout -out "$work/sign-key.pem" 2>/dev/null
oci_pack_s=$(best "$work/out/s.oci" "$tool" pack "$project" --format oci --output "$work/out/s.oci" --cache "$work/cache-sign" --quiet)
mgp pack "$project" --format oci --output "$work/out/s.oci" --cache "$work/cache-sign" --quiet >/dev/null
sign_s=$(best "$work/out/s.oci.sig" "$tool" sign "$work/out/s.oci" --key "$work/sign-key.pem" --cache "$work/cache-sign" --quiet)
sign_ratio=$(ratio "$sign_s" "$oci_pack_s")
push_s=n/a skopeo_s=n/a push_ratio=n/a
if command -v docker-registry >/dev/null && command -v skopeo >/dev/null; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 5099)
  mkdir -p "$work/registry"
  printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' "$work/registry" "$port" > "$work/registry.yml"
  docker-registry serve "$work/registry.yml" >/dev/null 2>&1 &
  registry_pid=$!
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
  # Each run pushes to a repository of its own, so that every blob is uploaded every time (nothing already there).
  time_push() { # tool run
    local start end
    sync; start=$(date +%s.%N)
    if [ "$1" = mgp ]; then mgp push "$work/out/s.oci" "127.0.0.1:$port/bench/mgp-$2:1.0.0" --plain-http --quiet >/dev/null
    else skopeo copy -q --dest-tls-verify=false "oci:$work/out/s.oci:1.0.0" "docker://127.0.0.1:$port/bench/skopeo-$2:1.0.0" >/dev/null; fi
    end=$(date +%s.%N); echo "$end - $start" | bc -l
  }
  push_s="" skopeo_s=""
  for i in $(seq "$runs"); do
    for t in skopeo mgp; do
      v=$(time_push $t $i)
      if [ $t = mgp ]; then { [ -z "$push_s" ] || [ "$(echo "$v < $push_s" | bc -l)" = 1 ]; } && push_s=$v
      else { [ -z "$skopeo_s" ] || [ "$(echo "$v < $skopeo_s" | bc -l)" = 1 ]; } && skopeo_s=$v; fi
    done
  done
  push_s=$(printf '%.3f' "$push_s"); skopeo_s=$(printf '%.3f' "$skopeo_s")
  push_ratio=$(ratio "$push_s" "$skopeo_s")
  kill "$registry_pid" 2>/dev/null || true
  wait "$registry_pid" 2>/dev/null || true
  rm -rf "$work/registry"
fi
rm -rf "$work/out/s.oci" "$work/out/s.oci.sig" "$work/cache-sign"

echo "== 10. dotnet pack of a small NoTargets model project, with ModelGoPack / without"
# The example model in two NoTargets projects that pack the same files: "with" references the ModelGoPack package
# (the task evaluates the license, writes the bundle and adds LICENSE, NOTICE, the manifest, the card and the
# model's files); "without" is what a model repo packs without it: the same files as plain package content, LICENSE
# as PackageLicenseFile and the card as PackageReadmeFile. (NoTargets with no content at all is no baseline: NuGet
# refuses a package with nothing in it.) "with-il" is "with" on an IL-only package (ModelGoPackReadyToRun=false),
# to show what ReadyToRun of the task does. The package is built from this tree into a feed of its own; restore
# takes ModelGoPack from there only and Microsoft.Build.NoTargets from this machine's usual NuGet sources, into a
# private NUGET_PACKAGES (a ModelGoPack of the same version in the user's cache must not stand in for this build),
# seeded from the user's cache when it holds NoTargets, so that no run after the first needs the network.
# No MSBuild node or build server outlives a run (-nodeReuse:false, no MSBuild server), so every run starts a new
# MSBuild process that loads and JITs the task: that is the cold cost `dotnet build-server shutdown` would give,
# without stopping the build servers of anything else running on this machine.
#   cold:             obj/ and bin/ removed, `dotnet pack` (restore included: what `dotnet pack` in a fresh clone does)
#   incremental:      `dotnet pack` again, nothing changed
#   cold --no-restore: obj/ and bin/ removed, `dotnet restore` (untimed), `dotnet pack --no-restore` (CI that restores
#                     in a step of its own)
msb="$work/msbuild"
rm -rf "$msb"
mkdir -p "$msb"
dotnet pack "$repo/src/ModelGoPack.Tasks/ModelGoPack.Tasks.csproj" -c Release -o "$msb/feed" -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet pack "$repo/src/ModelGoPack.Tasks/ModelGoPack.Tasks.csproj" -c Release -o "$msb/feed-il" --no-build --no-restore \
  -p:ModelGoPackReadyToRun=false -nologo -v quiet -clp:ErrorsOnly >/dev/null
msb_version=$(basename "$(ls "$msb/feed"/ModelGoPack.*.nupkg)" .nupkg); msb_version=${msb_version#ModelGoPack.}
user_packages=$(dotnet nuget locals global-packages --list 2>/dev/null | sed -n 's/^global-packages: //p')
for v in with without with-il; do
  d="$msb/$v"
  mkdir -p "$d" "$msb/packages-$v"
  cp -r "$repo/tests/examples/tiny-llm-distilled/." "$d/"
  cp "$repo/global.json" "$d/"
  feed="$msb/feed"; [ "$v" = with-il ] && feed="$msb/feed-il"
  printf '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSources>\n    <add key="modelgopack-bench" value="%s" />\n  </packageSources>\n</configuration>\n' "$feed" > "$d/nuget.config"
  if [ -n "$user_packages" ] && [ -d "$user_packages/microsoft.build.notargets/3.7.0" ]; then
    mkdir -p "$msb/packages-$v/microsoft.build.notargets"
    cp -r "$user_packages/microsoft.build.notargets/3.7.0" "$msb/packages-$v/microsoft.build.notargets/"
  fi
  if [ "$v" = without ]; then
    body='    <PackageLicenseFile>LICENSE</PackageLicenseFile>
    <PackageReadmeFile>README.md</PackageReadmeFile>
    <SuppressDependenciesWhenPacking>true</SuppressDependenciesWhenPacking>
  </PropertyGroup>
  <ItemGroup>
    <None Include="LICENSE;README.md" Pack="true" PackagePath="/" />
    <None Include="**/*" Exclude="bin/**;obj/**;runs/**;*.safetensors;LICENSE;README.md;nuget.config" Pack="true" PackagePath="model/" />
  </ItemGroup>'
  else
    body='  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="ModelGoPack" Version="'"$msb_version"'" PrivateAssets="all" />
  </ItemGroup>'
  fi
  cat > "$d/model.proj" <<PROJ
<Project Sdk="Microsoft.Build.NoTargets/3.7.0">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <PackageId>tiny-llm-distilled</PackageId>
    <Version>1.0.0</Version>
    <Authors>Example Lab</Authors>
    <Description>A tiny distilled model.</Description>
$body
</Project>
PROJ
done
msb_run() { # variant, dotnet arguments...: one command in that project, no MSBuild node or server left behind
  local v="$1"; shift
  (cd "$msb/$v" && NUGET_PACKAGES="$msb/packages-$v" MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet "$@" -nodeReuse:false)
}
msb_timed() { # variant, dotnet arguments...: wall seconds of one run; stops the bench if it fails
  local v="$1" start end; shift
  sync
  start=$(date +%s.%N)
  msb_run "$v" "$@" >"$msb/last.log" 2>&1 || { echo "bench: dotnet $* in $msb/$v failed:" >&2; cat "$msb/last.log" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
declare -A msb_s=()
msb_keep() { # key seconds: the best so far
  if [ -z "${msb_s[$1]:-}" ] || [ "$(echo "$2 < ${msb_s[$1]}" | bc -l)" = 1 ]; then msb_s[$1]=$2; fi
}
# Run 0 is untimed (it restores the packages); the variants alternate within each run so that they share the
# machine's load alike.
for i in $(seq 0 "$runs"); do
  for v in with without with-il; do
    rm -rf "$msb/$v/obj" "$msb/$v/bin"
    cold=$(msb_timed "$v" pack -c Release)
    incremental=$(msb_timed "$v" pack -c Release)
    rm -rf "$msb/$v/obj" "$msb/$v/bin"
    msb_run "$v" restore >/dev/null 2>&1
    no_restore=$(msb_timed "$v" pack -c Release --no-restore)
    if [ "$i" -gt 0 ]; then msb_keep "$v-cold" "$cold"; msb_keep "$v-incremental" "$incremental"; msb_keep "$v-no-restore" "$no_restore"; fi
  done
done
[ -f "$msb/with/bin/Release/tiny-llm-distilled.1.0.0.zip" ] || { echo "bench: dotnet pack with ModelGoPack wrote no bundle" >&2; exit 1; }
[ ! -e "$msb/without/bin/Release/tiny-llm-distilled.1.0.0.zip" ] || { echo "bench: the baseline ran ModelGoPack" >&2; exit 1; }
for k in "${!msb_s[@]}"; do msb_s[$k]=$(printf '%.3f' "${msb_s[$k]}"); done
msb_cold_ratio=$(ratio "${msb_s[with-cold]}" "${msb_s[without-cold]}")
msb_incremental_ratio=$(ratio "${msb_s[with-incremental]}" "${msb_s[without-incremental]}")
msb_no_restore_ratio=$(ratio "${msb_s[with-no-restore]}" "${msb_s[without-no-restore]}")
msb_il_cold_ratio=$(ratio "${msb_s[with-il-cold]}" "${msb_s[without-cold]}")
msb_il_incremental_ratio=$(ratio "${msb_s[with-il-incremental]}" "${msb_s[without-incremental]}")
msb_il_no_restore_ratio=$(ratio "${msb_s[with-il-no-restore]}" "${msb_s[without-no-restore]}")
rm -rf "$msb"

cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)
echo
echo "ModelGoPack benchmark, $(date -u +%Y-%m-%d), $cores cores ($cpu), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, .NET $(dotnet --version); the tool: $tool_kind"
echo "fixture: $files files, $(echo "$tree_bytes / 1073741824" | bc -l | xargs printf '%.2f') GiB (2 safetensors weights of 1.5 GiB, 1,000 small files); sparse: one 64 GiB safetensors"
printf '%-58s %10s   %s\n' "figure" "value" "target"
printf '%-58s %10s   %s\n' "1. pack zip (every byte hashed) / tar cf  ($pack_s s / $tar_s s)" "$pack_ratio" "<= 1.2, $(verdict "$pack_ratio" '<=' 1.2)"
printf '%-58s %10s   %s\n' "   pack zip after check (hashes all it copies) / tar cf" "$(ratio "$pack_warm_s" "$tar_s")" "(for information)"
printf '%-58s %10s   %s\n' "   pack tar.gz / tar cf" "$(ratio "$tgz_s" "$tar_s")" "(for information)"
printf '%-58s %10s   %s\n' "1b. pack oci (OCI image layout) / tar cf  ($oci_s s)" "$oci_ratio" "<= 1.2, $(verdict "$oci_ratio" '<=' 1.2)"
printf '%-58s %10s   %s\n' "1c. warm re-pack to a folder / first pack  ($repack_s s / $first_dir_s s)" "$repack_ratio" "<= 0.1, $(verdict "$repack_ratio" '<=' 0.1)"
printf '%-58s %10s   %s\n' "2. verify folder bundle / SHA-256 limit  ($(echo "$verify_bps / 1000000" | bc) MB/s of $(echo "$limit_bps / 1000000" | bc) MB/s)" "$verify_ratio" ">= 0.8, $(verdict "$verify_ratio" '>=' 0.8)"
printf '%-58s %10s   %s\n' "   the same, whole command with .NET start ($verify_s s)" "$verify_wall_ratio" "(for information)"
printf '%-58s %10s   %s\n' "   verify zip bundle, whole command / SHA-256 limit" "$(ratio "$(echo "$bundle_bytes / $verify_zip_s" | bc -l)" "$limit_bps")" "(for information)"
printf '%-58s %10s   %s\n' "3. warm re-check / first check  ($warm_s s / $first_s s)" "$recheck_ratio" "<= 0.05, $(verdict "$recheck_ratio" '<=' 0.05)"
printf '%-58s %10s   %s\n' "   digest phase only, warm / first  ($warm_phase s / $first_phase s)" "$phase_ratio" "<= 0.05, $(verdict "$phase_ratio" '<=' 0.05)"
printf '%-58s %10s   %s\n' "4. peak RSS, pack 3 GiB (MB)" "$rss_pack" "<= 150, $( [ "$rss_pack" = n/a ] && echo n/a || verdict "$rss_pack" '<=' 150)"
printf '%-58s %10s   %s\n' "   peak RSS, check 3 GiB (MB)" "$rss_check" "(for information)"
printf '%-58s %10s   %s\n' "   peak RSS, pack 64 GiB sparse (MB)" "$rss_sparse" "<= 150, $( [ "$rss_sparse" = n/a ] && echo n/a || verdict "$rss_sparse" '<=' 150)"
printf '%-58s %10s   %s\n' "   peak RSS, verify 64 GiB sparse bundle (MB)" "$rss_sparse_verify" "(for information)"
printf '%-58s %10s   %s\n' "   peak RSS, verify zip / tar.gz 3 GiB, headers kept (MB)" "$rss_verify_zip / $rss_verify_tgz" "(for information)"
printf '%-58s %10s   %s\n' "5. peak RSS, verify zip of $many_entries entries, 2 / 8 cores (MB)" "$rss_many_2 / $rss_many_8" "<= 300, $( [ "$rss_many_2" = n/a ] && echo n/a || { [ "$rss_many_2" -le 300 ] && [ "$rss_many_8" -le 300 ] && echo "meets target" || echo "MISSES target"; })"
printf '%-58s %10s   %s\n' "8. peak RSS, check / pack zip, $small_files small files (MB)" "$rss_small_check / $rss_small_zip" "<= 150, $( [ "$rss_small_check" = n/a ] && echo n/a || { [ "$rss_small_check" -le 150 ] && [ "$rss_small_zip" -le 150 ] && echo "meets target" || echo "MISSES target"; })"
printf '%-58s %10s   %s\n' "   peak RSS, pack folder bundle, $small_files small files (MB)" "$rss_small_dir" "<= 150, $( [ "$rss_small_dir" = n/a ] && echo n/a || verdict "$rss_small_dir" '<=' 150)"
printf '%-58s %10s   %s\n' "   peak RSS with a digest cache: check first / warm, pack zip (MB)" "$rss_small_cold / $rss_small_warm, $rss_small_zip_warm" "(for information)"
printf '%-58s %10s   %s\n' "6. warm check, derivative of Hub-cache upstream / no release  (${lineage_s[1]} s / ${lineage_s[0]} s)" "$hub_ratio" "<= 1.1, $(verdict "$hub_ratio" '<=' 1.1)"
printf '%-58s %10s   %s\n' "   upstream bytes hashed, Hub cache: first / warm check" "${lineage_first[1]} / ${lineage_warm[1]}" "warm: 0 B, $( [ "${lineage_warm[1]}" = "0 B" ] && echo "meets target" || echo "MISSES target")"
printf '%-58s %10s   %s\n' "   warm check, derivative of LFS-clone upstream / no release  (${lineage_s[2]} s)" "$git_ratio" "<= 1.1, $( [ "$git_ratio" = n/a ] && echo n/a || verdict "$git_ratio" '<=' 1.1)"
printf '%-58s %10s   %s\n' "   upstream bytes hashed, LFS clone: first / warm check" "${lineage_first[2]} / ${lineage_warm[2]}" "warm: 0 B, $( [ "${lineage_warm[2]}" = "0 B" ] && echo "meets target" || echo "MISSES target")"
printf '%-58s %10s   %s\n' "9. modelgopack --version, $tool_kind (ms)" "$version_ms" "<= 30, $(verdict "$version_ms" '<=' 30)"
printf '%-58s %10s   %s\n' "   the same, JIT build (dotnet modelgopack.dll) (ms)" "$version_jit_ms" "(for information)"
printf '%-58s %10s   %s\n' "   check of the tiny example, warm cache, $tool_kind (ms)" "$tiny_ms" "<= 80, $(verdict "$tiny_ms" '<=' 80)"
printf '%-58s %10s   %s\n' "   the same, JIT build (ms)" "$tiny_jit_ms" "(for information)"
printf '%-58s %10s   %s\n' "7. sign after pack / pack, OCI 3 GiB  ($sign_s s / $oci_pack_s s)" "$sign_ratio" "<= 0.05, $(verdict "$sign_ratio" '<=' 0.05)"
printf '%-58s %10s   %s\n' "   push / skopeo copy, loopback registry  ($push_s s / $skopeo_s s)" "$push_ratio" "<= 1.5, $( [ "$push_ratio" = n/a ] && echo n/a || verdict "$push_ratio" '<=' 1.5)"
printf '%-58s %10s   %s\n' "10. dotnet pack, NoTargets model, with / without ModelGoPack, cold  (${msb_s[with-cold]} s / ${msb_s[without-cold]} s)" "$msb_cold_ratio" "<= 1.5, $(verdict "$msb_cold_ratio" '<=' 1.5)"
printf '%-58s %10s   %s\n' "    the same, incremental (nothing changed)  (${msb_s[with-incremental]} s / ${msb_s[without-incremental]} s)" "$msb_incremental_ratio" "<= 1.5, $(verdict "$msb_incremental_ratio" '<=' 1.5)"
printf '%-58s %10s   %s\n' "    the same, cold, dotnet pack --no-restore  (${msb_s[with-no-restore]} s / ${msb_s[without-no-restore]} s)" "$msb_no_restore_ratio" "<= 1.5, $(verdict "$msb_no_restore_ratio" '<=' 1.5)"
printf '%-58s %10s   %s\n' "    task without ReadyToRun: cold / incremental / --no-restore  (${msb_s[with-il-cold]} s / ${msb_s[with-il-incremental]} s / ${msb_s[with-il-no-restore]} s)" "$msb_il_cold_ratio / $msb_il_incremental_ratio / $msb_il_no_restore_ratio" "(for information)"
echo "openssl sha256 single core: $(echo "$sha_kbs / 1000" | bc) MB/s; hashing lanes: min($cores cores, $weights weight files) = $lanes"
[ "${KEEP:-0}" = 1 ] || rm -rf "$work"
