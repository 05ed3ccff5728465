/** Deterministic identifiers, so a scenario replays identically run after run. */

export class SimRandom {
  private state: number;
  constructor(seed = 20170612) {
    this.state = seed >>> 0;
  }

  /** mulberry32: tiny, fast, good enough for ids. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  hex(length: number): string {
    return this.chars('0123456789abcdef', length);
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  instanceId(): string {
    return `i-0${this.hex(16)}`;
  }

  /** The 12-13 character suffix CloudFormation gives generated physical names. */
  physicalSuffix(): string {
    return this.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 12);
  }
}
