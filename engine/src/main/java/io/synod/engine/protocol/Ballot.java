package io.synod.engine.protocol;

/**
 * Ballot numbers: {@code round << 16 | memberId}, unique per member and totally ordered (the
 * Chubby scheme {@code s = m·n + i} with n = 2^16). Stateless.
 */
public final class Ballot
{
    public static final int MEMBER_BITS = 16;
    public static final int MAX_MEMBER_ID = (1 << MEMBER_BITS) - 1;

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
     * @return a ballot strictly greater than {@code highestSeen}.
     */
    public static long above(final long highestSeen, final int memberId)
    {
        return of(round(highestSeen) + 1, memberId);
    }

    public static String toString(final long ballot)
    {
        return round(ballot) + "." + memberId(ballot);
    }
}
