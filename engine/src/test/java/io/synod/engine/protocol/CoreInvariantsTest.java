package io.synod.engine.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoreInvariantsTest
{
    @Test
    void chosenWatermarkNeverMovesBackwards()
    {
        final ChosenSlots chosen = new ChosenSlots(4);
        chosen.reset(1, 0, 10);
        chosen.reset(2, 10, 10);
        assertEquals(10, chosen.watermark());
        final InvariantViolation e = assertThrows(InvariantViolation.class, () -> chosen.reset(3, 10, 9),
            "a lower watermark would un-choose slot 9");
        assertTrue(e.getMessage().contains("from 10 to 9"), e.getMessage());
    }
}
