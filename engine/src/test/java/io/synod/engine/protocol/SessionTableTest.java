package io.synod.engine.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionTableTest
{
    @Test
    void newThenDuplicate()
    {
        final SessionTable table = new SessionTable(4);
        assertFalse(table.isApplied(7, 1));
        assertTrue(table.apply(7, 1));
        assertTrue(table.isApplied(7, 1));
        assertFalse(table.apply(7, 1), "same (clientId, sequence) again is a duplicate");
        assertTrue(table.apply(7, 2));
        assertFalse(table.apply(7, 2));
        assertTrue(table.apply(8, 1), "clients are independent");
        assertEquals(2, table.clients());
    }

    @Test
    void outOfOrderWithinSixtyFour()
    {
        final SessionTable table = new SessionTable(4);
        assertTrue(table.apply(1, 10));
        assertTrue(table.apply(1, 5), "an earlier sequence chosen later is still new");
        assertFalse(table.apply(1, 5));
        assertTrue(table.apply(1, 70), "jump of 60");
        assertTrue(table.apply(1, 7), "63 below the highest is still tracked");
        assertFalse(table.apply(1, 7));
        assertFalse(table.apply(1, 10), "10 was applied before the jump and the mask kept it");
        assertFalse(table.isApplied(1, 8));
        assertTrue(table.apply(1, 8));
    }

    @Test
    void tooOldIsDuplicate()
    {
        final int window = SessionTable.MAX_IN_FLIGHT;
        final SessionTable table = new SessionTable(4);
        assertTrue(table.apply(1, window + 100));
        assertFalse(table.apply(1, 100), "a whole window below the highest can only be a retry");
        assertFalse(table.apply(1, 1));
        assertTrue(table.isApplied(1, 100));
        assertTrue(table.apply(1, 101), "one less than a window below is tracked and was not applied");
        assertFalse(table.apply(1, 101));
    }

    @Test
    void wrapAroundTheBitmapClearsOnlyWhatItPasses()
    {
        final int window = SessionTable.MAX_IN_FLIGHT;
        final SessionTable table = new SessionTable(2);
        for (long sequence = 1; sequence <= 3L * window; sequence += 2)
        {
            assertTrue(table.apply(7, sequence), "odd sequence " + sequence);
        }
        final long top = 3L * window - 1;
        for (long sequence = top - window + 1; sequence <= top; sequence++)
        {
            assertEquals(sequence % 2 == 1, table.isApplied(7, sequence), "sequence " + sequence);
        }
        assertTrue(table.apply(7, top - 1), "an even one inside the window is still new");
    }

    @Test
    void shiftBeyondMaskForgetsOldBits()
    {
        final SessionTable table = new SessionTable(4);
        assertTrue(table.apply(1, 1));
        assertTrue(table.apply(1, 1_000));
        assertFalse(table.apply(1, 1));
        assertTrue(table.apply(1, 999));
        assertFalse(table.apply(1, 1_000));
    }

    @Test
    void boundedClients()
    {
        final SessionTable table = new SessionTable(2);
        assertTrue(table.apply(1, 1));
        assertTrue(table.apply(2, 1));
        assertTrue(table.apply(3, 1), "an untracked client is delivered, not dropped");
        assertTrue(table.apply(3, 1), "and cannot be deduplicated: counted instead");
        assertEquals(2, table.clients(), "the table never grows past its bound");
        assertEquals(2, table.untracked());
        assertFalse(table.apply(1, 1), "tracked clients still deduplicate");
    }
}
