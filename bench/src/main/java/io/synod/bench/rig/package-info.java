/**
 * The HdrHistogram benchmark rig: throughput, open-loop latency and soak runs against any
 * {@link io.synod.bench.rig.BenchTarget}.
 * <p>
 * {@link io.synod.bench.rig.BenchRig} drives one target from one thread. Throughput mode keeps a bounded
 * in-flight window full and counts answers inside the measured window (after warm-up). Latency and
 * soak modes offer a fixed rate and time every command from its <em>intended</em> send time, so
 * coordinated omission cannot hide a stall; results print p50/p90/p99/p99.9/p99.99/max in µs, write a
 * {@code .hgrm} and a {@code .hlog} interval log, and {@link io.synod.bench.rig.HtmlPlot} turns logs
 * into a self-contained HTML page. {@link io.synod.bench.rig.RigCompare} runs two targets back to back
 * and prints {@code ratio throughput a/b = x.xx} and {@code ratio pNN a/b = x.xx} lines.
 * <p>
 * Targets that do not need Synod's runtime: {@link io.synod.bench.rig.AeronClusterTarget} (the
 * baseline), {@link io.synod.bench.rig.PingPongFloorTarget} (plain UDP round trip, the floor),
 * {@link io.synod.bench.rig.QuorumLoopTarget} (leader fan-out to followers and first-quorum answer, no
 * consensus or storage: the ceiling of any leader-based design) and
 * {@link io.synod.bench.rig.InMemoryEchoTarget} (rig overhead). Synod's own target implements
 * {@code BenchTarget} with {@code name() = "synod"} and is added to {@link io.synod.bench.rig.BenchTargets}.
 * All Aeron targets share {@link io.synod.bench.rig.AeronLoopback}: UDP on 127.0.0.1, MTU 8 KiB, 4 MiB
 * terms, Aeron directories under /dev/shm.
 * <p>
 * Manual runs: {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --add-opens
 * java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED -cp bench/target/benchmarks.jar
 * io.synod.bench.rig.RigMain target=aeron-cluster mode=latency payloads=32 rate=10000 durationS=5 warmupS=2}
 * (see {@link io.synod.bench.rig.RigMain}).
 */
package io.synod.bench.rig;
