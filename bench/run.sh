#!/usr/bin/env bash
# make bench: builds generated sites of 1,000, 10,000 and 100,000 cases and
# prints, per size, the wall time of a build into a new tree and of a
# repeated build, pages per second, peak memory and the time of each phase;
# then the whole build with the search index (new, again, after a
# one-case change), the preview server's save-to-reload latency and the related-cases
# and glossary benchmarks. Corpora are kept in .cache/bench.
# BENCH_SIZES="1000 10000" limits the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${BENCH_SIZES:-"1000 10000 100000"}
mkdir -p .cache/bench
go build -o bin/portal ./cmd/portal
go build -o bin/gencorpus ./cmd/gencorpus
# Three builds per size into one folder, each measured one after sync(1):
# the first warms the disk and Sass caches; the second writes a whole new tree (as the first build into an
# empty folder does); the third overwrites the tree the first left beside
# public/ (.public-reserv), as every later build does. Both are printed;
# the phases are those of the third.
printf '%-8s %14s %14s %10s %10s\n' "exempel" "ny mapp" "igen" "sidor/s" "minne"
secs() { python3 -c "import re,sys;s='$1';m=re.match(r'([0-9.]+)(ms|s|m)',s);v=float(m.group(1));print(v/1000 if m.group(2)=='ms' else v*60 if m.group(2)=='m' else v)"; }
for n in $SIZES; do
  dir=.cache/bench/corpus-$n
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    ./bin/gencorpus -n "$n" -out "$dir" >/dev/null
    touch "$dir/.complete"
  fi
  out=$(mktemp -d)
  # sync before each measured build: the writeback of the build before
  # (1.5 GB at 100,000 cases) would otherwise slow the next one's writes.
  ./bin/portal build -root "$dir" -out "$out/public" -search=false >/dev/null
  sync
  fresh=$(./bin/portal build -root "$dir" -out "$out/public" -search=false)
  sync
  log=$(./bin/portal build -root "$dir" -out "$out/public" -search=false -v)
  rm -rf "$out"
  pages=$(sed -n 's/^Byggde \([0-9]*\) sidor.*/\1/p' <<<"$log")
  wall=$(sed -n 's/^Byggde .* på \(.*\)$/\1/p' <<<"$log")
  wall0=$(sed -n 's/^Byggde .* på \(.*\)$/\1/p' <<<"$fresh")
  rss=$(sed -n 's/.*högsta minnesanvändning (RSS) *\(.*\)$/\1/p' <<<"$log")
  pps=$(python3 -c "print(int($pages/$(secs "$wall")))")
  printf '%-8s %14s %14s %10s %10s\n' "$n" "$wall0" "$wall" "$pps" "$rss"
  grep '^  ' <<<"$log" | grep -v RSS | sed 's/^/         /'
done
# The build readers get, with the search index the portal writes itself
# (builder/pagefind), with the peak memory of all processes together
# (bench/peakrss.py) and the index's size: the first build into a new
# folder with nothing saved by earlier builds (forget_saved; the user's
# cache folder), then a build after builds (the third), then one after a
# change to one case's text. At 10,000 cases Pagefind's CLI
# (-pagefind-cli) follows as the reference.
cache="${XDG_CACHE_HOME:-$HOME/.cache}/exempelbanken"
# What a build keeps for the next (the search index's entries, rendered
# markdown, search terms, page keys, open data, feeds, related cases,
# parsed content, cards); not the stylesheet and the Excel file, which are
# kept by content and survive any edit.
forget_saved() { rm -rf "$cache/sokindex" "$cache/markdown" "$cache/sokord" "$cache/sidor" "$cache/data-filer" "$cache/atom" "$cache/liknande" "$cache/innehall" "$cache/kort"; }
echo
echo "Hela bygget med sökindex:"
printf '%-8s %-44s %10s %12s %12s\n' "exempel" "" "tid" "minne (alla)" "index"
peak() { python3 bench/peakrss.py ./bin/portal build "$@" 2>&1 >/dev/null | sed -n 's/^peakrss //p'; }
row() { # size label "wall=… rss=…" index-dir
  local wall=${3#wall=}; wall=${wall%% *}; local rss=${3##*rss=}
  printf '%-8s %-44s %9ss %9s MB %9s MB\n' "$1" "$2" "$wall" "$rss" "$(python3 -c "print(round($(du -sb "$4" | cut -f1)/1e6,1))")"
}
for n in $SIZES; do
  corpus=.cache/bench/corpus-$n
  out=$(mktemp -d)
  forget_saved
  sync; row "$n" "nytt, utan sparat index" "$(peak -root "$corpus" -out "$out/public")" "$out/public/pagefind"
  # As in the first table, the build measured again is the third: the
  # second is the first to overwrite the tree the first left beside.
  ./bin/portal build -root "$corpus" -out "$out/public" >/dev/null
  sync; row "" "bygge efter bygge" "$(peak -root "$corpus" -out "$out/public")" "$out/public/pagefind"
  # One case's text changes (restored afterwards), one new paragraph
  # after another: the median of five such builds (three at 100,000
  # cases), with the slowest and fastest, since one build on a shared
  # machine can be a third off either way. The peak is the highest.
  f=$(ls "$corpus/content/exempel" | sort | sed -n '2p'); f="$corpus/content/exempel/$f"
  cp "$f" "$out/orig.md"
  runs=5; [ "$n" -ge 100000 ] && runs=3
  : >"$out/one"
  for i in $(seq 1 $runs); do
    printf '\nEtt nytt stycke om uppföljning och kostnader %d.\n' "$i" >>"$f"
    sync; peak -root "$corpus" -out "$out/public" >>"$out/one"
  done
  one=$(python3 - "$out/one" <<'PY'
import re, statistics, sys
runs = [tuple(float(x) for x in re.match(r"wall=([0-9.]+) rss=([0-9.]+)", l).groups()) for l in open(sys.argv[1])]
walls = sorted(w for w, _ in runs)
print("wall=%.2f rss=%d %.2f–%.2f" % (statistics.median(walls), max(r for _, r in runs), walls[0], walls[-1]))
PY
)
  range=${one##* }; one=${one% *}
  row "" "efter ändring i ett exempel (median av $runs)" "$one" "$out/public/pagefind"
  printf '%-8s %-44s %10s\n' "" "  (snabbast–långsammast)" "${range}s"
  cp "$out/orig.md" "$f"
  ./bin/portal build -root "$corpus" -out "$out/public" >/dev/null
  if [ "$n" = 10000 ]; then
    ./bin/portal build -root "$corpus" -out "$out/cli" -pagefind-cli >/dev/null
    sync; row "" "Pagefinds CLI, bygge efter bygge" "$(peak -root "$corpus" -out "$out/cli" -pagefind-cli)" "$out/cli/pagefind"
  fi
  rm -rf "$out"
done

# The open data (/data/) and the Atom feeds at 10,000 cases: after one
# build of each into its folder, seven builds without them and seven
# with, alternating, into the same two folders (build after build), the
# medians, and the bytes they add.
n=10000
if [[ " $SIZES " == *" $n "* ]]; then
  echo
  echo "Öppna data och flöden på $n exempel (median av 7 byggen utan sökindex, bygge efter bygge):"
  out=$(mktemp -d)
  for mode in false true; do
    ./bin/portal build -root ".cache/bench/corpus-$n" -out "$out/$mode" -search=false -open-data=$mode >/dev/null
  done
  for i in 1 2 3 4 5 6 7; do
    for mode in false true; do
      ./bin/portal build -root ".cache/bench/corpus-$n" -out "$out/$mode" -search=false -open-data=$mode | sed -n 's/^Byggde .* på \(.*\)$/\1/p' >>"$out/tid-$mode"
    done
  done
  python3 - "$out" <<'PY'
import os, re, statistics, sys
d = sys.argv[1]
def secs(s):
    v, u = re.match(r"([0-9.]+)(ms|s|m)", s).groups()
    return float(v) / 1000 if u == "ms" else float(v) * 60 if u == "m" else float(v)
t = {m: statistics.median(secs(l) for l in open(os.path.join(d, "tid-" + m))) for m in ("false", "true")}
def size(root, pred):
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(root) for f in fs if pred(r, f))
data = size(os.path.join(d, "true", "data"), lambda r, f: True)
feeds = size(os.path.join(d, "true"), lambda r, f: f == "atom.xml")
print("  utan %.2f s, med %.2f s: %+.2f s (%+.0f %%); /data/ %.1f MB, flöden %.1f MB" % (
    t["false"], t["true"], t["true"] - t["false"], 100 * (t["true"] - t["false"]) / t["false"], data / 1e6, feeds / 1e6))
PY
  rm -rf "$out"
fi

# The search index at 10,000 cases, without and with the extra terms of
# the pages (compound parts and synonyms): the whole build's time (the
# third build, as above), the index's size and the bytes a first query downloads
# (bench/search-bytes.mjs in Chromium), and the same for Pagefind's CLI.
n=10000
if [[ " $SIZES " == *" $n "* ]]; then
  echo
  echo "Sökindex på $n exempel:"
  printf '%-40s %10s %12s %18s\n' "" "bygget" "index" "första sökningen"
  for mode in "-search-terms=false" "-search-terms=true" "-pagefind-cli"; do
    out=$(mktemp -d)
    for warm in 1 2; do ./bin/portal build -root ".cache/bench/corpus-$n" -out "$out/public" "$mode" >/dev/null; done
    log=$(./bin/portal build -root ".cache/bench/corpus-$n" -out "$out/public" "$mode")
    wall=$(sed -n 's/^Byggde .* på \(.*\)$/\1/p' <<<"$log")
    bytes=$(node bench/search-bytes.mjs "$out/public" missbruk)
    rm -rf "$out"
    case $mode in
      -search-terms=false) label="utan orddelar och synonymer" ;;
      -search-terms=true) label="med orddelar och synonymer" ;;
      *) label="Pagefinds CLI (med orddelar)" ;;
    esac
    python3 -c "import json,sys;d=json.loads(sys.argv[1]);print('%-40s %10s %9.1f MB %15.0f kB' % (sys.argv[2], sys.argv[3], d['index_bytes']/1e6, d['first_query_bytes']/1e3))" "$bytes" "$label" "$wall"
  done
fi
echo
echo "Förhandsgranskning: tid från sparad fil till omladdning, med sökindexet uppdaterat (brödtext 50 ändringar; sammanfattning (framsida) och status (struktur) 30 var; -paus: 1 s mellan sparningarna):"
go test ./builder/serve -run '^$' -bench 'SaveToReload' -benchtime 1x | grep Benchmark
echo "Förhandsgranskningens bygge efter en ändrad status (10 000 exempel, 20 ändringar):"
go test ./builder/site -run '^$' -bench 'PreviewFrontMatter' -benchtime 1x | grep '^Benchmark'
echo
echo "Liknande exempel och begreppslänkar på 10 000 exempel:"
go test ./builder/site -run '^$' -bench 'RelatedAndGlossary' -benchtime 3x | grep Benchmark
