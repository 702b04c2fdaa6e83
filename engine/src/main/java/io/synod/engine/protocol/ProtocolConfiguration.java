package io.synod.engine.protocol;

import io.synod.engine.config.Setting;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.synod.engine.config.SettingValues.durationText;
import static io.synod.engine.config.SettingValues.sizeText;

/**
 * Property names, defaults and ranges of the protocol core's settings: the one place each is defined.
 * {@link ProtocolConfig} starts from these defaults; the node's Context reads the properties named here.
 * Constants only (the core reads no properties itself); safe from any thread.
 */
public final class ProtocolConfiguration
{
    public static final String MEMBERS_PROP = "synod.members";
    public static final String MEMBER_ID_PROP = "synod.member.id";
    public static final int MAX_MEMBERS = 63;

    public static final String HEARTBEAT_INTERVAL_PROP = "synod.heartbeat.interval";
    public static final long HEARTBEAT_INTERVAL_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(15);

    public static final String ELECTION_TIMEOUT_PROP = "synod.election.timeout";
    /**
     * Five heartbeat intervals: a follower rides out four lost heartbeats in a row before it campaigns.
     */
    public static final long ELECTION_TIMEOUT_DEFAULT_NS = 5 * HEARTBEAT_INTERVAL_DEFAULT_NS;

    public static final String RETRANSMIT_TIMEOUT_PROP = "synod.retransmit.timeout";
    public static final long RETRANSMIT_TIMEOUT_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(20);

    public static final String CATCH_UP_TIMEOUT_PROP = "synod.catchup.timeout";
    public static final long CATCH_UP_TIMEOUT_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(20);

    public static final String MAX_VALUE_BYTES_PROP = "synod.max.value.bytes";
    public static final int MAX_VALUE_BYTES_DEFAULT = 16 * 1024;

    public static final String WINDOW_SLOTS_PROP = "synod.window.slots";
    public static final int WINDOW_SLOTS_DEFAULT = 512;
    /**
     * Largest window: the leader preallocates per-slot state for the whole window.
     */
    public static final int WINDOW_SLOTS_MAX = 1 << 20;

    public static final String WINDOW_BYTES_PROP = "synod.window.bytes";
    /**
     * A full window of full values: the byte bound then only bites when slots are larger than usual.
     */
    public static final int WINDOW_BYTES_DEFAULT = WINDOW_SLOTS_DEFAULT * MAX_VALUE_BYTES_DEFAULT;

    public static final String MAX_BATCH_COMMANDS_PROP = "synod.max.batch.commands";
    public static final int MAX_BATCH_COMMANDS_DEFAULT = 1024;

    public static final String MAX_SLOTS_PER_ACCEPT_PROP = "synod.max.slots.per.accept";
    public static final int MAX_SLOTS_PER_ACCEPT_DEFAULT = 32;

    public static final String MAX_MESSAGE_BYTES_PROP = "synod.max.message.bytes";
    public static final int MAX_MESSAGE_BYTES_DEFAULT = 128 * 1024;

    public static final String LEARNER_WINDOW_SLOTS_PROP = "synod.learner.window.slots";
    /**
     * As many as the leader may have in flight, so a learner can hold everything a leader proposes.
     */
    public static final int LEARNER_WINDOW_SLOTS_DEFAULT = WINDOW_SLOTS_DEFAULT;

    public static final String MAX_CHOSEN_RANGES_PROP = "synod.max.chosen.ranges";
    public static final int MAX_CHOSEN_RANGES_DEFAULT = 16;

    public static final String MAX_PENDING_REPLIES_PROP = "synod.max.pending.replies";
    public static final int MAX_PENDING_REPLIES_DEFAULT = 16 * 1024;

    public static final String MAX_CLIENTS_PROP = "synod.max.clients";
    public static final int MAX_CLIENTS_DEFAULT = 4096;

    public static final String MAX_ROUND_JUMP_PROP = "synod.ballot.max.round.jump";
    /**
     * Rounds grow by one per election, and with pre-vote only while a majority hears no leader, so a
     * million rounds is years of elections, while a hostile member needs 2^27 promises in a row to
     * exhaust the 47-bit rounds.
     */
    public static final long MAX_ROUND_JUMP_DEFAULT = 1L << 20;

    public static final String POSITIVE = "[1, 2147483647]";
    public static final String POWER_OF_TWO_SLOTS = "a power of two in [2, " + WINDOW_SLOTS_MAX + "]";

    public static final List<Setting> SETTINGS = List.of(
        new Setting(HEARTBEAT_INTERVAL_PROP, durationText(HEARTBEAT_INTERVAL_DEFAULT_NS),
            "a duration > 0, below " + ELECTION_TIMEOUT_PROP,
            "How often a leader tells its followers it is alive (and the chosen state)."),
        new Setting(ELECTION_TIMEOUT_PROP, durationText(ELECTION_TIMEOUT_DEFAULT_NS),
            "a duration > " + HEARTBEAT_INTERVAL_PROP,
            "T: a follower that hears no leader for a time drawn from [T, 2T] campaigns; an acceptor that " +
            "heard a live leader within T refuses to promise to another."),
        new Setting(RETRANSMIT_TIMEOUT_PROP, durationText(RETRANSMIT_TIMEOUT_DEFAULT_NS), "a duration > 0",
            "How long a leader waits for Accepted/Promise replies before it resends."),
        new Setting(CATCH_UP_TIMEOUT_PROP, durationText(CATCH_UP_TIMEOUT_DEFAULT_NS), "a duration > 0",
            "How long a learner waits for a catch-up answer before it asks again."),
        new Setting(WINDOW_SLOTS_PROP, Integer.toString(WINDOW_SLOTS_DEFAULT), POWER_OF_TWO_SLOTS,
            "Slots a leader may have proposed and not yet seen chosen."),
        new Setting(WINDOW_BYTES_PROP, sizeText(WINDOW_BYTES_DEFAULT),
            "a size >= " + MAX_VALUE_BYTES_PROP + " (default " + WINDOW_SLOTS_PROP + " x " + MAX_VALUE_BYTES_PROP + ")",
            "Value bytes a leader may have proposed and not yet seen chosen."),
        new Setting(MAX_VALUE_BYTES_PROP, sizeText(MAX_VALUE_BYTES_DEFAULT),
            "a size >= " + BatchDescriptor.HEADER_LENGTH + " that fits " + MAX_MESSAGE_BYTES_PROP + " with headers",
            "Largest value (one slot's batch of commands) in bytes; also the largest command."),
        new Setting(MAX_BATCH_COMMANDS_PROP, Integer.toString(MAX_BATCH_COMMANDS_DEFAULT), POSITIVE,
            "Most commands a leader packs into one slot."),
        new Setting(MAX_SLOTS_PER_ACCEPT_PROP, Integer.toString(MAX_SLOTS_PER_ACCEPT_DEFAULT), POSITIVE,
            "Most slots one Accept message carries."),
        new Setting(MAX_MESSAGE_BYTES_PROP, sizeText(MAX_MESSAGE_BYTES_DEFAULT),
            "a size holding one full value and its headers; <= synod.term.length / 8 and synod.ring.buffer.length / 8",
            "Largest message between replicas or roles."),
        new Setting(LEARNER_WINDOW_SLOTS_PROP, Integer.toString(LEARNER_WINDOW_SLOTS_DEFAULT), POWER_OF_TWO_SLOTS,
            "Slots a learner holds ahead of the next one it delivers (default: " + WINDOW_SLOTS_PROP + ")."),
        new Setting(MAX_CHOSEN_RANGES_PROP, Integer.toString(MAX_CHOSEN_RANGES_DEFAULT), POSITIVE,
            "Chosen ranges above the watermark a leader reports in one message."),
        new Setting(MAX_PENDING_REPLIES_PROP, Integer.toString(MAX_PENDING_REPLIES_DEFAULT), POSITIVE,
            "Replies an acceptor holds until its log is durable; past it requests are dropped and counted."),
        new Setting(MAX_CLIENTS_PROP, Integer.toString(MAX_CLIENTS_DEFAULT), POSITIVE,
            "Client sessions a cluster tracks at once."),
        new Setting(MAX_ROUND_JUMP_PROP, Long.toString(MAX_ROUND_JUMP_DEFAULT), "[1, 2^47 - 1]",
            "Most rounds a received ballot may jump past the highest seen; a larger jump is refused and counted."));

    private ProtocolConfiguration()
    {
    }
}
