#!/usr/bin/env bash
# A soak across "hosts" on one machine: 3 network namespaces run one replica each, a fourth runs the
# load generator, all joined by veth pairs on a bridge, optionally with netem delay and loss. Every
# namespace, link and process is torn down on exit, also on failure or Ctrl-C.
#
#   sudo tools/scripts/netns-soak.sh [--duration 60] [--rate 10000] [--payload 288] \
#       [--delay 100us] [--loss 0%] [--durability PAGE_CACHE] [--out bench-results/netns]
#
# Needs root (ip netns), iproute2 (and its netem qdisc for --delay/--loss), and a built
# tools/target/synod.jar (./mvnw -B -q package -DskipTests). Addresses are in 10.77.0.0/24 and exist
# only inside the namespaces this script creates.
set -euo pipefail

DURATION=60
RATE=10000
PAYLOAD=288
DELAY=""
LOSS=""
DURABILITY=PAGE_CACHE
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/bench-results/netns"
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) DURATION="$2"; shift 2 ;;
        --rate) RATE="$2"; shift 2 ;;
        --payload) PAYLOAD="$2"; shift 2 ;;
        --delay) DELAY="$2"; shift 2 ;;
        --loss) LOSS="$2"; shift 2 ;;
        --durability) DURABILITY="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

JAR="$ROOT/tools/target/synod.jar"
[ -f "$JAR" ] || { echo "no $JAR: build it first with ./mvnw -B -q package -DskipTests" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "needs root for ip netns" >&2; exit 2; }
command -v ip >/dev/null || { echo "needs iproute2 (ip)" >&2; exit 2; }

if [ -n "$DELAY$LOSS" ]; then
    command -v tc >/dev/null || { echo "--delay/--loss need tc (iproute2)" >&2; exit 2; }
    if ! modprobe -q sch_netem 2>/dev/null && ! grep -qw sch_netem /proc/modules 2>/dev/null; then
        echo "--delay/--loss need the kernel's netem qdisc (sch_netem), which this kernel does not offer" >&2
        exit 2
    fi
fi

TAG="synod$$"
BRIDGE="${TAG}br"
NAMES=("${TAG}n0" "${TAG}n1" "${TAG}n2" "${TAG}ld")
ADDRS=(10.77.0.10 10.77.0.11 10.77.0.12 10.77.0.20)
WORK="$(mktemp -d /tmp/synod-netns.XXXXXX)"
PIDS=()

teardown() {
    set +e
    for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; done
    sleep 2
    for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; done
    for ns in "${NAMES[@]}"; do
        ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
        ip netns del "$ns" 2>/dev/null
    done
    for i in 0 1 2 3; do ip link del "${TAG}v$i" 2>/dev/null; done
    ip link del "$BRIDGE" 2>/dev/null
    rm -rf "$WORK" /dev/shm/"${TAG}"-* 2>/dev/null
    echo "netns-soak: torn down"
}
trap teardown EXIT INT TERM

ip link add "$BRIDGE" type bridge
ip link set "$BRIDGE" up
for i in 0 1 2 3; do
    ns="${NAMES[$i]}"
    ip netns add "$ns"
    ip link add "${TAG}v$i" type veth peer name eth0 netns "$ns"
    # Both ends and the bridge need the large MTU: a bridge drops, not fragments, a larger frame,
    # so small heartbeats would pass while batched Accepts vanish.
    ip link set "${TAG}v$i" mtu 9000 master "$BRIDGE" up
    ip -n "$ns" addr add "${ADDRS[$i]}/24" dev eth0
    ip -n "$ns" link set eth0 up mtu 9000
    ip -n "$ns" link set lo up
    if [ -n "$DELAY$LOSS" ]; then
        ip netns exec "$ns" tc qdisc add dev eth0 root netem ${DELAY:+delay $DELAY} ${LOSS:+loss $LOSS}
    fi
done

ip link set "$BRIDGE" mtu 9000

MEMBERS="0=${ADDRS[0]}:20100,1=${ADDRS[1]}:20100,2=${ADDRS[2]}:20100"
for i in 0 1 2; do
    ip netns exec "${NAMES[$i]}" java -jar "$JAR" node --id "$i" --members "$MEMBERS" --dir "$WORK/data" \
        --durability "$DURABILITY" --aeron-dir "/dev/shm/${TAG}-$i" > "$WORK/member-$i.log" 2>&1 &
    PIDS+=("$!")
done
for i in 0 1 2; do
    for _ in $(seq 1 100); do grep -q "running" "$WORK/member-$i.log" && break; sleep 0.1; done
    grep -q "running" "$WORK/member-$i.log" || { cat "$WORK/member-$i.log"; echo "member $i did not start" >&2; exit 1; }
done
echo "netns-soak: members $MEMBERS up (delay=${DELAY:-none} loss=${LOSS:-none} durability=$DURABILITY)"

mkdir -p "$OUT"
ip netns exec "${NAMES[3]}" java -Dsynod.members="$MEMBERS" -Dsynod.client.response.endpoint="${ADDRS[3]}:0" \
    -Dsynod.client.aeron.dir="/dev/shm/${TAG}-client" \
    -jar "$JAR" bench soak --target synod-remote --payloads "$PAYLOAD" --rate "$RATE" \
    --duration "$DURATION" --warmup 5 --out "$OUT"
echo "netns-soak: results in $OUT"
