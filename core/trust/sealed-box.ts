import {
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { z } from 'zod';

/** Bytes of an X25519 public key in SPKI DER (RFC 8410): a 12-byte header and the 32-byte key. */
const SPKI_BYTES = 44;
const INFO = Buffer.from('seco sealed box v1');

/**
 * Something sealed to one recipient's X25519 key (an ECIES construction: RFC 7748 X25519 with an ephemeral
 * sender key, HKDF-SHA256 (RFC 5869) over both public keys, AES-256-GCM with the caller's context as
 * associated data). Only the holder of the recipient's private key opens it, and only for that context.
 */
export const Sealed = z.object({
  epk: z.string().max(128),
  iv: z.string().max(64),
  data: z.string().max(64 * 1024),
  tag: z.string().max(64),
});
export type Sealed = z.infer<typeof Sealed>;

export interface SealingKeys {
  /** SPKI DER, base64: what the recipient hands out. */
  publicKey: string;
  privateKey: KeyObject;
}

/** A fresh X25519 key pair; an agent makes one per process and never writes it anywhere. */
export function createSealingKeys(): SealingKeys {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return { publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), privateKey };
}

function importPublic(base64: string): KeyObject {
  const der = Buffer.from(base64, 'base64');
  if (der.length !== SPKI_BYTES) throw new Error('not an X25519 public key (SPKI DER, base64)');
  const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'x25519') throw new Error(`a ${key.asymmetricKeyType} key, not X25519`);
  return key;
}

function keyFor(shared: Buffer, epk: Buffer, rpk: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([epk, rpk]), INFO, 32));
}

export function seal(recipientPublicKey: string, plaintext: string, context: string): Sealed {
  const recipient = importPublic(recipientPublicKey);
  const ephemeral = generateKeyPairSync('x25519');
  const epk = ephemeral.publicKey.export({ format: 'der', type: 'spki' });
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient });
  const iv = randomBytes(12);
  const cipher = createCipheriv(
    'aes-256-gcm',
    keyFor(shared, epk, Buffer.from(recipientPublicKey, 'base64')),
    iv,
  );
  cipher.setAAD(Buffer.from(context));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    epk: epk.toString('base64'),
    iv: iv.toString('base64'),
    data: data.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** Opens a sealed box; throws when it was not sealed to these keys for this context, or was altered. */
export function open(keys: SealingKeys, sealed: Sealed, context: string): string {
  const epk = Buffer.from(sealed.epk, 'base64');
  const shared = diffieHellman({ privateKey: keys.privateKey, publicKey: importPublic(sealed.epk) });
  const decipher = createDecipheriv(
    'aes-256-gcm',
    keyFor(shared, epk, Buffer.from(keys.publicKey, 'base64')),
    Buffer.from(sealed.iv, 'base64'),
  );
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new Error('the sealed box does not open with this key and context (altered, or not ours)');
  }
}
