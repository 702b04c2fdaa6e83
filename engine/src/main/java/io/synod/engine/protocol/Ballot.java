package io.synod.engine.protocol;

/**
 * Ballot numbers: {@code round << 16 | memberId}, unique per member and totally ordered (the
 * Chubby scheme {@code s = m·n + i} with n = 2^16). Stateless.
 */
public final class Ballot
{
    public static final int MEMBER_BITS = 16;
    public static final int MAX_MEMBER_ID = (1 << MEMBER_BITS) - 1;

    /**
     * Highest round a ballot may carry: a ballot stays a positive long, so no arithmetic on it can
     * wrap to a negative (lower) ballot. Rounds grow by one per election and by at most
     * {@link ProtocolConfig#maxRoundJump()} per accepted message, so this is never reached.
     */
    public static final long MAX_ROUND = Long.MAX_VALUE >>> MEMBER_BITS;

    private Ballot()
    {
    }

    public static long of(final long round, final int memberId)
    {
        return (round << MEMBER_BITS) | memberId;
    }

    public static long round(final long ballot)
    {
        return ballot >>> MEMBER_BITS;
    }

    public static int memberId(final long ballot)
    {
        return (int)(ballot & MAX_MEMBER_ID);
    }

    /**
     * The smallest ballot of {@code memberId} above every ballot seen so far.
     *
     * @param highestSeen highest ballot seen from anyone, or 0.
     * @param memberId    of the proposer.
     * @return a ballot strictly greater than {@code highestSeen}, or, once rounds are exhausted, the
     * highest ballot of {@code memberId} (never a wrapped, negative one).
     */
    public static long above(final long highestSeen, final int memberId)
    {
        return of(Math.min(round(highestSeen) + 1, MAX_ROUND), memberId);
    }

    /**
     * Whether a ballot received from member {@code from} is sane: it carries the sender's member id,
     * is not negative, and its round is at most {@code maxRoundJump} above the round of
     * {@code highestSeen}. Anything else is a forgery or a bug, and must not move the receiver's
     * ballots (one near-maximum ballot would leave no room to elect above it).
     */
    public static boolean isSane(final long ballot, final int from, final long highestSeen, final long maxRoundJump)
    {
        return ballot >= 0 && memberId(ballot) == from && round(ballot) - round(highestSeen) <= maxRoundJump;
    }

    public static String toString(final long ballot)
    {
        return round(ballot) + "." + memberId(ballot);
    }
}
