package dev.mvsim.kernel;

/**
 * A region of app memory that a system call names by address and size. The kernel never reads or
 * writes through the address; it uses it to apply the alignment, size and overlap rules that the
 * real Microvisor applies. Address 0 is a NULL pointer.
 *
 * @param address the app's address, unsigned; 0 means NULL
 * @param size    the size in bytes, an unsigned 32-bit value as in the C call
 */
public record AppBuffer(long address, int size) {

    /** A NULL pointer with size 0. */
    public static final AppBuffer NULL = new AppBuffer(0, 0);

    public boolean isNull() {
        return address == 0;
    }

    /** Returns the size as the unsigned value the C call passed. */
    public long unsignedSize() {
        return Integer.toUnsignedLong(size);
    }

    /** Returns true when the region wraps past the top of a 64-bit address space. */
    boolean wrapsAround() {
        return Long.compareUnsigned(address + unsignedSize(), address) < 0;
    }

    /** Returns true when both regions are non-empty and share at least one byte. */
    public boolean overlaps(AppBuffer other) {
        if (size == 0 || other.size == 0) {
            return false;
        }
        long end = address + unsignedSize();
        long otherEnd = other.address + other.unsignedSize();
        return Long.compareUnsigned(address, otherEnd) < 0 && Long.compareUnsigned(other.address, end) < 0;
    }

    @Override
    public String toString() {
        return "AppBuffer[0x" + Long.toHexString(address) + ", " + unsignedSize() + " bytes]";
    }
}
