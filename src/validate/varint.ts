// Varints of up to 2^35 - 1, in arithmetic rather than 32-bit operations, since a row delta may pass 2^32.
export function writeVarint(bytes: Uint8Array, at: number, value: number): number {
  let n = 0;
  let rest = value;
  while (rest >= 0x80) {
    bytes[at + n++] = (rest % 0x80) + 0x80;
    rest = Math.floor(rest / 0x80);
  }
  bytes[at + n++] = rest;
  return n;
}

export function varintLength(value: number): number {
  let n = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 0x80)) n++;
  return n;
}

export function readVarint(bytes: Uint8Array, at: number): number {
  let value = 0;
  let scale = 1;
  for (let i = at; ; i++) {
    const byte = bytes[i] ?? 0;
    value += (byte % 0x80) * scale;
    if (byte < 0x80) return value;
    scale *= 0x80;
  }
}

// Maps a signed difference to a non-negative number, small ones to small ones.
export function zigzag(value: number): number {
  return value >= 0 ? 2 * value : -2 * value - 1;
}

export function unzigzag(value: number): number {
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
}
