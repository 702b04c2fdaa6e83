package io.synod.engine.runtime;

import org.agrona.IoUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MembershipAgreementTest
{
    @TempDir
    Path dir;

    @Test
    void fingerprintCoversClusterIdMembersAndEndpointsButNotOrder()
    {
        final List<ClusterMember> three = ClusterMember.parse("m", "0=127.0.0.1:1,1=127.0.0.1:2,2=127.0.0.1:3");
        final List<ClusterMember> reordered = ClusterMember.parse("m", "2=127.0.0.1:3,0=127.0.0.1:1,1=127.0.0.1:2");
        final List<ClusterMember> five = ClusterMember.parse("m",
            "0=127.0.0.1:1,1=127.0.0.1:2,2=127.0.0.1:3,3=127.0.0.1:4,4=127.0.0.1:5");
        final List<ClusterMember> otherPort = ClusterMember.parse("m", "0=127.0.0.1:1,1=127.0.0.1:2,2=127.0.0.1:9");
        assertEquals(ClusterMember.fingerprint(0, three), ClusterMember.fingerprint(0, reordered));
        assertNotEquals(ClusterMember.fingerprint(0, three), ClusterMember.fingerprint(0, five));
        assertNotEquals(ClusterMember.fingerprint(0, three), ClusterMember.fingerprint(0, otherPort));
        assertNotEquals(ClusterMember.fingerprint(0, three), ClusterMember.fingerprint(1, three));
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void memberStartedWithAnotherMemberListIsRefusedAndCannotLead()
    {
        final int[] ports = LoopbackPorts.freeUdpPorts(5);
        final String three = "0=127.0.0.1:" + ports[0] + ",1=127.0.0.1:" + ports[1] + ",2=127.0.0.1:" + ports[2];
        // Member 2 was given two members that do not exist: it would need three of five to lead.
        final String five = three + ",3=127.0.0.1:" + ports[3] + ",4=127.0.0.1:" + ports[4];
        final String aeronBase = "/dev/shm/synod-test-membership-" + UUID.randomUUID();
        final List<SynodNode> nodes = new ArrayList<>();
        try
        {
            for (int id = 0; id < 3; id++)
            {
                nodes.add(SynodNode.launch(new NodeContext().memberId(id).members(id == 2 ? five : three)
                    .directory(dir).aeronDirectoryName(aeronBase + "-" + id).durability("PAGE_CACHE"), null));
            }
            final SynodNode odd = nodes.get(2);
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (leaders(nodes) == 0 || odd.counters().membershipRefused.get() == 0 ||
                nodes.get(0).counters().membershipRefused.get() + nodes.get(1).counters().membershipRefused.get() == 0)
            {
                assertTrue(System.nanoTime() < deadlineNs, "leaders " + leaders(nodes) + ", refused by 2: " +
                    odd.counters().membershipRefused.get() + ", by 0 and 1: " +
                    (nodes.get(0).counters().membershipRefused.get() + nodes.get(1).counters().membershipRefused.get()));
                Thread.onSpinWait();
            }
            assertEquals(1, leaders(nodes), "one leader, among the members that agree");
            assertNotEquals(2, odd.roleCode(), "the member with another list leads");
        }
        finally
        {
            nodes.forEach(SynodNode::close);
            for (int id = 0; id < 3; id++)
            {
                IoUtil.delete(new File(aeronBase + "-" + id), true);
            }
        }
    }

    private static int leaders(final List<SynodNode> nodes)
    {
        int leaders = 0;
        for (final SynodNode node : nodes)
        {
            leaders += node.roleCode() == 2 ? 1 : 0;
        }
        return leaders;
    }
}
