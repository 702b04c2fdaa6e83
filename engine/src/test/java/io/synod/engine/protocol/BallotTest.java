package io.synod.engine.protocol;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BallotTest
{
    @Test
    void roundAndMemberRoundTrip()
    {
        final long ballot = Ballot.of(42, 7);
        assertEquals(42, Ballot.round(ballot));
        assertEquals(7, Ballot.memberId(ballot));
        assertEquals(Ballot.MAX_MEMBER_ID, Ballot.memberId(Ballot.of(1, Ballot.MAX_MEMBER_ID)));
        assertEquals(1, Ballot.round(Ballot.of(1, Ballot.MAX_MEMBER_ID)));
        assertEquals("42.7", Ballot.toString(ballot));
    }

    @Test
    void orderedByRoundThenMember()
    {
        assertTrue(Ballot.of(1, 3) < Ballot.of(2, 1), "a higher round wins whatever the member");
        assertTrue(Ballot.of(2, 1) < Ballot.of(2, 2), "within a round the member id breaks the tie");
        assertTrue(Ballot.of(1, Ballot.MAX_MEMBER_ID) < Ballot.of(2, 0));
        assertTrue(AcceptorStore.NULL_BALLOT < Ballot.of(1, 0));
    }

    @Test
    void uniquePerMember()
    {
        final Set<Long> seen = new HashSet<>();
        for (int round = 1; round <= 50; round++)
        {
            for (int member = 0; member < 20; member++)
            {
                assertTrue(seen.add(Ballot.of(round, member)), "ballot reused for " + round + "." + member);
            }
        }
    }

    @Test
    void aboveIsStrictlyGreaterAndOwned()
    {
        assertEquals(Ballot.of(1, 3), Ballot.above(AcceptorStore.NULL_BALLOT, 3));
        for (final long seen : new long[]{ Ballot.of(5, 1), Ballot.of(5, 3), Ballot.of(5, 9), Ballot.of(9, 0) })
        {
            for (final int member : new int[]{ 0, 3, 9 })
            {
                final long next = Ballot.above(seen, member);
                assertTrue(next > seen, Ballot.toString(next) + " above " + Ballot.toString(seen));
                assertEquals(member, Ballot.memberId(next));
                assertEquals(Ballot.round(seen) + 1, Ballot.round(next), "smallest such ballot: next round");
            }
        }
    }

    @Test
    void aboveTheHighestBallotDoesNotWrapToANegativeOne()
    {
        for (final long highest : new long[]{ Long.MAX_VALUE, Long.MAX_VALUE - 1, (Long.MAX_VALUE >>> 16 << 16) | 2 })
        {
            final long next = Ballot.above(highest, 3);
            assertTrue(next > 0, "above " + Long.toHexString(highest) + " gave " + Long.toHexString(next));
            assertEquals(3, Ballot.memberId(next));
        }
    }
}
