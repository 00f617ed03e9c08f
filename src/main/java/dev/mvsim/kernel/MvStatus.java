package dev.mvsim.kernel;

/**
 * Status returned by every Microvisor system call, with the numeric values of the vendor header
 * {@code mv_syscalls.h} v0.7.0. The C enum ends with {@code MV_STATUS__MAX = 0xffffffff}, which only
 * forces a 32-bit representation and is never returned, so it has no constant here.
 */
public enum MvStatus {
    OKAY(0x00),
    TIMENOTSET(0x01),
    PARAMETERFAULT(0x02),
    INVALIDBUFFERSIZE(0x03),
    PERIPHERALACCESSFAULT(0x04),
    BUFFERALREADYINUSE(0x05),
    INVALIDINTERRUPT(0x06),
    INVALIDHANDLE(0x07),
    TOOMANYNOTIFICATIONBUFFERS(0x08),
    INVALIDVECTOR(0x09),
    UNAVAILABLE(0x0A),
    UNSUPPORTEDSTRUCTUREVERSION(0x0B),
    TOOMANYCHANNELS(0x0C),
    UNKNOWNCHANNELENDPOINT(0x0D),
    UNKNOWNCHANNELTYPE(0x0E),
    CHANNELCLOSED(0x0F),
    NETWORKNOTCONNECTED(0x10),
    RATELIMITED(0x11),
    INVALIDBUFFERALIGNMENT(0x12),
    LATEFAULT(0x13),
    RESPONSENOTPRESENT(0x14),
    INDEXINVALID(0x15),
    OFFSETINVALID(0x16),
    REQUESTALREADYSENT(0x17),
    REQUESTUNSUCCESSFUL(0x18),
    LOGMESSAGETOOLONG(0x19),
    LOGGINGDISABLEDBYSERVER(0x1A),
    TOOMANYCONFIGKEYS(0x1B),
    UNKNOWNCONFIGSTORE(0x1C),
    UNKNOWNCONFIGSCOPE(0x1D),
    INVALIDCONFIGKEY(0x1E),
    INVALIDAUTHENTICATION(0x1F),
    WRONGDATAREQUESTED(0x20),
    INTERNALERROR(0x21),
    TOOMANYELEMENTS(0x22),
    REQUIREDELEMENTMISSING(0x23),
    MICROVISORBUSY(0x24),
    ADDRESSOUTOFRANGE(0x25),
    INPUTTOOLONG(0x26);

    private static final MvStatus[] BY_CODE = values();

    private final int code;

    MvStatus(int code) {
        this.code = code;
    }

    /** Returns the value of this status in the C enum. */
    public int code() {
        return code;
    }

    /** Returns the status with the given C value, or null when no status has that value. */
    public static MvStatus fromCode(long code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[(int) code] : null;
    }

    /** Returns the C name, for example {@code MV_STATUS_OKAY}. */
    public String cName() {
        return "MV_STATUS_" + name();
    }
}
