package io.synod.engine.runtime;

import io.aeron.Aeron;
import io.aeron.Counter;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.driver.status.SystemCounterDescriptor;
import io.synod.codecs.AcceptEncoder;
import io.synod.codecs.AcceptedEncoder;
import io.synod.codecs.ChosenStateEncoder;
import io.synod.codecs.PromiseEncoder;
import io.synod.codecs.CatchUpRequestEncoder;
import io.synod.codecs.ClientCommandEncoder;
import io.synod.codecs.ErrorCode;
import io.synod.codecs.ErrorDecoder;
import io.synod.codecs.HeartbeatEncoder;
import io.synod.codecs.MessageHeaderDecoder;
import io.synod.codecs.MessageHeaderEncoder;
import io.synod.codecs.PrepareEncoder;
import io.synod.codecs.SessionEventCode;
import io.synod.codecs.SessionEventDecoder;
import io.synod.codecs.SessionOpenEncoder;
import io.synod.client.ClientContext;
import io.synod.client.ClientCredentials;
import io.synod.client.EgressListener;
import io.synod.client.SynodClient;
import io.synod.engine.protocol.Ballot;
import io.synod.engine.protocol.BatchDescriptor;
import io.synod.engine.transport.ClusterKey;
import io.synod.engine.transport.FrameAuthenticator;
import io.synod.engine.transport.Streams;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5, hostile input: a sender with its own Aeron driver publishes forged, malformed and
 * oversized messages at the leader of a live three-node cluster on every stream a member listens on.
 * Every one is dropped and counted ({@code invalidDropped}, or {@code staleRejected} for a ballot below
 * the promise); no node's promise, leadership, chosen watermark or delivered log moves, and the
 * cluster still commits new commands afterwards.
 * <p>
 * Each case waits for the victim's counter to reach its expected rise before the next starts; Aeron
 * keeps each publication's messages in order, so a counted message also proves that the uncounted
 * ones sent before it on the same publication were handled (dropped) by then.
 */
class HostileInputTest
{
    private static final int MAX_MESSAGE_BYTES = 64 * 1024;
    private static final int VALIDATOR_LIMIT_BYTES = MAX_MESSAGE_BYTES + 1024;
    private static final int MAX_VALUE_BYTES = 16 * 1024;
    private static final int WARM_UP_COMMANDS = 300;
    private static final int AFTER_COMMANDS = 100;
    private static final long HOSTILE_CLIENT_ID = 666;
    private static final int UNKNOWN_MEMBER_ID = 99;
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void hostileMessagesAreDroppedCountedAndChangeNothing() throws IOException
    {
        try (LocalCluster cluster = new LocalCluster(3, dir, member -> context()))
        {
            final long startNs = System.nanoTime();
            runCommands(cluster, 42, WARM_UP_COMMANDS, WARM_UP_COMMANDS);
            final Snapshot before = awaitQuiescent(cluster, WARM_UP_COMMANDS);

            final SynodNode victim = cluster.nodes.get(before.leader);
            final int clusterId = victim.context().clusterId();
            final String victimEndpoint = victim.context().self().endpoint();
            int follower = -1;
            for (final SynodNode node : cluster.nodes)
            {
                if (node.memberId() != before.leader)
                {
                    follower = node.memberId();
                }
            }
            final Counter invalid = victim.counters().invalidDropped;
            final Counter stale = victim.counters().staleRejected;
            final long promised = before.promisedBallot[before.leader];
            final long watermark = before.chosenWatermark[before.leader];
            assertTrue(Ballot.round(promised) >= 1, "an elected leader has a ballot round above 0");

            final long hugeBallot = Ballot.of(1L << 40, follower);
            final long staleBallot = Ballot.of(Ballot.round(promised) - 1, follower);
            final List<String> report = new ArrayList<>();
            report.add("warm-up took " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs) + " ms, " + before);

            try (HostileSender hostile = new HostileSender(victimEndpoint))
            {
                // The membership fingerprint is no secret: a forger copies the victim's, so what is
                // tested here is the checks behind it (MembershipAgreementTest tests the fingerprint).
                final Forger forge = new Forger(hostile.buffer, clusterId, victim.context().membershipFingerprint());

                // (1) Another cluster's id, otherwise perfect messages with a ballot that would win.
                long mark = invalid.get();
                hostile.replica(forge.prepare(clusterId + 1, follower, hugeBallot, watermark));
                hostile.replica(forge.accept(clusterId + 1, follower, hugeBallot, watermark, 64));
                hostile.replica(forge.heartbeat(clusterId + 1, follower, hugeBallot, watermark + 10));
                awaitRise(invalid, mark, 1 + 2 + 3, "wrong cluster id", report);

                // (2) A member id not in the cluster, same winning ballot.
                mark = invalid.get();
                final long unknownBallot = Ballot.of(1L << 40, UNKNOWN_MEMBER_ID);
                hostile.replica(forge.prepare(clusterId, UNKNOWN_MEMBER_ID, unknownBallot, watermark));
                hostile.replica(forge.accept(clusterId, UNKNOWN_MEMBER_ID, unknownBallot, watermark, 64));
                hostile.replica(forge.heartbeat(clusterId, UNKNOWN_MEMBER_ID, unknownBallot, watermark + 10));
                hostile.replica(forge.catchUpRequest(clusterId, UNKNOWN_MEMBER_ID, 0, watermark));
                awaitRise(invalid, mark, 1 + 2 + 3 + 1, "unknown member", report);

                // (3) A real member's id with a ballot below the promise: well-formed, so the acceptor
                // sees it, rejects it and Nacks the (impersonated) member. The Accept claims nothing
                // chosen beyond the true watermark: a delayed Accept from a deposed leader.
                final long staleMark = stale.get();
                mark = invalid.get();
                for (int i = 0; i < 3; i++)
                {
                    hostile.replica(forge.prepare(clusterId, follower, staleBallot, watermark));
                    hostile.replica(forge.accept(clusterId, follower, staleBallot, watermark, 0));
                }
                awaitRise(stale, staleMark, 6, "stale ballot (staleRejected)", report);
                report.add("stale ballot invalidDropped delta=" + (invalid.get() - mark));

                // (4) A valid header, the rest cut short at several lengths.
                mark = invalid.get();
                final int prepareLength = forge.prepare(clusterId, follower, hugeBallot, watermark);
                for (final int length : new int[]{ 8, 9, 16, 20, prepareLength - 1 })
                {
                    forge.prepare(clusterId, follower, hugeBallot, watermark);
                    hostile.replica(length);
                }
                final int acceptLength = forge.accept(clusterId, follower, hugeBallot, watermark, 64);
                final int acceptFixedLength = MessageHeaderEncoder.ENCODED_LENGTH + AcceptEncoder.BLOCK_LENGTH;
                for (final int length : new int[]{ acceptFixedLength, acceptFixedLength + 4, acceptFixedLength + 10,
                    acceptLength - 1 })
                {
                    forge.accept(clusterId, follower, hugeBallot, watermark, 64);
                    hostile.replica(length);
                }
                hostile.replica(4); // shorter than a message header: every role on the stream counts it
                awaitRise(invalid, mark, 5 + 2 * 4 + 3, "truncated", report);

                // (5) Larger than the validator's limit: a padded Prepare, an Accept carrying a huge
                // value at the current ballot, a huge client command.
                mark = invalid.get();
                forge.prepare(clusterId, follower, hugeBallot, watermark);
                hostile.replica(VALIDATOR_LIMIT_BYTES + 1);
                hostile.replica(forge.accept(clusterId, follower, promised, watermark, VALIDATOR_LIMIT_BYTES));
                hostile.ingress(forge.clientCommand(HOSTILE_CLIENT_ID, 1, VALIDATOR_LIMIT_BYTES));
                awaitRise(invalid, mark, 1 + 2 + 1, "oversized", report);

                // (6) A plausible header that is wrong: schema id, version, block length, a template
                // of random bytes, and a template id nobody knows, then a wrong-cluster Heartbeat as a
                // fence counted by all three roles. The unknown template is dropped but not counted:
                // each adapter ignores templates it does not handle before it validates, since roles
                // share the stream, so no role owns it (expected rise excludes it).
                mark = invalid.get();
                forge.prepare(clusterId, follower, hugeBallot, watermark);
                hostile.buffer.putShort(4, (short)(MessageHeaderEncoder.SCHEMA_ID + 1), ByteOrder.LITTLE_ENDIAN);
                hostile.replica(prepareLength);
                forge.prepare(clusterId, follower, hugeBallot, watermark);
                hostile.buffer.putShort(6, (short)(MessageHeaderEncoder.SCHEMA_VERSION + 1), ByteOrder.LITTLE_ENDIAN);
                hostile.replica(prepareLength);
                forge.prepare(clusterId, follower, hugeBallot, watermark);
                hostile.buffer.putShort(0, (short)(PrepareEncoder.BLOCK_LENGTH + 8), ByteOrder.LITTLE_ENDIAN);
                hostile.replica(prepareLength + 8);
                hostile.replica(forge.garbage(AcceptEncoder.TEMPLATE_ID, 200, new SplittableRandom(5)));
                hostile.replica(forge.garbage(999, 48, new SplittableRandom(6)));
                hostile.replica(forge.heartbeat(clusterId + 1, follower, hugeBallot, watermark + 10));
                awaitRise(invalid, mark, 1 + 1 + 1 + 2 + 3, "plausible header", report);

                // (7) Malformed client commands in an open session: answered with an Error, not applied.
                // A command without a session cannot be answered: dropped and counted.
                hostile.openSession(forge, HOSTILE_CLIENT_ID);
                mark = invalid.get();
                hostile.ingress(forge.clientCommand(HOSTILE_CLIENT_ID, 0, 16));
                hostile.ingress(forge.clientCommand(HOSTILE_CLIENT_ID, -7, 16));
                hostile.ingress(forge.clientCommand(HOSTILE_CLIENT_ID, 1, MAX_VALUE_BYTES + 1));
                hostile.ingress(forge.clientCommand(HOSTILE_CLIENT_ID + 1, 1, 16));
                hostile.awaitErrors(3);
                awaitRise(invalid, mark, 1, "command without a session", report);
                assertEquals(List.of("0:MALFORMED", "-7:MALFORMED", "1:PAYLOAD_TOO_LARGE"), hostile.errorCodes);
                for (final String text : hostile.errorTexts)
                {
                    assertFalse(text.isEmpty(), "an Error explains itself");
                }
                report.add("client errors " + hostile.errorCodes + " " + hostile.errorTexts);

                // Optional: raw UDP that is not Aeron never reaches Synod; the victim's driver counts it.
                final long invalidBeforeUdp = invalid.get();
                final long packetsDelta = sendUdpGarbage(victim, victimEndpoint);
                report.add("driver invalid packets delta=" + packetsDelta);
                assertTrue(packetsDelta >= 2, "driver counted raw garbage, delta " + packetsDelta);
                assertEquals(invalidBeforeUdp, invalid.get(), "raw UDP never reached Synod");
            }

            final Snapshot after = Snapshot.take(cluster);
            for (int m = 0; m < 3; m++)
            {
                assertNull(cluster.nodes.get(m).fatalError(), "member " + m + " still running");
                assertEquals(before.promisedBallot[m], after.promisedBallot[m], "promised ballot of " + m);
                assertEquals(before.ballot[m], after.ballot[m], "ballot of " + m);
                assertEquals(before.role[m], after.role[m], "role of " + m);
                assertEquals(before.leaderId[m], after.leaderId[m], "leader known to " + m);
                // One slot more: the hostile client's session-open entry, the one legitimate thing it did
                // (sessions are decided in the log).
                assertEquals(before.chosenWatermark[m] + 1, after.chosenWatermark[m], "chosen watermark of " + m);
                assertEquals(before.deliveredSlot[m] + 1, after.deliveredSlot[m], "delivered slot of " + m);
                assertEquals(before.delivered[m], after.delivered[m], "delivered commands of " + m);
            }
            assertEquals(before.leader, cluster.leader(), "leader");
            report.add("hostile phase done at " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs) + " ms");
            for (final String line : report)
            {
                System.out.println("HostileInputTest: " + line);
            }

            runCommands(cluster, 43, AFTER_COMMANDS, WARM_UP_COMMANDS + AFTER_COMMANDS);
            assertLogs(cluster, WARM_UP_COMMANDS, AFTER_COMMANDS);
        }
    }

    /**
     * Issue 14: with a cluster key, well-formed forgeries from a host that knows the schema but not
     * the key (unsigned, or signed with a key of its own) and authentic frames replayed (from this run
     * and from an earlier one) are dropped and counted as authentication failures before any role
     * sees them: nothing reaches the validator or the protocol, no state moves, the cluster serves.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void forgeriesWithoutTheClusterKeyAndReplaysAreDroppedCountedAndChangeNothing() throws IOException
    {
        final Path keyFile = dir.resolve("cluster.key");
        ClusterKey.generate(keyFile, ClusterKey.DEFAULT_LENGTH_BYTES);
        final Path dataDir = dir.resolve("data");
        try (LocalCluster cluster = new LocalCluster(3, dataDir, member -> context().clusterKeyFile(keyFile.toString())))
        {
            runCommands(cluster, 42, WARM_UP_COMMANDS, WARM_UP_COMMANDS);
            final Snapshot before = awaitQuiescent(cluster, WARM_UP_COMMANDS);

            final SynodNode victim = cluster.nodes.get(before.leader);
            final int clusterId = victim.context().clusterId();
            final String victimEndpoint = victim.context().self().endpoint();
            final int follower = before.leader == 0 ? 1 : 0;
            final int[] memberIds = { 0, 1, 2 };
            final Counter failures = victim.counters().authenticationFailures;
            final Counter invalid = victim.counters().invalidDropped;
            final Counter stale = victim.counters().staleRejected;
            final long invalidMark = invalid.get();
            final long staleMark = stale.get();
            final long promised = before.promisedBallot[before.leader];
            final long watermark = before.chosenWatermark[before.leader];
            final long hugeBallot = Ballot.of(1L << 40, follower);
            final byte[] ownKey = new byte[ClusterKey.DEFAULT_LENGTH_BYTES];
            new SplittableRandom(14).nextBytes(ownKey);
            final List<String> report = new ArrayList<>();

            try (HostileSender hostile = new HostileSender(victimEndpoint))
            {
                final Forger forge = new Forger(hostile.buffer, clusterId, victim.context().membershipFingerprint());
                final FrameAuthenticator wrongKeyAsLeader =
                    new FrameAuthenticator(ownKey, memberIds, follower, FrameAuthenticator.ROLE_LEADER, Long.MAX_VALUE);
                final FrameAuthenticator wrongKeyAsAcceptor =
                    new FrameAuthenticator(ownKey, memberIds, follower, FrameAuthenticator.ROLE_ACCEPTOR, Long.MAX_VALUE);
                for (final FrameAuthenticator leaderKey : new FrameAuthenticator[]{ null, wrongKeyAsLeader })
                {
                    final FrameAuthenticator acceptorKey = leaderKey == null ? null : wrongKeyAsAcceptor;
                    final String how = leaderKey == null ? "unsigned" : "signed with another key";
                    final long mark = failures.get();
                    // Prepare: the acceptor. Heartbeat, Accept: acceptor, leader and learner roles.
                    // ChosenState: the learner. Promise, Accepted: the leader role.
                    hostile.replica(signed(forge, leaderKey, forge.prepare(clusterId, follower, hugeBallot, watermark)));
                    hostile.replica(signed(forge, leaderKey,
                        forge.heartbeat(clusterId, follower, hugeBallot, watermark + 10)));
                    hostile.replica(signed(forge, leaderKey, forge.accept(clusterId, follower, hugeBallot, watermark, 64)));
                    hostile.replica(signed(forge, leaderKey,
                        forge.chosenState(clusterId, follower, hugeBallot, watermark + 10)));
                    hostile.leader(signed(forge, acceptorKey, forge.promise(clusterId, follower, promised, watermark)));
                    hostile.leader(signed(forge, acceptorKey,
                        forge.accepted(clusterId, follower, promised, watermark, watermark + 10)));
                    awaitRise(failures, mark, 1 + 3 + 3 + 1 + 1 + 1, how + " forgeries", report);
                }

                // Authentic frames replayed: the follower's acceptor signs with the real key, so a frame
                // signed as its first of this run, or as any of its previous run, is what an eavesdropper
                // could have captured. The leader role has heard later frames of this run from it.
                final byte[] realKey = ClusterKey.read("test", keyFile);
                final long incarnation = Long.parseLong(Files.readString(dataDir.resolve("member-" + follower)
                    .resolve("incarnation")).trim());
                final FrameAuthenticator thisRun = new FrameAuthenticator(
                    realKey, memberIds, follower, FrameAuthenticator.ROLE_ACCEPTOR, incarnation);
                final FrameAuthenticator earlierRun = new FrameAuthenticator(
                    realKey, memberIds, follower, FrameAuthenticator.ROLE_ACCEPTOR, incarnation - 1);
                for (int i = 0; i < 1000; i++)
                {
                    earlierRun.sign(new UnsafeBuffer(new byte[256]), 0, 64); // a late sequence of that run
                }
                final long mark = failures.get();
                hostile.leader(signed(forge, thisRun, forge.accepted(clusterId, follower, promised, watermark,
                    watermark + 10)));
                hostile.leader(signed(forge, earlierRun, forge.accepted(clusterId, follower, promised, watermark,
                    watermark + 10)));
                awaitRise(failures, mark, 2, "replayed authentic frames", report);
            }

            assertEquals(invalidMark, invalid.get(), "no forgery reached the validator");
            assertEquals(staleMark, stale.get(), "no forgery reached the acceptor");
            final Snapshot after = Snapshot.take(cluster);
            assertUnchanged(cluster, before, after);
            for (final String line : report)
            {
                System.out.println("HostileInputTest (keyed): " + line);
            }
            runCommands(cluster, 43, AFTER_COMMANDS, WARM_UP_COMMANDS + AFTER_COMMANDS);
            assertLogs(cluster, WARM_UP_COMMANDS, AFTER_COMMANDS);
        }
    }

    /**
     * Issue 14, client authentication: with a client secret, a client proving it (principal "alice")
     * is served and its principal recorded at every member; a client with the wrong secret is told
     * AUTHENTICATION_REJECTED with the reason and counted; a hostile client without credentials is only
     * ever challenged, and its commands are dropped and counted. Nothing of theirs reaches the log,
     * nothing moves, the cluster serves.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void clientsWithWrongCredentialsAreRefusedCountedAndNeverReachTheLog() throws IOException
    {
        final Path secretFile = dir.resolve("client.secret");
        ClusterKey.generate(secretFile, ClusterKey.DEFAULT_LENGTH_BYTES);
        final byte[] secret = ClusterKey.read("test", secretFile);
        final ClientCredentials alice = ClientCredentials.sharedSecret("alice", secret);
        // A longer election timeout than the other cases: starting the refused client's own driver and
        // waiting for keep-alives takes seconds, and a busy box must not fake a leader change then.
        try (LocalCluster cluster = new LocalCluster(3, dir.resolve("data"),
            member -> context().electionTimeoutNs(TimeUnit.SECONDS.toNanos(2)).clientSecretFile(secretFile.toString())))
        {
            runCommands(cluster, 42, WARM_UP_COMMANDS, WARM_UP_COMMANDS, alice);
            awaitQuiescent(cluster, WARM_UP_COMMANDS);
            awaitPrincipalEverywhere(cluster, 44, alice, "alice");
            final Snapshot before = awaitQuiescent(cluster, WARM_UP_COMMANDS);
            final SynodNode victim = cluster.nodes.get(before.leader);
            final Counter invalid = victim.counters().invalidDropped;
            final List<String> report = new ArrayList<>();

            // A client with a secret that is not the cluster's: refused, with the reason, by every member.
            final byte[] wrongSecret = new byte[ClusterKey.DEFAULT_LENGTH_BYTES];
            new SplittableRandom(66).nextBytes(wrongSecret);
            final long rejectedMark = rejectedTotal(cluster);
            final String aeronDir = "/dev/shm/synod-test-hostile-client-" + UUID.randomUUID();
            try
            {
                final IllegalStateException ex = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalStateException.class, () -> SynodClient.connect(new ClientContext()
                        .members(cluster.members).clientId(HOSTILE_CLIENT_ID).aeronDirectoryName(aeronDir)
                        .credentials(ClientCredentials.sharedSecret("mallory", wrongSecret)), new EgressListener()
                    {
                        public void onAck(final long sequence, final long slot)
                        {
                        }
                    }).close());
                assertTrue(ex.getMessage().startsWith("AUTHENTICATION_REJECTED") &&
                    ex.getMessage().contains("shared secret"), ex.getMessage());
                report.add("wrong secret: " + ex.getMessage());
            }
            finally
            {
                LocalCluster.deleteRecursively(new File(aeronDir));
            }
            // The client gives up at the first refusal, so which member counts it first is a race.
            awaitCondition(() -> rejectedTotal(cluster) - rejectedMark >= 1,
                () -> "clients rejected rose by " + (rejectedTotal(cluster) - rejectedMark));
            report.add("clients rejected (all members) delta=" + (rejectedTotal(cluster) - rejectedMark));

            // A client that sends no credentials: challenged, never opened; its commands are dropped.
            try (HostileSender hostile = new HostileSender(victim.context().self().endpoint()))
            {
                final Forger forge = new Forger(hostile.buffer, victim.context().clusterId(), victim.context().membershipFingerprint());
                hostile.openSessionUntil(forge, HOSTILE_CLIENT_ID + 1, SessionEventCode.CHALLENGE);
                final long mark = invalid.get();
                hostile.ingress(forge.clientCommand(HOSTILE_CLIENT_ID + 1, 1, 16));
                hostile.ingress(forge.clientCommand(HOSTILE_CLIENT_ID + 1, 2, 16));
                awaitRise(invalid, mark, 2, "commands of an unauthenticated client", report);
                assertFalse(hostile.sessionEvents.contains(SessionEventCode.OPEN), "events " + hostile.sessionEvents);
                assertNull(victim.principal(HOSTILE_CLIENT_ID + 1));
            }
            assertNull(victim.principal(HOSTILE_CLIENT_ID));

            assertUnchanged(cluster, before, Snapshot.take(cluster));
            for (final String line : report)
            {
                System.out.println("HostileInputTest (clients): " + line);
            }
            runCommands(cluster, 43, AFTER_COMMANDS, WARM_UP_COMMANDS + AFTER_COMMANDS, alice);
            assertLogs(cluster, WARM_UP_COMMANDS, AFTER_COMMANDS);
        }
    }

    /**
     * Connects a client and keeps it polling until every member recorded its principal (members
     * whose challenge was lost answer on the client's next keep-alive), then closes it.
     */
    private static void awaitPrincipalEverywhere(
        final LocalCluster cluster, final long clientId, final ClientCredentials credentials, final String principal)
    {
        final String aeronDir = "/dev/shm/synod-test-hostile-client-" + UUID.randomUUID();
        try (SynodClient client = SynodClient.connect(new ClientContext().members(cluster.members).clientId(clientId)
            .aeronDirectoryName(aeronDir).credentials(credentials), (sequence, slot) -> {}))
        {
            awaitCondition(() ->
            {
                client.poll();
                return cluster.nodes.stream().allMatch(node -> principal.equals(node.principal(clientId)));
            }, () -> "principal of client " + clientId + " at every member");
        }
        finally
        {
            LocalCluster.deleteRecursively(new File(aeronDir));
        }
    }

    private static long rejectedTotal(final LocalCluster cluster)
    {
        return cluster.nodes.stream().mapToLong(node -> node.counters().clientsRejected.get()).sum();
    }

    private static NodeContext context()
    {
        return new NodeContext()
            .durability("PAGE_CACHE")
            .idle("backoff")
            // A long election timeout: a scheduling hiccup on a small CI box must not look like a
            // leader change caused by the hostile input.
            .heartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(20))
            .electionTimeoutNs(TimeUnit.MILLISECONDS.toNanos(500))
            .maxValueBytes(MAX_VALUE_BYTES)
            .maxMessageBytes(MAX_MESSAGE_BYTES);
    }

    private static int signed(final Forger forge, final FrameAuthenticator authenticator, final int length)
    {
        return authenticator == null ? length : forge.sign(authenticator, length);
    }

    private static void assertUnchanged(final LocalCluster cluster, final Snapshot before, final Snapshot after)
    {
        for (int m = 0; m < 3; m++)
        {
            assertNull(cluster.nodes.get(m).fatalError(), "member " + m + " still running");
            assertEquals(before.promisedBallot[m], after.promisedBallot[m], "promised ballot of " + m);
            assertEquals(before.ballot[m], after.ballot[m], "ballot of " + m);
            assertEquals(before.role[m], after.role[m], "role of " + m);
            assertEquals(before.leaderId[m], after.leaderId[m], "leader known to " + m);
            assertEquals(before.chosenWatermark[m], after.chosenWatermark[m], "chosen watermark of " + m);
            assertEquals(before.deliveredSlot[m], after.deliveredSlot[m], "delivered slot of " + m);
            assertEquals(before.delivered[m], after.delivered[m], "delivered commands of " + m);
        }
        assertEquals(before.leader, cluster.leader(), "leader");
    }

    private static void runCommands(
        final LocalCluster cluster, final long clientId, final int commands, final int deliveredTarget)
    {
        runCommands(cluster, clientId, commands, deliveredTarget, ClientCredentials.none());
    }

    private static void runCommands(
        final LocalCluster cluster, final long clientId, final int commands, final int deliveredTarget,
        final ClientCredentials credentials)
    {
        final List<long[]> acks = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        final EgressListener listener = new EgressListener()
        {
            public void onAck(final long sequence, final long slot)
            {
                acks.add(new long[]{ sequence, slot });
            }

            public void onError(final long sequence, final String code, final String text)
            {
                errors.add(sequence + ":" + code + ":" + text);
            }
        };
        final String aeronDir = "/dev/shm/synod-test-hostile-client-" + UUID.randomUUID();
        try (SynodClient client = SynodClient.connect(
            new ClientContext().members(cluster.members).clientId(clientId).aeronDirectoryName(aeronDir)
                .credentials(credentials), listener))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[32]);
            long sent = 0;
            final long deadlineNs = System.nanoTime() + WAIT_NS;
            while (acks.size() < commands)
            {
                assertTrue(System.nanoTime() < deadlineNs, "acked " + acks.size() + " of " + commands);
                assertTrue(errors.isEmpty(), "client errors " + errors);
                if (sent < commands)
                {
                    payload.putLong(0, sent);
                    if (client.offer(payload, 0, payload.capacity()) > 0)
                    {
                        sent++;
                    }
                }
                if (client.poll() == 0)
                {
                    Thread.yield();
                }
            }
        }
        finally
        {
            LocalCluster.deleteRecursively(new File(aeronDir));
        }
        awaitCondition(() -> cluster.delivered.stream().allMatch(log -> log.size() >= deliveredTarget),
            () -> "every member delivers " + deliveredTarget);
    }

    /**
     * Waits until every member has delivered everything and agrees on the chosen watermark and the
     * leader, so that nothing moves while the hostile input arrives, and takes the snapshot. Promised
     * ballots may differ: a member that missed the leader's one Prepare accepts its Accepts without
     * ever raising its promise.
     */
    private static Snapshot awaitQuiescent(final LocalCluster cluster, final int commands)
    {
        awaitCondition(() ->
        {
            final Snapshot s = Snapshot.take(cluster);
            if (s.leader < 0)
            {
                return false;
            }
            for (int m = 0; m < 3; m++)
            {
                if (s.delivered[m] != commands || s.chosenWatermark[m] != s.chosenWatermark[s.leader] ||
                    s.deliveredSlot[m] != s.deliveredSlot[s.leader] || s.leaderId[m] != s.leader)
                {
                    return false;
                }
            }
            return true;
        }, () -> "quiescent cluster: " + Snapshot.take(cluster));
        return Snapshot.take(cluster);
    }

    /**
     * Every member delivered the same commands in the same slot order: each of client 42's and then
     * client 43's sequences exactly once, and nothing of the hostile client's. Order within a client
     * is not checked: a command redirected or back-pressured while a new leader recovers is resent
     * after later sequences that were accepted at once.
     */
    private static void assertLogs(final LocalCluster cluster, final int first, final int second)
    {
        final List<long[]> reference = new ArrayList<>(cluster.delivered.get(0));
        assertEquals(first + second, reference.size(), "delivered on member 0");
        final java.util.Set<Long> firstSequences = new java.util.HashSet<>();
        final java.util.Set<Long> secondSequences = new java.util.HashSet<>();
        for (int k = 0; k < reference.size(); k++)
        {
            final long[] entry = reference.get(k);
            assertTrue(entry[1] != HOSTILE_CLIENT_ID && entry[1] != HOSTILE_CLIENT_ID + 1, "hostile command delivered");
            assertEquals(k < first ? 42 : 43, entry[1], "client at " + k);
            assertTrue((k < first ? firstSequences : secondSequences).add(entry[2]), "sequence once, at " + k);
            assertTrue(entry[2] >= 1 && entry[2] <= (k < first ? first : second), "sequence in range, at " + k);
        }
        for (int m = 1; m < 3; m++)
        {
            final List<long[]> log = new ArrayList<>(cluster.delivered.get(m));
            assertEquals(reference.size(), log.size(), "delivered on member " + m);
            for (int k = 0; k < log.size(); k++)
            {
                assertEquals(reference.get(k)[0], log.get(k)[0], "slot at " + k + " on " + m);
                assertEquals(reference.get(k)[1], log.get(k)[1], "client at " + k + " on " + m);
                assertEquals(reference.get(k)[2], log.get(k)[2], "sequence at " + k + " on " + m);
            }
        }
    }

    private static void awaitRise(
        final Counter counter, final long mark, final long expected, final String what, final List<String> report)
    {
        awaitCondition(() -> counter.get() - mark >= expected,
            () -> what + ": counter rose by " + (counter.get() - mark) + ", expected at least " + expected);
        report.add(what + " delta=" + (counter.get() - mark) + " (expected >= " + expected + ")");
    }

    private static void awaitCondition(final BooleanSupplier condition, final java.util.function.Supplier<String> what)
    {
        final IdleStrategy idle = new BackoffIdleStrategy();
        final long deadlineNs = System.nanoTime() + WAIT_NS;
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadlineNs, what);
            idle.idle();
        }
    }

    /**
     * Non-Aeron datagrams at the victim's endpoint: a frame with an unknown version and one shorter
     * than any Aeron header. Returns how far the driver's "Invalid packets" counter rose.
     */
    private static long sendUdpGarbage(final SynodNode victim, final String endpoint) throws IOException
    {
        try (Aeron observer = Aeron.connect(new Aeron.Context().aeronDirectoryName(victim.context().aeronDirectoryName()));
            DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            final int counterId = SystemCounterDescriptor.INVALID_PACKETS.id();
            final long mark = observer.countersReader().getCounterValue(counterId);
            final int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
            final byte[] wrongVersion = new byte[64];
            new SplittableRandom(7).nextBytes(wrongVersion);
            wrongVersion[4] = (byte)0x7F; // the version byte of an Aeron frame header
            final byte[] tooShort = new byte[]{ 0, 1, 2 };
            final InetAddress loopback = InetAddress.getLoopbackAddress();
            socket.send(new DatagramPacket(wrongVersion, wrongVersion.length, loopback, port));
            socket.send(new DatagramPacket(tooShort, tooShort.length, loopback, port));
            awaitCondition(() -> observer.countersReader().getCounterValue(counterId) - mark >= 2,
                () -> "driver invalid packets rose by " + (observer.countersReader().getCounterValue(counterId) - mark));
            return observer.countersReader().getCounterValue(counterId) - mark;
        }
    }

    /**
     * Each member's observable state: counters and delivered count.
     */
    private static final class Snapshot
    {
        final long[] promisedBallot = new long[3];
        final long[] ballot = new long[3];
        final long[] role = new long[3];
        final long[] leaderId = new long[3];
        final long[] chosenWatermark = new long[3];
        final long[] deliveredSlot = new long[3];
        final long[] delivered = new long[3];
        int leader;

        static Snapshot take(final LocalCluster cluster)
        {
            final Snapshot s = new Snapshot();
            for (int m = 0; m < 3; m++)
            {
                final NodeCounters c = cluster.nodes.get(m).counters();
                s.promisedBallot[m] = c.promisedBallot.get();
                s.ballot[m] = c.ballot.get();
                s.role[m] = c.role.get();
                s.leaderId[m] = c.leaderId.get();
                s.chosenWatermark[m] = c.chosenWatermark.get();
                s.deliveredSlot[m] = c.deliveredSlot.get();
                s.delivered[m] = cluster.delivered.get(m).size();
            }
            s.leader = cluster.leader();
            return s;
        }

        public String toString()
        {
            return "leader=" + leader + " promised=" + java.util.Arrays.toString(promisedBallot) +
                " leaderId=" + java.util.Arrays.toString(leaderId) +
                " chosen=" + java.util.Arrays.toString(chosenWatermark) +
                " deliveredSlot=" + java.util.Arrays.toString(deliveredSlot) +
                " delivered=" + java.util.Arrays.toString(delivered);
        }
    }

    /**
     * Encodes forged messages into the sender's buffer at offset 0; each method returns the length.
     */
    private static final class Forger
    {
        private final UnsafeBuffer buffer;
        private final int clusterId;
        private final UnsafeBuffer value = new UnsafeBuffer(ByteBuffer.allocateDirect(2 * VALIDATOR_LIMIT_BYTES));
        private final MessageHeaderEncoder header = new MessageHeaderEncoder();
        private final PrepareEncoder prepare = new PrepareEncoder();
        private final AcceptEncoder accept = new AcceptEncoder();
        private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
        private final PromiseEncoder promise = new PromiseEncoder();
        private final AcceptedEncoder accepted = new AcceptedEncoder();
        private final ChosenStateEncoder chosenState = new ChosenStateEncoder();
        private final CatchUpRequestEncoder catchUpRequest = new CatchUpRequestEncoder();
        private final SessionOpenEncoder sessionOpen = new SessionOpenEncoder();
        private final ClientCommandEncoder clientCommand = new ClientCommandEncoder();

        private final long membership;

        Forger(final UnsafeBuffer buffer, final int clusterId, final long membership)
        {
            this.buffer = buffer;
            this.clusterId = clusterId;
            this.membership = membership;
        }

        int prepare(final int cluster, final int member, final long ballot, final long fromSlot)
        {
            buffer.setMemory(0, VALIDATOR_LIMIT_BYTES + 64, (byte)0);
            prepare.wrapAndApplyHeader(buffer, 0, header)
                .clusterId(cluster).memberId(member).ballot(ballot).fromSlot(fromSlot).toSlot(fromSlot + 64)
                .membership(membership);
            return MessageHeaderEncoder.ENCODED_LENGTH + prepare.encodedLength();
        }

        /**
         * An Accept of one hostile command at the next open slot; its chosen state claims that slot
         * chosen at this ballot, so a receiver that believed it would deliver the hostile command.
         */
        int accept(final int cluster, final int member, final long ballot, final long slot, final int payloadLength)
        {
            final int valueLength = BatchDescriptor.write(
                value, 0, HOSTILE_CLIENT_ID, 1, new UnsafeBuffer(new byte[payloadLength]), 0, payloadLength);
            final boolean claimChosen = payloadLength > 0;
            accept.wrapAndApplyHeader(buffer, 0, header)
                .clusterId(cluster).memberId(member).ballot(ballot)
                .chosenWatermark(claimChosen ? slot + 1 : slot).ballotStartSlot(slot);
            accept.chosenRangesCount(0);
            accept.entriesCount(1).next().slot(slot).putValue(value, 0, valueLength);
            return MessageHeaderEncoder.ENCODED_LENGTH + accept.encodedLength();
        }

        int heartbeat(final int cluster, final int member, final long ballot, final long chosenWatermark)
        {
            heartbeat.wrapAndApplyHeader(buffer, 0, header)
                .clusterId(cluster).memberId(member).ballot(ballot).chosenWatermark(chosenWatermark).ballotStartSlot(0)
                .membership(membership);
            heartbeat.chosenRangesCount(0);
            return MessageHeaderEncoder.ENCODED_LENGTH + heartbeat.encodedLength();
        }

        /**
         * A complete one-part Promise at a ballot above the leader's, reporting a hostile value at
         * {@code slot} accepted at that ballot: a leader that counted it would re-propose the value.
         */
        int promise(final int cluster, final int member, final long ballot, final long slot)
        {
            final int valueLength = BatchDescriptor.write(
                value, 0, HOSTILE_CLIENT_ID, 1, new UnsafeBuffer(new byte[16]), 0, 16);
            promise.wrapAndApplyHeader(buffer, 0, header)
                .clusterId(cluster).memberId(member).ballot(ballot).fromSlot(slot).toSlot(slot + 64)
                .highestSlot(slot).partIndex(0).partCount(1);
            promise.entriesCount(1).next().slot(slot).ballot(ballot).putValue(value, 0, valueLength);
            return MessageHeaderEncoder.ENCODED_LENGTH + promise.encodedLength();
        }

        /**
         * An Accepted at the leader's own ballot for slots it has not proposed yet: a vote never cast.
         */
        int accepted(final int cluster, final int member, final long ballot, final long fromSlot, final long toSlot)
        {
            accepted.wrapAndApplyHeader(buffer, 0, header).clusterId(cluster).memberId(member).ballot(ballot);
            accepted.rangesCount(1).next().fromSlot(fromSlot).toSlot(toSlot);
            return MessageHeaderEncoder.ENCODED_LENGTH + accepted.encodedLength();
        }

        /**
         * A chosen state claiming slots chosen that were never proposed.
         */
        int chosenState(final int cluster, final int member, final long ballot, final long chosenWatermark)
        {
            chosenState.wrapAndApplyHeader(buffer, 0, header)
                .clusterId(cluster).memberId(member).ballot(ballot).chosenWatermark(chosenWatermark)
                .ballotStartSlot(0);
            chosenState.chosenRangesCount(0);
            return MessageHeaderEncoder.ENCODED_LENGTH + chosenState.encodedLength();
        }

        /**
         * Appends an authentication trailer to the message just encoded.
         */
        int sign(final FrameAuthenticator authenticator, final int length)
        {
            return authenticator.sign(buffer, 0, length);
        }

        int catchUpRequest(final int cluster, final int member, final long fromSlot, final long toSlot)
        {
            catchUpRequest.wrapAndApplyHeader(buffer, 0, header)
                .clusterId(cluster).memberId(member).fromSlot(fromSlot).toSlot(toSlot);
            return MessageHeaderEncoder.ENCODED_LENGTH + catchUpRequest.encodedLength();
        }

        int sessionOpen(final long clientId, final String responseChannel, final int responseStreamId)
        {
            sessionOpen.wrapAndApplyHeader(buffer, 0, header)
                .clusterId(clusterId).memberId(-1).clientId(clientId).correlationId(1)
                .responseStreamId(responseStreamId).responseChannel(responseChannel).putCredentials(value, 0, 0);
            return MessageHeaderEncoder.ENCODED_LENGTH + sessionOpen.encodedLength();
        }

        int clientCommand(final long clientId, final long sequence, final int payloadLength)
        {
            value.setMemory(0, payloadLength, (byte)'x');
            clientCommand.wrapAndApplyHeader(buffer, 0, header)
                .clusterId(clusterId).memberId(-1).clientId(clientId).sequence(sequence)
                .putPayload(value, 0, payloadLength);
            return MessageHeaderEncoder.ENCODED_LENGTH + clientCommand.encodedLength();
        }

        /**
         * A correct schema id and version and the given template id over random bytes.
         */
        int garbage(final int templateId, final int length, final SplittableRandom random)
        {
            final byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            buffer.putBytes(0, bytes);
            header.wrap(buffer, 0).blockLength(AcceptEncoder.BLOCK_LENGTH).templateId(templateId)
                .schemaId(MessageHeaderEncoder.SCHEMA_ID).version(MessageHeaderEncoder.SCHEMA_VERSION);
            return length;
        }
    }

    /**
     * An Aeron client of its own (embedded driver, own directory) with exclusive publications to the
     * victim's endpoint on the replica and ingress streams, and a response subscription for the
     * replies to its client session. Deletes its directory on close.
     */
    private static final class HostileSender implements AutoCloseable
    {
        private static final int RESPONSE_STREAM_ID = 2001;

        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(2 * VALIDATOR_LIMIT_BYTES));
        final List<String> errorCodes = new ArrayList<>();
        final List<String> errorTexts = new ArrayList<>();
        final List<SessionEventCode> sessionEvents = new ArrayList<>();
        private final String aeronDir = "/dev/shm/synod-test-hostile-" + UUID.randomUUID();
        private final MediaDriver driver;
        private final Aeron aeron;
        private final ExclusivePublication replica;
        private final ExclusivePublication leader;
        private final ExclusivePublication ingress;
        private final Subscription responses;
        private final String responseChannel;
        private final FragmentAssembler assembler = new FragmentAssembler(this::onResponse);
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final SessionEventDecoder sessionEvent = new SessionEventDecoder();
        private final ErrorDecoder error = new ErrorDecoder();
        private boolean sessionOpen;

        HostileSender(final String victimEndpoint)
        {
            MediaDriver launched = null;
            Aeron connected = null;
            try
            {
                launched = MediaDriver.launch(new MediaDriver.Context()
                    .aeronDirectoryName(aeronDir)
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true)
                    .termBufferSparseFile(true)
                    .threadingMode(ThreadingMode.SHARED)
                    .sharedIdleStrategy(new BackoffIdleStrategy()));
                connected = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
            }
            catch (final RuntimeException ex)
            {
                CloseHelper.quietCloseAll(connected, launched);
                LocalCluster.deleteRecursively(new File(aeronDir));
                throw ex;
            }
            driver = launched;
            aeron = connected;
            // 1 MiB terms: one message may be up to 128 KiB, enough for the oversized cases.
            final String channel = Streams.udpChannel(victimEndpoint, 8192, 1024 * 1024);
            try
            {
                replica = aeron.addExclusivePublication(channel, Streams.REPLICA_STREAM_ID);
                leader = aeron.addExclusivePublication(channel, Streams.LEADER_STREAM_ID);
                ingress = aeron.addExclusivePublication(channel, Streams.INGRESS_STREAM_ID);
                responseChannel = "aeron:udp?endpoint=127.0.0.1:" + LocalCluster.freeUdpPorts(1)[0];
                responses = aeron.addSubscription(responseChannel, RESPONSE_STREAM_ID);
                awaitCondition(() -> replica.isConnected() && leader.isConnected() && ingress.isConnected(),
                    () -> "hostile publications connect");
            }
            catch (final RuntimeException | Error ex)
            {
                // The driver and its directory must not outlive a sender that failed to start.
                close();
                throw ex;
            }
        }

        void replica(final int length)
        {
            offer(replica, length);
        }

        void leader(final int length)
        {
            offer(leader, length);
        }

        void ingress(final int length)
        {
            offer(ingress, length);
        }

        void openSession(final Forger forge, final long clientId)
        {
            awaitCondition(() ->
            {
                if (!sessionOpen)
                {
                    // Idempotent at the node: a repeat for an open session only repeats the OPEN event.
                    offer(ingress, forge.sessionOpen(clientId, responseChannel, RESPONSE_STREAM_ID));
                }
                final IdleStrategy idle = new BackoffIdleStrategy();
                for (int i = 0; i < 1000 && !sessionOpen; i++)
                {
                    idle.idle(responses.poll(assembler, 16));
                }
                return sessionOpen;
            }, () -> "hostile client session opens");
        }

        /**
         * Sends a credential-less SessionOpen until the victim answers with {@code code}.
         */
        void openSessionUntil(final Forger forge, final long clientId, final SessionEventCode code)
        {
            awaitCondition(() ->
            {
                offer(ingress, forge.sessionOpen(clientId, responseChannel, RESPONSE_STREAM_ID));
                final IdleStrategy idle = new BackoffIdleStrategy();
                for (int i = 0; i < 1000 && !sessionEvents.contains(code); i++)
                {
                    idle.idle(responses.poll(assembler, 16));
                }
                return sessionEvents.contains(code);
            }, () -> "session events " + sessionEvents + ", waiting for " + code);
        }

        void awaitErrors(final int count)
        {
            awaitCondition(() -> responses.poll(assembler, 16) >= 0 && errorCodes.size() >= count,
                () -> "errors received: " + errorCodes);
        }

        private void offer(final ExclusivePublication publication, final int length)
        {
            awaitCondition(() -> publication.offer(buffer, 0, length) > 0, () -> "offer of " + length + " bytes");
        }

        private void onResponse(final DirectBuffer buffer, final int offset, final int length,
            final io.aeron.logbuffer.Header aeronHeader)
        {
            header.wrap(buffer, offset);
            switch (header.templateId())
            {
                case SessionEventDecoder.TEMPLATE_ID:
                    sessionEvent.wrapAndApplyHeader(buffer, offset, header);
                    sessionEvents.add(sessionEvent.code());
                    if (sessionEvent.code() == SessionEventCode.OPEN)
                    {
                        sessionOpen = true;
                    }
                    break;

                case ErrorDecoder.TEMPLATE_ID:
                    error.wrapAndApplyHeader(buffer, offset, header);
                    final long sequence = error.sequence();
                    final ErrorCode code = error.code();
                    errorCodes.add(sequence + ":" + code);
                    errorTexts.add(error.text());
                    break;

                default:
                    break;
            }
        }

        public void close()
        {
            CloseHelper.quietCloseAll(aeron, driver);
            LocalCluster.deleteRecursively(new File(aeronDir));
        }
    }
}
