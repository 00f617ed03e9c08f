package dev.mvsim.kernel;

/**
 * Interrupt numbers of the STM32U585 that a notification centre may use. The numbers are the CMSIS
 * {@code IRQn_Type} values of the STM32U585 device header: 0 ({@code WWDG_IRQn}) to 124
 * ({@code FMAC_IRQn}); negative numbers are core exceptions.
 *
 * <p>mvsim treats a peripheral interrupt as available to the non-secure app unless it belongs to
 * the secure world: the secure variants of RTC, FLASH and RCC, the TrustZone controller GTZC and
 * the secure AES engine SAES.
 */
public final class IrqNumbers {

    /** The highest peripheral interrupt number, {@code FMAC_IRQn}. */
    public static final int MAX_IRQ = 124;

    /** RTC_S_IRQn, FLASH_S_IRQn, GTZC_IRQn, RCC_S_IRQn, SAES_IRQn. */
    private static final int[] SECURE_ONLY = {3, 7, 8, 10, 28};

    private IrqNumbers() {
    }

    /** Returns true when the app may use the interrupt, read as an unsigned 32-bit value. */
    public static boolean isAvailableToApp(int irq) {
        if (irq < 0 || irq > MAX_IRQ) {
            return false;
        }
        for (int secure : SECURE_ONLY) {
            if (irq == secure) {
                return false;
            }
        }
        return true;
    }
}
