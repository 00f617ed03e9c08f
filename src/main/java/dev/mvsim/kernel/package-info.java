/**
 * The model of Microvisor for simulated devices. Start with {@link dev.mvsim.kernel.DeviceKernel}:
 * its methods named after the C system calls return {@link dev.mvsim.kernel.MvStatus} and take
 * the structs of this package, {@link dev.mvsim.kernel.Out} holders and
 * {@link dev.mvsim.kernel.AppBuffer} regions. Java tests usually need only
 * {@link dev.mvsim.kernel.client.DeviceClient} on top of it.
 */
package dev.mvsim.kernel;
