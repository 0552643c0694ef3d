/**
 * Per-runner RSA-2048 key pairs and RSA-OAEP (SHA-256) encryption of OAuth client secrets, as the real
 * service stores them: only the runner (holder of the private key) can read a secret.
 * Keys are generated lazily, once per emulator, because generation costs tens of milliseconds.
 */
import { constants, generateKeyPairSync, type KeyObject, privateDecrypt, publicEncrypt } from "node:crypto";

interface KeyPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
}

const OAEP = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" } as const;

export class RunnerKeys {
  readonly #pairs = new Map<string, KeyPair>();

  #pair(runnerId: string): KeyPair {
    let pair = this.#pairs.get(runnerId);
    if (!pair) {
      pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
      this.#pairs.set(runnerId, pair);
    }
    return pair;
  }

  /** base64 RSA-OAEP(SHA-256) ciphertext of the plaintext under the runner's public key. */
  encrypt(runnerId: string, plaintext: string): string {
    const { publicKey } = this.#pair(runnerId);
    return publicEncrypt({ key: publicKey, ...OAEP }, Buffer.from(plaintext, "utf8")).toString("base64");
  }

  /** The plaintext, or undefined when the ciphertext was not made with this runner's key. */
  decrypt(runnerId: string, ciphertextBase64: string): string | undefined {
    const { privateKey } = this.#pair(runnerId);
    const ciphertext = Buffer.from(ciphertextBase64, "base64");
    if (ciphertext.length === 0) return undefined;
    try {
      return privateDecrypt({ key: privateKey, ...OAEP }, ciphertext).toString("utf8");
    } catch {
      return undefined;
    }
  }

  publicKeyPem(runnerId: string): string {
    return this.#pair(runnerId).publicKey.export({ type: "spki", format: "pem" }).toString();
  }
}
