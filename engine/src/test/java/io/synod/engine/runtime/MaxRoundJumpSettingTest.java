package io.synod.engine.runtime;

import io.synod.engine.protocol.Ballot;
import io.synod.engine.protocol.ProtocolConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@value NodeContext#MAX_ROUND_JUMP_PROP}: one default, a setter, validated with the property's name.
 */
class MaxRoundJumpSettingTest
{
    @Test
    void defaultReachesTheProtocolAndBadValuesNameTheProperty()
    {
        final NodeContext context = new NodeContext().members("0=127.0.0.1:20001").memberId(0);
        assertEquals(ProtocolConfig.DEFAULT_MAX_ROUND_JUMP, context.maxRoundJump());
        assertEquals(ProtocolConfig.DEFAULT_MAX_ROUND_JUMP, context.conclude().protocolConfig().maxRoundJump());

        assertEquals(7, new NodeContext().members("0=127.0.0.1:20001").memberId(0).maxRoundJump(7).conclude()
            .protocolConfig().maxRoundJump());
        for (final long bad : new long[]{ 0, -1, Ballot.MAX_ROUND + 1 })
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> new NodeContext().members("0=127.0.0.1:20001").memberId(0).maxRoundJump(bad).conclude());
            assertTrue(ex.getMessage().startsWith(NodeContext.MAX_ROUND_JUMP_PROP + "=" + bad), ex.getMessage());
        }
    }
}
