package io.synod.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientContextTest
{
    private static ClientContext valid()
    {
        return new ClientContext().members("0=127.0.0.1:20100").clientId(7).aeronDirectoryName("/tmp/unused");
    }

    private static void assertRefused(final ClientContext ctx, final String... mustName)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, ctx::conclude);
        for (final String part : mustName)
        {
            assertTrue(ex.getMessage().contains(part), "the error must name '" + part + "': " + ex.getMessage());
        }
    }

    @Test
    void defaultsConclude()
    {
        final ClientContext ctx = valid().conclude();
        assertEquals(1, ctx.clusterMembers().size());
        assertEquals("127.0.0.1:20100", ctx.clusterMembers().get(0).endpoint());
    }

    @Test
    void mtuOutsideTheNodesRangeIsRefusedNamingTheProperty()
    {
        assertRefused(valid().mtuLength(1000), "synod.mtu=1000", "1408", "65504");
        assertRefused(valid().mtuLength(65536), "synod.mtu=65536");
        assertRefused(valid().mtuLength(1410), "synod.mtu=1410", "multiple of 32");
    }

    @Test
    void termLengthOutsideItsRangeIsRefusedNamingTheProperty()
    {
        assertRefused(valid().termLength(32 * 1024), "synod.term.length=32768", "65536");
        assertRefused(valid().termLength(3 * 1024 * 1024), "synod.term.length", "power of two");
    }

    @Test
    void payloadThatNoMessageCanCarryIsRefused()
    {
        assertRefused(valid().termLength(64 * 1024).maxPayloadBytes(16 * 1024), "synod.client.max.payload",
            "synod.term.length");
    }

    @Test
    void badMembersAreRefusedNamingTheProperty()
    {
        assertRefused(valid().members("0=127.0.0.1"), "synod.members", "id=host:port");
        assertRefused(valid().members("0=a:1,0=b:2"), "synod.members", "duplicate member id 0");
        assertRefused(valid().members("70000=a:1"), "synod.members", "member id 70000");
        assertRefused(valid().members(""), "synod.members");
    }

    @Test
    void windowAboveWhatReplicasRememberIsRefused()
    {
        assertRefused(valid().maxInFlight(1025), "synod.client.max.in.flight=1025", "1024");
        assertRefused(valid().maxInFlight(0), "synod.client.max.in.flight=0");
    }

    @Test
    void responseStreamMustNotBeTheIngressStream()
    {
        assertRefused(valid().responseStreamId(1010), "synod.client.response.stream=1010");
    }
}
