package io.synod.engine.runtime;

import org.agrona.IoUtil;
import org.agrona.collections.Int2ObjectHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeCountersTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyCountTheCoreKeepsIsACounterSynodStatReads()
    {
        final String aeronDir = "/dev/shm/synod-test-counters-" + UUID.randomUUID();
        final int[] port = LoopbackPorts.freeUdpPorts(1);
        try (SynodNode node = SynodNode.launch(new NodeContext().members("0=127.0.0.1:" + port[0]).memberId(0)
            .directory(dir).aeronDirectoryName(aeronDir).durability("PAGE_CACHE"), null))
        {
            final Int2ObjectHashMap<String> labels = new Int2ObjectHashMap<>();
            node.aeron().countersReader().forEach((counterId, typeId, key, label) -> labels.put(typeId, label));
            final int[] expected = {
                NodeCounters.PENDING_OVERFLOWS_TYPE_ID, NodeCounters.STICKY_REFUSALS_TYPE_ID,
                NodeCounters.ACCEPTOR_INVALID_TYPE_ID, NodeCounters.STEP_DOWNS_TYPE_ID,
                NodeCounters.LEADER_INVALID_TYPE_ID, NodeCounters.COMMANDS_CHOSEN_TYPE_ID,
                NodeCounters.LEARNER_INVALID_TYPE_ID, NodeCounters.DUPLICATES_SKIPPED_TYPE_ID,
                NodeCounters.CATCH_UP_REQUESTS_TYPE_ID, NodeCounters.SESSIONS_REFUSED_TYPE_ID };
            for (final int typeId : expected)
            {
                assertTrue(labels.containsKey(typeId), "no counter of type " + typeId + " in " + labels.values());
                assertTrue(typeId >= NodeCounters.MIN_TYPE_ID && typeId <= NodeCounters.MAX_TYPE_ID,
                    "synod stat prints types " + NodeCounters.MIN_TYPE_ID + ".." + NodeCounters.MAX_TYPE_ID +
                    " only, not " + typeId);
            }
            assertTrue(labels.get(NodeCounters.PENDING_OVERFLOWS_TYPE_ID).contains("synod.max.pending.replies"),
                "a refusal's label names the setting that bounds it");
        }
        finally
        {
            IoUtil.delete(new File(aeronDir), true);
        }
    }
}
