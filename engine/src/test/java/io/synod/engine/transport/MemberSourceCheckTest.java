package io.synod.engine.transport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The source check's decision on the source identities a media driver writes. (On loopback every
 * member is 127.0.0.1, and Aeron cannot send from another loopback address, so the runtime tests
 * only show that real member traffic passes.)
 */
class MemberSourceCheckTest
{
    private final MemberSourceCheck check = new MemberSourceCheck(
        new int[]{ 0, 1, 2 }, new String[]{ "10.0.0.1", "10.0.0.2", "0.0.0.0" });

    @Test
    void aFrameMustComeFromTheHostOfTheMemberItNames()
    {
        assertTrue(check.acceptsIdentity("10.0.0.1:40123", 0), "member 0 from its host, any port");
        assertFalse(check.acceptsIdentity("10.0.0.1:40123", 1), "member 0's host speaking for member 1");
        assertFalse(check.acceptsIdentity("10.0.0.9:20101", 1), "another host, even from the member's port");
        assertFalse(check.acceptsIdentity("10.0.0.1:40123", 7), "an id that is no member");
        assertTrue(check.acceptsIdentity("10.0.0.9:1", 2), "a member at a wildcard address cannot be checked");
        assertFalse(check.acceptsIdentity("aeron:ipc", 0), "not a network source");
        assertFalse(check.acceptsIdentity(null, 0));
        assertFalse(check.accepts((Object)null, 0), "no image");
    }

    @Test
    void sourceIdentitiesParseWithoutNameLookups()
    {
        assertEquals("/10.0.0.1", MemberSourceCheck.parseSourceIdentity("10.0.0.1:5").toString());
        assertEquals("/0:0:0:0:0:0:0:1", MemberSourceCheck.parseSourceIdentity("[::1]:5").toString());
        assertNull(MemberSourceCheck.parseSourceIdentity("example.com:5"), "a name is not a source identity");
        assertNull(MemberSourceCheck.parseSourceIdentity(":5"));
        assertNull(MemberSourceCheck.parseSourceIdentity("garbage"));
    }
}
