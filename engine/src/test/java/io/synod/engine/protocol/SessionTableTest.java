package io.synod.engine.protocol;

import org.junit.jupiter.api.Test;

import static io.synod.engine.protocol.SessionTable.ALREADY_OPEN;
import static io.synod.engine.protocol.SessionTable.APPLIED;
import static io.synod.engine.protocol.SessionTable.CLOSED;
import static io.synod.engine.protocol.SessionTable.DUPLICATE;
import static io.synod.engine.protocol.SessionTable.GAP;
import static io.synod.engine.protocol.SessionTable.NOT_OPEN;
import static io.synod.engine.protocol.SessionTable.OPENED;
import static io.synod.engine.protocol.SessionTable.REFUSED;
import static io.synod.engine.protocol.SessionTable.UNKNOWN_SESSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class SessionTableTest
{
    @Test
    void appliesEachSequenceOnceAndInOrder()
    {
        final SessionTable table = new SessionTable(4);
        assertEquals(OPENED, table.open(7, 1));
        assertEquals(APPLIED, table.apply(7, 1));
        assertEquals(DUPLICATE, table.apply(7, 1), "a retry is applied once");
        assertEquals(GAP, table.apply(7, 3), "3 before 2 would break the client's order");
        assertEquals(APPLIED, table.apply(7, 2));
        assertEquals(APPLIED, table.apply(7, 3));
        assertEquals(DUPLICATE, table.apply(7, 2));
        assertEquals(3, table.lastApplied(7));
    }

    @Test
    void aSequenceFarAboveIsAGapNotADuplicateOfWhatComesBelow()
    {
        // Issue 10, scenario 3: 1025 must not make 1 look applied.
        final SessionTable table = new SessionTable(4);
        table.open(7, 1);
        assertEquals(GAP, table.apply(7, SessionTable.MAX_IN_FLIGHT + 1));
        assertEquals(APPLIED, table.apply(7, 1));
    }

    @Test
    void aCommandOfASessionThatIsNotOpenIsNotApplied()
    {
        final SessionTable table = new SessionTable(4);
        assertEquals(UNKNOWN_SESSION, table.apply(7, 1));
        assertEquals(-1, table.lastApplied(7));
    }

    @Test
    void reopeningAnOpenSessionKeepsItsLastAppliedSequence()
    {
        final SessionTable table = new SessionTable(4);
        table.open(7, 1);
        table.apply(7, 1);
        table.apply(7, 2);
        assertEquals(ALREADY_OPEN, table.open(7, 1), "a restarted client with a known id resumes");
        assertEquals(2, table.lastApplied(7));
        assertEquals(DUPLICATE, table.apply(7, 1), "never acked-and-skipped as new: it was applied");
    }

    @Test
    void aSessionOpensAtTheSequenceTheClientSendsNext()
    {
        final SessionTable table = new SessionTable(4);
        table.open(7, 50);
        assertEquals(49, table.lastApplied(7));
        assertEquals(DUPLICATE, table.apply(7, 49));
        assertEquals(APPLIED, table.apply(7, 50));
    }

    @Test
    void aFullTableRefusesANewSessionAndAClosedOneFreesItsEntry()
    {
        final SessionTable table = new SessionTable(2);
        assertEquals(OPENED, table.open(1, 1));
        assertEquals(OPENED, table.open(2, 1));
        assertEquals(REFUSED, table.open(3, 1), "never admitted untracked");
        assertEquals(UNKNOWN_SESSION, table.apply(3, 1));
        assertEquals(1, table.refused());
        assertEquals(CLOSED, table.close(1));
        assertEquals(NOT_OPEN, table.close(1));
        assertEquals(OPENED, table.open(3, 1), "a closed session frees its entry");
        assertEquals(APPLIED, table.apply(3, 1));
        assertEquals(2, table.sessions());
    }

    @Test
    void openingAndClosingFarMoreSessionsThanTheTableHoldsStaysBounded()
    {
        final SessionTable table = new SessionTable(4);
        for (long client = 1; client <= 20_000; client++)
        {
            assertEquals(OPENED, table.open(client, 1));
            assertEquals(APPLIED, table.apply(client, 1));
            assertEquals(CLOSED, table.close(client));
        }
        assertEquals(0, table.sessions());
        assertEquals(0, table.refused());
    }

    @Test
    void theDigestDependsOnContentNotOnTheOrderSessionsOpened()
    {
        final SessionTable a = new SessionTable(8);
        final SessionTable b = new SessionTable(8);
        a.open(1, 1);
        a.open(2, 5);
        b.open(9, 1);
        b.close(9);
        b.open(2, 5);
        b.open(1, 1);
        assertEquals(a.digest(), b.digest());
        a.apply(1, 1);
        assertNotEquals(a.digest(), b.digest());
    }
}
