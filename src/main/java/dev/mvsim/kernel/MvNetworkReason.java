package dev.mvsim.kernel;

/**
 * Bits of the {@code MvNetworkReason} bitfield that {@code mvGetNetworkReasons} returns. The value
 * 0 ({@code MV_NETWORKREASON_NOTCONNECTING}) means no bit is set; bit 0x400 is unused.
 */
public final class MvNetworkReason {

    public static final int NOTCONNECTING = 0x000;
    public static final int USINGNETWORK = 0x001;
    public static final int NEVERUSEDNETWORKAPI = 0x002;
    public static final int MINIMUMCHECKINEXPIRED = 0x004;
    public static final int RTCNOTSET = 0x008;
    public static final int KERNELERROR = 0x010;
    public static final int APPLICATIONERROR = 0x020;
    public static final int COLDBOOTCONNECTION = 0x040;
    public static final int FETCHINGUPDATE = 0x080;
    public static final int DEBUGGERATTACHED = 0x100;
    public static final int NOAPPLICATIONCODE = 0x200;
    /** The only reason that prevents connection attempts while it holds. */
    public static final int ENHANCECALM = 0x800;

    private MvNetworkReason() {
    }
}
