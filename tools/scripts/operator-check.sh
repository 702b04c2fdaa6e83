#!/usr/bin/env bash
# Runs the operator commands of issue 15 against tools/target/synod.jar and prints each command, its
# exit code and the lines of its output that show the outcome. Uses loopback ports from a random base,
# its own data directories under a temporary directory, and stops everything it started.
#
#   ./mvnw -B -q package -DskipTests && tools/scripts/operator-check.sh
set -u
cd "$(dirname "$0")/../.."
JAR=${SYNOD_JAR:-tools/target/synod.jar}
[ -f "$JAR" ] || { echo "build first: ./mvnw -B -q package -DskipTests" >&2; exit 2; }
WORK=$(mktemp -d /tmp/synod-operator-check.XXXXXX)
SHM=/dev/shm/synod-operator-check-$$
BASE=$(( 21000 + (RANDOM % 400) * 100 ))
PIDS=()
cleanup()
{
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
    # A member killed with -9 cannot remove its Aeron directory; stat needs it to say so, then it goes.
    for f in "$WORK"/nodes/member-*/node.properties; do
        [ -f "$f" ] && rm -rf "$(sed -n 's/^aeronDirectory=//p' "$f")"
    done
    rm -rf "$WORK" "$SHM"-*
}
trap cleanup EXIT

synod() { java -jar "$JAR" "$@"; }

# run TITLE EXPECTED_EXIT -- COMMAND...: prints the command, its exit code and its last lines.
run()
{
    local title=$1 expected=$2; shift 3
    echo
    echo "### $title"
    echo "\$ $*"
    "$@" > "$WORK/out" 2>&1
    local code=$?
    tail -n "${LINES_SHOWN:-6}" "$WORK/out" | sed 's/^/    /'
    if [ "$code" = "$expected" ]; then echo "exit $code (expected $expected): ok"; else echo "exit $code (expected $expected): UNEXPECTED"; fi
}

await_line() # FILE TEXT SECONDS
{
    for _ in $(seq 1 $(( $3 * 10 ))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}

run "version" 0 -- synod version
run "--version" 0 -- synod --version
run "oversized demo payload refused up front, naming the limit" 2 -- synod demo --payload 16384
run "oversized bench payload refused up front" 2 -- synod bench throughput --payloads 20000
run "demo --producers 0 refused" 2 -- synod demo --producers 0
run "cluster --size 2 refused" 2 -- synod cluster --size 2 --dir "$WORK/c2"
LINES_SHOWN=2 run "--compare nonsense refused before the run" 2 -- synod bench latency --compare nonsense
LINES_SHOWN=2 run "bench --threading INVOKER refused" 2 -- synod bench latency --threading INVOKER
LINES_SHOWN=2 run "bad value names the option typed" 2 -- synod bench latency --rate 0
LINES_SHOWN=3 run "--idle busy accepted (1 s in-memory run)" 0 -- synod bench throughput --target in-memory-echo \
    --idle busy --payloads 32 --duration 1 --warmup 0 --out "$WORK/results"
run "results: a timestamped directory per run, with summary.json" 0 -- sh -c "ls -R '$WORK/results' | head -8"

echo
echo "### three replicas as processes (synod node), base port $BASE"
MEMBERS="0=127.0.0.1:$BASE,1=127.0.0.1:$((BASE + 1)),2=127.0.0.1:$((BASE + 2))"
for id in 0 1 2; do
    java -jar "$JAR" node --id $id --members "$MEMBERS" --dir "$WORK/nodes" --cluster-id 15 \
        --durability PAGE_CACHE > "$WORK/node-$id.out" 2>&1 &
    PIDS+=($!)
    NODE_PID[$id]=$!
done
for id in 0 1 2; do await_line "$WORK/node-$id.out" "running" 60 || echo "member $id did not start"; done
for _ in $(seq 1 100); do synod stat --dir "$WORK/nodes" | grep -q "^leader: member" && break; sleep 0.2; done
LINES_SHOWN=40 run "stat: one column per member" 0 -- synod stat --dir "$WORK/nodes"
LEADER=$(synod stat --dir "$WORK/nodes" | sed -n 's/^leader: member //p' | head -1)
echo "leader is member ${LEADER:-?}"

run "node on a port in use: one line naming the cause and the fix" 3 -- synod node --id 0 --members "$MEMBERS" \
    --dir "$WORK/clash" --cluster-id 16 --aeron-dir "$SHM-clash"
echo "left behind: Aeron directory $( [ -e "$SHM-clash" ] && echo yes || echo no), log segment $(ls "$WORK"/clash/member-0/log/*.seg 2>/dev/null | wc -l)"
run "node with an unresolvable host" 3 -- synod node --id 0 --members "0=no-such-host.invalid:$((BASE + 50))" \
    --dir "$WORK/unresolved" --cluster-id 17 --aeron-dir "$SHM-unresolved"
echo "left behind: Aeron directory $( [ -e "$SHM-unresolved" ] && echo yes || echo no), log segment $(ls "$WORK"/unresolved/member-0/log/*.seg 2>/dev/null | wc -l)"

LINES_SHOWN=8 run "bench against the running cluster (synod-remote), first run" 0 -- java \
    -Dsynod.members="$MEMBERS" -Dsynod.cluster.id=15 -jar "$JAR" bench throughput --target synod-remote \
    --payloads 32 --duration 1 --warmup 1 --out "$WORK/results"
LINES_SHOWN=8 run "bench against the running cluster (synod-remote), back to back" 0 -- java \
    -Dsynod.members="$MEMBERS" -Dsynod.cluster.id=15 -jar "$JAR" bench throughput --target synod-remote \
    --payloads 32 --duration 1 --warmup 1 --out "$WORK/results"
LINES_SHOWN=3 run "client with another cluster id: says so" 3 -- java \
    -Dsynod.members="$MEMBERS" -Dsynod.cluster.id=99 -Dsynod.client.connect.timeout=3s -jar "$JAR" bench \
    throughput --target synod-remote --payloads 32 --duration 1 --warmup 0 --out "$WORK/results"

if [ -n "${LEADER:-}" ]; then
    kill -9 "${NODE_PID[$LEADER]}"
    echo
    echo "### kill -9 of the leader (member $LEADER)"
    for _ in $(seq 1 50); do
        synod stat --dir "$WORK/nodes" | grep -q "^leader: member" && break; sleep 0.2
    done
    LINES_SHOWN=40 run "stat after kill -9: the killed member is DEAD beside the new leader" 0 -- synod stat --dir "$WORK/nodes"
fi
LINES_SHOWN=30 run "stat --watch (3 s): refreshing table with rates" 124 -- timeout 3 java -jar "$JAR" stat --watch --dir "$WORK/nodes"

for id in 0 1 2; do kill -TERM "${NODE_PID[$id]}" 2>/dev/null; wait "${NODE_PID[$id]}" 2>/dev/null; done
PIDS=()
LINES_SHOWN=3 run "log verify on a data directory points at DIR/member-N/log" 2 -- synod log verify "$WORK/nodes"
LINES_SHOWN=3 run "log dump --from 5 --count 2 prints slots 5 and 6" 0 -- synod log dump "$WORK/nodes/member-0/log" \
    --from 5 --count 2

echo
echo "### SIGTERM during a soak: partial summary printed, nothing left in /dev/shm or the temp directory"
java -Djava.io.tmpdir="$WORK" -jar "$JAR" bench soak --duration 120 --warmup 1 --out "$WORK/results" > "$WORK/soak.out" 2>&1 &
SOAK=$!
await_line "$WORK/soak.out" " commands/s " 90
sleep 2
kill -TERM $SOAK; wait $SOAK
echo "exit $? (128 + SIGTERM)"
echo "\$ synod bench soak --duration 120 ... ; kill -TERM after the first intervals"
sed 's/^/    /' "$WORK/soak.out" | grep -v '^    setup:' | tail -n 14
echo "this soak's Aeron directories left in /dev/shm: $(ls /dev/shm | grep -c "^synod-bench-$SOAK-"); temp data directories left: $(ls "$WORK" | grep -c '^synod-bench')"
