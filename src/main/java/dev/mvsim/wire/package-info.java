/**
 * The syscall frame codec shared by the kernel side and libmvhost (docs/wire-protocol.md).
 *
 * <p>Entry points: {@link dev.mvsim.wire.FrameCodec} converts {@link dev.mvsim.wire.Frame} records
 * to and from bytes and throws {@link dev.mvsim.wire.FrameFormatException} for any malformed input;
 * {@link dev.mvsim.wire.Syscall#of} gives a typed view of a decoded request; and
 * {@link dev.mvsim.wire.Opcode} lists every syscall with its payload schemas. The package depends
 * on nothing else in mvsim.
 */
package dev.mvsim.wire;
