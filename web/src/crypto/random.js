// Random sources (docs/crypto.md section 2). The browser draws from crypto.getRandomValues
// (the Web Crypto CSPRNG); DeterministicRandomForTests reproduces the C++ test stream
// H("HAAL-V1-TEST-RNG" || seed || u64(0)) || H(... || u64(1)) || ... for known-answer vectors.
import { concat, utf8, u64 } from './bytes.js';
import { sha256 } from './hash.js';

export class SystemRandom {
  fill(out) {
    // getRandomValues fills at most 65536 bytes per call.
    for (let i = 0; i < out.length; i += 65536) {
      globalThis.crypto.getRandomValues(out.subarray(i, Math.min(out.length, i + 65536)));
    }
    return out;
  }
}

export class DeterministicRandomForTests {
  constructor(seed) {
    this.seed = seed;
    this.counter = 0n;
    this.buffer = new Uint8Array(0);
    this.used = 0;
  }

  fill(out) {
    for (let i = 0; i < out.length; i++) {
      if (this.used === this.buffer.length) {
        this.buffer = sha256(concat(utf8('HAAL-V1-TEST-RNG'), this.seed, u64(this.counter)));
        this.counter += 1n;
        this.used = 0;
      }
      out[i] = this.buffer[this.used++];
    }
    return out;
  }
}

export const systemRandom = new SystemRandom();
