#!/usr/bin/env bash
# Builds one generated corpus with portal and with Hugo (Debian's package,
# or HUGO=/path/to/hugo) in the same run, and prints times, peak memory and
# ratios. Usage: bench/compare-hugo.sh [cases]   (default 10000)
#
# What differs between the two sites (the Hugo site in bench/hugo is kept
# as close as Hugo allows):
# - portal validates every field against vocabularies, kommun/län data and
#   the glossary; Hugo validates nothing.
# - portal resolves [[wiki links]], links glossary terms on first mention
#   with Swedish inflection and builds backlinks ("Nämns i"); Hugo leaves
#   [[...]] as text and has no backlinks or glossary linking.
# - Both build the same facet pages (7 taxonomies, 50 cases per list page)
#   and "related" on the same keys with comparable weights.
# - Both write to the same disk. The first rows build without a search
#   index; the last two add it: portal's own index (builder/pagefind,
#   build after build) against Hugo followed by `pagefind --site` (the
#   pinned npm Pagefind), timed together, with the larger peak of the two.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
HUGO=${HUGO:-hugo}
if ! command -v "$HUGO" >/dev/null; then
  echo "Hugo saknas: apt-get install hugo, eller ange HUGO=/sökväg/till/hugo" >&2
  exit 2
fi
go build -o bin/portal ./cmd/portal
go build -o bin/gencorpus ./cmd/gencorpus
corpus=.cache/bench/corpus-$N
if [ ! -f "$corpus/.complete" ]; then
  rm -rf "$corpus"; ./bin/gencorpus -n "$N" -out "$corpus" >/dev/null; touch "$corpus/.complete"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for variant in related norelated; do
  site=$work/hugo-$variant
  mkdir -p "$site/content"
  cp -r bench/hugo/hugo.toml bench/hugo/layouts "$site/"
  for d in exempel begrepp sidor; do ln -s "$(pwd)/$corpus/content/$d" "$site/content/$d"; done
  if [ $variant = norelated ]; then
    python3 - "$site/layouts/_default/single.html" <<'PY'
import re,sys
p=sys.argv[1]; s=open(p).read()
s=re.sub(r'\{\{ with \.Site\.RegularPages\.Related.*?\{\{ end \}\}\n\{\{ end \}\}', '{{ end }}', s, flags=re.S)
open(p,'w').write(s)
PY
  fi
done
measure() { # prints seconds and peak RSS (MB) of a command
  # Each build starts with the disk settled: the writeback of the build
  # before (1.5 GB at 100,000 cases) would otherwise slow the next one.
  sync
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
t = time.time()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
if r.returncode != 0:
    sys.stderr.write(r.stderr.decode()); sys.exit(r.returncode)
print("%.2f %d" % (time.time() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024))
PY
}
# Warm-up runs (disk cache, Sass cache), then the measured runs. Each tool
# builds twice into the same folder: the first measured build writes every
# file anew (portal: a new tree; Hugo: an empty destination), the second
# overwrites the files of the one before, as repeated builds do. Ratios
# compare like with like. Hugo with related content is measured once, into
# an empty destination: its time is the related computation, not the disk.
./bin/portal build -root "$corpus" -out "$work/p" -search=false >/dev/null
"$HUGO" --quiet --source "$work/hugo-norelated" --destination "$work/h0" >/dev/null 2>&1 || true
read -r pt pm < <(measure ./bin/portal build -root "$corpus" -out "$work/p" -search=false)
read -r pt2 pm2 < <(measure ./bin/portal build -root "$corpus" -out "$work/p" -search=false)
read -r hn hnm < <(measure "$HUGO" --quiet --source "$work/hugo-norelated" --destination "$work/h1")
read -r hn2 hnm2 < <(measure "$HUGO" --quiet --source "$work/hugo-norelated" --destination "$work/h1")
read -r hr hrm < <(measure "$HUGO" --quiet --source "$work/hugo-related" --destination "$work/h2")
# With the search index: portal writes it itself; Hugo's site is indexed
# by Pagefind's CLI after Hugo (two processes, one after the other).
PAGEFIND=$(ls node_modules/@pagefind/*/bin/pagefind_extended | head -1)
# Build after build as in make bench: the third build, the first to
# overwrite the tree beside the published one.
for warm in 1 2; do ./bin/portal build -root "$corpus" -out "$work/ps" >/dev/null; done
read -r ps psm < <(measure ./bin/portal build -root "$corpus" -out "$work/ps")
read -r hs hsm < <(measure "$HUGO" --quiet --source "$work/hugo-norelated" --destination "$work/h1")
read -r pf pfm < <(measure "$PAGEFIND" --site "$work/h1" --quiet)
hpf=$(python3 -c "print('%.2f' % ($hs+$pf))"); hpfm=$(( hsm > pfm ? hsm : pfm ))
ratio() { python3 -c "print(round($1/$2,1))"; }
echo "$N exempel, $("$HUGO" version | cut -d' ' -f1-2)"
printf '%-40s %8s %10s %8s\n' "" "tid (s)" "minne (MB)" "kvot"
printf '%-40s %8s %10s %8s\n' "portal (allt, med liknande exempel), nytt" "$pt" "$pm" "1"
printf '%-40s %8s %10s %8s\n' "portal, bygge efter bygge" "$pt2" "$pm2" "1"
printf '%-40s %8s %10s %8s\n' "Hugo utan related, nytt" "$hn" "$hnm" "$(ratio "$hn" "$pt")"
printf '%-40s %8s %10s %8s\n' "Hugo utan related, bygge efter bygge" "$hn2" "$hnm2" "$(ratio "$hn2" "$pt2")"
printf '%-40s %8s %10s %8s\n' "Hugo med related, nytt" "$hr" "$hrm" "$(ratio "$hr" "$pt")"
printf '%-40s %8s %10s %8s\n' "portal med sökindex, bygge efter bygge" "$ps" "$psm" "1"
printf '%-40s %8s %10s %8s\n' "Hugo utan related + pagefind --site" "$hpf" "$hpfm" "$(ratio "$hpf" "$ps")"
