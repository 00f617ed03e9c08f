/**
 * Encryption at rest: {@link dev.mvsim.cloud.store.crypto.SecretCipher} seals values with
 * AES-256-GCM bound to {@link dev.mvsim.cloud.store.crypto.AssociatedData}, under a
 * {@link dev.mvsim.cloud.store.crypto.MasterKey} that
 * {@link dev.mvsim.cloud.store.crypto.MasterKeySource} finds in the environment or a key file.
 */
package dev.mvsim.cloud.store.crypto;
